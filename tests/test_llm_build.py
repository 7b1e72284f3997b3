"""The compiled llama.cpp is portable, proven before use, and a dying model server is reported as such."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_llm import free_port, wait_for_server

pytestmark = pytest.mark.slow
llama_cpp = pytest.importorskip("llama_cpp")


def compiled_libraries() -> list[Path]:
    return sorted(p for p in Path(llama_cpp.__file__).parent.rglob("*.so*") if p.is_file())


def test_build_has_no_avx512_or_amx_kernels():
    """Built for a portable instruction set: no zmm (AVX-512) or tile (AMX) instructions anywhere, so the
    same wheel runs on any x86-64 CPU with AVX2, whatever CPU compiled it."""
    libs = compiled_libraries()
    assert any("ggml-cpu" in p.name for p in libs), libs
    for lib in libs:
        out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", str(lib)], capture_output=True, text=True,
                             check=True).stdout
        assert not re.search(r"%zmm\d|\btile(loadd|stored|zero)\b|\btdp", out), f"{lib.name} has AVX-512/AMX code"


def test_check_command_proves_the_local_model():
    proc = subprocess.run([sys.executable, "-m", "assistant.cli", "check", "--llm"], capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "校验通过" in proc.stdout and "自检" in proc.stdout


def test_a_crashing_build_is_explained(tmp_path, monkeypatch):
    from assistant.llm import probe as llm_probe
    from assistant.llm.local_model import ensure_model
    from assistant.settings import Settings

    model = ensure_model("0.5b", Settings().model_cache_dir)
    # The same subprocess path, with a process that dies the way a wrongly tuned build does.
    monkeypatch.setattr(llm_probe, "PROBE_SCRIPT", "import os, signal; os.kill(os.getpid(), signal.SIGILL)")
    result = llm_probe.probe(model, tmp_path)
    assert not result.ok
    assert "SIGILL" in result.message and "非法指令" in result.message and "LLAMA_CPU=plain" in result.message
    assert not list(tmp_path.rglob("*.ok"))  # a failure is never remembered


def test_server_death_is_reported_with_its_signal(tmp_path, bundled_index, retriever):
    from assistant.answering.assistant import Assistant
    from assistant.llm.server import status_path

    port = free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "llm-server", "--port", str(port)],
                                stdout=fh, stderr=subprocess.STDOUT)
    try:
        url = wait_for_server(proc, port, log)
        settings = bundled_index[0].model_copy(update={"llm_base_url": url})
        status = json.loads(status_path(settings, port).read_text())
        assert status["state"] == "running"
        os.kill(status["server_pid"], signal.SIGSEGV)  # what the wrongly tuned build did on its first completion
        assert proc.wait(timeout=60) == 128 + signal.SIGSEGV
        assert "意外退出（信号 SIGSEGV" in log.read_text()
        helper = Assistant(settings, settings.index_path, embeddings=retriever.embeddings)
        # The reason is given, and the extractive answer offered in its place.
        answer = helper.ask("黄石支持哪所大学创建国家师范教育基地？", engine="llm")
        assert "本地模型服务已退出（信号 SIGSEGV（段错误））" in answer.warnings[0] and "抽取式" in answer.warnings[0]
        assert answer.engine == "extractive" and "湖北师范大学" in answer.answer
    finally:
        proc.kill()
        proc.wait()


def test_killing_the_supervisor_stops_the_model_server(tmp_path):
    from assistant.llm.server import status_path
    from assistant.settings import Settings

    port = free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "llm-server", "--port", str(port)],
                                stdout=fh, stderr=subprocess.STDOUT)
    wait_for_server(proc, port, log)
    server_pid = json.loads(status_path(Settings(), port).read_text())["server_pid"]
    proc.kill()
    proc.wait()
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            os.kill(server_pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    os.kill(server_pid, signal.SIGKILL)
    pytest.fail("the model server outlived its supervisor")
