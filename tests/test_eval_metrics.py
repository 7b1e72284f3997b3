"""The answer metrics do not flatter: a comparison needs both sides and its verdict, a list scores the share of
its items, and a citation counts only when the quoted sentence itself holds the answer."""

from assistant.evaluation.answers import answer_score, citation_correct
from assistant.evaluation.questions import Question


def q(type_, answers, docs=("a.txt",), **extra):
    return Question(id="x", question="?", answers=list(answers), docs=list(docs), type=type_, extra=extra)


def cite(quote, doc="a.txt", context=""):
    return {"doc": doc, "quote": quote, "context": context or quote}


def test_comparison_needs_both_sides_and_the_verdict():
    c = q("comparison", ["18所", "2所"], verdict="株洲")
    assert answer_score(c, "株洲：改造18所；中方县：建成2所。株洲更多。") == 1.0
    assert answer_score(c, "株洲：改造18所。株洲更多。") == 0.0  # one side only
    assert answer_score(c, "株洲：改造18所；中方县：建成2所。") == 0.0  # no verdict stated
    assert answer_score(c, "株洲：改造18所；中方县：建成2所。中方县更多。") == 0.0  # the wrong verdict
    assert answer_score(q("comparison", ["18所", "2所"]), "株洲：18所；中方县：2所。") == 1.0  # none asked


def test_list_scores_the_share_of_items_and_figures_any_form():
    assert answer_score(q("list", ["甲校", "乙校", "丙校", "丁校"]), "甲校、乙校。") == 0.5
    assert answer_score(q("figure", ["2243人", "2243"]), "在编教师2243名。") == 1.0
    assert answer_score(q("figure", []), "任何回答") == 0.0


def test_citation_counts_only_when_the_quote_holds_the_answer():
    fig = q("figure", ["2243"])
    assert citation_correct(fig, "2243人", [cite("在编教师2243人。")])
    # The passage around the quote holds the figure, the quoted sentence does not: not a correct citation.
    assert not citation_correct(fig, "2243人", [cite("全县共有学校82所。", context="全县共有学校82所。在编教师2243人。")])
    assert not citation_correct(fig, "2243人", [cite("在编教师2243人。", doc="other.txt")])
    both = q("comparison", ["18所", "2所"], docs=("a.txt", "b.txt"))
    assert citation_correct(both, "18所；2所", [cite("改造18所。"), cite("建成2所。", doc="b.txt")])
    assert not citation_correct(both, "18所；2所", [cite("改造18所。")])


def test_wrong_answers_shown_count_wrong_answers_and_answered_near_misses_over_all_questions():
    from assistant.evaluation.answers import summarise

    def row(type_, answerable, refused, score):
        return {"id": "x", "question": "?", "type": type_, "answerable": answerable, "hit_rank": 1 if answerable else None,
                "latency_ms": 1.0, "answer": "" if refused else "答", "refused": refused, "answer_score": score,
                "citation_correct": score >= 1.0, "answer_latency_ms": 1.0}

    rows = [row("figure", True, False, 1.0),  # right
            row("figure", True, False, 0.0),  # wrong, shown
            row("list", True, False, 0.5),  # half a list, shown: wrong
            row("figure", True, True, 0.0),  # refused: a false refusal, not a wrong answer shown
            row("unanswerable", False, False, 0.0),  # a near miss answered: shown
            row("unanswerable", False, True, 0.0),  # refused, as it should be
            row("near_miss", False, True, 0.0)]  # a set's own name for its unanswerable questions
    s = summarise(rows)
    assert s["wrong_answers_shown"] == round(3 / 7, 4)
    assert s["by_type"]["unanswerable"]["wrong_answers_shown"] == 0.5
    # a type with no answerable question is reported by its refusals, whatever the set calls it
    assert s["by_type"]["near_miss"]["answerable"] == 0 and s["by_type"]["near_miss"]["refusal_rate"] == 1.0
    assert s["false_refusal_rate"] == 0.25


def test_a_verdict_needs_figures_in_one_unit():
    from assistant.answering.phrasing import NOT_COMPARABLE, verdict

    sides = [("株洲", "新增学位1.2万个"), ("中方", "投入资金3亿元")]
    assert verdict("株洲和中方哪个多？", sides) == NOT_COMPARABLE
    assert verdict("株洲和中方哪个多？", [("株洲", "新增学位1.2万个"), ("中方", "新增学位8000个")]) == "株洲更多"
    assert verdict("株洲和中方哪个多？", [("株洲", "新增学位1.2万个"), ("中方", "推进学位建设")]) == NOT_COMPARABLE


def test_the_evaluation_page_offers_question_sets_only(tmp_path):
    from assistant.evaluation.questions import is_question_set

    (tmp_path / "q.jsonl").write_text('{"id": "1", "question": "多少？", "answers": []}\n', encoding="utf-8")
    (tmp_path / "d.jsonl").write_text('{"id": "d1", "instruction": "起草", "expected_topics": []}\n', encoding="utf-8")
    (tmp_path / "t.jsonl").write_text('{"id": "t", "turns": []}\n', encoding="utf-8")
    (tmp_path / "bad.jsonl").write_text("not json\n", encoding="utf-8")
    assert [p.name for p in sorted(tmp_path.iterdir()) if is_question_set(p)] == ["q.jsonl"]


def test_named_parts_count_only_as_the_top_headings_in_their_order():
    from assistant.evaluation.drafts import DraftTask, parts_honoured

    task = DraftTask(id="x", instruction="…包括工作目标、主要任务、保障措施三部分", parts=["工作目标", "主要任务", "保障措施"])
    assert parts_honoured(task, ["一、工作目标", "二、主要任务", "1.小标题", "三、保障措施"])
    assert not parts_honoured(task, ["一、主要任务", "二、工作目标", "三、保障措施"])  # order
    assert not parts_honoured(task, ["一、工作目标", "二、主要任务"])  # one missing
    assert parts_honoured(DraftTask(id="y", instruction="…"), ["一、总体要求"]) is None
