"""Integrity checks of model folders, and how a crashed model process is described to the user."""

import shutil
import signal

import pytest

from assistant.llm.probe import describe_exit
from assistant.ingest.model_files import ModelFilesDamaged, sha256_of, verify_embedding_folder, verify_folder
from assistant.settings import bundled_m3e_path


def small_model(tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text('{"hidden_size": 8}')
    (folder / "pytorch_model.bin").write_bytes(b"weights" * 100)
    return folder, {name: sha256_of(folder / name) for name in ("config.json", "pytorch_model.bin")}


def test_intact_folder_passes_and_damage_is_named(tmp_path):
    folder, manifest = small_model(tmp_path)
    verify_folder(folder, manifest, "重新安装")
    with (folder / "pytorch_model.bin").open("r+b") as fh:
        fh.write(b"X")
    with pytest.raises(ModelFilesDamaged, match="校验失败.*pytorch_model.bin"):
        verify_folder(folder, manifest, "重新安装")


def test_missing_file_is_named(tmp_path):
    folder, manifest = small_model(tmp_path)
    (folder / "config.json").unlink()
    with pytest.raises(ModelFilesDamaged, match="缺少文件：config.json"):
        verify_folder(folder, manifest, "重新安装")


def test_bundled_m3e_passes_its_checksums():
    assert "校验通过" in verify_embedding_folder(bundled_m3e_path(), bundled_m3e_path())


def test_damaged_copy_of_m3e_is_refused(tmp_path):
    copy = tmp_path / "m3e-small"
    shutil.copytree(bundled_m3e_path(), copy)
    with (copy / "tokenizer.json").open("a") as fh:
        fh.write(" ")
    with pytest.raises(ModelFilesDamaged, match="tokenizer.json"):
        verify_embedding_folder(str(copy), str(copy))  # checked as if it were the bundled folder


def test_missing_or_incomplete_custom_folder_is_a_clear_message(tmp_path):
    with pytest.raises(ModelFilesDamaged, match="找不到嵌入模型目录"):
        verify_embedding_folder(str(tmp_path / "nowhere"), bundled_m3e_path())
    (tmp_path / "custom").mkdir()
    with pytest.raises(ModelFilesDamaged, match="不完整"):
        verify_embedding_folder(str(tmp_path / "custom"), bundled_m3e_path())


def test_exit_codes_and_signals_read_as_chinese():
    assert describe_exit(-signal.SIGSEGV) == "信号 SIGSEGV（段错误）"
    assert "非法指令" in describe_exit(-signal.SIGILL)
    assert describe_exit(1) == "退出码 1"
