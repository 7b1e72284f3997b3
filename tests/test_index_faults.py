"""Index faults: a build killed with -9, index files corrupted on disk. The old index keeps answering, the fault is
reported in words, and the next build completes."""

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from assistant.answering.assistant import Assistant
from assistant.ingest.build import build_index
from assistant.ingest.store import IndexCorrupt, current_version, load_index

from .conftest import copy_corpus

pytestmark = pytest.mark.slow
QUESTION = "中方县2023年在编教师多少人？"


@pytest.fixture()
def own_index(bundled_index, tmp_path):
    """A copy of the session's index and corpus that a test may break."""
    settings, _ = bundled_index
    index = tmp_path / "index"
    shutil.copytree(settings.index_path, index)
    corpus = copy_corpus(tmp_path / "corpus")
    return settings.model_copy(update={"index_dir": index, "corpus_dir": corpus}), index, corpus


def test_a_corrupted_index_is_reported_and_the_next_build_replaces_it(own_index, retriever):
    settings, index, corpus = own_index
    faiss_file = current_version(index) / "dense.faiss"
    faiss_file.write_bytes(faiss_file.read_bytes()[:1000])  # cut short, as a full disk or a bad copy leaves it
    with pytest.raises(IndexCorrupt, match="索引文件已损坏.*assistant index"):
        load_index(index)
    run = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", QUESTION, "--index", str(index)],
                         capture_output=True, text=True, env={**os.environ, "ASSISTANT_CORPUS_DIR": str(corpus)})
    assert run.returncode != 0 and "索引文件已损坏" in run.stderr and "Traceback" not in run.stderr
    build_index(settings, [corpus], index, embeddings=retriever.embeddings)
    helper = Assistant(settings, index, embeddings=retriever.embeddings)
    assert "2243" in helper.ask(QUESTION).answer


def test_the_loaded_index_keeps_answering_when_a_new_version_is_broken(own_index, retriever):
    settings, index, _ = own_index
    helper = Assistant(settings, index, embeddings=retriever.embeddings)
    assert "2243" in helper.ask(QUESTION).answer
    broken = index / "v-broken"
    shutil.copytree(current_version(index), broken)
    (broken / "chunks.jsonl").write_text("{not json\n", encoding="utf-8")
    (index / "CURRENT").write_text("v-broken", encoding="utf-8")
    assert "2243" in helper.ask(QUESTION).answer


def test_a_build_killed_with_sigkill_leaves_the_old_index_and_the_next_build_completes(own_index, retriever):
    settings, index, corpus = own_index
    before = current_version(index)
    (corpus / "new_2024.txt").write_text("某县2024年工作要点\n" + "".join(f"第{i}条：全县新建操场{i}个，改造运动场{i + 5}个，配齐体育教师{i + 2}名。\n" for i in range(3000)),
                                        encoding="utf-8")
    env = {**os.environ, "ASSISTANT_CORPUS_DIR": str(corpus), "ASSISTANT_INDEX_DIR": str(index)}
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "index"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if list(index.glob(".building-*")) or time.time() > deadline - 110:  # writing, or well into embedding
            break
        time.sleep(0.05)
    assert proc.poll() is None  # still building when it is killed
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert current_version(index) == before
    helper = Assistant(settings, index, embeddings=retriever.embeddings)
    assert "2243" in helper.ask(QUESTION).answer  # the old index still answers
    report = build_index(settings, [corpus], index, embeddings=retriever.embeddings)
    assert "new_2024.txt" in report.added and current_version(index) != before
    assert not list(index.glob(".building-*"))
    assert "2243" in Assistant(settings, index, embeddings=retriever.embeddings).ask(QUESTION).answer


def test_a_disk_full_while_writing_a_new_version_changes_nothing(own_index, retriever, monkeypatch):
    import errno

    import faiss

    from assistant.ingest.store import IndexWriteError

    settings, index, corpus = own_index
    before = current_version(index)
    (corpus / "new_2024.txt").write_text("某县2024年工作要点\n全县新建操场3个。\n", encoding="utf-8")
    real_write = faiss.write_index

    def full_disk(ix, path):
        real_write(ix, path)  # the file is there, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(faiss, "write_index", full_disk)
    with pytest.raises(IndexWriteError, match="索引未更新，仍使用原来的索引"):
        build_index(settings, [corpus], index, embeddings=retriever.embeddings)
    assert current_version(index) == before and not list(index.glob(".building-*"))
    assert "2243" in Assistant(settings, index, embeddings=retriever.embeddings).ask(QUESTION).answer


def test_a_file_truncated_under_a_running_server_is_reported_without_a_crash(own_index, retriever):
    settings, index, corpus = own_index
    helper = Assistant(settings, index, embeddings=retriever.embeddings)
    assert "2243" in helper.ask(QUESTION).answer and helper.index_problem() is None
    version = current_version(index)
    for name in ("bm25_rows.npy", "dense.faiss"):  # both read into memory: nothing is mapped from disk
        path = version / name
        assert path.exists(), name
        os.truncate(path, 10)
    assert "2243" in helper.ask(QUESTION).answer  # a mapped file would have ended the process (SIGBUS)
    problem = helper.index_problem()
    assert "被改动或截断" in problem and "重新建立索引" in problem
    build_index(settings, [corpus], index, embeddings=retriever.embeddings)
    assert helper.index_problem() is None and "2243" in helper.ask(QUESTION).answer


def test_an_unreadable_index_is_a_message_not_an_exception(own_index, retriever):
    settings, index, _ = own_index
    (current_version(index) / "chunks.jsonl").write_text("{not json\n", encoding="utf-8")
    helper = Assistant(settings, index, embeddings=retriever.embeddings)
    helper.warm_up()  # the server starts
    assert "索引文件已损坏" in helper.index_problem()
