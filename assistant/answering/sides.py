"""A comparison asked as one question per side: 吉林市和承德比，2023年城镇新增的就业人数谁更多？ becomes
吉林市2023年城镇新增的就业人数是多少？ for 吉林 and 承德2023年城镇新增的就业人数是多少？ for 承德.

The other places are taken out with the words that joined them (和、与、跟、比), the words that ask for a
verdict (谁、哪个城市、更多、高一些) become 是多少, and filler about both sides (两边、两地) goes, so each side
is read as a plain figure question."""

from __future__ import annotations

import re

from ..text.gazetteer import Place

_GAP = "\0"
_JOINED = re.compile(rf"[和与跟同及、]?{_GAP}(?:[和与跟同及、](?!{_GAP}))?(?:相比|比较|对比|比)?[，,、]?")
_WHICH = re.compile(r"谁家|谁|哪个城市|哪座城市|哪个地方|哪个地区|哪边|哪一方|哪一个|哪家|哪个")
_VERDICT = re.compile(r"(?<!多)(?:要|会)?(?:更|较|比较)?(?:多|高|大|少|低)(?:一些|一点|些)?(?=[？?。！!]|$)")
# The other side's document goes with its place: 株洲那篇和中方县那份总结比.
_THEIR_DOC = re.compile(rf"{_GAP}(?:那篇|那份|这篇|这份)(?:[\u4e00-\u9fff]{{0,4}}?(?:报道|总结|报告|纪实|要点|计划|文章|材料))?")
_COMPARED = re.compile(r"(?:相比|比较|对比)|(?<![占对相评排好无])比(?=[，,])")
_BOTH = re.compile(r"按?(?:两边|两地|两家|两个城市|两个地方|双方|二者|两者)(?:各自)?的?")


def side_question(text: str, place: Place, others: list[Place]) -> str:
    """The question as asked of one side (`place`), the `others` taken out."""
    out = text
    for other in others:
        for name in sorted({other.name, other.short}, key=len, reverse=True):
            if name and name not in (place.name, place.short):
                out = out.replace(name, _GAP)
    out = _THEIR_DOC.sub(_GAP, out)
    out = _JOINED.sub("", out).replace(_GAP, "")
    out = _COMPARED.sub("", out)
    out = _BOTH.sub("", out)
    if _VERDICT.search(out) or _WHICH.search(out):
        out = _WHICH.sub("", out)
        out = _VERDICT.sub("是多少", out) if "多少" not in out else _VERDICT.sub("", out)
    out = re.sub(r"^[，,、和与及]+", "", out)
    return re.sub(r"[，,]+(?=[，,的])", "", out)
