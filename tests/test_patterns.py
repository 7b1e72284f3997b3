"""The shared patterns: years (not counts), Chinese numerals past 十九, figures, citation marks; and the table of
places, which must exist."""

import importlib.util

import pytest

from assistant.text import gazetteer
from assistant.text.patterns import (
    CITE_MARK_RE,
    CLAIMED_FIGURE_RE,
    MODEL_CITE_MARK_RE,
    YEAR_NIAN_RE,
    break_outside_figures,
    cn_number,
    cn_numeral,
    is_year,
    years_in,
)


@pytest.mark.parametrize("text, years", [
    ("中方县2023年在编教师多少人？", [2023]),
    ("二〇二四年教育工作要点", [2024]),
    ("株洲 2023 教师", [2023]),
    ("2024多少所学校", [2024]),
    ("新增学位2000个", []),
    ("建成2000余所学校", []),
    ("投入2000万元", []),
    ("增长1.2019%", []),
    ("编号20245", []),
    ("2023年和2024年", [2023, 2024]),
])
def test_years_are_years_not_counts(text, years):
    assert years_in(text) == years


def test_years_before_nian():
    assert years_in("2023年工作总结，2024工作计划", YEAR_NIAN_RE) == [2023]
    assert years_in("二〇二三年十二月", YEAR_NIAN_RE) == [2023]
    assert is_year("2024") and not is_year("2000个") and not is_year("3000")


@pytest.mark.parametrize("text, value", [("七", 7), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23),
                                         ("一百零五", 105), ("一百一十", 110), ("两", 2), ("一万二千", 12000),
                                         ("二〇二四", 2024), ("15", 15), ("哪", None), ("", None)])
def test_chinese_numerals(text, value):
    assert cn_number(text) == value


def test_numerals_written_as_headings_number_them():
    assert [cn_numeral(n) for n in (1, 9, 10, 11, 20, 23, 105, 110, 1010)] == \
        ["一", "九", "十", "十一", "二十", "二十三", "一百零五", "一百一十", "一千零一十"]
    assert all(cn_number(cn_numeral(n)) == n for n in range(1, 1200))


def test_question_counts_past_nineteen():
    from assistant.answering.question_form import classify

    form = classify("黄石教育工作分为哪二十三个行动？")
    assert form.kind == "list" and form.count == 23 and form.category == "行动"


def test_figures_and_marks():
    assert CLAIMED_FIGURE_RE.findall("在编教师2,243人，占比96.7%，投入1.5万元") == ["2,243", "96.7%", "1.5万"]
    assert CITE_MARK_RE.findall("甲[1]乙[12]") == ["1", "12"]
    assert [m.group(1) for m in MODEL_CITE_MARK_RE.finditer("甲 [1, 3]乙【2】")] == ["1, 3", "2"]
    import re

    soft = re.compile(break_outside_figures(",，"))
    assert [m.start() for m in soft.finditer("共1,200人，其中")] == [7]  # not the comma inside 1,200


def test_missing_place_table_is_an_error_not_an_empty_gazetteer(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "cpca" else real(name, *a))
    gazetteer.load_gazetteer.cache_clear()
    try:
        with pytest.raises(gazetteer.GazetteerMissing, match="cpca"):
            gazetteer.load_gazetteer()
    finally:
        monkeypatch.undo()
        gazetteer.load_gazetteer.cache_clear()
    assert gazetteer.load_gazetteer().by_name["株洲市"]
