"""What a follow-up refers to in the previous answer: its figure and the items it named."""

from assistant.answering.answer_refs import answer_figure, answer_items, resolve_ordinal

NAMED = "依托山东大学（威海）、哈尔滨工业大学（威海）培养技能人才[1]。"


def test_items_of_the_previous_answer():
    assert answer_items(NAMED) == ["山东大学（威海）", "哈尔滨工业大学（威海）"]
    assert answer_items("2024年的计划：建成杭高临平学校、杭二中富春学校、学军中学桐庐学校，新建中小学70所[1]。") == [
        "杭高临平学校", "杭二中富春学校", "学军中学桐庐学校"]
    assert answer_items("新增学位1.2万个[1]。") == []


def test_ordinals_name_the_item_and_the_figure_is_read_after_the_year_note():
    assert resolve_ordinal("其中第一所今年要往什么方向建？", NAMED) == "山东大学（威海）今年要往什么方向建？"
    assert resolve_ordinal("后者呢？", NAMED) == "哈尔滨工业大学（威海）呢？"
    assert resolve_ordinal("第三所呢？", NAMED) == "第三所呢？"  # no third item: left as asked
    assert answer_figure("2023年的数据：新增托位6870个（其中普惠托位5505个）[1]。来源：…") == "6870个"
