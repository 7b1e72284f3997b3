#!/usr/bin/env bash
# Builds llama-cpp-python for a portable x86-64 instruction set and installs it into the given python's
# environment. pip's own wheel cache ignores CMAKE_ARGS, so a natively tuned wheel built elsewhere could be
# reused on a CPU it crashes on; the wheel is therefore built into a cache folder named for its build flags.
set -euo pipefail
cd "$(dirname "$0")/.."
py=${1:-.venv/bin/python}
ver=$(grep -o 'llama-cpp-python\[server\]==[0-9.]*' pyproject.toml | cut -d= -f3)

# LLAMA_CPU=avx2|plain overrides the choice. avx2 needs AVX2, FMA and F16C (every x86-64 CPU since 2013-2015);
# plain runs on any x86-64. Never native tuning, never AVX-512 or AMX kernels.
flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)
has() { [[ " $flags " == *" $1 "* ]]; }
variant=${LLAMA_CPU:-}
if [ -z "$variant" ]; then
  if has avx2 && has fma && has f16c; then
    variant=avx2
  else
    variant=plain
    echo "提示：本机 CPU 不支持 AVX2/FMA/F16C，本地模型使用通用编译（较慢）。" >&2
  fi
fi
off="-DGGML_NATIVE=OFF -DGGML_AVX512=OFF -DGGML_AVX512_VBMI=OFF -DGGML_AVX512_VNNI=OFF -DGGML_AVX512_BF16=OFF"
off="$off -DGGML_AVX_VNNI=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF -DGGML_BMI2=OFF"
case "$variant" in
  avx2)  cmake_args="$off -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON" ;;
  plain) cmake_args="$off -DGGML_AVX=OFF -DGGML_AVX2=OFF -DGGML_FMA=OFF -DGGML_F16C=OFF" ;;
  *) echo "LLAMA_CPU 只能是 avx2 或 plain（现在是 $variant）。" >&2; exit 2 ;;
esac

tag=$(echo "$ver $cmake_args" | sha256sum | cut -c1-12)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/edu-assistant/wheels/llama-cpp-python-$ver-$variant-$tag
installed=$("$py" -c "import importlib.metadata as m; print(m.version('llama-cpp-python'))" 2>/dev/null || true)
marker=$("$py" -c "import sys; print(sys.prefix)")/.llama-build
if [ "$installed" = "$ver" ] && [ "$(cat "$marker" 2>/dev/null)" = "$tag" ]; then
  exit 0
fi
wheel=$(ls "$cache"/llama_cpp_python-*.whl 2>/dev/null | head -1 || true)
if [ -z "$wheel" ]; then
  echo "编译 llama-cpp-python $ver（$variant，仅首次，约 10–25 分钟）…" >&2
  mkdir -p "$cache"
  CMAKE_ARGS="$cmake_args" FORCE_CMAKE=1 "$py" -m pip --disable-pip-version-check -q wheel \
    --no-deps --no-binary llama-cpp-python --no-cache-dir -w "$cache.tmp" "llama-cpp-python==$ver"
  mv "$cache.tmp"/llama_cpp_python-*.whl "$cache"/ && rm -rf "$cache.tmp"
  wheel=$(ls "$cache"/llama_cpp_python-*.whl | head -1)
fi
"$py" -m pip --disable-pip-version-check -q install --force-reinstall --no-deps "$wheel"
echo "$tag" > "$marker"
