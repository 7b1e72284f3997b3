"""Past wording made fit for a new year and place (no index needed)."""

from assistant.drafting.rewrite import Rewriter, given_figures, stale_figures
from assistant.drafting.schema import PLACEHOLDER_RE


def test_figures_become_labelled_placeholders():
    r = Rewriter("中方县", 2025)
    out = r.apply("完成12个新改扩建学校工程项目,增加学位1万个,学生体质健康达标优良率达到40%。", "黄石市", 2024)
    assert "12" not in out and "40%" not in out and "1万" not in out
    assert "【待填：新改扩建学校数】" in out and "【待填：增加学位数】" in out and "【待填：达标优良率】" in out
    assert stale_figures(out) == []


def test_years_move_with_the_document_and_old_targets_are_left_open():
    r = Rewriter("", 2025)
    assert r.apply("2024年全市教育工作的总体思路", "", 2024).startswith("2025年")
    assert "2024年" in r.apply("比2023年提高", "", 2024)  # the year before moves too
    assert "【待填：年份】" in r.apply("到2027年基本实现", "", 2024)
    assert "2019年" in r.apply("自2019年以来", "", 2024)  # history stays


def test_place_and_level_words_are_substituted():
    r = Rewriter("中方县", 2025)
    out = r.apply("黄石市委市政府对市教育局年度综合考核，全市各校", "黄石市", 2024)
    assert "黄石" not in out and "县委" in out and "县教育局" in out and "全县" in out
    out = r.apply("重点抓好黄石三中、沿湖路小学改造和各级各类学校建设", "黄石市", 2024)
    assert "黄石三中" not in out and "沿湖路小学" not in out and "各级各类学校" in out
    assert out.count("【待填：学校名称】") == 2


def test_given_figures_fill_their_placeholder():
    given = given_figures("为黄石市起草2025年教育工作要点，新增学位3000个")
    assert given == {"新增学位": "3000个"}
    out = Rewriter("黄石市", 2025, given).apply("增加学位1万个。", "黄石市", 2024)
    assert "3000个" in out and not PLACEHOLDER_RE.search(out)
    assert stale_figures(out, set(given.values())) == []


def test_stale_figures_are_found():
    assert stale_figures("1.扩大学位供给。增加学位1万个。\n2.推进高考。2025年全省第一") == ["1万个"]


def test_words_before_a_school_name_are_kept():
    out = Rewriter("中方县", 2025).apply("重点抓好黄石三中改造，支持湖北师范大学建设", "黄石市", 2024)
    assert out.startswith("重点抓好【待填：学校名称】改造")
    assert "支持【待填：学校名称】建设" in out
