"""Drafting a new plan, summary or outline from past wording, every paragraph traceable to the sentences it reuses.

The structure is the corpus's own: a plan states its overall requirements (总体思路 and goals), its tasks as
numbered items that lead with a short phrase (1.抓实思想政治建设。…) and its safeguards; a summary reviews work
done, names problems, then plans; an outline has one part per facet with its points. The items are the facets of
the topic across the whole corpus (`facets`), in the number, length and section the instruction asks for.
"""

from __future__ import annotations

import re

from ..text.patterns import cn_numeral
from .facets import bigrams, gather, overlap
from .kinds import fits
from .schema import PLACEHOLDER_RE, DraftRequest
from .sources import PLAN_GENRES, SUMMARY_GENRES, topic_weight
from .state import DraftState

GUIDE_RE = re.compile(r"总体思路|指导思想|总体要求|工作思路|总体目标是|基本思路")
GOAL_RE = re.compile(r"主要目标|工作目标|目标是|力争|确保|达到|不低于|不少于|覆盖率|为零|全覆盖|提升到|下降")
SAFEGUARD_RE = re.compile(r"保障措施|组织保障|组织领导|督导|督查|考核|问责|责任落实|压实.{0,4}责任|经费保障|宣传引导|工作保障")
PROBLEM_RE = re.compile(r"问题|不足|短板|差距|薄弱|瓶颈|困难")
# Work done about problems is not a problem: 发现问题…立行立改, 解决群众急难愁盼问题, 有效防范了…等问题.
HANDLED_RE = re.compile(r"发现.{0,6}问题|解决.{0,8}问题|问题.{0,4}整改|整改|立行立改|排查|化解|破解|补齐|补短板|攻坚|"
                        r"防范|避免|杜绝|减轻|有效|查找|查摆|梳理|找准|聚焦|针对")
# What a statement of a problem says: that something is still short (仍然存在, 还不够, 相对薄弱).
SHORT_RE = re.compile(r"存在|仍|依然|还不|还有|尚|不够|不足|不强|不高|不优|短板|薄弱|差距|瓶颈|滞后|紧缺|压力|矛盾|亟需|亟待")


def states_problem(text: str, section: str = "") -> bool:
    """A statement of what is still short; one under a heading on problems (存在的问题) counts by its place."""
    if len(text) <= 12 or HANDLED_RE.search(text):
        return False
    return bool(PROBLEM_RE.search(section)) or bool(PROBLEM_RE.search(text) and SHORT_RE.search(text))


PER_ITEM = 3  # sentences an item reuses: past plans' items run to about 200 characters (median of the corpus's)
ITEM_CHARS = 200  # about what one item (a lead and its sentences) adds to a draft, for a length asked
REPEAT = 0.5  # share of character pairs above which an item repeats one above it
ONE_SENTENCE_RE = re.compile(r"每条(?:用)?一句话|一句话说明")
FIGURE_EACH_RE = re.compile(r"每(?:条|项|点)(?:都|均)?(?:要)?(?:带|附|含|有|列|配)(?:上)?(?:一个|一组|具体)?(?:数据|数字|指标)")


def wanted_items(req: DraftRequest, default: int) -> int:
    """How many items to write: the count asked (its upper end), else what a length asked holds, else `default`."""
    if req.count:
        return req.count[1]
    if req.length:
        return 12  # the length decides when to stop
    return default


def write_facets(state: DraftState, wanted: str, n: int, reserve: int = 0, per_item: int | None = None) -> int:
    """Items 1..n, one per facet of the topic the corpus treats, each with the sentence(s) it reuses.
    Returns how many were written; when the corpus has fewer facets than asked, the draft says so."""
    req = state.request
    facets = gather(state.corpus, state.query, state.topic_words, wanted, state.rewriter.allowed, state.home)
    per_item = per_item or (1 if ONE_SENTENCE_RE.search(req.instruction) else PER_ITEM)
    figure_each = bool(FIGURE_EACH_RE.search(req.instruction))
    leads: set[str] = set()
    written = 0
    queue = list(facets)
    written_grams: list[set[str]] = []
    while queue and written < n:
        if req.length and not req.count and state.body_chars() + ITEM_CHARS // 2 > req.length - reserve:
            break  # 约800字: what is said already, and what the later sections will add, is enough
        facet = queue.pop(0)
        fresh = [st for st in facet.statements if (st.source.sentence.doc, st.source.sentence.start) not in state.used]
        if not fresh:
            continue
        spare = len(queue) > n - written  # enough facets left for the items still to come
        if spare and any(overlap(bigrams(fresh[0].text), said) >= REPEAT for said in written_grams):
            continue  # says again what an item above says (周边环境综合治理 twice)
        if figure_each and spare and not re.search(r"\d", fresh[0].text):
            continue  # 每条带一个数据: an item opens with a statement that has a figure to fill in
        lead = facet.lead if facet.lead and facet.lead not in leads and per_item > 1 else ""
        if per_item > 1:
            # The item's other sentences say what the first does not: the nearest of the next facets, while
            # enough are left for the items still to come.
            fresh = fresh[:1]
            while len(fresh) < per_item and len(queue) > n - written:
                near = max(queue[:5], key=lambda f: overlap(bigrams(fresh[0].text), bigrams(f.statements[0].text)))
                queue.remove(near)
                fresh.append(near.statements[0])
                lead = lead or (near.lead if near.lead not in leads else "")
            if not lead:
                # The house style leads each item with a short phrase: a statement that opens with one goes
                # first (an item with none is still written: what it says counts for more than its form).
                fresh.sort(key=lambda st: not lead_and_rest(st.text)[0])
        leads.add(lead)
        parts, marks = [], []
        for k, st in enumerate(fresh[:per_item]):
            said = st.text
            if k == 0 and not lead and per_item > 1:
                # The house style leads with a short phrase (1.压实安全责任。…): the sentence's first clause.
                opening, rest = lead_and_rest(st.text)
                if opening:
                    lead, said = opening, rest
            text, n_marks = state.reuse_text(said, st.source)
            if text:
                parts.append(text)
                marks += n_marks
        if not parts:
            continue
        written += 1
        written_grams += [bigrams(st.text) for st in fresh[:per_item]]
        doc = fresh[0].source.sentence.doc
        lead = state.rewriter.apply(lead, state.corpus.region(doc), state.corpus.src_year(doc)) if lead else ""
        head = f"{lead}。" if lead else ""
        state.add("item", f"{written}.{head}{''.join(parts)}", 2, marks)
    if req.count and written < req.count[0]:
        state.warnings.append(f"文档库中只找到 {written} 条与该主题相关的做法，少于要求的 {req.count[0]} 条；"
                              "没有用无关内容凑数，请补充。")
    return written


NOT_A_LEAD_RE = re.compile(r"^(?:如|例如|其中|同时|此外|另外|目前|近年来|今年|去年|《|“|\d)|提出$|指出$|表示$")


def lead_and_rest(text: str) -> tuple[str, str]:
    """A sentence's first clause as an item's lead phrase and the rest as its body, when the clause is short and
    says what is done (not 如…, 《意见》提出)."""
    m = re.match(r"^([^，,；;。：:]{6,24})[，,；;]\s*(.{8,})$", text)
    if not m or NOT_A_LEAD_RE.search(m.group(1)):
        return "", text
    return m.group(1), m.group(2)


def write_plan(state: DraftState) -> None:
    req, corpus, topic_words = state.request, state.corpus, state.topic_words
    docs = corpus.docs(PLAN_GENRES)
    hits = corpus.hits(state.query, docs)
    n_section = 0
    whole = not req.section and not req.count  # a section or a counted list asked: the items alone
    if whole:
        state.add("heading", f"{cn_numeral(n_section + 1)}、总体要求", 1)
        n_section += 1
        # Overall approach: the corpus's own 总体思路/指导思想 sentence, best from a plan of the same kind.
        guide = corpus.find(docs, GUIDE_RE, topic_words, 1)
        if guide:
            text, marks = state.reuse(guide, 1)
            state.add("lead", text, 0, marks)
        goals = [s for s in corpus.sentences(hits) if GOAL_RE.search(s.sentence.clean)
                 and re.search(r"\d", s.sentence.clean) and topic_words and topic_weight(s.sentence.clean, topic_words)]
        text, marks = state.reuse(goals, 2) if goals else ("", [])
        state.add("lead", f"主要目标：{text or '【待填：主要目标】'}", 0, marks)
    state.add("heading", f"{cn_numeral(n_section + 1)}、{req.section or '主要任务'}", 1)
    n_section += 1
    if not write_facets(state, "measure", wanted_items(req, 8), reserve=150 if whole else 0):
        state.add("item", "1.【待填：主要任务】", 2)
    if whole:
        guard = corpus.find(docs + corpus.docs(SUMMARY_GENRES), SAFEGUARD_RE, topic_words, 6)
        guard = [g for g in guard if fits(g.sentence.clean, "measure")]
        state.add("heading", f"{cn_numeral(n_section + 1)}、保障措施", 1)
        text, marks = state.reuse(guard, 3) if guard else ("", [])
        state.add("text", text or "【待填：组织领导、经费保障、督导考核等保障措施】", 0, marks)


def write_outline(state: DraftState) -> None:
    """提纲: one part per facet (一、lead), each with two or three points, the lead phrases of the statements and
    facets that follow it."""
    req = state.request
    wanted = "result" if req.genre == "工作总结" else "measure"
    pool = iter(gather(state.corpus, state.query, state.topic_words, wanted, state.rewriter.allowed, state.home))
    parts = req.count[1] if req.count else 5
    written = 0
    heads: set[str] = set()
    for facet in pool:
        if written >= parts:
            break
        # Each part has its own heading: a lead used already gives way to the statement's own first clause.
        lead = facet.lead if facet.lead not in heads else ""
        head = _phrase(state, lead, facet.statements[0])
        if not head or head[0] in heads:
            continue
        heads.add(lead)
        heads.add(head[0])
        written += 1
        state.add("heading", f"{cn_numeral(written)}、{head[0]}", 1, head[1])
        # A heading that is the item's lead leaves its statement to say as the first point; one that is the
        # statement's own first clause is followed by the others.
        points = facet.statements[:1] if lead else facet.statements[1:3]
        while len(points) < 2:
            nxt = next(pool, None)
            if nxt is None:
                break
            points.append(nxt.statements[0])
        for k, st in enumerate(points, 1):
            said = _phrase(state, "", st, clauses=3)
            if said:
                state.add("item", f"{k}.{said[0]}", 2, said[1])
    if req.count and written < req.count[0]:
        state.warnings.append(f"文档库中只找到 {written} 个与该主题相关的方面，少于要求的 {req.count[0]} 个，请补充。")


def _phrase(state: DraftState, lead: str, st, clauses: int = 1) -> tuple[str, list[int]] | None:
    """A short phrase for an outline: the item's lead, else the statement's first clause (or two), rewritten and
    cited."""
    phrase = lead or "，".join(re.split(r"[，,；;。：:]", st.text.rstrip("。"))[:clauses])
    text, marks = state.reuse_text(phrase, st.source)
    if len(re.findall(r"[\u4e00-\u9fff]", PLACEHOLDER_RE.sub("", text))) < 4:
        return None  # 【待填：月数】月 is no heading
    return text.replace("。[", "["), marks


def write_summary(state: DraftState) -> None:
    req, corpus = state.request, state.corpus
    hits = corpus.hits(state.query, corpus.docs(SUMMARY_GENRES))
    only_results = "成效" in req.section or "成绩" in req.section
    state.add("heading", f"一、{req.section or '主要工作及成效'}", 1)
    only = only_results or bool(req.count)
    if not write_facets(state, "result", wanted_items(req, 6), reserve=0 if only else 250):
        state.add("item", "1.【待填：主要工作及成效】", 2)
    if only:
        return
    state.add("heading", "二、存在的问题", 1)
    problems = [s for s in corpus.sentences(hits) if states_problem(s.sentence.clean, " ".join(s.hit.chunk.section))]
    text, marks = state.reuse(problems, 2) if problems else ("", [])
    state.add("text", text or "【待填：存在的问题】", 0, marks)
    state.add("heading", "三、下一步工作打算", 1)
    if not write_facets(state, "measure", 3):
        state.add("item", "1.【待填：下一步工作打算】", 2)
