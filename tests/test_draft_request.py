"""What a drafting instruction asks for (count, length, section, topic), what kind of statement a sentence is, and
which places a draft may not carry over — the parts drafting and its evaluation share."""

import pytest

from assistant.drafting.instruction import requested_shape
from assistant.drafting.kinds import as_measure, fits, reports_work, statement_kind
from assistant.drafting.places import foreign, local_names, own_places
from assistant.drafting.rewrite import Rewriter, stale_figures


@pytest.mark.parametrize("instruction, shape", [
    ("参照往年表述，为中方县起草2025年校园安全工作计划要点（6至8条，每条一句话说明措施）", ((6, 8), None, "")),
    ("为忻州市教育局起草2025年“双减”工作计划，约800字。", (None, 800, "")),
    ("为荆州市教育局起草2026年教育工作要点中“促进学生全面发展”部分，写6条。", ((6, 6), None, "促进学生全面发展")),
    ("为株洲市教育局起草2025年“双减”工作总结，写5条主要成效。", ((5, 5), None, "主要成效")),
    ("为湘潭市教育局拟一份2026年专题调研提纲，分四个部分。", ((4, 4), None, "")),
    ("拟一份教育工作总结的提纲，列6个一级标题，每个标题下列2至3个要点。", ((6, 6), None, "")),
])
def test_the_shape_asked_is_read(instruction, shape):
    assert requested_shape(instruction) == shape


def test_statements_are_measures_or_results():
    assert statement_kind("全面落实校园安全小组长制度，压实安全责任。") == "measure"
    assert statement_kind("2023年，全县共开展安全检查120次，排查隐患56处。") == "result"
    assert statement_kind("开展了防溺水、防性侵等安全主题教育，工作成效明显。") == "result"
    assert statement_kind("新增学位3000个。") == ""  # a target in a plan, a result in a summary
    assert fits("新增学位3000个。", "measure") and not fits("成功创建省级平安校园示范校3所。", "measure")


def test_a_review_sentence_is_recast_as_the_measures_it_reports():
    assert as_measure("深化校外培训机构治理,全市共取缔无证黑机构500所,95所培训机构全部注销,实现了资金监管全覆盖。") \
        == "深化校外培训机构治理，取缔无证黑机构。"
    assert as_measure("一年来,组织1200多名教师进行全员大家访活动") == "组织教师进行全员大家访活动。"
    assert as_measure("举办首届家长节系列活动") == "举办家长节系列活动。"
    assert as_measure("“双减”实施两周年成效明显。") == ""  # no deed in it, nothing to recast
    # A review's account of how the work was done may stand in a summary; what is still to come may not.
    assert reports_work("推动家校医协同，建立心理健康问题学生发现与应急处置机制。", "result")
    assert not reports_work("将推动家校医协同。", "result") and not reports_work("推动家校医协同。", "plan")


def test_local_names_no_gazetteer_holds_are_found():
    def found(text):
        return [text[n.start:n.end] for n in local_names(text)]
    assert found("充分利用中兴中学、云谷学校寄宿条件") == ["中兴中学", "云谷学校"]
    assert found("引导农村中学生向泸阳、铜湾、新路河等乡镇集中就读") == ["泸阳、铜湾、新路河"]
    # Kinds of school and of place are no names.
    assert found("加强寄宿制学校、薄弱学校和乡村小规模学校建设，支持普惠性幼儿园") == []
    assert found("统筹城区、乡镇等片区学校布局") == []
    assert found("全面贯彻党的十九届二中全会精神") == []
    out = Rewriter("溆浦县", 2025).apply("逐步实现农村学生向泸阳、铜湾等乡镇集中，办好中兴中学。", "中方县", 2024)
    assert "泸阳" not in out and "中兴" not in out and "【待填：乡镇名称】" in out and "【待填：学校名称】" in out


def test_other_places_are_foreign_the_target_and_those_above_it_are_not():
    allowed = own_places("中方县")
    assert [m.place.name for m in foreign("为我县加快打造武汉都市圈重要增长极", allowed)] == ["武汉市"]
    assert foreign("中方县教育局报怀化市、湖南省备案", allowed) == []
    assert foreign("推进新建学校建设", allowed) == []  # a county's short form alone is an ordinary word
    assert [m.place.name for m in foreign("学习株洲经验", own_places("中方县", ["株洲市"]))] == []


def test_rewriting_leaves_no_other_place_and_no_figure_in_words():
    out = Rewriter("中方县", 2025).apply("为我县加快打造武汉都市圈重要增长极，新建三所学校。", "黄石市", 2024)
    assert "武汉" not in out and "【待填：都市圈名称】" in out
    assert "三所" not in out and "【待填：" in out
    assert stale_figures("新建三所学校，培训十二个班") == ["三所", "十二个"]
    assert stale_figures("坚持“两个维护”，建设一批学校，第三季度完成") == []


def test_draft_scores_read_the_body_only():
    from assistant.drafting.schema import Draft, DraftRequest, Paragraph
    from assistant.evaluation.drafts import DraftTask, score_draft

    req = DraftRequest(instruction="为中方县起草2025年校园安全工作计划，写2至3条", place="中方县", year=2025, count=(2, 3))
    draft = Draft(request=req, title="中方县2025年校园安全工作计划", citations=[], paragraphs=[
        Paragraph("heading", "一、防溺水", 1),
        Paragraph("item", "1.落实安全小组长制度。为我县打造武汉都市圈增长极。", 2),
        Paragraph("item", "2.【待填：心理健康】", 2)])
    task = DraftTask(id="t", instruction=req.instruction, expected_topics=["校园安全", "防溺水", "安全小组长", "心理健康"],
                     count=(2, 3), place="中方县", genre="工作计划")
    row = score_draft(task, draft)
    assert row["topic_coverage"] == 0.25  # only 安全小组长: not the title, the heading or a placeholder
    assert row["leaks"] == ["武汉"] and row["count_honoured"] is True
    assert score_draft(DraftTask(id="t", instruction="", count=(5, 7), place="中方县"), draft)["count_honoured"] is False


def test_a_figure_in_a_quoted_slogan_is_a_name_not_a_figure():
    out = Rewriter("中方县", 2025).apply("提高“三防”和“四个100%”校园安防水平，新增学位3000个。", "中方县", 2024)
    assert "“四个100%”" in out and "3000" not in out
    assert stale_figures("推行“1+N”模式") == []


def test_the_old_places_one_character_name_goes_too():
    out = Rewriter("中方县", 2025).apply("新增大学生留汉就业创业，驻汉单位。", "武汉市", 2024)
    assert "汉" not in out and out.count("【待填：地名简称】") == 2
    assert Rewriter("荆州市", 2025).apply("在中小学开展关爱。", "中方县", 2024) == "在中小学开展关爱。"


@pytest.mark.parametrize("instruction, title", [
    ("襄垣县教育局向县委汇报2025年大中小学思政课一体化建设情况，出个汇报提纲，分4个部分。",
     "襄垣县2025年大中小学思政课一体化建设汇报提纲"),
    ("为黄石市教育局拟2026年平安校园建设推进会讲话提纲，分5个部分。", "黄石市2026年平安校园建设推进会讲话提纲"),
    ("为中方县教育局拟一份2025年教育工作总结的提纲，列6个一级标题，每个标题下列2至3个要点。", "中方县2025年教育工作总结提纲"),
])
def test_an_outline_is_titled_for_the_paper_it_serves(instruction, title):
    from assistant.drafting.planner import draft_title
    from assistant.drafting.instruction import parse_instruction

    assert draft_title(parse_instruction(instruction, {})) == title


@pytest.mark.parametrize("instruction, parts", [
    ("为某县起草2026年学前教育实施方案，包括工作目标、主要任务、保障措施三部分",
     [("工作目标", "goals", ""), ("主要任务", "measures", ""), ("保障措施", "safeguards", "")]),
    ("写2025年安全工作总结，分主要做法、工作成效、存在问题及下步打算三块来写。",
     [("主要做法", "results", ""), ("工作成效", "results", ""), ("存在问题及下步打算", "problems", "plans")]),
    ("给局长准备讲话提纲，讲清楚取得成绩、存在问题和重点任务。",
     [("取得成绩", "results", ""), ("存在问题", "problems", ""), ("重点任务", "measures", "")]),
    ("讲讲我们2025年防溺水的做法和成效", []),  # a phrase about the work, not parts
    ("局长讲话，讲三个方面，每个方面列几条要点", []),  # a count of parts names none
])
def test_the_parts_an_instruction_names_are_read_in_order(instruction, parts):
    from assistant.drafting.skeletons import named_parts

    assert [(p.title, p.fill, p.then) for p in named_parts(instruction)] == parts


def test_papers_of_their_own_genre_have_their_own_skeleton():
    from assistant.drafting.instruction import parse_instruction

    from assistant.drafting.planner import planned
    from assistant.drafting.skeletons import SKELETONS, skeleton

    req = parse_instruction("为某县拟一份2025年控辍保学工作汇报提纲", {})
    assert req.genre == "汇报提纲" and planned(req)
    assert [p.title for p in skeleton(req.genre, [])] == ["基本情况", "主要做法与成效", "存在问题", "下一步打算", "意见建议"]
    req = parse_instruction("为中方县写一份2025年控辍保学经验交流材料，1200字左右", {})
    assert req.genre == "经验交流材料" and req.topic == "控辍保学" and req.length == 1200 and planned(req)
    assert SKELETONS["工作总结"][1].fill == "problems"
    # An outline counted by its parts, or one section asked, keeps the corpus's own structure.
    assert not planned(parse_instruction("为某市拟2026年平安校园建设推进会讲话提纲，分5个部分。", {}))
    assert not planned(parse_instruction("为某市起草2025年教师队伍建设工作总结，只写“主要做法”部分", {}))
