"""Follow-up questions made standalone from the conversation, with 今年/去年 written out as years (relative_time)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ingest.schema import DocMeta
from ..retrieval.query import analyse, normalise_question
from ..text.patterns import YEAR_RE, YEAR_WORD_RE
from .question_form import topic_terms
from .answer_refs import answer_figure, resolve_ordinal
from .follow_up_nouns import carry_counted, narrowed
from .relative_time import resolve_relative_years

PRONOUN_RE = re.compile(r"它们|他们|它|其中|其|这些|那些|上述|该|这几[所个项家条]?|这[所个项家条]")
GENERIC_TOPICS = frozenset(["目标", "任务", "措施", "情况", "成效", "举措", "要求", "重点", "安排", "进展", "成绩", "数量", "比例", "人数", "数字", "变化", "做法", "经验", "问题", "打算"])
# In a follow-up, the year of the turn before: 杭州同年新增学位多少？
SAME_YEAR_RE = re.compile(r"同年|同期|当年|那一年|这一年")
COMPARISON_TAIL_RE = re.compile(r"[，,？?]\s*(?:比|和|与|跟)[\u4e00-\u9fff]{1,8}?(?:相比)?(?:多|少|高|低|大|小|快|慢)"
                               r"(?:还是(?:多|少|高|低|大|小))?吗?[？?]?$")
FOLLOW_UP_START = re.compile(r"^(那么?|还有|另外|此外|而|再问|同样|相应的?)")


@dataclass
class Turn:
    question: str
    answer: str = ""
    standalone: str = ""


def turns_from_history(history) -> list[Turn]:
    """Accepts [(user, assistant), …] pairs or OpenAI/Gradio-style [{"role", "content"}, …] messages."""
    turns: list[Turn] = []
    for item in history or []:
        if isinstance(item, dict):
            role, content = item.get("role"), item.get("content")
            if isinstance(content, list):  # Gradio may give content parts
                content = " ".join(str(c.get("text", "")) if isinstance(c, dict) else str(c) for c in content)
            content = str(content or "")
            if role == "user":
                turns.append(Turn(question=content))
            elif role == "assistant" and turns:
                turns[-1].answer += content
        elif isinstance(item, (list, tuple)) and item:
            turns.append(Turn(question=str(item[0] or ""), answer=str(item[1] or "") if len(item) > 1 else ""))
    return [t for t in turns if t.question.strip()]


def is_follow_up(question: str, metas: dict[str, DocMeta]) -> bool:
    q = question.strip()
    if FOLLOW_UP_START.match(q) or PRONOUN_RE.search(q):
        return True
    if re.search(r"呢[？?]?$", q) and len(q) <= 16:
        return True
    info = analyse(q, metas)
    return not topic_terms(info.text, info)


def condense(question: str, earlier: list[str], metas: dict[str, DocMeta], this_year: int | None = None,
             previous_answer: str = "") -> str:
    """The question as it would be asked on its own, using the place, year and topic of the previous turn (and the
    figure of its answer, for 其中…); its relative years counted from `this_year` (left as written when None: the
    documents' own 今年)."""
    q = normalise_question(question)
    q = resolve_relative_years(q, this_year)
    if not earlier:
        return q
    prev = normalise_question(earlier[-1])
    prev_years = [m.group(0) for m in YEAR_RE.finditer(prev)]
    if prev_years and SAME_YEAR_RE.search(q):
        q = SAME_YEAR_RE.sub(f"{prev_years[-1]}年", q, count=1)
    q = carry_counted(q, prev)
    named = resolve_ordinal(q, previous_answer)
    if named != q:  # 其中第一所… names an item of the previous answer: a question of its own about it
        return _carried(named, prev, metas)
    if not is_follow_up(q, metas):
        return _carried(q, prev, metas)
    info, prev_info = analyse(q, metas), analyse(prev, metas)
    body = FOLLOW_UP_START.sub("", q)
    body = re.sub(r"呢(?=[？?]?$)", "", body).strip(" ，,")
    own_topic = topic_terms(info.text, info)
    if not own_topic and not PRONOUN_RE.search(body):
        # 株洲呢？ / 那2024年呢？: the previous question with its place and year swapped.
        out = prev
        if info.places and prev_info.places:
            out = _replace_places(out, prev_info, [p.short or p.name for p in info.places])
        elif info.places:
            out = "".join(p.short or p.name for p in info.places) + out
        if info.years:
            out = _replace_years(out, info.years)
        return out
    # The previous question's own topic, without its comparison (…比宁波多还是少？ is not what 那杭州的目标呢 asks).
    bare = COMPARISON_TAIL_RE.sub("", prev)
    prev_topic = "".join(topic_terms(analyse(bare, metas).text, prev_info)) if bare != prev else \
        "".join(topic_terms(prev_info.text, prev_info))
    had_pronoun = bool(PRONOUN_RE.search(body))
    figure = answer_figure(previous_answer) if body.startswith("其中") else ""
    if figure and prev_topic:
        # 其中初中有几所 after 整合33所…: a part of that whole, which the whole's own sentence does not answer.
        body = f"{prev_topic}的{figure}中，{body[2:].lstrip('，,')}"
    elif had_pronoun:
        body = PRONOUN_RE.sub(prev_topic, body, count=1)
    years = info.years or prev_info.years
    body = YEAR_WORD_RE.sub("", body).lstrip("的")
    if info.places:  # the place named goes first, as in a question asked alone: 那杭州2024年的目标呢
        named = _place_words(body, info)
        place = "".join(named)
        for w in named:
            body = body.replace(w, "", 1)
        body = body.lstrip("的")
    else:
        place = "".join(_place_words(prev, prev_info))
    if not had_pronoun and re.search(r"呢[？?]?$", q):
        rest = YEAR_WORD_RE.sub("", _replace_places(prev, prev_info, [])).lstrip("的")
        asked = narrowed(body, rest)
        if asked:  # 中小学呢 after 新增了多少学位: the same question, of 中小学
            return f"{place}{''.join(f'{y}年' for y in years)}{asked}"
    # The previous topic is carried only when this one is generic (那2024年的目标呢 → whose 目标?).
    generic = all(t in GENERIC_TOPICS for t in own_topic)
    topic = "" if had_pronoun or not generic or not prev_topic or prev_topic in body else prev_topic
    if not topic and not had_pronoun and own_topic and not generic and not info.places:
        # 那2023年实际增长了多少 after 咸宁前年GDP增长目标定的是多少: the same subject (GDP), another question on it.
        prev_terms = topic_terms(bare if bare != prev else prev_info.text, prev_info)
        if all(t in prev_terms or t in GENERIC_TOPICS for t in own_topic):
            subject = [t for t in prev_terms if t not in own_topic and t not in GENERIC_TOPICS and t not in body]
            # In the previous question's own spelling (topic terms are lower-cased: GDP, not gdp).
            found = [re.search(re.escape(t), prev, re.IGNORECASE) for t in subject]
            topic = "".join(m.group(0) if m else t for m, t in zip(found, subject))
            return f"{place}{''.join(f'{y}年' for y in years)}{topic}{body}"
    if topic and body and not body.startswith(("的", "有", "是")):
        topic += "的"
    return f"{place}{''.join(f'{y}年' for y in years)}{topic}{body}"


def slots_kept(rewrite: str, rules: str, metas: dict[str, DocMeta], this_year: int | None = None) -> bool:
    """Whether a model's rewrite keeps every slot of the rules' rewrite: its places, its years (relative years
    counted as the rules count them) and the words of what it asks. A rewrite that loses one is not used."""
    got, want = analyse(resolve_relative_years(normalise_question(rewrite), this_year), metas), analyse(rules, metas)
    if any(p.short not in {g.short for g in got.places} for p in want.places) or not set(want.years) <= set(got.years):
        return False
    text = got.text.lower()
    return all(t in text for t in topic_terms(want.text, want) if t not in GENERIC_TOPICS)


def _carried(q: str, prev: str, metas: dict[str, DocMeta]) -> str:
    """A question with its own topic, asked in a chat, is about the place (and the year) of the turn before it
    when it names none: 增加了多少学位？ after 咸宁2023年新建了多少所学校？ asks about 咸宁 in 2023."""
    info, prev_info = analyse(q, metas), analyse(prev, metas)
    if info.places or not prev_info.places:
        return q
    years = "" if info.years or YEAR_WORD_RE.search(q) else "".join(f"{y}年" for y in prev_info.years)
    return "".join(_place_words(prev, prev_info)) + years + q


def _place_words(text: str, info) -> list[str]:
    words = []
    for p in info.places:
        for name in (p.name, p.short):
            if name and name in text:
                words.append(name)
                break
    return words


def _replace_places(text: str, info, new: list[str]) -> str:
    olds = _place_words(text, info)
    for i, old in enumerate(olds):
        text = text.replace(old, new[i] if i < len(new) else "", 1)
    return text


def _replace_years(text: str, years: list[int]) -> str:
    old = [m.group(0) for m in YEAR_RE.finditer(text)]
    if not old:
        return f"{years[0]}年{text}"
    for i, y in enumerate(old):
        text = text.replace(y, str(years[min(i, len(years) - 1)]), 1)
    return text
