"""The offline answer engine: picks the sentence or clause that answers, trims it, cites it.

Each sentence of the retrieved passages is scored (evidence.py) by how much of the question's topic it covers,
whether it holds what the question asks for, and how high its passage ranked. Too little support: refuse.
Comparisons are answered from each side; 哪六个行动 from the document's own headings.
"""

from __future__ import annotations

import re

from ..ingest.schema import Chunk
from ..retrieval.filters import Filters
from ..retrieval.hits import Hit
from ..retrieval.hybrid import HybridRetriever
from ..retrieval.query import QueryInfo, analyse
from ..settings import Settings
from ..text.patterns import CITE_MARK_RE
from ..text.normalize import clean_fragment
from ..text.sentences import split_passage
from .citations import make_citation, refusal_text
from .evidence import Evidence, TermWeights, gather_evidence, stated_figures, trim_answer
from .phrasing import chinese_punctuation, verdict
from .reader import ReaderWeights, best_score, candidates, choose
from .scope import decided_before_search, unmatched_place, unsupported_year
from .sides import side_question
from .judged import open_verifier
from .question_form import QuestionForm, classify
from .schema import Answer, Citation


class ExtractiveEngine:
    name = "extractive"

    def __init__(self, retriever: HybridRetriever, settings: Settings):
        self.retriever = retriever
        self.settings = settings
        self.terms = TermWeights(retriever.idf or {})
        self.weights = ReaderWeights.from_settings(settings)
        self.verifier = open_verifier(settings)

    # --- answering --------------------------------------------------------------------------------------------------
    def answer(self, question: str, info: QueryInfo, filters: Filters | None = None,
               topic: str | None = None) -> Answer:
        form = classify(info.text, info)
        topic = topic or question
        if form.kind == "comparison" and info.place_docs:
            return self._compare(question, info, form, filters)
        if decided_before_search(info):
            return Answer(question=question, answer=refusal_text(unmatched_place(info)), refused=True,
                          engine=self.name)
        hits = self.retriever.search(info.text, k=self.settings.answer_k, filters=filters, info=info)
        unmatched = unmatched_place(info, hits)
        if unmatched:
            return Answer(question=question, answer=refusal_text(unmatched), refused=True, retrieved=hits,
                          engine=self.name)
        if unsupported_year(info, hits, self.retriever.data.metas):
            return Answer(question=question, answer=refusal_text(topic), refused=True, retrieved=hits, engine=self.name)
        parts, support = self._parts(hits, form, info)
        if not parts:
            return Answer(question=question, answer=refusal_text(topic), refused=True, retrieved=hits,
                          engine=self.name, support=support)
        answer = self._compose(question, parts, hits)
        answer.support = support
        return answer

    def trim(self, text: str, form: QuestionForm) -> str:
        return trim_answer(text, form, self.terms, self.settings.answer_max_chars)

    def _parts(self, hits: list[Hit], form: QuestionForm, info: QueryInfo) -> tuple[list[tuple[str, Evidence]], float]:
        """The answer's pieces with their evidence, and the reader's score of the best one (0: declined)."""
        if not hits:
            return [], 0.0
        ev = gather_evidence(hits, form, self.terms)
        if not ev:
            return [], 0.0
        if form.kind == "list" and form.count and form.category:
            listed = self._heading_list(hits[0], form)
            if listed:
                return listed, 1.0
        cands = candidates(info.text, ev, form, info.frame, self.terms, self.retriever.embeddings,
                           self.settings.reader_candidates, self.verifier, self.settings.answer_max_chars)
        chosen = choose(cands, self.weights)
        if not chosen:
            # The best eligible score, below the threshold: how near the engine came to answering (the cascade
            # hands the near cases to the llm engine).
            return [], best_score(cands, self.weights)
        best = chosen[0].evidence
        eligible = [c.evidence for c in chosen]
        parts = [(self.trim(best.sentence.clean, form), best)]
        covered = set(best.matched)
        # A second sentence when the first leaves important topic words out (其中…多少; two figures asked).
        weights = {t: self.terms.weight(t) for t in form.terms}
        total = sum(weights.values()) or 1.0
        missing = {t for t in form.terms if t not in covered and not any(t in p[0] for p in parts)}
        if missing and sum(weights[t] for t in missing) / total >= 0.2:
            for e in eligible[1:12]:
                gain = {t for t in missing if t in e.matched}
                if gain and sum(weights[t] for t in gain) / total >= 0.15 and e.score >= best.score - 0.35:
                    parts.append((self.trim(e.sentence.clean, form), e))
                    break
        # With a year or a mode named, eligibility decides between the figures; with neither, both are given.
        if len(parts) == 1 and form.kind == "figure" and not form.years and not info.frame.mode:
            # A report often gives the same measure twice, done last year and planned for this one
            # (新增学位20.7万个 … 新增学位17万个): when another sentence supports the question as fully
            # and states a different figure, both are given, each with its source.
            first = stated_figures(parts[0][0])
            for e in eligible[1:8]:
                if e.coverage < best.coverage - 0.02 or e.sentence.doc != best.sentence.doc:
                    continue
                piece = self.trim(e.sentence.clean, form)
                if stated_figures(piece) - first and piece not in parts[0][0] and parts[0][0] not in piece:
                    parts.append((piece, e))
                    break
        return parts, chosen[0].score(self.weights)

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
            # A [9] in the document's own text is no mark of ours: it would point at a source that is not there.
            body = chinese_punctuation(CITE_MARK_RE.sub("", text).strip().rstrip("，,；;。:："))
            label = labels[i] if labels else ""
            pieces.append(f"{label}{body}[{n}]")
        joiner = "；" if any(len(p) > 12 for p in pieces) else "、"
        return Answer(question=question, answer=joiner.join(pieces) + "。", refused=False, citations=citations,
                      retrieved=hits, engine=self.name)

    def _compare(self, question: str, info: QueryInfo, form: QuestionForm, filters: Filters | None) -> Answer:
        """Answered from both sides: the same question asked of each place's documents."""
        parts, labels, all_hits, scores = [], [], [], []
        for place in info.places:
            sub = side_question(info.text, place, [p for p in info.places if p is not place])
            sub_info = analyse(sub, self.retriever.data.metas)
            if not sub_info.place_docs:
                continue
            sub_form = classify(sub_info.text, sub_info)
            if sub_form.kind in ("comparison", "list"):
                sub_form.kind = "figure" if re.search(r"多少|比例|占比|率|几", sub) else "fact"
            hits = self.retriever.search(sub_info.text, k=self.settings.answer_k, filters=filters, info=sub_info)
            all_hits.extend(hits)
            got, score = self._parts(hits, sub_form, sub_info)
            if got:
                parts.append(got[0])
                scores.append(score)
                labels.append(f"{place.short or place.name}：")
        if not parts:
            return Answer(question=question, answer=refusal_text(question), refused=True, retrieved=all_hits,
                          engine=self.name)
        answer = self._compose(question, parts, all_hits, labels)
        answer.support = min(scores)
        missing = [p.short or p.name for p in info.places if f"{p.short or p.name}：" not in labels]
        if missing:
            answer.answer += f"资料中没有找到{'、'.join(missing)}的相关信息。"
        else:
            said = verdict(info.text, [(label.rstrip("："), text) for label, (text, _) in zip(labels, parts)], form.units,
                           tuple(form.terms))
            if said:
                answer.answer += f"{said}。"
        return answer

