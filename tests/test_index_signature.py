"""An index built by other cleaning or chunking code is rebuilt, never silently reused (no model needed)."""

import shutil

import numpy as np

from assistant.ingest import signature
from assistant.ingest.build import build_index
from assistant.ingest.store import load_index

from .conftest import SEEDS, copy_corpus


class FakeEmbeddings:
    """Deterministic vectors from the text's hash: enough to build and reload a real FAISS index quickly."""

    name = path = "fake"
    dimension = 8
    batch_size = 16

    def encode(self, texts, progress=False):
        rows = [np.random.default_rng(abs(hash(t)) % 2**32).standard_normal(self.dimension) for t in texts]
        out = np.asarray(rows, dtype="float32").reshape(len(texts), self.dimension)
        return out / np.linalg.norm(out, axis=1, keepdims=True).clip(1e-9)


def test_code_version_covers_cleaning_and_chunking(tmp_path):
    root = tmp_path / "assistant"
    shutil.copytree(signature.PACKAGE, root, ignore=shutil.ignore_patterns("__pycache__", "resources"))
    before = signature.code_version(root)
    assert before == signature.code_version(signature.PACKAGE)
    for rel in ("text/clean.py", "ingest/chunk.py", "text/structure.py", "ingest/load.py"):
        path = root / rel
        original = path.read_bytes()
        path.write_bytes(original + b"\n# changed\n")
        assert signature.code_version(root) != before, rel
        path.write_bytes(original)
    assert signature.code_version(root) == before


def test_index_built_by_older_code_is_rebuilt(settings, monkeypatch):
    copy_corpus(settings.corpus_path, [SEEDS["zhongfang"]])
    emb = FakeEmbeddings()
    first = build_index(settings, embeddings=emb)
    assert first.added == [SEEDS["zhongfang"]]
    assert load_index(settings.index_path).manifest["signature"]["code"] == signature.code_version()
    assert not build_index(settings, embeddings=emb).changed_anything  # same code: reused

    monkeypatch.setattr(signature, "code_version", lambda *a, **k: "edited-cleaner")
    report = build_index(settings, embeddings=emb)
    assert "清洗或分块程序" in report.rebuilt_reason
    assert report.added == [SEEDS["zhongfang"]] and not report.unchanged
    assert load_index(settings.index_path).manifest["signature"]["code"] == "edited-cleaner"
