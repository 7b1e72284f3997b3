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
