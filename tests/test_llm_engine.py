"""The llm engine's own decisions, the verifier's veto and the cascade, against a scripted endpoint over HTTP
(a real model cannot be made to invent a figure on demand). The real bundled model is in test_llm.py."""

import pytest

from assistant.answering.assistant import Assistant
from assistant.answering.context import compact_passages
from assistant.answering.evidence import TermWeights
from assistant.answering.llm_engine import DECLINED_NOTE, FALLBACK_NOTE
from assistant.answering.reader import ReaderWeights

from .scripted_llm import ScriptedLLM, first_passage_sentence


@pytest.fixture
def scripted(bundled_index, retriever):
    made = []

    def make(reply, delay: float = 0.0, **update):
        llm = ScriptedLLM(reply, delay)
        made.append(llm)
        settings, _ = bundled_index
        settings = settings.model_copy(update={"llm_base_url": llm.url, **update})
        return llm, Assistant(settings, settings.index_path, embeddings=retriever.embeddings)

    yield make
    for llm in made:
        llm.close()


def test_context_is_the_best_sentences_with_neighbours(bundled_index, retriever):
    settings, _ = bundled_index
    info = retriever.analyse("中方县2023年在编教师多少人？")
    hits = retriever.search(info.text, k=6, info=info)
    passages = compact_passages(info, hits, TermWeights(retriever.idf or {}), retriever.embeddings,
                                ReaderWeights.from_settings(settings), sentences=4, limit=600)
    assert passages and [p.n for p in passages] == list(range(1, len(passages) + 1))
    assert sum(len(s.clean) for p in passages for s in p.sentences) <= 600 + max(len(s.clean) for p in passages for s in p.sentences)
    assert "2243" in passages[0].text  # the answer's sentence comes first
    whole = sum(len(h.chunk.text) for h in hits)
    assert sum(len(p.text) for p in passages) < whole / 2
    for p in passages:  # sentences in document order, each from the passage it is numbered with
        assert [s.position for s in p.sentences] == sorted(s.position for s in p.sentences)
        assert all(s.chunk_id == p.hit.chunk.chunk_id for s in p.sentences)


def test_invented_figure_falls_back_to_the_extractive_answer(scripted):
    llm, assistant = scripted("全县共有在编教师9999人[1]。")
    answer = assistant.ask("中方县2023年在编教师多少人？", engine="llm")
    assert llm.prompts, "the model was asked"
    assert not answer.refused and "9999" not in answer.answer and "2243" in answer.answer
    assert answer.warnings[0] == FALLBACK_NOTE and answer.citations


def test_invented_figure_without_an_extractive_answer_is_declined(scripted):
    llm, assistant = scripted("株洲市教育局局长共有3位[1]。")
    answer = assistant.ask("株洲市教育局局长是谁？", engine="llm")
    assert answer.refused and "3位" not in answer.answer and DECLINED_NOTE in answer.warnings


def test_the_model_decides_without_the_extractive_gate(scripted):
    llm, assistant = scripted(first_passage_sentence)
    question = "株洲市教育局局长是谁？"
    assert assistant.ask(question, engine="extractive").refused
    answer = assistant.ask(question, engine="llm")
    assert llm.prompts and not answer.refused and answer.citations
    assert answer.citations[0].quote.replace("\n", "")[:6] in llm.prompts[-1].replace("\n", "")


def test_model_refusal_is_a_refusal(scripted):
    _, assistant = scripted("资料中没有找到相关信息。")
    answer = assistant.ask("中方县2023年在编教师多少人？", engine="llm")
    assert answer.refused and not answer.citations


def test_places_outside_the_corpus_never_reach_the_model(scripted):
    llm, assistant = scripted(first_passage_sentence)
    answer = assistant.ask("北京市海淀区2023年有多少所小学？", engine="llm")
    assert answer.refused and not llm.prompts


def test_cascade_keeps_confident_answers_and_asks_the_model_otherwise(scripted):
    llm, assistant = scripted(first_passage_sentence)
    sure = assistant.ask("中方县2023年在编教师多少人？", engine="extractive")
    assert not sure.refused and sure.support >= assistant.settings.cascade_answer_score
    cascaded = assistant.ask("中方县2023年在编教师多少人？", engine="cascade")
    assert not llm.prompts and cascaded.answer == sure.answer and cascaded.engine == "extractive"
    # Nothing is confident when the bar is above every score: the model is asked.
    _, unsure = scripted(first_passage_sentence, cascade_answer_score=99.0)
    assert unsure.ask("中方县2023年在编教师多少人？", engine="cascade").engine == "llm"


def test_cascade_without_a_model_is_the_extractive_engine(assistant):
    assert assistant.ask("中方县2023年在编教师多少人？", engine="cascade").engine == "extractive"


def test_an_answer_that_only_repeats_the_question_is_a_refusal(scripted):
    _, assistant = scripted("株洲市教育局局长是[1]。")
    answer = assistant.ask("株洲市教育局局长是谁？", engine="llm")
    assert answer.refused and not answer.citations


QUESTION = "中方县2023年在编教师多少人？"


@pytest.mark.parametrize("case", ["down", "slow", "garbage"])
def test_a_failing_endpoint_gives_its_reason_and_the_extractive_answer(scripted, bundled_index, retriever, case):
    if case == "down":
        from .conftest import free_port

        settings, _ = bundled_index
        settings = settings.model_copy(update={"llm_base_url": f"http://127.0.0.1:{free_port()}/v1"})
        helper = Assistant(settings, settings.index_path, embeddings=retriever.embeddings)
    elif case == "slow":
        _, helper = scripted("中方县在编教师2243人[1]。", delay=5, llm_timeout=1)
    else:
        _, helper = scripted("@@@ <|endoftext|> ￥￥ asdf 1234 ###")
    answer = helper.ask(QUESTION, engine="llm")
    assert not answer.refused and "2243" in answer.answer and answer.engine == "extractive"
    assert answer.warnings and ("抽取式" in answer.warnings[0] or "直接摘录" in answer.warnings[0])
