#!/usr/bin/env bash
# The browser test drives Debian's chromium; CJK fonts make its screenshots readable. Installs them when missing.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
pkgs="chromium fonts-noto-cjk"
if [ "$(id -u)" = 0 ]; then
  echo "安装浏览器测试所需的 chromium …" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q $pkgs >/dev/null || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $pkgs >/dev/null; }
elif sudo -n true 2>/dev/null; then
  echo "安装浏览器测试所需的 chromium …" >&2
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q $pkgs >/dev/null
else
  echo "提示：未安装 chromium，浏览器测试将跳过（sudo apt-get install chromium fonts-noto-cjk）。" >&2
fi
