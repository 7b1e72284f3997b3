"""Drafting a new plan or summary from past wording, every paragraph traceable to the sentences it reuses.

The structure is the corpus's own: a plan opens with its overall approach (总体思路/指导思想), states its
goals, then groups tasks under 一、二、三、 with numbered items that lead with a short phrase
(1.抓实思想政治建设。…), and ends with safeguards where the corpus has them; a summary reviews work done,
names problems, then plans. Which items and what wording come from retrieval over plan- and
summary-genre documents on the instruction's topic.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import asdict, dataclass, field

from .answering.citations import make_citation
from .retrieval.query import analyse
from .retrieval.filters import Filters
from .retrieval.hybrid import HybridRetriever
from .rewrite import PLACEHOLDER_RE, Rewriter, given_figures
from .answering.schema import Citation
from .ingest.schema import Chunk
from .retrieval.hits import Hit
from .text.gazetteer import short_name
from .text.normalize import clean_fragment, to_simplified
from .text.patterns import (
    HEADING_NUMERALS,
    YEAR_NIAN_RE,
    YEAR_NIAN_SHORT_RE,
    YEAR_RE,
    cn_numeral,
    years_in,
)
from .text.segment import synonyms, tokenize, words
from .text.sentences import Sentence, split_passage
from .text.structure import heading_level

PLAN_GENRES = ("工作要点", "工作计划", "实施方案", "工作总结及计划")
SUMMARY_GENRES = ("工作总结", "工作总结及计划")
GENRE_WORDS = [("工作要点", "工作要点"), ("要点", "工作要点"), ("实施方案", "实施方案"), ("方案", "实施方案"),
               ("工作总结", "工作总结"), ("总结", "工作总结"), ("工作计划", "工作计划"), ("计划", "工作计划")]
FRAME_RE = re.compile(r"参照|参考|借鉴|往年|以往|过去|历年|表述|写法|风格|起草|草拟|撰写|拟写|写一份|写个|写|生成|一份|为|帮我|请|"
                      r"给|的|初稿|草稿|提纲|框架|大纲|要点|工作计划|工作总结|工作要点|实施方案|计划|总结|方案|年度|全年")
GUIDE_RE = re.compile(r"总体思路|指导思想|总体要求|工作思路|总体目标是|基本思路")
GOAL_RE = re.compile(r"主要目标|工作目标|目标是|力争|确保|达到|不低于|不少于|覆盖率|为零|全覆盖|提升到|下降")
SAFEGUARD_RE = re.compile(r"保障措施|组织保障|组织领导|督导|督查|考核|问责|责任落实|压实.{0,4}责任|经费保障|宣传引导|工作保障")
PROBLEM_RE = re.compile(r"问题|不足|短板|差距|薄弱|瓶颈|困难")
ITEM_RE = re.compile(r"^\s*(\d{1,2})\s*[.．、]\s*(.+)$")


class DraftError(ValueError):
    """The message is for the user, in Chinese."""


@dataclass
class DraftRequest:
    instruction: str
    place: str = ""
    year: int = 0
    genre: str = "工作计划"
    topic: str = ""
    outline: bool = False  # 提纲: headings and lead phrases only
    given: dict[str, str] = field(default_factory=dict)
    assumed: list[str] = field(default_factory=list)  # what was not in the instruction and was defaulted


@dataclass
class Paragraph:
    kind: str  # title | lead | heading | item | text
    text: str  # with [n] marks where the wording came from
    level: int = 0  # 1 = 一、 heading, 2 = numbered item
    sources: list[int] = field(default_factory=list)


@dataclass
class Draft:
    request: DraftRequest
    title: str
    paragraphs: list[Paragraph]
    citations: list[Citation]
    warnings: list[str] = field(default_factory=list)
    engine: str = "extractive"

    @property
    def placeholders(self) -> list[str]:
        return [m.group(0) for p in self.paragraphs for m in PLACEHOLDER_RE.finditer(p.text)]

    def markdown(self, with_sources: bool = True) -> str:
        out = [f"# {self.title}", ""]
        for p in self.paragraphs:
            if p.kind == "title":
                continue
            if p.kind == "heading":
                out += [f"## {p.text}", ""]
            elif p.kind == "item":
                lead, _, rest = p.text.partition("。")
                out += [f"**{lead}。**{rest}" if rest or p.text.endswith("。") else f"**{p.text}**", ""]
            else:
                out += [p.text, ""]
        if with_sources and self.citations:
            out += ["---", "", "**来源**", ""]
            for c in self.citations:
                out.append(f"[{c.n}] {c.title}｜{c.section or '正文'}｜“{clean_fragment(c.quote)[:120]}”"
                           f"（{c.doc} 第 {c.start}–{c.end} 字）")
                out.append("")
        return "\n".join(out).rstrip() + "\n"

    def plain_text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)

    def to_dict(self) -> dict:
        return {"title": self.title, "request": asdict(self.request), "engine": self.engine,
                "paragraphs": [asdict(p) for p in self.paragraphs], "citations": [c.to_dict() for c in self.citations],
                "placeholders": self.placeholders, "warnings": self.warnings, "markdown": self.markdown()}


# --- the instruction ----------------------------------------------------------------------------------------------
def parse_instruction(instruction: str, metas) -> DraftRequest:
    text = to_simplified(instruction.strip())
    if not text:
        raise DraftError("请写明要起草什么，例如：参照往年表述，为中方县起草2025年校园安全工作计划要点。")
    req = DraftRequest(instruction=text)
    info = analyse(text, metas)
    if info.places:
        p = info.places[0]
        region = next((m.region for m in metas.values() if m.region and short_name(m.region) == p.short), "")
        req.place = region or p.name
    else:
        req.assumed.append("未指定地区：地名处留空，可在文中替换")
    years = years_in(text)
    for word, genre in GENRE_WORDS:
        if word in text:
            req.genre = genre
            break
    else:
        req.assumed.append("未指定文种：按工作计划起草")
    latest = max((y for m in metas.values() for y in m.years), default=datetime.date.today().year)
    if years:
        req.year = years[0]
    else:
        req.year = latest if req.genre == "工作总结" else latest + 1
        req.assumed.append(f"未指定年份：按 {req.year} 年起草")
    req.outline = bool(re.search(r"提纲|框架|大纲", text))
    req.given = given_figures(_drop_years(text))
    # The topic is what is left once place, year, genre and the drafting frame are taken out.
    rest = YEAR_RE.sub("", text)
    rest = YEAR_NIAN_SHORT_RE.sub("", rest)
    for p in info.places:
        for name in sorted({p.name, p.short}, key=len, reverse=True):
            rest = rest.replace(name, "")
    for key in req.given:
        rest = rest.replace(key, "")
    rest = re.sub(r"\d+(?:\.\d+)?\s*(?:%|万|亿)?[\u4e00-\u9fff]?", "", rest)
    rest = FRAME_RE.sub(" ", rest)
    topic = "".join(w for w in words(rest) if len(w) >= 2)
    req.topic = re.sub(r"(工作|教育工作)$", "", topic) if topic not in ("教育", "教育工作") else ""
    if not req.topic:
        req.assumed.append("未指定主题：按全面工作起草")
    return req


def _drop_years(text: str) -> str:
    """Text without its years and their 年 (2025年 …): what is left says what the instruction asks."""
    return re.sub(rf"(?:{YEAR_NIAN_RE.pattern})\s*年", "", text)


def _not_review(path) -> bool:
    return not any(re.search(r"回顾|情况|成效|总结|回顧", to_simplified(x)) for x in path[:-1])


def _not_plan(path) -> bool:
    return not any(re.search(r"计划|打算|思路|要点|計劃", to_simplified(x)) for x in path[:-1])


# --- composing ----------------------------------------------------------------------------------------------------
@dataclass
class Source:
    sentence: Sentence
    hit: Hit


class Drafter:
    def __init__(self, retriever: HybridRetriever):
        self.retriever = retriever
        self.data = retriever.data
        self._place = ""
        self._doc_chunks: dict[str, list[Chunk]] = {}
        for c in self.data.chunks:
            self._doc_chunks.setdefault(c.doc, []).append(c)

    def _docs(self, genres: tuple[str, ...]) -> list[str]:
        docs = [d for d, m in self.data.metas.items() if m.genre in genres]
        # Without plans or summaries of the wanted kind, any plan-like document, then any document at all.
        return docs or [d for d, m in self.data.metas.items() if m.genre in PLAN_GENRES + SUMMARY_GENRES] \
            or list(self.data.metas)

    def _hits(self, query: str, docs: list[str], k: int = 40) -> list[Hit]:
        if not docs:
            return []
        return self.retriever.search(query, k=k, filters=Filters(docs=docs))

    def _src_year(self, doc: str) -> int | None:
        years = self.data.metas[doc].years
        return max(years) if years else None

    def _topic_weight(self, text: str, topic_words: list[str]) -> int:
        return sum(1 for w in topic_words if w in text)

    # Items: numbered headings (1.抓实思想政治建设) with the passages under them.
    def _items(self, hits: list[Hit], want: int, section_filter=None,
               topic_words: list[str] | None = None) -> list[tuple[list[str], list[Hit]]]:
        order: list[tuple[str, ...]] = []
        grouped: dict[tuple[str, ...], list[Hit]] = {}
        for h in hits:
            path = tuple(h.chunk.section)
            if not path or not ITEM_RE.match(to_simplified(path[-1])):
                continue
            if section_filter and not section_filter(path):
                continue
            key = (h.chunk.doc, *path)
            if key not in grouped:
                order.append(key)
                grouped[key] = []
            grouped[key].append(h)
        if self._place:
            order.sort(key=lambda k: 0 if short_name(self.data.metas[k[0]].region or "") == short_name(self._place) else 1)
        if topic_words:
            # Items about the topic first; unrelated ones only to reach a minimum of three.
            related = [k for k in order if any(w in to_simplified(" ".join(k[1:]) + "".join(h.chunk.search_text
                                                                                          for h in grouped[k]))
                                               for w in topic_words)]
            order = related + [k for k in order if k not in related][: max(0, 3 - len(related))]
        return [(list(k[1:]), grouped[k]) for k in order[:want]]

    def compose(self, req: DraftRequest) -> Draft:
        self._place = req.place
        rw = Rewriter(place=req.place, year=req.year, given=req.given)
        citations: list[Citation] = []
        paragraphs: list[Paragraph] = []
        # Topic words that say something: 教育 or 学校 occur everywhere and would match any item.
        idf = self.retriever.idf or {}
        topic_words = {w for w in tokenize(req.topic) if len(w) >= 2 and idf.get(w, 9.0) >= 1.5}
        topic_words = sorted(topic_words | {s for w in topic_words for s in synonyms().get(w, ())})
        query = req.topic or "重点工作 主要任务"

        def cite(src: Source) -> int:
            s = src.sentence
            for c in citations:
                if c.doc == s.doc and c.start == s.start:
                    return c.n
            citations.append(make_citation(len(citations) + 1, s, src.hit))
            return citations[-1].n

        used: set[tuple[str, int]] = set()

        def reuse(sources: list[Source], limit: int = 3) -> tuple[str, list[int]]:
            parts, marks = [], []
            fresh = [s for s in sources if (s.sentence.doc, s.sentence.start) not in used]
            for src in fresh[:limit]:
                used.add((src.sentence.doc, src.sentence.start))
                text = rw.apply(src.sentence.clean, self.data.metas[src.sentence.doc].region,
                                self._src_year(src.sentence.doc)).strip()
                if not text:
                    continue
                n = cite(src)
                marks.append(n)
                parts.append(f"{text.rstrip('，,；;')}{'' if text.endswith(('。', '！', '？')) else '。'}[{n}]")
            return "".join(parts), marks

        place_word = req.place or ""
        topic = req.topic or "教育"
        # 双减 + 实施方案 → 双减工作实施方案; 工作要点/计划/总结 already say 工作.
        genre = req.genre if req.genre.startswith("工作") or topic.endswith("工作") else f"工作{req.genre}"
        title = f"{place_word}{req.year}年{topic}{genre}"
        title = title.replace("教育教育", "教育")
        paragraphs.append(Paragraph("title", title))

        if req.genre == "工作总结":
            self._summary(req, rw, query, topic_words, paragraphs, reuse)
        else:
            self._plan(req, rw, query, topic_words, paragraphs, reuse)
        draft = Draft(request=req, title=title, paragraphs=paragraphs, citations=citations)
        if len([p for p in paragraphs if p.kind == "item"]) < 2:
            draft.warnings.append("文档库中与该主题相关的往年计划、总结较少，草稿内容有限，请补充。")
        return draft

    # --- plan ---------------------------------------------------------------------------------------------------
    def _plan(self, req, rw, query, topic_words, paragraphs, reuse) -> None:
        docs = self._docs(PLAN_GENRES)
        hits = self._hits(query, docs)
        # Overall approach: the corpus's own 总体思路/指导思想 sentence, best from a plan of the same kind.
        guide = self._find(docs, GUIDE_RE, topic_words, 1)
        if guide and not req.outline:
            text, marks = reuse(guide, 1)
            paragraphs.append(Paragraph("lead", text, 0, marks))
        # Goals: target sentences on the topic.
        goals = [s for s in self._sentences(hits) if GOAL_RE.search(s.sentence.clean) and re.search(r"\d", s.sentence.clean)
                 and (not topic_words or self._topic_weight(s.sentence.clean, topic_words))]
        if not req.outline:
            if goals:
                text, marks = reuse(goals, 2)
                paragraphs.append(Paragraph("lead", f"主要目标：{text}", 0, marks))
            else:
                paragraphs.append(Paragraph("lead", "主要目标：【待填：主要目标】"))
        # Tasks, grouped under the level-1 headings their items had in the source plans.
        items = self._items(hits, 8 if not req.outline else 10, section_filter=_not_review, topic_words=topic_words)
        groups: list[tuple[str, list]] = []
        for path, item_hits in items:
            group = next((to_simplified(x) for x in path[:-1] if heading_level(to_simplified(x)) == 1), "")
            group = re.sub(rf"^[{HEADING_NUMERALS}]+、\s*", "", group)
            group = _drop_years(group)
            if not group or re.search(r"计划|打算|要点|任务", group):
                group = "重点任务"
            for g in groups:
                if g[0] == group:
                    g[1].append((path, item_hits))
                    break
            else:
                groups.append((group, [(path, item_hits)]))
        n_section, n_item = 0, 0
        for group, members in groups[:4]:
            src_doc = members[0][1][0].chunk.doc
            heading = rw.apply(group, self.data.metas[src_doc].region, self._src_year(src_doc))
            paragraphs.append(Paragraph("heading", f"{cn_numeral(n_section + 1)}、{heading}", 1))
            n_section += 1
            for path, item_hits in members:
                n_item += 1
                paragraphs.append(self._item(n_item, path, item_hits, req, rw, reuse, 3, topic_words))
        if not groups:
            paragraphs.append(Paragraph("heading", f"{cn_numeral(n_section + 1)}、重点任务", 1))
            paragraphs.append(Paragraph("item", "1.【待填：重点任务】", 2))
            n_section += 1
        # Safeguards, where the corpus has such wording.
        guard = self._find(docs + self._docs(SUMMARY_GENRES), SAFEGUARD_RE, topic_words, 3)
        paragraphs.append(Paragraph("heading", f"{cn_numeral(n_section + 1)}、保障措施", 1))
        if guard and not req.outline:
            text, marks = reuse(guard, 3)
            paragraphs.append(Paragraph("text", text, 0, marks))
        else:
            paragraphs.append(Paragraph("text", "【待填：组织领导、经费保障、督导考核等保障措施】"))

    # --- summary ------------------------------------------------------------------------------------------------
    def _summary(self, req, rw, query, topic_words, paragraphs, reuse) -> None:
        docs = self._docs(SUMMARY_GENRES)
        hits = self._hits(query, docs)
        paragraphs.append(Paragraph("heading", "一、主要工作及成效", 1))
        review = self._items(hits, 6, section_filter=_not_plan, topic_words=topic_words)
        for i, (path, item_hits) in enumerate(review, 1):
            paragraphs.append(self._item(i, path, item_hits, req, rw, reuse, 3, topic_words))
        if not review:
            paragraphs.append(Paragraph("item", "1.【待填：主要工作及成效】", 2))
        paragraphs.append(Paragraph("heading", "二、存在的问题", 1))
        problems = [s for s in self._sentences(hits) if PROBLEM_RE.search(s.sentence.clean) and len(s.sentence.clean) > 12]
        if problems and not req.outline:
            text, marks = reuse(problems, 2)
            paragraphs.append(Paragraph("text", text, 0, marks))
        else:
            paragraphs.append(Paragraph("text", "【待填：存在的问题】"))
        paragraphs.append(Paragraph("heading", "三、下一步工作打算", 1))
        plan_hits = self._hits(query, self._docs(PLAN_GENRES))
        plans = self._items(plan_hits, 4, section_filter=_not_review, topic_words=topic_words)
        for i, (path, item_hits) in enumerate(plans, 1):
            paragraphs.append(self._item(i, path, item_hits, req, rw, reuse, 2, topic_words))
        if not plans:
            paragraphs.append(Paragraph("item", "1.【待填：下一步工作打算】", 2))

    # --- helpers ------------------------------------------------------------------------------------------------
    def _sentences(self, hits: list[Hit]) -> list[Source]:
        out, seen = [], set()
        for h in hits:
            for s in split_passage(h.chunk):
                body = s.clean.strip()
                # Headings and lead-ins ("重点抓好六个方面的工作：") are structure, not wording to reuse.
                if heading_level(body) or ITEM_RE.match(body) and len(body) < 30 or body.endswith((":", "：")):
                    continue
                if (s.doc, s.start) not in seen and len(s.clean) >= 10:
                    seen.add((s.doc, s.start))
                    out.append(Source(s, h))
        return out

    def _find(self, docs: list[str], pattern: re.Pattern, topic_words: list[str], limit: int) -> list[Source]:
        found, seen = [], set()
        for d in docs:
            for c in self._doc_chunks.get(d, []):
                hit = Hit(chunk=c, meta=self.data.metas[d], score=0.0)
                for s in split_passage(c):
                    if pattern.search(s.clean[:40]) and len(s.clean) >= 16 and (s.doc, s.start) not in seen:
                        seen.add((s.doc, s.start))
                        found.append(Source(s, hit))
        found.sort(key=lambda src: -self._topic_weight(src.sentence.clean, topic_words))
        return found[:limit]

    @staticmethod
    def _is_heading(src: Source, label: str) -> bool:
        clean_label = re.sub(r"\s+", "", to_simplified(label))
        return src.sentence.clean.replace(" ", "").startswith(clean_label[:12])

    def _heading_source(self, item_hits: list[Hit], label: str) -> Source | None:
        for h in item_hits:
            for s in split_passage(h.chunk):
                src = Source(s, h)
                if self._is_heading(src, label):
                    return src
        return None

    def _item(self, n: int, path: list[str], item_hits: list[Hit], req, rw, reuse, body_limit: int,
              topic_words: list[str]) -> Paragraph:
        """1.抓实思想政治建设。<reused sentences> — the lead phrase and the body, each with its source."""
        doc = item_hits[0].chunk.doc
        lead = ITEM_RE.match(to_simplified(path[-1])).group(2).strip().rstrip("。")
        lead = re.sub(r"\s+", "", rw.apply(lead, self.data.metas[doc].region, self._src_year(doc)))
        body_src = [s for s in self._sentences(item_hits) if not self._is_heading(s, path[-1])]
        if topic_words:
            body_src.sort(key=lambda s: -self._topic_weight(s.sentence.clean, topic_words))
        text, marks = ("", []) if req.outline else reuse(body_src, body_limit)
        heading_src = self._heading_source(item_hits, path[-1])
        head = self._cite_into(heading_src, reuse) if heading_src is not None else 0
        shown = f"[{head}]" if head and (req.outline or not text) else ""
        return Paragraph("item", f"{n}.{lead}。{shown}{text}", 2, ([head] if head else []) + marks)

    @staticmethod
    def _cite_into(src: Source, reuse) -> int:
        _, marks = reuse([src], 1)
        return marks[0] if marks else 0
