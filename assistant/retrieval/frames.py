"""When a statement holds and whether it reports a result or sets a plan, for questions and for sentences.

A work report for 2024 reviews 2023 (results) and then sets 2024's tasks (plans); a summary reports its year;
a 要点 or plan sets its year's targets. A question asks for a measure of some year, as a result (实际、已经、
去年……了多少) or as a plan (打算、目标、准备). A sentence that speaks of another year, or in the other mode,
does not answer it, however well its words match: 2024年新增学位17万个 (a plan) does not say how many places
were added in 2024, and 近三年 figures do not say what happened in 2022.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..ingest.schema import DocMeta
from ..text.normalize import clean_fragment
from ..text.patterns import YEAR_NIAN_RE, YEAR_RE, year_value

# A year naming the document, not the measure: 2024年那份政府工作报告, 2022年国务院政府工作报告, （2024年南京政府报告）.
DOC_YEAR_RE = re.compile(r"((?:19|20)\d{2})年?(?:的)?(?:那份|这份|那篇|这篇)?[\u4e00-\u9fff]{0,6}?"
                         r"(?:政府工作报告|政府报告|工作报告|报告|工作总结|总结|工作要点|要点|纪实|综述)")
RELATIVE_YEARS = {"前年": -2, "去年": -1, "上年": -1, "今年": 0, "明年": 1}
# Plan words in a question. 计划 and 要 only count before a verb: 美育三年计划 names a document, not a plan.
PLAN_QUESTION_RE = re.compile(r"打算|准备|目标|定了多少|力争|预计|将要|争取|拟|"
                              r"(?:计划|要)(?=[要在新建完实投开招引让达改补增扩培演办举])")
RESULT_QUESTION_RE = re.compile(r"实际|已经|已有|完成|做到|最后|现在|目前|[了过](?:多少|几)|累计|去年|前年")
# A sentence that sets a plan or forecasts, and (inside a results section) only forecasts.
PLAN_SENTENCE_RE = re.compile(r"预计|力争|争取|确保|目标|计划(?=[新建完实投开招引让达改补增])|拟|将(?!近)|"
                              r"到(?:19|20)\d{2}年|今年|全年|要(?:把|在|以|让|做|确保)")
FORECAST_RE = re.compile(r"预计|力争|争取|到(?:19|20)\d{2}年|(?:今年|年内|明年)计划")
# 基本情况、概况 describe how things stand: what exists, not what is planned.
RESULT_HEADING_RE = re.compile(r"回顾|成效|成绩|过去|取得|亮点|基本情况|概况|现状")
DONE_WORK_HEADING_RE = re.compile(r"主要工作")  # a result unless the heading also sets targets (2024年目标任务和主要工作)
PLAN_HEADING_RE = re.compile(r"安排|任务|目标|思路|计划|要点|打算|重点工作|主要措施|部署|政策取向|总体要求")
PLAN_GENRES = ("工作要点", "工作计划", "实施方案")
RESULT_GENRES = ("工作总结", "新闻报道")


@dataclass(frozen=True)
class QuestionFrame:
    years: tuple[int, ...] = ()  # the years the measure is asked for
    document_years: tuple[int, ...] = ()  # years that only name a document
    mode: str = ""  # "plan", "result" or "" (either)


@dataclass(frozen=True)
class SentenceFrame:
    years: frozenset[int] = field(default_factory=frozenset)  # empty: no year can be told
    mode: str = ""


def question_frame(text: str) -> QuestionFrame:
    doc_spans = [m.span(1) for m in DOC_YEAR_RE.finditer(text)]
    document_years = tuple(int(text[a:b]) for a, b in doc_spans)
    years = [year_value(m) for m in YEAR_RE.finditer(text) if not any(a <= m.start() < b for a, b in doc_spans)]
    if document_years:
        # 去年 in "2024年的报告里，去年…" is the year before the report's.
        years += [document_years[0] + d for word, d in RELATIVE_YEARS.items() if word in text]
    plan, result = PLAN_QUESTION_RE.search(text), RESULT_QUESTION_RE.search(text)
    # Both read (我写材料要引一下……现在是多少): the question does not settle the mode.
    mode = "plan" if plan and not result else "result" if result and not plan else ""
    return QuestionFrame(years=tuple(sorted(set(years))), document_years=document_years, mode=mode)


def heading_frame(section: list[str], meta: DocMeta) -> SentenceFrame:
    """The years and mode a passage's top heading gives it (2023年工作回顾 → 2023, result), else its document's."""
    head = clean_fragment(section[0]) if section else ""  # 二、2023年工作回顧(gù) reads as 2023年工作回顾
    if RESULT_HEADING_RE.search(head):
        mode = "result"
    elif PLAN_HEADING_RE.search(head):
        mode = "plan"
    elif DONE_WORK_HEADING_RE.search(head):
        mode = "result"
    elif meta.genre in PLAN_GENRES:
        mode = "plan"
    elif meta.genre in RESULT_GENRES:
        mode = "result"
    else:
        mode = ""
    years = {year_value(m) for m in YEAR_NIAN_RE.finditer(head)} or set(meta.years)
    return SentenceFrame(years=frozenset(years), mode=mode)


def sentence_frame(clean: str, section: list[str], meta: DocMeta) -> SentenceFrame:
    """The years and mode of a sentence: from its own words first, then its top heading, then its document."""
    outer = heading_frame(section, meta)
    mode = outer.mode
    # Inside a review a sentence turns into a plan only by forecasting (预计、力争); elsewhere by any plan word.
    if (FORECAST_RE if mode == "result" else PLAN_SENTENCE_RE).search(clean):
        mode = "plan"
    years = {year_value(m) for m in YEAR_NIAN_RE.finditer(clean)}
    if meta.years:
        # 今年 in a document is its own (latest) year: 今年开设订单班40个 in a 2024 report. 去年 and 上年 are left
        # alone: in 比去年增长, 较上年度下降 they are a baseline, not when the statement holds.
        if "今年" in clean:
            # …without overriding the heading's: 去年…部署的政策，也为今年发展奠定了基础 in a review of last year.
            if not years and section and YEAR_NIAN_RE.search(clean_fragment(section[0])):
                years |= set(outer.years)
            years.add(max(meta.years))
    # The heading's years, else the years the document covers, when the sentence names none.
    return SentenceFrame(years=frozenset(years or outer.years), mode=mode)


def frame_conflict(question: QuestionFrame, sentence: SentenceFrame) -> str:
    """Why the sentence cannot answer the question as asked ("year", "mode"), or "" when it can."""
    if question.years and sentence.years and not set(question.years) & sentence.years:
        return "year"
    if question.mode and sentence.mode and question.mode != sentence.mode:
        return "mode"
    return ""
