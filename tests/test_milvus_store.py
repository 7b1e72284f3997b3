"""The Milvus backend on milvus-lite: the same answers as the embedded FAISS backend, filters in the engine, and the
same incremental, atomic builds (a new collection per version, an alias switched only when it is complete)."""

import json

import pytest

from assistant.answering.assistant import Assistant
from assistant.ingest.build import build_index
from assistant.ingest.milvus_store import MilvusStore, doc_filter
from assistant.ingest.store import IndexWriteError, current_version, load_index
from assistant.ingest.vector_store import StoreUnavailable
from assistant.retrieval.filters import Filters
from assistant.retrieval.hybrid import HybridRetriever
from assistant.settings import Settings

from .conftest import ROOT, SEEDS, copy_corpus

pytestmark = pytest.mark.slow


def questions(limit=60):
    rows = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return [r["question"] for r in rows][:limit]


@pytest.fixture(scope="module")
def both(milvus_index, assistant, retriever):
    settings, _ = milvus_index
    return assistant, Assistant(settings, settings.index_path, embeddings=retriever.embeddings)


def test_the_same_answers_as_faiss(both):
    faiss, milvus = both
    asked = questions()
    same_docs = same_answers = 0
    for q in asked:
        a, b = faiss.ask(q), milvus.ask(q)
        assert a.refused == b.refused, q
        same_answers += a.answer == b.answer
        same_docs += {h.chunk.doc for h in faiss.retriever.search(q)} == {h.chunk.doc for h in milvus.retriever.search(q)}
    assert same_answers / len(asked) >= 0.9 and same_docs / len(asked) >= 0.8, (same_answers, same_docs, len(asked))


def test_filters_and_place_steering_run_in_the_engine(both, milvus_index):
    _, milvus = both
    _, data = milvus_index
    zhongfang = SEEDS["zhongfang"]
    hits = milvus.retriever.search("教师队伍建设", k=10, filters=Filters(docs=[zhongfang]))
    assert hits and {h.chunk.doc for h in hits} == {zhongfang}
    region = data.metas[zhongfang].region
    hits = milvus.retriever.search("教师队伍建设", k=10, filters=Filters(region=region))
    assert hits and all(h.meta.region == region for h in hits)
    hits = milvus.retriever.search("中方县2023年在编教师多少人？", k=10)  # the place named steers to its documents
    assert hits and {h.chunk.doc for h in hits} == {zhongfang}
    assert "2243" in milvus.ask("中方县2023年在编教师多少人？").answer
    assert milvus.retriever.search("教师", filters=Filters(docs=["没有这个文档.txt"])) == []


def test_document_names_are_quoted_in_filter_expressions():
    assert doc_filter(['a"b.txt', "c\\d.txt"]) == 'doc in ["a\\"b.txt", "c\\\\d.txt"]'
    assert doc_filter(None) == ""


def test_builds_are_incremental_and_switch_the_alias_only_when_complete(tmp_path, retriever, monkeypatch):
    corpus = copy_corpus(tmp_path / "corpus", [SEEDS["zhongfang"], SEEDS["xinzhou"]])
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", vector_store="milvus")
    store = MilvusStore.from_settings(settings, settings.index_path)
    emb = retriever.embeddings
    first = build_index(settings, embeddings=emb)
    v1 = load_index(settings.index_path, settings).manifest["store"]["collection"]
    assert store.client.list_aliases(v1)["aliases"] == [store.alias]

    doc = corpus / SEEDS["xinzhou"]
    doc.write_text(doc.read_text(encoding="utf-8") + "\n全县新建学校食堂12所。\n", encoding="utf-8")
    second = build_index(settings, embeddings=emb)
    assert second.changed == [SEEDS["xinzhou"]] and 0 < second.embedded_chars < first.embedded_chars / 2
    v2 = load_index(settings.index_path, settings).manifest["store"]["collection"]
    assert v2 != v1 and store.client.list_aliases(v2)["aliases"] == [store.alias]
    assert store.client.has_collection(v1)  # kept one build longer, for a reader that has just loaded it

    # A build that fails while writing Milvus changes nothing: same version, same alias, no half collection.
    doc.write_text(doc.read_text(encoding="utf-8") + "\n全县新建操场3个。\n", encoding="utf-8")
    before = current_version(settings.index_path)
    monkeypatch.setattr(type(store.client), "insert", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("disk")))
    with pytest.raises(StoreUnavailable, match="写入 Milvus 集合"):
        build_index(settings, embeddings=emb)
    monkeypatch.undo()
    assert current_version(settings.index_path) == before
    assert sorted(store.client.list_collections()) == sorted([v1, v2])
    hits = Assistant(settings, settings.index_path, embeddings=emb).retriever.search("新建学校食堂多少所", k=3)
    assert any("学校食堂12所" in h.chunk.text for h in hits)  # the version in use answers, with its new text

    # A build killed midway leaves a collection no version names; the next build drops it, and the oldest one.
    orphan = f"{store.alias}__v_killed"
    schema, index = store.schema(512)
    store.client.create_collection(orphan, schema=schema, index_params=index)
    third = build_index(settings, embeddings=emb)
    assert third.changed == [SEEDS["xinzhou"]]
    v3 = load_index(settings.index_path, settings).manifest["store"]["collection"]
    assert sorted(store.client.list_collections()) == sorted([v2, v3])


def test_settings_and_environment_choose_the_backend(monkeypatch, tmp_path):
    monkeypatch.setenv("ASSISTANT_VECTOR_STORE", "milvus")
    monkeypatch.setenv("ASSISTANT_MILVUS_URI", "http://milvus.example:19530")
    s = Settings()
    assert s.vector_store == "milvus" and s.milvus_uri == "http://milvus.example:19530"
    assert MilvusStore.from_settings(s, tmp_path / "index").uri == "http://milvus.example:19530"
    local = Settings(vector_store="milvus", milvus_uri="")
    assert MilvusStore.from_settings(local, tmp_path / "index").uri == str(tmp_path / "index" / "milvus.db")


def test_an_unreachable_server_is_a_clear_message(tmp_path):
    settings = Settings(vector_store="milvus", milvus_uri="http://127.0.0.1:9", corpus_dir=copy_corpus(tmp_path / "c"),
                        index_dir=tmp_path / "index")
    with pytest.raises(StoreUnavailable, match="无法连接 Milvus"):
        build_index(settings)


def test_a_lite_file_another_process_holds_is_a_clear_message(tmp_path):
    import subprocess
    import sys

    db = tmp_path / "held.db"
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom pymilvus import MilvusClient\n"
                               f"MilvusClient({str(db)!r}); print('held', flush=True); time.sleep(120)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        settings = Settings(vector_store="milvus", milvus_uri=str(db), corpus_dir=copy_corpus(tmp_path / "c"),
                            index_dir=tmp_path / "index")
        with pytest.raises(StoreUnavailable, match="只允许一个进程"):
            build_index(settings)
    finally:
        holder.kill()


def test_the_web_app_answers_and_reindexes_on_milvus(tmp_path):
    from gradio_client import Client

    from .conftest import Server

    srv = Server(tmp_path, env={"ASSISTANT_VECTOR_STORE": "milvus"}).wait()
    try:
        client = Client(srv.url, verbose=False)
        answer, detail = client.predict("中方县2023年在编教师多少人？", "", "", "", "", "", api_name="/ask")
        assert "2243" in answer and detail["citations"][0]["region"] == "中方县"
        (srv.corpus / "test_county_2024.txt").write_text(
            "测试县2024年教育工作要点\n一、总体目标\n全县新建标准化操场17个，配备心理健康教师58名。\n", encoding="utf-8")
        status, _ = client.predict(api_name="/reindex")
        assert "新增 1" in status
        answer, detail = client.predict("全县新建标准化操场多少个？", "", "", "", "", "", api_name="/ask")
        assert "17" in answer and detail["citations"][0]["doc"] == "test_county_2024.txt"
    finally:
        srv.stop()
