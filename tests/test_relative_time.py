"""今年/去年 against today, the latest year held when the corpus holds none of the year meant, and the year of a
cited figure: without the index, a few chunks and their metadata are all it needs."""

from assistant.answering.relative_time import (asked_mode, figure_time, held_years, latest_instead,
                                               resolve_relative_years, years_meant)
from assistant.ingest.schema import Chunk, DocMeta

REPORT = DocMeta(title="某市2024年政府工作报告", region="某市", years=[2024], genre="政府工作报告", filename="r.txt")
METAS = {"r.txt": REPORT}


def chunk(section):
    return Chunk(chunk_id=section[0], doc="r.txt", section=section, start=0, end=1, text="x", search_text="x")


HELD = held_years([chunk(["一、2023年工作回顾"]), chunk(["二、2024年工作安排"]), chunk(["三、政府自身建设"])], METAS)


def test_the_years_a_document_holds_by_mode():
    assert HELD.years(["r.txt"], "result") >= {2023} and 2024 in HELD.years(["r.txt"], "plan")
    # A review with no year in its heading is of the year before the report's.
    review = held_years([chunk(["一、过去一年工作回顾"])], METAS)
    assert review.years(["r.txt"], "result") == {2023}


def test_a_relative_year_not_held_falls_back_to_the_latest_held_in_the_mode_asked():
    q = resolve_relative_years("某市去年新增了多少学位？", 2026)
    assert q == "某市2025年新增了多少学位？" and asked_mode("某市去年新增了多少学位？") == "result"
    got = latest_instead(q, years_meant(["某市去年新增了多少学位？"], 2026), "result", HELD, ["r.txt"])
    assert got.text == "某市2023年新增了多少学位？" and got.latest == 2023 and got.meant == (2025,)
    plan = latest_instead("某市2026年计划新增多少学位？", {2026}, "plan", HELD, ["r.txt"])
    assert plan.latest == 2024 and "2024年" in plan.text


def test_a_year_given_as_a_number_or_held_is_never_moved():
    assert latest_instead("某市2025年新增了多少学位？", set(), "result", HELD, ["r.txt"]).latest is None
    assert latest_instead("某市2023年新增了多少学位？", {2023}, "result", HELD, ["r.txt"]).latest is None
    # Nothing held before the year meant (a plan for 2024 does not answer for 2022).
    assert latest_instead("某市2022年新增了多少学位？", {2022}, "", HELD, ["r.txt"]).latest is None


def test_the_year_a_cited_figure_is_for():
    assert figure_time("新增学位1.2万个。", ["一、2023年工作回顾"], REPORT) == ([2023], "result")
    assert figure_time("新增学位2万个。", ["二、2024年工作安排"], REPORT)[0] == [2024]
    assert figure_time("2022年新增学位1万个。", ["一、2023年工作回顾"], REPORT)[0] == [2022]
