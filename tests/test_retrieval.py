"""Hybrid retrieval on the real model and real FAISS over the bundled corpus."""

import pytest
from langchain_core.documents import Document

from assistant.text.normalize import normalize_for_match
from assistant.retrieval.filters import Filters

from .conftest import SEEDS

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("question,doc,answer", [
    ("中方县2023年在编教师多少人？", "zhongfang", "2243"),
    ("中方縣在編教師有多少？", "zhongfang", "2243"),  # asked in Traditional
    ("黄石明年要新增多少学位", "huangshi", "1万个"),
    ("株洲普惠性幼儿园在园幼儿占比", "zhuzhou", "91.57%"),
    ("忻州义务教育净入学率", "xinzhou", "99.9%"),
    ("荆州中小学教师机比达到多少", "jingzhou", "1.2:1"),
])
def test_paraphrased_questions_find_the_passage(retriever, question, doc, answer):
    hits = retriever.search(question, k=5)
    assert any(h.chunk.doc == SEEDS[doc] and normalize_for_match(answer) in normalize_for_match(h.chunk.text) for h in hits)
    assert hits[0].chunk.doc == SEEDS[doc]


def test_place_named_in_question_restricts_documents(retriever):
    hits = retriever.search("株洲 公办幼儿园在园幼儿占比", k=10)
    assert hits and {h.chunk.doc for h in hits} == {SEEDS["zhuzhou"]}
    both = retriever.search("株洲和荆州的公办幼儿园在园幼儿占比", k=10)
    assert {SEEDS["zhuzhou"], SEEDS["jingzhou"]} <= {h.chunk.doc for h in both}


def test_explicit_filters(retriever):
    hits = retriever.search("教师队伍建设", k=10, filters=Filters(region="忻州"))
    assert hits and {h.meta.region for h in hits} == {"忻州市"}
    hits = retriever.search("教师队伍建设", k=10, filters=Filters(year=2023))
    assert hits and all(2023 in h.meta.years for h in hits)
    hits = retriever.search("教师队伍建设", k=10, filters=Filters(genre="工作要点"))
    assert hits and {h.chunk.doc for h in hits} == {SEEDS["huangshi"]}
    assert retriever.search("教师", filters=Filters(region="不存在的地方")) == []


def test_hits_carry_section_and_exact_span(retriever, bundled_index):
    settings, data = bundled_index
    original = (settings.corpus_path / SEEDS["zhongfang"]).read_text(encoding="utf-8")
    hit = retriever.search("中方县在编教师多少人", k=1)[0]
    assert original[hit.chunk.start:hit.chunk.end] == hit.chunk.text
    assert hit.chunk.section == ["一、基本情況"]


def test_is_a_langchain_retriever(retriever):
    docs = retriever.invoke("株洲资助家庭经济困难学生多少人次")
    assert docs and isinstance(docs[0], Document)
    assert docs[0].metadata["doc"] == SEEDS["zhuzhou"] and "18.21万" in docs[0].page_content


def test_empty_and_huge_questions(retriever):
    assert retriever.search("   ") == []
    hits = retriever.search("教联体" * 30000, k=3)  # 90,000 characters: no crash, still relevant
    assert hits and any("教联体" in h.chunk.text for h in hits)


def test_the_part_of_a_document_for_the_year_and_mode_asked_ranks_first(retriever):
    """A summary-and-plan document: a question about next year's plans finds the plan part, one about this
    year's results the review part."""
    plans = retriever.search("中方县2024年打算在教育上重点抓哪些工作？", k=3)
    assert plans and plans[0].chunk.doc.startswith("004")
    assert all("2024" in h.chunk.section[0] for h in plans if h.chunk.doc.startswith("004"))
    review = retriever.search("中方县2023年在教育上做成了哪些事？", k=3)
    assert review and review[0].chunk.doc.startswith("004")
    assert all("2023" in h.chunk.section[0] for h in review if h.chunk.doc.startswith("004"))
