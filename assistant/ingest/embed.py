"""The embedding model of a local folder, as a LangChain Embeddings: by default its int8 ONNX export on ONNX Runtime
(onnx_engine.py, made at setup by onnx_export.py), or the sentence-transformers model on torch."""

from __future__ import annotations

import json
import logging
import os
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from ..settings import bundled_m3e_path
from .model_files import ModelFilesDamaged, verify_embedding_folder
from .onnx_export import ENGINE as ONNX_ENGINE
from .onnx_export import RECIPE, ensure_export, export_root

log = logging.getLogger(__name__)


ModelMissing = ModelFilesDamaged  # the name callers catch
ENGINES = (ONNX_ENGINE, "torch")


@lru_cache(maxsize=4)
def load_model(path: str, max_seq_length: int = 512, quantize: bool = False):
    # Offline by construction: a folder path never reaches a hub, and these make sure nothing tries.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    verify_embedding_folder(path, bundled_m3e_path())
    import transformers
    from sentence_transformers import SentenceTransformer

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()

    model = SentenceTransformer(path, device="cpu")
    model.max_seq_length = min(max_seq_length, model.max_seq_length or max_seq_length)
    if quantize:
        # int8 weights for the Linear layers: about twice the speed on CPU, cosine ≈ 0.98 to the fp32 vectors.
        import warnings

        import torch

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    log.info("loaded embedding model %s (dim %d)", path, model.get_embedding_dimension())
    return model


class LocalEmbeddings(Embeddings):
    """Normalised vectors, so inner product is cosine similarity."""

    def __init__(self, path: str, batch_size: int = 32, max_seq_length: int = 512, quantize: bool = False,
                 engine: str = ONNX_ENGINE, threads: int = 0, onnx_dir: str = ""):
        if engine not in ENGINES:
            raise ValueError(f"未知的嵌入引擎 embedding_engine = {engine!r}，可选：{'、'.join(ENGINES)}")
        self.path = path
        self.batch_size = batch_size
        self.max_seq_length = max_seq_length
        self.quantize = quantize  # the torch engine's dynamic int8
        self.engine = engine
        self.threads = threads
        self.onnx_dir = onnx_dir
        self._encoder = None  # the ONNX session, once its export is checked
        self._encoder_lock = threading.Lock()
        # Sentence vectors the reader asks for again and again (the same passages answer many questions).
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._recent_lock = threading.Lock()

    RECENT_LIMIT = 50_000  # about 100 MB of 512-d float32 vectors at most

    @classmethod
    def from_settings(cls, settings) -> "LocalEmbeddings":
        return cls(settings.model_path, settings.embedding_batch_size, settings.embedding_max_seq_length,
                   settings.embedding_quantize, settings.embedding_engine, settings.embedding_threads,
                   settings.embedding_onnx_dir)

    @property
    def model(self):
        return load_model(self.path, self.max_seq_length, self.quantize)

    @property
    def encoder(self):
        from .onnx_engine import load_encoder

        with self._encoder_lock:
            if self._encoder is None:
                # Checked (and made again if missing or damaged) once per instance, not per call.
                export = ensure_export(self.path, bundled_m3e_path(), export_root(self.onnx_dir))
                self._encoder = load_encoder(export, Path(self.path) / "tokenizer.json", self.max_tokens, self.threads)
            return self._encoder

    @property
    def max_tokens(self) -> int:
        # What sentence-transformers truncates to: the setting, within the model's positions and tokenizer limit.
        folder = Path(self.path)
        limits = [self.max_seq_length]
        for name, key in (("config.json", "max_position_embeddings"), ("tokenizer_config.json", "model_max_length")):
            if (folder / name).is_file():
                value = json.loads((folder / name).read_text(encoding="utf-8")).get(key)
                if isinstance(value, int) and value > 0:
                    limits.append(value)
        return min(limits)

    @property
    def dimension(self) -> int:
        # Read from the folder when the model is a plain transformer + pooling, so that checking an
        # up-to-date index does not load the model.
        folder = Path(self.path)
        modules = folder / "modules.json"
        config = folder / "config.json"
        if config.exists() and (not modules.exists() or "Dense" not in modules.read_text(encoding="utf-8")):
            size = json.loads(config.read_text(encoding="utf-8")).get("hidden_size")
            if isinstance(size, int):
                return size
        return int(self.encoder.dimension if self.engine == ONNX_ENGINE else self.model.get_embedding_dimension())

    @property
    def name(self) -> str:
        """Recorded in the index: an index made by another model, engine or export recipe is rebuilt."""
        if self.engine == ONNX_ENGINE:
            return f"{Path(self.path).name}-{ONNX_ENGINE}-r{RECIPE}"
        return Path(self.path).name + ("-int8" if self.quantize else "")

    @property
    def batch_independent(self) -> bool:
        """Whether a text's vector is the same whatever else is encoded with it. Not on torch: its int8 model
        scales activations per batch, and padding to the batch's longest text changes float32 sums."""
        return self.engine == ONNX_ENGINE

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype="float32")
        if self.engine == ONNX_ENGINE:
            return self.encoder.encode(texts)
        vectors = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                    show_progress_bar=progress, convert_to_numpy=True)
        return np.asarray(vectors, dtype="float32")

    def encode_recent(self, texts: list[str]) -> np.ndarray:
        """`encode`, remembering each text's vector: corpus sentences recur across questions."""
        if not texts:
            return self.encode([])
        with self._recent_lock:
            known = {t: self._recent[t] for t in texts if t in self._recent}
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if self.batch_independent:
            known.update(zip(missing, self.encode(missing)))
        else:
            # One text per batch, or a vector would depend on what else was in its batch, and the reader's choice
            # on the order of questions.
            known.update((t, self.encode([t])[0]) for t in missing)
        if missing:
            with self._recent_lock:
                self._recent.update((t, known[t]) for t in missing)
                while len(self._recent) > self.RECENT_LIMIT:
                    self._recent.popitem(last=False)
        return np.stack([known[t] for t in texts])

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()
