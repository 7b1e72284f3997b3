"""The extractive engine on real questions over the real index: answers, citations, refusals."""

import pytest

from assistant.answering.assistant import Assistant
from assistant.answering.validation import BadQuestion
from assistant.text.normalize import normalize_for_match

from .conftest import SEEDS, original_text

pytestmark = pytest.mark.slow


def check_citations(answer):
    """Every citation quotes the original document exactly at its offsets, and every mark has one."""
    assert answer.citations
    for c in answer.citations:
        assert original_text(c.doc)[c.start : c.end] == c.quote
        assert f"[{c.n}]" in answer.answer
        assert c.title and c.context


@pytest.mark.parametrize("question, gold, doc", [
    ("中方县2023年在编教师多少人？", "2243", "zhongfang"),
    ("黄石支持哪所大学创建国家师范教育基地？", "湖北师范大学", "huangshi"),
    ("紫荆学校计划什么时候投入使用？", "2024年9月", "zhongfang"),
    ("忻州学前教育毛入园率达到多少？", "96.7%", "xinzhou"),
    ("荆州共有各级各类学校多少所？", "1312所", "jingzhou"),
])
def test_answers_are_short_correct_and_cited(assistant, question, gold, doc):
    answer = assistant.ask(question)
    assert not answer.refused, answer.answer
    assert normalize_for_match(gold) in normalize_for_match(answer.answer)
    assert len(answer.answer) <= 160
    check_citations(answer)
    assert answer.citations[0].doc == SEEDS[doc]


def test_traditional_source_is_quoted_in_its_own_script(assistant):
    answer = assistant.ask("中方县2023年在编教师多少人？")
    quote = answer.citations[0].quote
    assert "編" in quote or "師" in quote  # the original is Traditional
    assert "编" in answer.answer  # the answer is written in Simplified


def test_list_question_gathers_the_documents_headings(assistant):
    answer = assistant.ask("黄石2024年教育工作的重点分为哪六个行动？")
    for item in ["党建引领", "教育教学提质", "核心素养提档", "教师素质提升", "教育资源扩优", "教育生态优化"]:
        assert item in answer.answer
    check_citations(answer)
    assert len(answer.citations) == 6


def test_comparison_is_answered_from_both_sides(assistant):
    answer = assistant.ask("荆州和黄石的教联体建设各有多少个？")
    assert "荆州：" in answer.answer and "黄石：" in answer.answer
    docs = {c.doc for c in answer.citations}
    assert docs == {SEEDS["jingzhou"], SEEDS["huangshi"]}
    check_citations(answer)


@pytest.mark.parametrize("question", [
    "长沙市2024年新建了多少所学校？",  # no document about the place
    "北京市海淀区有多少所小学？",
    "中方县教师平均工资是多少元？",  # the topic is not in the corpus
    "株洲市教育局局长是谁？",
    "中方县2019年高考本科上线率是多少？",  # no document covers the year
])
def test_unanswerable_questions_are_refused_plainly(assistant, question):
    answer = assistant.ask(question)
    assert answer.refused
    assert answer.answer.startswith("资料中没有找到关于")
    assert not answer.citations


def test_a_county_short_name_that_is_an_ordinary_word_is_not_a_place(assistant):
    # 新建 is also 南昌市新建区: the question is about building, in 荆州.
    answer = assistant.ask("荆州新建改扩建公办幼儿园新增了多少学位？")
    assert not answer.refused
    assert answer.citations[0].doc == SEEDS["jingzhou"]


@pytest.mark.parametrize("question, message", [("", "不能为空"), ("   ", "不能为空"), ("问" * 100_000, "太长")])
def test_bad_questions_get_a_clear_message(assistant, question, message):
    with pytest.raises(BadQuestion, match=message):
        assistant.ask(question)


def test_follow_ups_carry_place_year_and_topic(assistant):
    first = "中方县有几所幼儿园，其中公办多少？"
    a1 = assistant.ask(first)
    history = [(first, a1.answer)]
    a2 = assistant.ask("株洲呢？", history)
    assert "株洲" in a2.standalone_question and "幼儿园" in a2.standalone_question
    history2 = [("黄石2024年计划新增多少个学位？", "增加学位1万个[1]。")]
    a3 = assistant.ask("那近视检出率的目标呢？", history2)
    assert a3.standalone_question.startswith("黄石2024年")
    assert "0.5%" in a3.answer
    # Gradio-style message history works the same.
    messages = [{"role": "user", "content": first}, {"role": "assistant", "content": a1.answer}]
    assert assistant.ask("株洲呢？", messages).standalone_question == a2.standalone_question


def test_relative_years_count_from_today_and_fall_back_to_the_latest_year_held(assistant):
    """今年/去年 are the staff member's (counted from settings.today); when the corpus holds nothing for that year
    the latest year it holds answers, and the answer says so."""
    dated = Assistant(assistant.settings.model_copy(update={"today": "2026-12-07"}), assistant.index_path)
    a = dated.ask("株洲去年新增了多少学位？")
    assert not a.refused and a.answer.startswith("资料中最新的是2023年的数据：")
    assert "株洲2023年" in a.standalone_question
    plan = dated.ask("黄石今年要创建多少个市级示范性教联体？")
    assert not plan.refused and plan.answer.startswith("资料中最新的是2024年的计划：") and "10个" in plan.answer
    # A year given as a number is never moved to another.
    assert dated.ask("株洲2025年新增了多少学位？").refused
    # Held in the corpus: the year meant is kept and named.
    same = Assistant(assistant.settings.model_copy(update={"today": "2024-03-01"}), assistant.index_path)
    b = same.ask("株洲去年新增了多少学位？")
    assert not b.refused and b.answer.startswith("2023年的数据：") and "资料中最新" not in b.answer
    # No year asked: the answer names the year of its figure.
    c = dated.ask("中方县有几所幼儿园？")
    assert not c.refused and c.answer.startswith("2023年")
    # A relative year in a follow-up replaces only the year.
    assert "2025年" in dated.standalone("那去年呢？", [("黄石2026年计划新增多少个学位？", "x")])


def test_filters_restrict_the_evidence(assistant):
    from assistant.retrieval.filters import Filters

    answer = assistant.ask("在编教师多少人？", filters=Filters(region="中方县"))
    assert "2243" in answer.answer
    refused = assistant.ask("在编教师多少人？", filters=Filters(region="荆州"))
    assert refused.refused or all(c.doc == SEEDS["jingzhou"] for c in refused.citations)
