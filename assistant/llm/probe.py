"""Proves that the compiled llama.cpp runs on this CPU: a subprocess loads the model and generates a few
tokens. A build tuned for another instruction set dies with SIGILL or a protection fault; the subprocess
keeps that crash out of the caller and turns it into a Chinese message saying what to do."""

from __future__ import annotations

import hashlib
import json
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PROBE_SCRIPT = """
import json, sys
from llama_cpp import Llama
llm = Llama(model_path=sys.argv[1], n_ctx=256, n_threads=2, verbose=False)
out = llm.create_completion("1+1=", max_tokens=4, temperature=0)
print(json.dumps({"text": out["choices"][0]["text"]}))
"""

SIGNAL_NAMES = {
    signal.SIGSEGV: "段错误",
    signal.SIGILL: "非法指令：编译时使用了本机 CPU 不支持的指令集",
    signal.SIGBUS: "总线错误",
    signal.SIGABRT: "程序中止",
    signal.SIGKILL: "被强制结束，可能是内存不足",
    signal.SIGFPE: "算术异常",
}

FIX_HINT = ("请删除 ~/.cache/edu-assistant/wheels 后重新运行安装（make test 或 EXTRAS=test,llm bash scripts/setup.sh），"
            "安装脚本会按通用指令集重新编译；仍然失败时设置 LLAMA_CPU=plain 再安装，使用不依赖 AVX2 的版本。")


def describe_exit(returncode: int) -> str:
    """'信号 SIGSEGV（段错误）' for a signal (negative return codes), '退出码 N' otherwise."""
    if returncode < 0:
        try:
            sig = signal.Signals(-returncode)
        except ValueError:
            return f"信号 {-returncode}"
        label = SIGNAL_NAMES.get(sig)
        return f"信号 {sig.name}" + (f"（{label}）" if label else "")
    return f"退出码 {returncode}"


@dataclass(frozen=True)
class ProbeResult:
    ok: bool
    message: str  # for the user, in Chinese


def cpu_flags() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def _stamp(model: Path) -> str:
    """What the verdict depends on: the compiled library, the model file and this CPU's instruction set."""
    import importlib.util

    spec = importlib.util.find_spec("llama_cpp")
    libs = sorted(Path(next(iter(spec.submodule_search_locations))).rglob("*.so*")) if spec else []
    parts = [f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in libs]
    st = model.stat()
    parts += [f"{model}:{st.st_size}:{st.st_mtime_ns}", cpu_flags()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]


def probe(model: Path, cache_dir: Path, timeout: float = 600) -> ProbeResult:
    """Load `model` in a subprocess and generate a few tokens. A success is remembered for this library,
    model and CPU, so a server restart does not pay for it again; a failure is never remembered."""
    ok_file = Path(cache_dir) / "probe" / f"{_stamp(model)}.ok"
    if ok_file.exists():
        return ProbeResult(True, "本地模型自检已通过（缓存）。")
    try:
        proc = subprocess.run([sys.executable, "-c", PROBE_SCRIPT, str(model)], capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return ProbeResult(False, f"本地模型自检超时（{timeout:.0f} 秒内没有生成文字）。机器可能过于繁忙或内存不足。")
    if proc.returncode != 0:
        tail = (proc.stderr or "").strip().splitlines()[-3:]
        detail = ("；".join(tail))[:400]
        if proc.returncode < 0:
            return ProbeResult(False, f"本地模型自检失败：llama.cpp 在本机 CPU 上崩溃（{describe_exit(proc.returncode)}）。"
                                      f"这通常是它在另一种 CPU 上按本机指令集编译的结果。{FIX_HINT}")
        return ProbeResult(False, f"本地模型自检失败（{describe_exit(proc.returncode)}）：{detail or '没有错误输出'}。"
                                  "请确认已安装 .[llm]：EXTRAS=test,llm bash scripts/setup.sh")
    try:
        text = json.loads(proc.stdout.strip().splitlines()[-1])["text"]
    except (ValueError, KeyError, IndexError):
        return ProbeResult(False, f"本地模型自检失败：输出无法识别（{proc.stdout[-200:]!r}）。")
    ok_file.parent.mkdir(parents=True, exist_ok=True)
    ok_file.write_text(text, encoding="utf-8")
    return ProbeResult(True, f"本地模型自检通过：生成了 {text!r}。")
