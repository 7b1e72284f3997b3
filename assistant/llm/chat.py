"""The chat model on any OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp server, DeepSeek …), and the
prompt files under prompts/. Answering and draft polishing both talk to the model through this."""

from __future__ import annotations

from pathlib import Path

from ..settings import Settings


class LLMUnavailable(RuntimeError):
    """The endpoint could not be reached or failed; the message is for the user, in Chinese."""


def read_prompt(settings: Settings, name: str) -> str:
    """Prompt files are read on every use, so staff edits take effect at the next question."""
    path = Path(settings.prompts_path, name)
    try:
        return path.read_text(encoding="utf-8-sig").strip()
    except OSError as exc:
        raise LLMUnavailable(f"找不到提示词文件 {path}：{exc}") from exc


class ChatModel:
    """One LangChain ChatOpenAI per assistant, streaming, with the settings' model, limits and timeout."""

    def __init__(self, settings: Settings):
        from langchain_openai import ChatOpenAI

        self.settings = settings
        self.model = ChatOpenAI(model=settings.llm_model, base_url=settings.llm_base_url, api_key=settings.llm_api_key,
                                temperature=settings.llm_temperature, max_tokens=settings.llm_max_tokens,
                                timeout=settings.llm_timeout, max_retries=1, streaming=True)

    def chain(self, system: str | None, user: str):
        """prompt | model | text, from a system prompt (optional) and a user template."""
        from langchain_core.output_parsers import StrOutputParser
        from langchain_core.prompts import ChatPromptTemplate

        messages = ([("system", system)] if system else []) + [("human", user)]
        return ChatPromptTemplate.from_messages(messages) | self.model | StrOutputParser()

    def prompt_chain(self, system_file: str | None, user_file: str):
        """The chain of two prompt files under prompts/ (read now, so edits apply at once)."""
        system = read_prompt(self.settings, system_file) if system_file else None
        return self.chain(system, read_prompt(self.settings, user_file))
