"""Running the verifier: the probability that a candidate window states what a question asks.

As with the embedding engine (ingest.onnx_engine), activations are quantised per run, so a batch would make a
pair's score depend on its neighbours: each pair is one run at its exact length, and pairs run side by side, one
single-threaded session run per core. The same pair always gets the same probability.
"""

from __future__ import annotations

import math
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..ingest.onnx_engine import DISABLED_FUSIONS, usable_cores
from .model import VerifierFiles, verified


class Verifier:
    def __init__(self, files: VerifierFiles, threads: int = 0):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(files.onnx_path), options, providers=["CPUExecutionProvider"],
                                            disabled_optimizers=DISABLED_FUSIONS)
        self.tokenizer = Tokenizer.from_file(str(files.tokenizer_path))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(files.max_length, strategy="only_second")
        self.files = files
        self.threads = threads or usable_cores()
        self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="verify") if self.threads > 1 else None
        self._pid = os.getpid()
        self._cache: dict[tuple[str, str], float] = {}
        self._cache_lock = threading.Lock()

    def _logit(self, ids: np.ndarray, types: np.ndarray) -> float:
        return float(self.session.run(None, {"input_ids": ids[None], "token_type_ids": types[None]})[0][0])

    def logits(self, question: str, contexts: list[str]) -> np.ndarray:
        # Only the context is truncated, so an over-long question is cut first to leave it room.
        question = question[: self.files.max_length // 2]
        encs = self.tokenizer.encode_batch([(question, c) for c in contexts])
        ids = [(np.asarray(e.ids, dtype=np.int64), np.asarray(e.type_ids, dtype=np.int64)) for e in encs]
        order = sorted(range(len(ids)), key=lambda i: -len(ids[i][0]))
        pool = self._pool if os.getpid() == self._pid else None
        runs = pool.map(lambda i: self._logit(*ids[i]), order) if pool else (self._logit(*ids[i]) for i in order)
        out = np.zeros(len(ids), dtype="float64")
        for i, v in zip(order, runs):
            out[i] = v
        return out

    def probabilities(self, question: str, contexts: list[str]) -> np.ndarray:
        """P(the context states what the question asks) for each context; repeated pairs are not run again."""
        with self._cache_lock:
            known = {c: self._cache[(question, c)] for c in contexts if (question, c) in self._cache}
        todo = list(dict.fromkeys(c for c in contexts if c not in known))
        if todo:
            got = {c: 1.0 / (1.0 + math.exp(-v)) for c, v in zip(todo, self.logits(question, todo))}
            with self._cache_lock:
                if len(self._cache) > 20000:
                    self._cache.clear()
                self._cache.update({(question, c): p for c, p in got.items()})
            known.update(got)
        return np.array([known[c] for c in contexts], dtype="float64")


_lock = threading.Lock()


@lru_cache(maxsize=2)
def _cached(folder: str, onnx_sha256: str, threads: int) -> Verifier:
    # onnx_sha256 in the key: a model trained again is loaded again.
    return Verifier(verified(Path(folder)), threads)


def load_verifier(folder: Path | None = None, threads: int = 0) -> Verifier:
    """The verifier of `folder` (the shipped one by default), checked against its manifest, once per process."""
    files = verified(folder)
    with _lock:
        return _cached(str(files.folder), files.manifest["sha256"]["model.onnx"], threads)


def probe_agreement(files: VerifierFiles) -> float:
    """Largest gap between this machine's int8 probability of each probe pair and the float32 model's, recorded at
    export: proves the model loads and runs here and stays close to the trained one."""
    v = Verifier(files, threads=1)
    gaps = []
    for probe in files.manifest.get("probes", []):
        p = v.probabilities(probe["question"], [probe["context"]])[0]
        gaps.append(abs(p - 1.0 / (1.0 + math.exp(-probe["float32"]))))
    return max(gaps, default=1.0)
