"""Running the int8 ONNX export: one text per run, several runs at once.

A text's vector must not depend on what else is being encoded: the activations are quantised per run (one scale
over the whole input tensor), so a batch would share scales, and padding would add rows. One text per run at its
exact length has neither, and the same text always meets the same kernels on the same shapes in one thread: its
vector is bitwise the same alone or among others, in any order. The cores are used by running texts side by side
(one single-threaded session run per core), longest first so the workers finish together. At chunk length
(~230 tokens) batching would not be faster anyway (measured: the same tokens/s at batch 1 and 8); only short
texts would gain (1.6x at 16 tokens), and those are questions and sentences, encoded a few at a time.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

import numpy as np

from .onnx_export import Export

# ORT fuses Add + LayerNormalization into SkipLayerNormalization, whose CPU kernel is ~7x slower than the two
# ops it replaces (onnxruntime 1.31, measured): about 15% of the whole run.
DISABLED_FUSIONS = ["SkipLayerNormFusion", "BiasSkipLayerNormFusion"]


def usable_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class OnnxEncoder:
    def __init__(self, onnx_path: Path, tokenizer_json: Path, max_length: int, threads: int = 0):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # parallel across texts instead (see the module's docstring)
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL  # in memory, never saved
        self.session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"],
                                            disabled_optimizers=DISABLED_FUSIONS)
        self.tokenizer = Tokenizer.from_file(str(tokenizer_json))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length)
        self.threads = threads or usable_cores()
        self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="embed") if self.threads > 1 else None
        self._pid = os.getpid()  # a forked child has the pool object but none of its threads
        self.dimension = int(self.session.get_outputs()[0].shape[-1] or len(self._run(np.array([101, 102]))))

    def _run(self, ids: np.ndarray) -> np.ndarray:
        vector = self.session.run(None, {"input_ids": ids[None]})[0][0].astype("float32")
        return vector / max(float(np.linalg.norm(vector)), 1e-12)  # normalised here, row by row

    def encode(self, texts: list[str]) -> np.ndarray:
        unique = list(dict.fromkeys(texts))
        ids = [np.asarray(e.ids, dtype=np.int64) for e in self.tokenizer.encode_batch(unique)]
        order = sorted(range(len(unique)), key=lambda i: -len(ids[i]))
        pool = self._pool if os.getpid() == self._pid else None
        runs = pool.map(lambda i: self._run(ids[i]), order) if pool else (self._run(ids[i]) for i in order)
        by_text = {unique[i]: v for i, v in zip(order, runs)}
        return np.stack([by_text[t] for t in texts]) if texts else np.zeros((0, self.dimension), dtype="float32")


_lock = threading.Lock()


@lru_cache(maxsize=4)
def _cached(onnx_path: str, onnx_sha256: str, tokenizer_json: str, max_length: int, threads: int) -> OnnxEncoder:
    # onnx_sha256 is in the key so that an export made again is loaded again.
    return OnnxEncoder(Path(onnx_path), Path(tokenizer_json), max_length, threads)


def load_encoder(export: Export, tokenizer_json: Path, max_length: int, threads: int = 0) -> OnnxEncoder:
    """One encoder per export and settings in a process (a session holds ~60 MB and a thread pool)."""
    with _lock:
        return _cached(str(export.onnx_path), export.manifest.get("onnx_sha256", ""), str(tokenizer_json),
                       max_length, threads)


def probe_cosine(export: Export, tokenizer_json: Path, max_length: int) -> float:
    """Cosine between this machine's int8 vector of the probe sentence and the float32 model's, recorded when the
    export was made: proves the export loads and runs here, and gives results close to the model's own."""
    reference = np.asarray(export.manifest["probe"]["float32"], dtype="float32")
    encoder = OnnxEncoder(export.onnx_path, tokenizer_json, max_length, threads=1)
    vector = encoder.encode([export.manifest["probe"]["text"]])[0]
    return float(vector @ reference / max(float(np.linalg.norm(reference)), 1e-12))
