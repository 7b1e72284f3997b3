"""Composing a draft: the outline is planned first, then filled. A paper of its own genre (汇报提纲, 经验交流材料,
讲话提纲) or an instruction that names its parts is planned on those parts (`skeletons`) and filled part by part
(`parts`); a plan, programme or summary asked for whole, or by its count of items or one section, keeps the
corpus's own structure (`compose`)."""

from __future__ import annotations

from ..retrieval.hybrid import HybridRetriever
from ..text.segment import synonyms, tokenize
from .compose import write_outline, write_plan, write_summary
from .parts import write_parts
from .places import own_places
from .rewrite import Rewriter
from .schema import Draft, DraftRequest
from .skeletons import SKELETONS, PAPER_GENRES, part_for, skeleton
from .sources import CorpusSources
from .state import DraftState

OWN_GENRES = {genre for _, genre in PAPER_GENRES}
OUTLINE_GENRES = ("汇报提纲", "讲话提纲")


def compose(retriever: HybridRetriever, req: DraftRequest) -> Draft:
    corpus = CorpusSources(retriever)
    # Topic words that say something: 教育 or 学校 occur everywhere and would match any item.
    idf = retriever.idf or {}
    topic_words = {w for w in tokenize(req.topic) if len(w) >= 2 and idf.get(w, 9.0) >= 1.5}
    topic_words = sorted(topic_words | {s for w in topic_words for s in synonyms().get(w, ())})
    # No topic asked (教育工作总结): the topic is education itself, not whatever a government report leads with.
    topic_words = topic_words if req.topic else ["教育"]
    rewriter = Rewriter(place=req.place, year=req.year, given=req.given,
                        allowed=own_places(req.place, req.named_places))
    state = DraftState(request=req, corpus=corpus, rewriter=rewriter,
                       topic_words=topic_words, query=req.topic or "教育工作 重点任务")
    title = draft_title(req)
    state.add("title", title)
    if planned(req):
        parts = skeleton(req.genre, [part_for(name) for name in req.parts])
        write_parts(state, parts, outline=req.outline or req.genre in OUTLINE_GENRES)
    elif req.outline:
        write_outline(state)
    elif req.genre == "工作总结":
        write_summary(state)
    else:
        write_plan(state)
    draft = Draft(request=req, title=title, paragraphs=state.paragraphs, citations=state.citations,
                  warnings=state.warnings)
    if len([p for p in state.paragraphs if p.kind == "item"]) < 2:
        draft.warnings.append("文档库中与该主题相关的往年计划、总结较少，草稿内容有限，请补充。")
    return draft


def planned(req: DraftRequest) -> bool:
    """Whether the draft is planned on named parts or its genre's skeleton. One section asked for, or a count of
    an outline's parts (分4个部分), is the corpus's own structure's business."""
    if req.section:
        return False
    if req.parts:
        return True
    return req.genre in OWN_GENRES and req.genre in SKELETONS and not (req.outline and req.count)


def draft_title(req: DraftRequest) -> str:
    topic = req.topic or "教育"
    if req.genre in OWN_GENRES:  # 株洲市2026年产教融合经验交流材料, 黄石市2026年平安校园建设推进会讲话提纲
        paper = f"{req.paper}提纲" if req.outline and req.paper else req.genre
        return f"{req.place or ''}{req.year}年{topic}{paper}".replace("教育教育", "教育")
    # 双减 + 实施方案 → 双减工作实施方案; 工作要点/计划/总结 already say 工作.
    genre = req.genre if req.genre.startswith("工作") or topic.endswith("工作") else f"工作{req.genre}"
    if req.outline:  # 推进会讲话提纲, 汇报提纲, 工作总结提纲
        genre = f"{req.paper or genre}提纲"
    return f"{req.place or ''}{req.year}年{topic}{genre}".replace("教育教育", "教育")
