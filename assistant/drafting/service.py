"""Drafting as the CLI and the web page ask for it: an instruction (+ the place and year a form gave) → a draft
in the corpus's house style; with the llm engine, polished by the model."""

from __future__ import annotations

from ..answering.assistant import Assistant
from ..answering.validation import BadQuestion, check_place_name, check_question
from .planner import compose
from .instruction import parse_instruction
from .schema import Draft, DraftError


def make_draft(assistant: Assistant, instruction: str, engine: str | None = None, place: str = "",
               year: int | None = None) -> Draft:
    instruction = check_question(instruction, assistant.settings)
    place = check_place_name(place)
    name = assistant.engine_name(engine)
    try:
        req = parse_instruction(instruction, assistant.metas)
    except DraftError as exc:
        raise BadQuestion(str(exc)) from exc
    # What the form in the page asks for, when the instruction left it out.
    if place:
        req.place = place
        req.assumed = [a for a in req.assumed if not a.startswith("未指定地区")]
    if year:
        if not 1949 <= int(year) <= 2100:
            raise BadQuestion(f"年份 {year} 不对，请填 1949 到 2100 之间的年份。")
        req.year = int(year)
        req.assumed = [a for a in req.assumed if not a.startswith("未指定年份")]
    draft = compose(assistant.retriever, req)
    draft.warnings = req.assumed + draft.warnings
    if name == "llm":
        from .polish import polish

        draft = polish(draft, assistant.llm_engine().chat)
    return draft
