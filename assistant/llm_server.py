"""`assistant llm-server`: the bundled model behind llama-cpp-python's own OpenAI-compatible server,
so the llm engine talks to it exactly as to any other endpoint."""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import sys
from pathlib import Path

from .local_model import ModelUnavailable, ensure_model
from .settings import Settings

MODEL_ALIAS = "qwen2.5-coder"


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def server_command(settings: Settings, model: str, host: str, port: int, api_key: str = "",
                   threads: int | None = None) -> list[str]:
    if importlib.util.find_spec("llama_cpp") is None:
        raise ModelUnavailable("未安装 llama-cpp-python。请运行：.venv/bin/pip install -e '.[llm]'（首次需编译约 10 分钟）")
    path = Path(model) if model.endswith(".gguf") else ensure_model(model, settings.model_cache_dir)
    if not path.exists():
        raise ModelUnavailable(f"找不到模型文件：{path}")
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(path), "--model_alias", MODEL_ALIAS,
           "--host", host, "--port", str(port), "--n_ctx", str(settings.llm_context),
           "--n_threads", str(threads or os.cpu_count() or 2), "--verbose", "False"]
    if api_key:
        cmd += ["--api_key", api_key]
    return cmd


def run(settings: Settings, model: str, host: str, port: int, api_key: str = "") -> int:
    cmd = server_command(settings, model, host, port, api_key)
    if not is_loopback(host) and not api_key:
        print(f"警告：模型服务监听 {host}，没有设置 --api-key，网络上的任何人都能调用。", file=sys.stderr)
    print(f"本地模型服务：http://{host}:{port}/v1（模型名 {MODEL_ALIAS}）。"
          f"在 assistant.toml 中设置 llm_base_url = \"http://{host}:{port}/v1\" 即可使用 llm 引擎。Ctrl-C 停止。",
          file=sys.stderr)
    sys.stderr.flush()
    # Become the server (exec, not a child): whoever stops this process stops the model server with it.
    os.execv(cmd[0], cmd)
    return 0  # not reached
