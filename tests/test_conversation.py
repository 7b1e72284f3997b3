"""Follow-up rewriting without the index: metadata of two documents is all it needs."""

from assistant.answering.conversation import condense, resolve_relative_years, turns_from_history
from assistant.ingest.schema import DocMeta

METAS = {
    "a.txt": DocMeta(title="中方县教育工作总结", region="中方县", years=[2023, 2024], filename="a.txt"),
    "b.txt": DocMeta(title="株洲教育七个关键词", region="株洲市", years=[2023], filename="b.txt"),
}


def test_standalone_questions_pass_through():
    assert condense("中方县2023年在编教师多少人？", ["株洲有多少所学校？"], METAS) == "中方县2023年在编教师多少人?"


def test_place_swap():
    out = condense("株洲呢？", ["中方县2023年在编教师多少人？"], METAS)
    assert out == "株洲2023年在编教师多少人?"  # questions are NFKC-normalised


def test_year_swap_keeps_place_and_topic():
    out = condense("那2024年的目标呢？", ["中方县2023年在编教师多少人？"], METAS)
    assert out.startswith("中方县2024年") and "教师" in out and "目标" in out


def test_pronoun_takes_the_previous_topic():
    out = condense("它们分别是哪几所？", ["中方县有几所幼儿园？"], METAS)
    assert out.startswith("中方县") and "幼儿园" in out and "哪几所" in out


def test_relative_years():
    assert resolve_relative_years("去年和今年", 2024) == "2023年和2024年"
    assert resolve_relative_years("比上年下降", 2024) == "比上年下降"  # a document's own comparison
    assert resolve_relative_years("今年", None) == "今年"
    assert resolve_relative_years("比去年增长3%", 2026) == "比去年增长3%"  # a baseline, not when it holds


def test_follow_up_with_a_relative_year_replaces_only_the_year():
    out = condense("那去年呢？", ["株洲2026年计划新增多少学位？"], METAS, this_year=2026)
    assert out == "株洲2025年计划新增多少学位?"


def test_history_formats():
    pairs = turns_from_history([("问一", "答一"), ("问二", "答二")])
    msgs = turns_from_history([{"role": "user", "content": "问一"}, {"role": "assistant", "content": "答一"},
                               {"role": "user", "content": "问二"}])
    assert [t.question for t in pairs] == ["问一", "问二"] and pairs[0].answer == "答一"
    assert [t.question for t in msgs] == ["问一", "问二"] and msgs[0].answer == "答一"


def test_same_year_and_the_whole_of_the_previous_answer():
    # 同年 is the year of the turn before.
    assert condense("株洲同年呢？", ["中方县2023年在编教师多少人？"], METAS, 2026).startswith("株洲2023年")
    # 其中… asks a part of the whole the previous answer gave: the rewrite names that whole.
    out = condense("其中初中有几所？", ["中方县2024年计划整合多少所学校？"], METAS, 2026,
                   previous_answer="2024年的计划：整合33所小规模学校、教学点和初中[1]。")
    assert "33所中" in out and out.endswith("初中有几所?") and out.startswith("中方县2024年")


def test_a_comparison_tail_is_not_carried_into_the_next_topic():
    out = condense("那株洲2024年的目标呢？", ["中方县2023年在编教师多少人？比株洲多还是少？"], METAS, 2026)
    assert out.startswith("株洲2024年") and "还是" not in out and "教师" in out


def test_another_question_on_the_same_subject_keeps_the_subject():
    out = condense("那2023年实际增长了多少？", ["中方县2024年GDP增长目标定的是多少？"], METAS, 2026)
    assert out == "中方县2023年GDP实际增长了多少?"


def test_a_follow_up_counting_nothing_counts_what_the_previous_question_counted():
    out = condense("建成投用的有几所？", ["中方县2023年有多少所学校完成了改扩建？"], METAS, 2026)
    assert out == "中方县2023年建成投用的学校有几所?"
    out = condense("点名的是哪几所？", ["中方县2024年计划新建扩建几所中小学？"], METAS, 2026)
    assert "中小学是哪几所" in out
    # a verb of its own: what it acts on is not guessed (整合33所小规模学校 is not 中小学校)
    assert "中小学校" not in condense("2024年计划整合多少所？", ["中方县2023年整合了多少所中小学校？"], METAS, 2026)


def test_a_kind_of_school_asks_the_previous_question_of_it():
    assert condense("中小学呢？", ["中方县2024年新增了多少学位？"], METAS, 2026) == "中方县2024年中小学新增了多少学位?"
    assert condense("幼儿园呢？", ["中方县2023年新建了多少所学校？"], METAS, 2026) == "中方县2023年新建了多少所幼儿园?"
    out = condense("公办幼儿园呢？", ["中方县2024年普惠性幼儿园覆盖率要保持在多少？"], METAS, 2026)
    assert out == "中方县2024年公办幼儿园覆盖率要保持在多少?"
    # a measure of its own is not a kind of school: asked as itself
    assert "在校生" not in condense("教职工呢？", ["中方县在校生有多少？"], METAS, 2026)


def test_a_model_rewrite_is_used_only_when_it_keeps_every_slot():
    from assistant.answering.conversation import slots_kept

    rules = condense("那去年呢？", ["中方县2024年新增了多少学位？"], METAS, 2026)
    assert rules == "中方县2025年新增了多少学位?"
    assert slots_kept("中方县去年新增了多少个学位？", rules, METAS, 2026)
    assert not slots_kept("中方县2025年新增了多少？", rules, METAS, 2026)  # what is asked is lost
    assert not slots_kept("株洲2025年新增了多少学位？", rules, METAS, 2026)  # the place is lost
    assert not slots_kept("中方县新增了多少学位？", rules, METAS, 2026)  # the year is lost


def test_a_place_inside_an_ordinary_word_is_not_a_place_and_one_aspect_replaces_another():
    # 高中方面 holds 中方, the bundled county's short name; it must not be read as that county
    from assistant.retrieval.query import analyse

    assert analyse("高中方面新增多少学位", METAS).places == []
    assert [p.name for p in analyse("中方2024年新增多少学位", METAS).places] == ["中方县"]
    out = condense("县域高中方面呢？", ["中方县2024年义务教育方面有什么计划？"], METAS, 2026)
    assert out == "中方县2024年县域高中方面有什么计划?"
    assert condense("高中阶段呢？", ["中方县2024年义务教育阶段新增多少学位？"], METAS, 2026) == "中方县2024年高中阶段新增多少学位?"
