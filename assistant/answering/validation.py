"""What may be asked: a question (or a drafting instruction) that is empty or too long gets a clear message."""

from __future__ import annotations

import json

from ..settings import Settings
from ..text.normalize import CONTROL_RE, strip_controls


class BadQuestion(ValueError):
    """A question that cannot be asked; the message is for the user, in Chinese."""


def check_question(question: str, settings: Settings) -> str:
    """The question, stripped; BadQuestion when it is empty or longer than `max_question_chars`."""
    if question is None or not str(question).strip():
        raise BadQuestion("问题不能为空，请输入要查询的内容。")
    question = strip_controls(str(question)).strip()
    if not question:
        raise BadQuestion("问题不能为空，请输入要查询的内容。")
    if len(question) > settings.max_question_chars:
        raise BadQuestion(f"问题太长（{len(question)} 字），请精简到 {settings.max_question_chars} 字以内。")
    return question


def check_history(history, settings: Settings) -> list:
    """The conversation's last `max_history_turns` turns; BadQuestion when the whole of it is longer than
    `max_history_chars` (one request may not keep the cores busy reading a novel of earlier turns)."""
    if not history:
        return []
    if not isinstance(history, (list, tuple)):
        raise BadQuestion("对话记录格式不对，请清空对话后重新提问。")
    size = len(json.dumps(history, ensure_ascii=False, default=str))
    if size > settings.max_history_chars:
        raise BadQuestion(f"对话记录太长（约 {size} 字，上限 {settings.max_history_chars} 字），请清空对话后重新提问。")
    # A turn is one [问, 答] pair or two role/content messages.
    return list(history)[-2 * settings.max_history_turns :]


PLACE_NAME_CHARS = 20  # 新疆维吾尔自治区伊犁哈萨克自治州 is 16


def check_places(places: list, settings: Settings) -> None:
    """BadQuestion when a question names more places than `max_places`: a comparison searches once per place."""
    if len(places) > settings.max_places:
        raise BadQuestion(f"一个问题最多涉及 {settings.max_places} 个地区（这个问题有 {len(places)} 个），请分开提问。")


def check_place_name(place: str) -> str:
    """A place typed in the drafting form, stripped; BadQuestion when it cannot be a place name."""
    place = (place or "").strip()
    if CONTROL_RE.search(place):
        raise BadQuestion("地区名称中有控制字符，请只填地名，例如“中方县”。")
    if len(place) > PLACE_NAME_CHARS:
        raise BadQuestion(f"地区名称太长（{len(place)} 字），请只填地名，例如“中方县”。")
    return place
