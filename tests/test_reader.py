"""The reader on the real bundled index: paraphrases are answered from the sentence that means the same; a
sentence of another year or mode, or a place only mentioned in passing, does not answer."""

import re

import pytest

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("question, gold", [
    ("荆州近三年从外面新招引进来的中小学和幼儿园老师总共有多少人？", "5110"),
    ("怀化中方县那份2023年总结里，全县在编老师总共多少人？", "2243"),
    ("黄石今年围绕“双减”搞的那个专项行动年叫什么？", "教育减负攻坚年"),
    ("中方县被湖南评为高考组考优秀的考区，是哪一年的？", "2022年"),  # a bare year answers 哪一年
    ("株洲在推动设高校，准备拿哪所学院做底子升格成职业大学？", "湖南汽车工程职业学院"),  # 准备: a name is no plan figure
])
def test_paraphrases_are_answered(assistant, question, gold):
    answer = assistant.ask(question)
    assert not answer.refused, answer.answer
    assert gold in answer.answer
    assert any(gold in re.sub(r"\s", "", c.quote) for c in answer.citations)  # the quoted sentence holds it


@pytest.mark.parametrize("question", [
    "荆州2023年开了多少个订单班？",  # the report gives this year's figure only
    "荆州2024年普惠幼儿园的覆盖面最后实际做到了多少？",  # a forecast (预计), asked as a result
    "武汉2023年新增了多少个学位？",  # 武汉 is only mentioned in another city's document
    "中方县2024年计划招多少新老师？",  # 打造一支教师队伍 states no figure
])
def test_near_misses_are_declined(assistant, question):
    answer = assistant.ask(question)
    assert answer.refused, answer.answer
    assert answer.answer.startswith("资料中没有找到")


def test_answers_use_chinese_punctuation(assistant):
    answer = assistant.ask("荆州有多少所学校？")
    assert not answer.refused
    assert "," not in re.sub(r"\d,\d", "", answer.answer) and "，" in answer.answer


def test_comparison_states_both_sides_and_the_verdict(assistant):
    answer = assistant.ask("株洲2023年和中方县2023年给困难学生的资助资金，哪边发得多？")
    assert "1.43亿" in answer.answer and "1201.84万" in answer.answer
    assert answer.answer.endswith("株洲更多。")
