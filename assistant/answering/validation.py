"""What may be asked: a question (or a drafting instruction) that is empty or too long gets a clear message."""

from __future__ import annotations

from ..settings import Settings


class BadQuestion(ValueError):
    """A question that cannot be asked; the message is for the user, in Chinese."""


def check_question(question: str, settings: Settings) -> str:
    """The question, stripped; BadQuestion when it is empty or longer than `max_question_chars`."""
    if question is None or not str(question).strip():
        raise BadQuestion("问题不能为空，请输入要查询的内容。")
    question = str(question).strip()
    if len(question) > settings.max_question_chars:
        raise BadQuestion(f"问题太长（{len(question)} 字），请精简到 {settings.max_question_chars} 字以内。")
    return question
