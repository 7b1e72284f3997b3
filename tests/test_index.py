"""Incremental, atomic indexing on the real model and real FAISS."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from assistant.ingest.build import build_index
from assistant.ingest.chunk import embed_text
from assistant.ingest.store import current_version, load_index
from assistant.retrieval.hybrid import HybridRetriever

from .conftest import CORPUS, EXTRA, SEEDS, copy_corpus

pytestmark = pytest.mark.slow


def test_incremental_add_change_delete(settings):
    corpus = copy_corpus(settings.corpus_path, [SEEDS["zhuzhou"], SEEDS["huangshi"], SEEDS["xinzhou"]])
    first = build_index(settings)
    assert sorted(first.added) == sorted([SEEDS["zhuzhou"], SEEDS["huangshi"], SEEDS["xinzhou"]]) and first.chunks > 0
    v1 = current_version(settings.index_path)

    again = build_index(settings)
    assert not again.changed_anything and current_version(settings.index_path) == v1
    before = load_index(settings.index_path)
    old_texts = {embed_text(before.metas[c.doc], c) for c in before.chunks}

    shutil.copy(CORPUS / SEEDS["zhongfang"], corpus / SEEDS["zhongfang"])
    with open(corpus / SEEDS["zhuzhou"], "a", encoding="utf-8") as fh:
        fh.write("\n关键词八 新增内容\n全市新建智慧教室300间。\n")
    (corpus / SEEDS["huangshi"]).unlink()
    (corpus / "broken.docx").write_bytes(b"not a docx")
    report = build_index(settings)
    assert report.added == [SEEDS["zhongfang"]]
    assert report.changed == [SEEDS["zhuzhou"]]
    assert report.removed == [SEEDS["huangshi"]]
    assert report.failed and report.failed[0][0] == "broken.docx" and "损坏" in report.failed[0][1]
    assert report.unchanged == [SEEDS["xinzhou"]]
    data = load_index(settings.index_path)
    # Only the new and changed documents were embedded again, and of the changed one only the chunks whose text
    # changed: the others keep their vectors (ingest/vector_reuse.py).
    fresh = [embed_text(data.metas[c.doc], c) for c in data.chunks if c.doc in (SEEDS["zhongfang"], SEEDS["zhuzhou"])]
    assert report.embedded_chars == sum(len(t) for t in fresh if t not in old_texts) < sum(map(len, fresh))
    assert set(data.metas) == {SEEDS["zhuzhou"], SEEDS["zhongfang"], SEEDS["xinzhou"]}
    assert any("智慧教室300间" in c.text for c in data.chunks)
    assert data.store.count() == len(data.chunks)
    hits = HybridRetriever.from_index(data, settings).search("株洲新建了多少间智慧教室", k=3)
    # Top 3, not top 1: this short chunk is nearly tied with another (and with embedding_engine = "torch", int8
    # dynamic quantisation scales activations per batch, so its vector depends slightly on its batch).
    assert any("300间" in h.chunk.text for h in hits)
    # At most the new and the previous version are kept on disk.
    assert len(list(settings.index_path.glob("v-*"))) <= 2


def test_changed_chunker_settings_rebuild_with_a_message(settings):
    copy_corpus(settings.corpus_path, [SEEDS["zhuzhou"]])
    build_index(settings)
    settings.chunk_size = 200
    report = build_index(settings)
    assert "分块大小" in report.rebuilt_reason and report.added == [SEEDS["zhuzhou"]]


def test_manifest_records_model_and_documents(settings):
    copy_corpus(settings.corpus_path, [SEEDS["zhongfang"]])
    build_index(settings)
    manifest = json.loads((current_version(settings.index_path) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["signature"]["model"].startswith("m3e-small") and manifest["signature"]["dimension"] == 512
    doc = manifest["docs"][SEEDS["zhongfang"]]
    assert len(doc["sha256"]) == 64 and doc["meta"]["region"] == "中方县" and doc["chunks"] > 10


@pytest.mark.skipif(not EXTRA.is_dir(), reason="../shared/extra-corpus not present")
def test_killed_indexer_leaves_previous_index_usable(settings, tmp_path):
    corpus = copy_corpus(settings.corpus_path, [SEEDS["zhongfang"]])
    build_index(settings)
    before = current_version(settings.index_path)
    for p in sorted(EXTRA.glob("*.txt"))[:12]:
        shutil.copy(p, corpus / p.name)
    env = {**os.environ, "ASSISTANT_CORPUS_DIR": str(corpus), "ASSISTANT_INDEX_DIR": str(settings.index_path)}
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "index"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    time.sleep(8)  # model loaded, cleaning and embedding under way
    assert proc.poll() is None, "indexing finished before it could be interrupted"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert time.time() < deadline
    assert current_version(settings.index_path) == before
    data = load_index(settings.index_path)
    hits = HybridRetriever.from_index(data, settings).search("中方县在编教师多少人")
    assert "2243" in hits[0].chunk.text
    # The next run clears the debris and completes.
    report = build_index(settings)
    assert len(report.added) == 12 and not list(settings.index_path.glob(".building-*"))
    assert current_version(settings.index_path) != before
