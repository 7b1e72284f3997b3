"""The shipped verifier: its files in the package (assistant/resources/verifier/), their checksums in its
manifest, checked before use so a damaged or half-copied model is reported in Chinese and never half-used."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..ingest.model_files import ModelFilesDamaged, sha256_of

MANIFEST = "verifier.json"
ONNX_FILE = "model.onnx"
TOKENIZER = "tokenizer.json"
FIX = ".venv/bin/assistant train-verifier（或从版本库恢复 assistant/resources/verifier/）"


def shipped_folder() -> Path:
    return Path(__file__).resolve().parent.parent / "resources" / "verifier"


@dataclass(frozen=True)
class VerifierFiles:
    folder: Path
    manifest: dict

    @property
    def onnx_path(self) -> Path:
        return self.folder / ONNX_FILE

    @property
    def tokenizer_path(self) -> Path:
        return self.folder / TOKENIZER

    @property
    def max_length(self) -> int:
        return int(self.manifest.get("max_length", 128))


def problem(folder: Path) -> str:
    """What is wrong with the model in `folder`, in Chinese ("" when it can be used)."""
    path = folder / MANIFEST
    if not path.is_file():
        return "尚未训练（没有 verifier.json）"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"{MANIFEST} 无法读取"
    digests = manifest.get("sha256") if isinstance(manifest, dict) else None
    if not isinstance(digests, dict) or set(digests) != {ONNX_FILE, TOKENIZER}:
        return f"{MANIFEST} 不完整"
    for name, digest in digests.items():
        if not (folder / name).is_file():
            return f"缺少 {name}"
        if sha256_of(folder / name) != digest:
            return f"{name} 校验失败（sha256 不符），文件已损坏或被改动"
    return ""


def verified(folder: Path | None = None) -> VerifierFiles:
    folder = Path(folder or shipped_folder())
    wrong = problem(folder)
    if wrong:
        raise ModelFilesDamaged(f"答案核验模型不可用：{wrong}（{folder}）。请运行 {FIX}。")
    return VerifierFiles(folder, json.loads((folder / MANIFEST).read_text(encoding="utf-8")))
