"""When a statement holds and in which mode, for questions and sentences; the comparison verdict; punctuation."""

from assistant.retrieval.frames import frame_conflict, question_frame, sentence_frame
from assistant.answering.phrasing import chinese_punctuation, verdict
from assistant.ingest.schema import DocMeta

REPORT = DocMeta(title="深圳市2024年政府工作报告", region="深圳市", years=[2023, 2024], genre="政府工作报告")
PLAN = DocMeta(title="黄石市2024年教育工作要点", region="黄石市", years=[2024], genre="工作要点")


def test_question_years_separate_the_document_from_the_measure():
    f = question_frame("哈尔滨2024年那份政府工作报告里讲，去年全市城镇新找到工作的有多少人？")
    assert f.document_years == (2024,) and f.years == (2023,) and f.mode == "result"
    assert question_frame("深圳2024年准备新增多少个学位？") == question_frame("深圳2024年准备新增多少个学位？")
    assert question_frame("深圳2024年准备新增多少个学位？").mode == "plan"
    assert question_frame("广西那个美育三年计划里讲了什么？").mode == ""  # a plan named, not asked for
    assert question_frame("二〇二三年新增了多少个学位？").years == (2023,)


def test_sentence_frames_come_from_words_heading_and_document():
    review = ["一、2023年工作回顾"]
    assert sentence_frame("新增基础教育学位20.7万个。", review, REPORT).years == {2023}
    assert sentence_frame("新增基础教育学位20.7万个。", review, REPORT).mode == "result"
    assert sentence_frame("新增基础教育学位17万个。", ["二、2024年工作安排"], REPORT).mode == "plan"
    # Inside a review only a forecast turns a sentence into a plan; 年计划的118.8% is still a result.
    assert sentence_frame("城镇新增就业9.86万人，为年计划的118.8%。", review, REPORT).mode == "result"
    assert sentence_frame("普惠性幼儿园覆盖率预计达到90%以上。", review, REPORT).mode == "plan"
    assert sentence_frame("今年开设订单班40个。", [], PLAN).years == {2024}
    assert sentence_frame("近视检出率较上年度下降0.5%。", [], PLAN).years == {2024}  # 上年度 is a baseline


def test_conflicts():
    result_2023 = sentence_frame("新增学位20.7万个。", ["一、2023年工作回顾"], REPORT)
    plan_2024 = sentence_frame("新增学位17万个。", ["二、2024年工作安排"], REPORT)
    asked_actual_2024 = question_frame("深圳2024年全年实际新增了多少个学位？")
    assert frame_conflict(asked_actual_2024, result_2023) == "year"
    assert frame_conflict(asked_actual_2024, plan_2024) == "mode"
    assert frame_conflict(question_frame("深圳新增了多少学位？"), plan_2024) == "mode"  # 了: done, not planned
    assert frame_conflict(question_frame("深圳新增多少学位？"), plan_2024) == ""


def test_verdict_and_punctuation():
    sides = [("株洲", "发放资助资金1.43亿元"), ("中方", "发放贫困学生资助资金1201.84万元")]
    assert verdict("株洲和中方县给困难学生的资助资金，哪边发得多？", sides, ("元",)) == "株洲更多"
    assert verdict("株洲和中方县分别发了多少资助资金？", sides, ("元",)) == ""
    assert verdict("哪个更少？", sides) == "中方更少"
    assert chinese_punctuation("共有学校1,312所,在校生81.74万人;比例3:1") == "共有学校1,312所，在校生81.74万人；比例3:1"


def test_heading_frames_read_traditional_and_damaged_headings():
    from assistant.retrieval.frames import heading_frame

    summary = DocMeta(title="中方縣教育局2023年工作總結及2024年工作計劃", years=[2023, 2024], genre="工作总结及计划")
    assert heading_frame(["二、2023年工作回顧(gù)"], summary) == heading_frame(["二、2023年工作回顾"], summary)
    assert heading_frame(["二、2023年工作回顧"], summary).mode == "result"
    assert heading_frame(["三、2024年工作計劃"], summary).mode == "plan"
    assert heading_frame([], summary).years == {2023, 2024}


def test_units_count_alike_and_colloquial_words_read_as_written():
    from assistant.answering.question_form import classify, question_units
    from assistant.retrieval.query import normalise_question

    assert "个" in question_units("建成的星级养老院有多少家？")  # 162个 answers 多少家
    assert "名" in question_units("正高级教师评上几个？")  # 个 accepts any count
    assert ":" in question_units("学生终端要配到什么比例？")  # 8:1 answers a share
    assert question_units("发了多少钱？") == ("元",)
    assert classify("株洲名师去的是哪几所大学？").kind == "list"
    assert normalise_question("济南那个托育品牌叫啥名字？") == "济南那个托育品牌叫什么名字?"
