"""Reading a question before any search: its places (written together, or a city sharing its short name with a
county), what answers it (a day, a year, a figure), and a comparison asked of each side."""

import pytest

from assistant.answering.phrasing import verdict
from assistant.answering.question_form import classify
from assistant.answering.scope import decided_before_search, unmatched_place
from assistant.answering.sides import side_question
from assistant.ingest.schema import Chunk, DocMeta
from assistant.retrieval.frames import sentence_frame
from assistant.retrieval.hits import Hit
from assistant.retrieval.query import analyse
from assistant.text.gazetteer import load_gazetteer
from assistant.text.patterns import HAS_FIGURE_RE


def place(name):
    return load_gazetteer().by_name[name][0]


def test_a_city_is_read_before_the_county_of_the_same_short_name():
    assert analyse("湘潭2023年给学生发了多少资助款？", {}).unmatched_places == ["湘潭市"]


def test_places_written_together_are_both_read():
    info = analyse("山西大同现在幼儿的毛入园率多少？", {})
    assert {"山西省", "大同市"} <= {p.name for p in info.places}


def test_a_lone_yi_before_a_measure_word_is_no_figure():
    assert not HAS_FIGURE_RE.search("打造一支综合素质高的教师队伍")
    assert not HAS_FIGURE_RE.search("构建一个中心")
    assert HAS_FIGURE_RE.search("新建一所学校") and HAS_FIGURE_RE.search("建成两支队伍") and HAS_FIGURE_RE.search("十二个")


def test_when_questions_say_whether_a_year_or_a_day_answers():
    year = classify("中方县被评为高考优秀考区，是哪一年的？")
    assert year.kind == "when" and year.year_asked and not year.day_asked
    day = classify("2022年那次国务院政府报告是在几月几号作的？")
    assert day.kind == "when" and day.day_asked
    assert "几月" not in day.terms and "几号" not in day.terms


@pytest.mark.parametrize("question, places, expected", [
    ("吉林市和承德比，2023年城镇新增的就业人数谁更多？", ("吉林市", "承德市"),
     ("吉林市2023年城镇新增的就业人数是多少？", "承德，2023年城镇新增的就业人数是多少？")),
    ("济南和凉山的农村低保标准，按两边2024年的报告，谁家更高？", ("济南市", "凉山彝族自治州"),
     ("济南的农村低保标准，2024年的报告，是多少？", "凉山的农村低保标准，2024年的报告，是多少？")),
    ("新增的幼儿园学位，荆州那篇报道和中方县那份总结各说了多少？哪个多？", ("荆州市", "中方县"),
     ("新增的幼儿园学位，荆州那篇报道各说了多少？？", "新增的幼儿园学位，中方县那份总结各说了多少？？")),
])
def test_a_comparison_is_asked_of_each_side(question, places, expected):
    sides = [place(n) for n in places]
    got = tuple(side_question(question, p, [o for o in sides if o is not p]) for p in sides)
    assert got == expected


def test_the_verdict_compares_the_figures_of_the_measure_asked():
    sides = [("杭州", "新增托位6870个，新建成中小学98所、新增学位8.4万个"), ("厦门", "建成项目53个，新增学位6.3万个")]
    assert verdict("杭州和厦门去年新增的学位，哪个城市多一些？", sides, (), ("新增", "学位")) == "杭州更多"
    # A compound term is matched by its parts: 新增学位 picks 增加学位1.76万个, not 新建学校22所.
    two = [("宜昌", "新增学位1.42万个"), ("咸宁", "新建、改建学校（幼儿园）22所，增加学位1.76万个")]
    assert verdict("去年新增学位，宜昌和咸宁哪个多？", two, (), ("新增学位", "宜昌", "咸宁")) == "咸宁更多"


def test_this_year_in_a_review_keeps_the_review_year():
    report = DocMeta(title="国务院2025年政府工作报告", years=[2024, 2025], genre="政府工作报告")
    frame = sentence_frame("9月26日部署的增量政策推动经济回升，也为今年发展奠定了基础。", ["一、2024年工作回顾"], report)
    assert frame.years == {2024, 2025}
    assert sentence_frame("今年开设订单班40个。", [], report).years == {2025}


def test_a_short_name_is_a_place_only_as_a_word_of_its_own():
    from assistant.text.gazetteer import standalone_mentions

    assert standalone_mentions("两地相比如何") == []  # not 比如县
    assert standalone_mentions("推进学前教育和县域义务教育发展") == []  # not 和县
    assert {p.name for p, _, _ in standalone_mentions("山西大同的毛入园率")} >= {"山西省", "大同市"}


def test_a_place_the_found_passages_mention_is_part_of_the_topic_not_an_unknown_place():
    metas = {"jc.txt": DocMeta(title="晋城市政府工作报告", region="晋城市", places=["晋城市", "山西省"], years=[2023, 2024])}
    asked = analyse("晋城去年组织校长去江苏南通取经，一共去了多少位校长？", metas)
    assert asked.unmatched_places == ["江苏省", "南通市"] and asked.place_docs == {"jc.txt"}
    assert not decided_before_search(asked)  # a covered place is named: the passages decide

    def hit(text: str) -> Hit:
        return Hit(Chunk("c", "jc.txt", [], 0, len(text), text, text), metas["jc.txt"], 1.0)

    assert unmatched_place(asked, [hit("组织46名校长赴江苏南通对标学习，培训教师2.1万人次。")]) == ""
    assert unmatched_place(asked, [hit("培训教师2.1万人次。")]) == "江苏省、南通市"  # nothing found speaks of it
    assert unmatched_place(asked) == "江苏省、南通市"  # before any passage is read
    alone = analyse("南通去年组织了多少名校长外出学习？", metas)
    assert decided_before_search(alone) and unmatched_place(alone, [hit("赴江苏南通对标学习")]) == "南通市"


def test_a_place_inside_a_named_covered_place_is_what_is_asked_about_even_when_mentioned():
    metas = {"zf.txt": DocMeta(title="中方县教育局工作总结", region="中方县", places=["中方县", "怀化市"], years=[2023])}
    asked = analyse("怀化鹤城区2023年有多少在编教师？", metas)
    assert asked.unmatched_places == ["鹤城区"] and asked.place_docs == {"zf.txt"}  # 怀化 covers 中方县
    passage = Hit(Chunk("c", "zf.txt", [], 0, 20, "与鹤城区学校结对帮扶", "与鹤城区学校结对帮扶"), metas["zf.txt"], 1.0)
    assert unmatched_place(asked, [passage]) == "鹤城区"
