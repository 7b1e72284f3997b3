"""`assistant llm-server`: the bundled model behind llama-cpp-python's own OpenAI-compatible server,
so the llm engine talks to it exactly as to any other endpoint.

The server runs as a supervised child: the build is proven first (probe.py), the child dies with this
process (PR_SET_PDEATHSIG), and how it ended is written to a status file per port, so a client that loses
its connection can tell the user that the model server exited and why, not show a bare connection error."""

from __future__ import annotations

import ctypes
import importlib.util
import ipaddress
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

from ..settings import Settings
from .local_model import ModelUnavailable, ensure_model
from .probe import describe_exit, probe

MODEL_ALIAS = "qwen2.5-coder"
PR_SET_PDEATHSIG = 1


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def resolve_model(settings: Settings, model: str) -> Path:
    if importlib.util.find_spec("llama_cpp") is None:
        raise ModelUnavailable("未安装 llama-cpp-python。请运行：EXTRAS=test,llm bash scripts/setup.sh（首次需编译约 10–25 分钟）")
    path = Path(model) if model.endswith(".gguf") else ensure_model(model, settings.model_cache_dir)
    if not path.exists():
        raise ModelUnavailable(f"找不到模型文件：{path}")
    return path


def server_command(settings: Settings, path: Path, host: str, port: int, api_key: str = "",
                   threads: int | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(path), "--model_alias", MODEL_ALIAS,
           "--host", host, "--port", str(port), "--n_ctx", str(settings.llm_context),
           "--n_threads", str(threads or os.cpu_count() or 2), "--verbose", "False"]
    if api_key:
        cmd += ["--api_key", api_key]
    return cmd


# --- status file ----------------------------------------------------------------------------------------------------
def status_path(settings: Settings, port: int) -> Path:
    return Path(settings.model_cache_dir) / "servers" / f"{port}.json"


def write_status(settings: Settings, port: int, **fields) -> None:
    path = status_path(settings, port)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps({**fields, "time": time.time()}, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def exit_notice(settings: Settings, base_url: str, wait: float = 2.0) -> str | None:
    """If `base_url` is a bundled model server started here and it is no longer running, say so and why.
    The supervisor records the exit a moment after the connection drops, hence the short wait."""
    url = urlparse(base_url or "")
    if not url.port or not is_loopback(url.hostname or ""):
        return None
    path = status_path(settings, url.port)
    deadline = time.time() + wait
    while True:
        try:
            status = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if status.get("state") == "exited":
            return (f"本地模型服务已退出（{describe_exit(int(status.get('returncode', 1)))}），这次回答没有完成。"
                    "请查看 assistant llm-server 的输出并重新启动它，或改用 extractive 引擎。")
        if status.get("state") == "running" and _alive(int(status.get("server_pid", 0))):
            return None
        if status.get("state") == "stopped":
            return "本地模型服务已停止。请重新运行 assistant llm-server，或改用 extractive 引擎。"
        if time.time() > deadline:
            return "本地模型服务进程已不在运行。请重新运行 assistant llm-server，或改用 extractive 引擎。"
        time.sleep(0.1)


# --- supervisor -----------------------------------------------------------------------------------------------------
def _die_with_parent() -> None:
    """Runs in the child before exec: the kernel sends it SIGTERM when this supervisor dies, even by SIGKILL."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def run(settings: Settings, model: str, host: str, port: int, api_key: str = "") -> int:
    path = resolve_model(settings, model)
    print("本地模型自检中（加载模型并生成几个字）…", file=sys.stderr, flush=True)
    result = probe(path, settings.model_cache_dir)
    if not result.ok:
        print(result.message, file=sys.stderr)
        return 3
    if not is_loopback(host) and not api_key:
        print(f"警告：模型服务监听 {host}，没有设置 --api-key，网络上的任何人都能调用。", file=sys.stderr)
    child = subprocess.Popen(server_command(settings, path, host, port, api_key), preexec_fn=_die_with_parent)
    stopping = False

    def forward(signum, _frame):
        nonlocal stopping
        stopping = True
        child.send_signal(signum)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, forward)
    write_status(settings, port, state="running", pid=os.getpid(), server_pid=child.pid, model=str(path))
    print(f"本地模型服务：http://{host}:{port}/v1（模型名 {MODEL_ALIAS}）。"
          f"在 assistant.toml 中设置 llm_base_url = \"http://{host}:{port}/v1\" 即可使用 llm 引擎。Ctrl-C 停止。",
          file=sys.stderr, flush=True)
    returncode = child.wait()
    if stopping:
        write_status(settings, port, state="stopped", returncode=returncode)
        return 0
    write_status(settings, port, state="exited", returncode=returncode)
    print(f"本地模型服务意外退出（{describe_exit(returncode)}）。", file=sys.stderr)
    return 128 - returncode if returncode < 0 else (returncode or 1)
