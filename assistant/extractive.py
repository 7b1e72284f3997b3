"""The offline answer engine: picks the sentence or clause that answers, trims it, cites it.

Each sentence of the retrieved passages is scored by how much of the question's topic it covers
(words weighted by their rarity in the corpus), whether it holds what the question asks for
(a figure, a date, a list, a name), and how high its passage ranked. Too little support: refuse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .retrieval.query import QueryInfo
from .question_form import QuestionForm, classify
from .retrieval.filters import Filters
from .retrieval.hybrid import HybridRetriever
from .answering.schema import Answer, Citation
from .ingest.schema import Chunk
from .retrieval.hits import Hit
from .settings import Settings
from .text.normalize import clean_fragment
from .text.patterns import HAS_FIGURE_RE, STATED_FIGURE_RE
from .text.segment import synonyms
from .text.sentences import Sentence, clauses, split_passage
DATE_RE = re.compile(r"\d{4}年\d{1,2}月|\d{1,2}月(底|前|份|\d{1,2}日)?|\d{4}年(底|前|内|上半年|下半年|秋季|春季)|年底|年内|秋季|春季")
NAME_MARK_RE = re.compile(r"《[^》]{2,40}》|“[^”]{2,30}”|[\u4e00-\u9fff]{2,12}(学校|大学|学院|中学|小学|幼儿园|一中|二中|三中|工程|计划|行动|项目|基地|平台|品牌|队|中心)")
LIST_SEP_RE = re.compile(r"[、；;]")
PERSON_RE = re.compile(r"[\u4e00-\u9fff]{2,3}(同志|局长|书记|校长|主任|院长|主席|市长|县长|委员)|(局长|书记|校长|主任|院长|市长|县长)[\u4e00-\u9fff]{2,3}")
NEEDS_ELEMENT = ("figure", "when", "who")  # evidence without a figure / date / person does not answer


def refusal_text(topic: str) -> str:
    topic = topic.strip(" ？?。！!") or "这个问题"
    return f"资料中没有找到关于“{topic}”的信息。"


@dataclass
class Evidence:
    sentence: Sentence
    hit: Hit
    rank: int
    coverage: float
    score: float
    matched: set[str] = field(default_factory=set)


def _figures(text: str) -> set[str]:
    return {m.group(0).strip() for m in STATED_FIGURE_RE.finditer(text)}


def _has_unit(text: str, units: tuple[str, ...]) -> bool:
    return any(re.search(rf"\d\s*(?:万|亿)?{re.escape(u)}", text) for u in units)


def _windows(text: str, size: int = 3) -> list[str]:
    parts = clauses(text)
    if len(parts) <= size:
        return [text]
    return ["".join(parts[i : i + size]) for i in range(len(parts) - size + 1)]


def _has_element(text: str, kind: str) -> bool:
    if kind == "figure":
        return bool(HAS_FIGURE_RE.search(text))
    if kind == "when":
        return bool(DATE_RE.search(text))
    if kind == "who":
        return bool(PERSON_RE.search(text))
    if kind == "name":
        return bool(NAME_MARK_RE.search(text))
    if kind == "list":
        return len(LIST_SEP_RE.findall(text)) >= 1
    return True


class ExtractiveEngine:
    name = "extractive"

    def __init__(self, retriever: HybridRetriever, settings: Settings):
        self.retriever = retriever
        self.settings = settings
        idf = retriever.idf or {}
        self._idf = idf
        self._max_idf = max(idf.values()) if idf else 5.0

    # --- term weights ----------------------------------------------------------------------------------------
    def weight(self, term: str) -> float:
        # Words the corpus never uses weigh most: a question about them is likely unanswerable.
        w = self._idf.get(term)
        if w is None:
            return self._max_idf + 1.0
        return max(w, 0.2)

    @staticmethod
    def match(term: str, text: str) -> float:
        if term in text:
            return 1.0
        if any(len(s) >= 2 and s in text for s in synonyms().get(term, ())):
            return 0.8
        if len(term) >= 3:
            grams = {term[i : i + 2] for i in range(len(term) - 1)}
            share = sum(1 for g in grams if g in text) / len(grams)
            return 0.6 * share if share >= 0.5 else 0.0
        return 0.0

    # --- evidence ------------------------------------------------------------------------------------------------
    def evidence(self, hits: list[Hit], form: QuestionForm) -> list[Evidence]:
        terms = form.terms
        weights = {t: self.weight(t) for t in terms}
        total = sum(weights.values()) or 1.0
        out = []
        for rank, hit in enumerate(hits):
            sents = split_passage(hit.chunk)
            heading = clean_fragment(" ".join(hit.chunk.section))
            for i, s in enumerate(sents):
                near = " ".join(x.clean for x in sents[max(0, i - 1) : i + 2])
                ctx = {t: 0.6 * max(self.match(t, heading), self.match(t, near)) for t in weights}
                # The topic words must meet within a few clauses, not just somewhere in a long sentence.
                got, matched = 0.0, set()
                for window in _windows(s.clean):
                    own = {t: self.match(t, window) for t in weights}
                    value = sum(w * max(own[t], ctx[t]) for t, w in weights.items())
                    if value > got:
                        got, matched = value, {t for t in weights if own[t] >= 1.0}
                coverage = got / total if terms else 0.0
                score = coverage + 0.08 / (rank + 1)
                if form.kind in ("figure", "when", "who", "name", "list"):
                    score += 0.12 if _has_element(s.clean, form.kind) else -0.25
                if form.kind == "figure" and form.units and _has_unit(s.clean, form.units):
                    score += 0.1  # 多少所 is answered by a figure in 所
                if len(s.clean) < 8:
                    score -= 0.2  # a bare heading or fragment is rarely the answer
                out.append(Evidence(sentence=s, hit=hit, rank=rank, coverage=coverage, score=score, matched=matched))
        out.sort(key=lambda e: -e.score)
        return out

    # --- trimming ---------------------------------------------------------------------------------------------------
    def trim(self, text: str, form: QuestionForm) -> str:
        limit = self.settings.answer_max_chars
        if len(text) <= limit:
            return text
        parts = clauses(text)
        if len(parts) <= 1:
            return text
        weights = {t: self.weight(t) for t in form.terms}

        def value(p: str) -> float:
            v = sum(w * self.match(t, p) for t, w in weights.items())
            if form.kind in ("figure", "when", "who", "name", "list") and _has_element(p, form.kind):
                v += 0.5 * (max(weights.values()) if weights else 1.0)
            return v

        values = [value(p) for p in parts]
        best = max(range(len(parts)), key=lambda i: values[i])
        lo = hi = best
        need_element = form.kind in ("figure", "when", "who", "name") and not _has_element(parts[best], form.kind)
        # Grow the window while neighbours add topic words or the element the question asks for.
        while True:
            length = sum(len(parts[i]) for i in range(lo, hi + 1))
            cands = []
            if lo > 0:
                cands.append((lo - 1, values[lo - 1]))
            if hi + 1 < len(parts):
                cands.append((hi + 1, values[hi + 1]))
            if not cands:
                break
            i, v = max(cands, key=lambda c: c[1])
            add = len(parts[i])
            if need_element and _has_element(parts[i], form.kind):
                pass
            elif v <= 0 or length + add > limit:
                break
            lo, hi = min(lo, i), max(hi, i)
            if need_element and _has_element(parts[i], form.kind):
                need_element = False
        if form.kind == "list":
            # Keep the whole enumeration the anchor clause belongs to.
            while hi + 1 < len(parts) and LIST_SEP_RE.search(parts[hi]) and len("".join(parts[lo : hi + 2])) <= 2 * limit:
                hi += 1
        return "".join(parts[lo : hi + 1])

    # --- answering --------------------------------------------------------------------------------------------------
    def answer(self, question: str, info: QueryInfo, filters: Filters | None = None,
               topic: str | None = None) -> Answer:
        form = classify(info.text, info)
        topic = topic or question
        if form.kind == "comparison" and info.place_docs:
            return self._compare(question, info, form, filters)
        if info.unmatched_places:
            # A place no document is about (北京市海淀区, when only 北京 is mentioned somewhere): not answerable.
            return Answer(question=question, answer=refusal_text(f"{'、'.join(info.unmatched_places)}"),
                          refused=True, engine=self.name)
        hits = self.retriever.search(info.text, k=self.settings.answer_k, filters=filters, info=info)
        refused = self._unsupported_year(info, hits)
        if refused:
            return Answer(question=question, answer=refusal_text(topic), refused=True, retrieved=hits, engine=self.name)
        parts, support = self._parts(hits, form)
        if not parts:
            return Answer(question=question, answer=refusal_text(topic), refused=True, retrieved=hits,
                          engine=self.name, support=support)
        answer = self._compose(question, parts, hits)
        answer.support = support
        return answer

    def _unsupported_year(self, info: QueryInfo, hits: list[Hit]) -> bool:
        """A year the question names that none of the candidate documents is about or mentions."""
        if not info.years:
            return False
        metas = self.retriever.data.metas
        docs = info.place_docs or set(metas)
        known = {y for d in docs for y in metas[d].years}
        if set(info.years) & known:
            return False
        texts = " ".join(h.chunk.search_text for h in hits)
        return not any(str(y) in texts for y in info.years)

    def _parts(self, hits: list[Hit], form: QuestionForm) -> tuple[list[tuple[str, Evidence]], float]:
        """The answer's pieces with their evidence, and how well the best evidence supports it."""
        if not hits:
            return [], 0.0
        ev = self.evidence(hits, form)
        if not ev:
            return [], 0.0
        best = ev[0]
        if form.kind == "list" and form.count and form.category:
            listed = self._heading_list(hits[0], form)
            if listed:
                return listed, 1.0
        if best.coverage < self.settings.refusal_threshold:
            return [], best.coverage
        if form.kind in NEEDS_ELEMENT and not _has_element(best.sentence.clean, form.kind):
            return [], best.coverage
        parts = [(self.trim(best.sentence.clean, form), best)]
        covered = set(best.matched)
        # A second sentence when the first leaves important topic words out (其中…多少; two figures asked).
        weights = {t: self.weight(t) for t in form.terms}
        total = sum(weights.values()) or 1.0
        missing = {t for t in form.terms if t not in covered and not any(t in p[0] for p in parts)}
        if missing and sum(weights[t] for t in missing) / total >= 0.2:
            for e in ev[1:12]:
                gain = {t for t in missing if t in e.matched}
                if gain and sum(weights[t] for t in gain) / total >= 0.15 and e.score >= best.score - 0.35 \
                        and e.sentence != best.sentence and (form.kind not in ("figure", "when")
                                                             or _has_element(e.sentence.clean, form.kind)):
                    parts.append((self.trim(e.sentence.clean, form), e))
                    break
        # With a year named, the year decides between the figures; without one, both are given.
        if len(parts) == 1 and form.kind == "figure" and not form.years:
            # A report often gives the same measure twice, done last year and planned for this one
            # (新增学位20.7万个 … 新增学位17万个): when another sentence supports the question as fully
            # and states a different figure, both are given, each with its source.
            first = _figures(parts[0][0])
            for e in ev[1:8]:
                if e.sentence.start == best.sentence.start and e.sentence.doc == best.sentence.doc:
                    continue
                if e.coverage < best.coverage - 0.02 or e.sentence.doc != best.sentence.doc:
                    continue
                if form.units and not _has_unit(e.sentence.clean, form.units):
                    continue
                text = self.trim(e.sentence.clean, form)
                if _figures(text) - first and text not in parts[0][0] and parts[0][0] not in text:
                    parts.append((text, e))
                    break
        return parts, best.coverage

    def _heading_list(self, hit: Hit, form: QuestionForm) -> list[tuple[str, Evidence]]:
        """哪六个行动 / 哪七个关键词: the items are the document's own headings that name the category."""
        chunks = [c for c in self.retriever.data.chunks if c.doc == hit.chunk.doc]
        seen: dict[str, Chunk] = {}
        for c in chunks:
            for label in c.section:
                if form.category and form.category in clean_fragment(label) and label not in seen:
                    seen[label] = c
        if len(seen) < 2 or (form.count and abs(len(seen) - form.count) > 1):
            return []
        parts = []
        for label, c in seen.items():
            want = clean_fragment(label)
            s = next((x for x in split_passage(c) if x.clean.startswith(want) or want.startswith(x.clean)), None)
            if s is None:
                continue
            h = Hit(chunk=c, meta=self.retriever.data.metas[c.doc], score=hit.score)
            parts.append((want, Evidence(sentence=s, hit=h, rank=0, coverage=1.0, score=1.0)))
        return parts if len(parts) >= 2 else []

    def _compose(self, question: str, parts: list[tuple[str, Evidence]], hits: list[Hit],
                 labels: list[str] | None = None) -> Answer:
        citations: list[Citation] = []
        pieces = []
        for i, (text, e) in enumerate(parts):
            n = next((c.n for c in citations if c.start == e.sentence.start and c.doc == e.sentence.doc), None)
            if n is None:
                n = len(citations) + 1
                citations.append(make_citation(n, e.sentence, e.hit))
            body = text.strip().rstrip("，,；;。:：")
            label = labels[i] if labels else ""
            pieces.append(f"{label}{body}[{n}]")
        joiner = "；" if any(len(p) > 12 for p in pieces) else "、"
        return Answer(question=question, answer=joiner.join(pieces) + "。", refused=False, citations=citations,
                      retrieved=hits, engine=self.name)

    def _compare(self, question: str, info: QueryInfo, form: QuestionForm, filters: Filters | None) -> Answer:
        """Answered from both sides: the same question asked of each place's documents."""
        from .retrieval.query import analyse

        parts, labels, all_hits = [], [], []
        for place in info.places:
            others = [p for p in info.places if p is not place]
            sub = info.text
            for o in others:
                for name in sorted({o.name, o.short}, key=len, reverse=True):
                    sub = sub.replace(name, "")
            sub = re.sub(r"^[和与及、，,]+|[和与及、，,]{2,}", "", sub)
            sub_info = analyse(sub, self.retriever.data.metas)
            if not sub_info.place_docs:
                continue
            sub_form = classify(sub_info.text, sub_info)
            if sub_form.kind in ("comparison", "list"):
                sub_form.kind = "figure" if re.search(r"多少|比例|占比|率|几", sub) else "fact"
            hits = self.retriever.search(sub_info.text, k=self.settings.answer_k, filters=filters, info=sub_info)
            all_hits.extend(hits)
            got, _ = self._parts(hits, sub_form)
            if got:
                parts.append(got[0])
                labels.append(f"{place.short or place.name}：")
        if not parts:
            return Answer(question=question, answer=refusal_text(question), refused=True, retrieved=all_hits,
                          engine=self.name)
        answer = self._compose(question, parts, all_hits, labels)
        answer.support = min(e.coverage for _, e in parts)
        missing = [p.short or p.name for p in info.places if f"{p.short or p.name}：" not in labels]
        if missing:
            answer.answer += f"资料中没有找到{'、'.join(missing)}的相关信息。"
        return answer


def make_citation(n: int, s: Sentence, hit: Hit) -> Citation:
    return Citation(n=n, doc=s.doc, title=hit.meta.title, region=hit.meta.region, years=list(hit.meta.years),
                    section=" > ".join(hit.chunk.section), quote=s.original, start=s.start, end=s.end,
                    context=hit.chunk.text, context_start=hit.chunk.start)
