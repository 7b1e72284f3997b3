"""The deterministic answer-type guards: a figure asked is never answered without one, names are never answered
by a count alone, a part is never answered by the whole."""

import pytest

from assistant.answering.answer_guards import count_alone, guard
from assistant.answering.evidence import TermWeights
from assistant.answering.question_form import classify

TERMS = TermWeights({"学位": 2.0, "初中": 3.0, "新增": 1.0, "学校": 1.5, "补贴": 3.0})


@pytest.mark.parametrize("question, window, why", [
    ("每人每月补贴多少钱？", "落实困难群众生活补贴政策，确保应发尽发", "element"),
    ("新增了多少个学位？", "新建学校8所", "measure"),
    ("新增的1.2万个学位里，初中学位有多少个？", "新增学位1.2万个，其中高中学位3000个", "part"),
    ("新建的是哪几所学校？", "新改扩建中小学27所", "names"),
    ("新增了多少个学位？", "新增学位1.2万个", ""),
    ("新建的是哪几所学校？", "建成市一中、市二中2所学校", ""),
    ("新增的初中学位有多少个？", "新增学位1.2万个，其中初中学位3000个", ""),
    # What is counted follows 几所: the place before it is not the measure.
    ("中方县有几所学校？", "全县共有学校34所", ""),
    ("中方县有几所学校？", "全县新增学位1.2万个", "measure"),
])
def test_guards(question, window, why):
    assert guard(question, window, classify(question), TERMS) == why


def test_a_count_with_named_items_is_not_a_count_alone():
    assert count_alone("新建学校8所")
    assert not count_alone("建成“智慧校园”示范校3所")
    assert not count_alone("推进《职业教育法》实施")
    assert not count_alone("加强师德师风建设")  # no count at all


@pytest.mark.parametrize("question, window", [
    ("去年新建改建的22所学校（幼儿园）里面，幼儿园单独是几所？", "新建、改建学校（幼儿园）22所"),
    ("去年新增的5500个公办学位里，小学学位占多少？", "市一中等26所学校完成改扩建，新增公办学位5500个"),
    ("去年新增的12570个学位里，幼儿园学位有多少？", "乐至第三幼儿园等10个项目建成投用，新增学位12570个"),
])
def test_a_part_is_never_answered_by_its_whole(question, window):
    terms = TermWeights({})
    assert guard(question, window, classify(question), terms) in ("part", "measure")


def test_the_place_before_what_is_counted_is_not_a_qualifier_of_it():
    # 荆州在校生: 荆州 says where, not which students; the sentence need not repeat it.
    assert guard("荆州在校生有多少？", "共有各级各类学校1312所，在校生81.74万人", classify("荆州在校生有多少？"),
                 TermWeights({"在校生": 3.0})) == ""
