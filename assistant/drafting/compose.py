"""Drafting a new plan or summary from past wording, every paragraph traceable to the sentences it reuses.

The structure is the corpus's own: a plan opens with its overall approach (总体思路/指导思想), states its
goals, then groups tasks under 一、二、三、 with numbered items that lead with a short phrase
(1.抓实思想政治建设。…), and ends with safeguards where the corpus has them; a summary reviews work done,
names problems, then plans. Which items and what wording come from retrieval over plan- and
summary-genre documents on the instruction's topic.
"""

from __future__ import annotations

import re

from ..retrieval.hits import Hit
from ..retrieval.hybrid import HybridRetriever
from ..text.normalize import to_simplified
from ..text.patterns import HEADING_NUMERALS, cn_numeral
from ..text.segment import synonyms, tokenize
from ..text.structure import heading_level
from .instruction import drop_years
from .rewrite import Rewriter
from .schema import Draft, DraftRequest, Paragraph
from .sources import (
    ITEM_RE,
    PLAN_GENRES,
    SUMMARY_GENRES,
    CorpusSources,
    is_heading,
    not_plan,
    not_review,
    topic_weight,
)
from .state import DraftState

GUIDE_RE = re.compile(r"总体思路|指导思想|总体要求|工作思路|总体目标是|基本思路")
GOAL_RE = re.compile(r"主要目标|工作目标|目标是|力争|确保|达到|不低于|不少于|覆盖率|为零|全覆盖|提升到|下降")
SAFEGUARD_RE = re.compile(r"保障措施|组织保障|组织领导|督导|督查|考核|问责|责任落实|压实.{0,4}责任|经费保障|宣传引导|工作保障")
PROBLEM_RE = re.compile(r"问题|不足|短板|差距|薄弱|瓶颈|困难")


def compose(retriever: HybridRetriever, req: DraftRequest) -> Draft:
    corpus = CorpusSources(retriever)
    # Topic words that say something: 教育 or 学校 occur everywhere and would match any item.
    idf = retriever.idf or {}
    topic_words = {w for w in tokenize(req.topic) if len(w) >= 2 and idf.get(w, 9.0) >= 1.5}
    topic_words = sorted(topic_words | {s for w in topic_words for s in synonyms().get(w, ())})
    state = DraftState(request=req, corpus=corpus, rewriter=Rewriter(place=req.place, year=req.year, given=req.given),
                       topic_words=topic_words, query=req.topic or "重点工作 主要任务")
    title = draft_title(req)
    state.add("title", title)
    if req.genre == "工作总结":
        write_summary(state)
    else:
        write_plan(state)
    draft = Draft(request=req, title=title, paragraphs=state.paragraphs, citations=state.citations)
    if len([p for p in state.paragraphs if p.kind == "item"]) < 2:
        draft.warnings.append("文档库中与该主题相关的往年计划、总结较少，草稿内容有限，请补充。")
    return draft


def draft_title(req: DraftRequest) -> str:
    topic = req.topic or "教育"
    # 双减 + 实施方案 → 双减工作实施方案; 工作要点/计划/总结 already say 工作.
    genre = req.genre if req.genre.startswith("工作") or topic.endswith("工作") else f"工作{req.genre}"
    return f"{req.place or ''}{req.year}年{topic}{genre}".replace("教育教育", "教育")


def write_plan(state: DraftState) -> None:
    req, corpus, topic_words = state.request, state.corpus, state.topic_words
    docs = corpus.docs(PLAN_GENRES)
    hits = corpus.hits(state.query, docs)
    # Overall approach: the corpus's own 总体思路/指导思想 sentence, best from a plan of the same kind.
    guide = corpus.find(docs, GUIDE_RE, topic_words, 1)
    if guide and not req.outline:
        text, marks = state.reuse(guide, 1)
        state.add("lead", text, 0, marks)
    # Goals: target sentences on the topic.
    goals = [s for s in corpus.sentences(hits) if GOAL_RE.search(s.sentence.clean) and re.search(r"\d", s.sentence.clean)
             and (not topic_words or topic_weight(s.sentence.clean, topic_words))]
    if not req.outline:
        if goals:
            text, marks = state.reuse(goals, 2)
            state.add("lead", f"主要目标：{text}", 0, marks)
        else:
            state.add("lead", "主要目标：【待填：主要目标】")
    # Tasks, grouped under the level-1 headings their items had in the source plans.
    items = corpus.items(hits, 8 if not req.outline else 10, req.place, section_filter=not_review,
                         topic_words=topic_words)
    groups = _group_items(items)
    n_section, n_item = 0, 0
    for group, members in groups[:4]:
        src_doc = members[0][1][0].chunk.doc
        heading = state.rewriter.apply(group, corpus.region(src_doc), corpus.src_year(src_doc))
        state.add("heading", f"{cn_numeral(n_section + 1)}、{heading}", 1)
        n_section += 1
        for path, item_hits in members:
            n_item += 1
            state.paragraphs.append(write_item(state, n_item, path, item_hits, 3))
    if not groups:
        state.add("heading", f"{cn_numeral(n_section + 1)}、重点任务", 1)
        state.add("item", "1.【待填：重点任务】", 2)
        n_section += 1
    # Safeguards, where the corpus has such wording.
    guard = corpus.find(docs + corpus.docs(SUMMARY_GENRES), SAFEGUARD_RE, topic_words, 3)
    state.add("heading", f"{cn_numeral(n_section + 1)}、保障措施", 1)
    if guard and not req.outline:
        text, marks = state.reuse(guard, 3)
        state.add("text", text, 0, marks)
    else:
        state.add("text", "【待填：组织领导、经费保障、督导考核等保障措施】")


def _group_items(items: list[tuple[list[str], list[Hit]]]) -> list[tuple[str, list]]:
    """Items grouped by the level-1 heading they had in their source plan (years and numbering taken out)."""
    groups: list[tuple[str, list]] = []
    for path, item_hits in items:
        group = next((to_simplified(x) for x in path[:-1] if heading_level(to_simplified(x)) == 1), "")
        group = re.sub(rf"^[{HEADING_NUMERALS}]+、\s*", "", group)
        group = drop_years(group)
        if not group or re.search(r"计划|打算|要点|任务", group):
            group = "重点任务"
        for g in groups:
            if g[0] == group:
                g[1].append((path, item_hits))
                break
        else:
            groups.append((group, [(path, item_hits)]))
    return groups


def write_summary(state: DraftState) -> None:
    req, corpus, topic_words = state.request, state.corpus, state.topic_words
    hits = corpus.hits(state.query, corpus.docs(SUMMARY_GENRES))
    state.add("heading", "一、主要工作及成效", 1)
    review = corpus.items(hits, 6, req.place, section_filter=not_plan, topic_words=topic_words)
    for i, (path, item_hits) in enumerate(review, 1):
        state.paragraphs.append(write_item(state, i, path, item_hits, 3))
    if not review:
        state.add("item", "1.【待填：主要工作及成效】", 2)
    state.add("heading", "二、存在的问题", 1)
    problems = [s for s in corpus.sentences(hits) if PROBLEM_RE.search(s.sentence.clean) and len(s.sentence.clean) > 12]
    if problems and not req.outline:
        text, marks = state.reuse(problems, 2)
        state.add("text", text, 0, marks)
    else:
        state.add("text", "【待填：存在的问题】")
    state.add("heading", "三、下一步工作打算", 1)
    plan_hits = corpus.hits(state.query, corpus.docs(PLAN_GENRES))
    plans = corpus.items(plan_hits, 4, req.place, section_filter=not_review, topic_words=topic_words)
    for i, (path, item_hits) in enumerate(plans, 1):
        state.paragraphs.append(write_item(state, i, path, item_hits, 2))
    if not plans:
        state.add("item", "1.【待填：下一步工作打算】", 2)


def write_item(state: DraftState, n: int, path: list[str], item_hits: list[Hit], body_limit: int) -> Paragraph:
    """1.抓实思想政治建设。<reused sentences> — the lead phrase and the body, each with its source."""
    req, corpus = state.request, state.corpus
    doc = item_hits[0].chunk.doc
    lead = ITEM_RE.match(to_simplified(path[-1])).group(2).strip().rstrip("。")
    lead = re.sub(r"\s+", "", state.rewriter.apply(lead, corpus.region(doc), corpus.src_year(doc)))
    body_src = [s for s in corpus.sentences(item_hits) if not is_heading(s, path[-1])]
    if state.topic_words:
        body_src.sort(key=lambda s: -topic_weight(s.sentence.clean, state.topic_words))
    text, marks = ("", []) if req.outline else state.reuse(body_src, body_limit)
    heading_src = corpus.heading_source(item_hits, path[-1])
    head = state.cite_one(heading_src) if heading_src is not None else 0
    shown = f"[{head}]" if head and (req.outline or not text) else ""
    return Paragraph("item", f"{n}.{lead}。{shown}{text}", 2, ([head] if head else []) + marks)
