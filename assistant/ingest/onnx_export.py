"""The int8 ONNX export of the embedding model: made at setup time from the installed weights (never downloaded),
kept inside the virtual environment (not in git), and checked before every use. A missing or damaged export is
made again from the weights, or reported in Chinese when that cannot be done.

Recipe (RECIPE below; measured on the bundled m3e-small, see README "嵌入引擎"): the transformer with mean pooling
traced to ONNX with input_ids only (one text per run, so there is no padding and no attention mask), then the
weight MatMuls quantised to int8 per output channel with 7-bit range (reduce_range: no int16 saturation in the
u8×s8 kernels of CPUs without VNNI, so every x86-64 CPU computes the same integers). Activations are quantised
at run time per tensor, that is per text. Embeddings, LayerNorm, GELU and attention stay float32.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .model_files import M3E_SMALL_SHA256, WEIGHT_FILES, ModelFilesDamaged, sha256_of, verify_embedding_folder

log = logging.getLogger(__name__)

RECIPE = 1  # bump whenever the export below would give other vectors; it is part of the engine's name
ENGINE = "onnx-int8"
ONNX_FILE = "model.onnx"
MANIFEST_FILE = "export.json"
PROBE = "中方县2023年在编教师2243人，新建幼儿园3所。"  # `assistant check` compares its vector with the float32 model's
FIX = "bash scripts/setup.sh（或 .venv/bin/assistant export-embedding）"


@dataclass(frozen=True)
class Export:
    folder: Path
    manifest: dict

    @property
    def onnx_path(self) -> Path:
        return self.folder / ONNX_FILE


def export_root(setting: str = "") -> Path:
    """Where exports live: the setting, else beside the installed packages (the venv's share/), so that removing
    .venv removes them and git never sees them."""
    return Path(setting).expanduser() if setting else Path(sys.prefix) / "share" / "edu-assistant" / "embedding-onnx"


def source_digests(model_path: str, bundled: str) -> dict[str, str]:
    """sha256 of the files the export is made from: the bundled model's known checksums (verified here),
    otherwise computed."""
    verify_embedding_folder(model_path, bundled)
    folder = Path(model_path)
    if bundled and folder.resolve() == Path(bundled).resolve():
        return dict(M3E_SMALL_SHA256)
    names = ["config.json", "tokenizer.json", next(w for w in WEIGHT_FILES if (folder / w).is_file())]
    return {n: sha256_of(folder / n) for n in names if (folder / n).is_file()}


def export_folder(root: Path, model_path: str, digests: dict[str, str]) -> Path:
    key = hashlib.sha256(json.dumps(digests, sort_keys=True).encode()).hexdigest()[:12]
    return root / f"{Path(model_path).name}-{key}"


def problem(folder: Path, digests: dict[str, str]) -> str:
    """What is wrong with the export in `folder`, in Chinese ("" when it can be used)."""
    manifest_path = folder / MANIFEST_FILE
    if not manifest_path.is_file():
        return "尚未生成"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"{MANIFEST_FILE} 无法读取"
    if not isinstance(manifest, dict) or manifest.get("recipe") != RECIPE:
        return "导出方式已更新"
    if not isinstance(manifest.get("probe"), dict) or not manifest.get("onnx_sha256"):
        return f"{MANIFEST_FILE} 不完整"
    if manifest.get("source_sha256") != digests:
        return "生成它的模型文件与现在安装的不同"
    if not (folder / ONNX_FILE).is_file():
        return f"缺少 {ONNX_FILE}"
    if sha256_of(folder / ONNX_FILE) != manifest.get("onnx_sha256"):
        return f"{ONNX_FILE} 校验失败（sha256 不符），文件已损坏或被改动"
    return ""


def unsupported(model_path: str) -> str:
    """Why this model folder cannot be exported by the recipe ("" when it can): mean pooling and a tokenizer.json."""
    folder = Path(model_path)
    if not (folder / "tokenizer.json").is_file():
        return "模型目录中没有 tokenizer.json"
    modules = folder / "modules.json"
    if modules.is_file():
        kinds = [m.get("type", "").rsplit(".", 1)[-1] for m in json.loads(modules.read_text(encoding="utf-8"))]
        if any(k not in ("Transformer", "Pooling", "Normalize") for k in kinds):
            return f"模型含有 {'、'.join(kinds)} 模块，只支持 Transformer + 平均池化"
    pooling = folder / "1_Pooling" / "config.json"
    if pooling.is_file():
        config = json.loads(pooling.read_text(encoding="utf-8"))
        modes = {k: v for k, v in config.items() if k.startswith("pooling_mode")}
        if [k for k, v in modes.items() if v] != ["pooling_mode_mean_tokens"]:
            return "模型不是平均池化，只支持平均池化"
    return ""


@contextmanager
def _locked(folder: Path):
    """One process exports at a time; the others wait and then find it made."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def _trace(model_path: str, out: Path) -> list[float]:
    """The float32 model with mean pooling, traced to ONNX; returns the probe's float32 vector (normalised)."""
    import warnings

    import torch
    import transformers
    from transformers import AutoModel, AutoTokenizer

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    bert = AutoModel.from_pretrained(model_path, attn_implementation="eager").eval()

    class MeanPooled(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids):
            return self.inner(input_ids=input_ids).last_hidden_state.mean(1)

    pooled = MeanPooled(bert).eval()
    ids = torch.tensor([AutoTokenizer.from_pretrained(model_path)(PROBE)["input_ids"]], dtype=torch.long)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation notice
        torch.onnx.export(pooled, (ids,), str(out), dynamo=False, input_names=["input_ids"],
                          output_names=["embedding"], dynamic_axes={"input_ids": {0: "texts", 1: "tokens"}},
                          opset_version=17, do_constant_folding=True)
        vector = torch.nn.functional.normalize(pooled(ids), dim=-1)[0]
    return [float(x) for x in vector]


def quantize_int8(fp32: Path, int8: Path, ops: tuple[str, ...] = ("MatMul",)) -> None:
    """The recipe's quantisation (the module's docstring), shared by every model the project exports. A model
    shipped in the repository also quantises its token embeddings (`Gather`), which are most of its size."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.disable(logging.WARNING)  # the quantiser logs advice for image models on the root logger
    try:
        quantize_dynamic(fp32, int8, weight_type=QuantType.QInt8, per_channel=True, reduce_range=True,
                         op_types_to_quantize=list(ops))
    finally:
        logging.disable(logging.NOTSET)


def make_export(model_path: str, folder: Path, digests: dict[str, str]) -> Export:
    """Trace and quantise into `folder`. Files are renamed into place, the manifest last: a half-made export has
    no manifest that matches, and is made again."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    reason = unsupported(model_path)
    if reason:
        raise ModelFilesDamaged(f"嵌入模型 {model_path} 不能用 onnx-int8 引擎：{reason}。请在设置中改用 embedding_engine = \"torch\"。")
    import onnxruntime

    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST_FILE).unlink(missing_ok=True)
    for stale in folder.glob(".making-*"):  # left by an export that was killed (the caller holds the lock)
        shutil.rmtree(stale, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix=".making-", dir=folder) as tmp:
        fp32, int8 = Path(tmp) / "fp32.onnx", Path(tmp) / ONNX_FILE
        probe = _trace(model_path, fp32)
        quantize_int8(fp32, int8)
        os.replace(int8, folder / ONNX_FILE)
    manifest = {"recipe": RECIPE, "engine": ENGINE, "source": str(model_path), "source_sha256": digests,
                "onnx_sha256": sha256_of(folder / ONNX_FILE), "onnxruntime": onnxruntime.__version__,
                "probe": {"text": PROBE, "float32": probe}}
    tmp_manifest = folder / (MANIFEST_FILE + ".tmp")
    tmp_manifest.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp_manifest, folder / MANIFEST_FILE)
    return Export(folder, manifest)


def ensure_export(model_path: str, bundled: str, root: Path, rebuild: bool = True, force: bool = False) -> Export:
    """The usable export of `model_path`, made again when missing or damaged (unless `rebuild` is False)."""
    digests = source_digests(model_path, bundled)
    folder = export_folder(root, model_path, digests)
    wrong = "" if force else problem(folder, digests)
    if not force and not wrong:
        return Export(folder, json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8")))
    if not rebuild:
        raise ModelFilesDamaged(f"嵌入模型的 ONNX int8 导出不可用：{wrong}（{folder}）。请运行 {FIX}。")
    if wrong and wrong != "尚未生成":
        log.warning("嵌入模型的 ONNX int8 导出不可用（%s），正在从已安装的模型文件重新生成：%s", wrong, folder)
    try:
        with _locked(folder):
            if not force and not problem(folder, digests):  # another process made it meanwhile
                return Export(folder, json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8")))
            return make_export(model_path, folder, digests)
    except ModelFilesDamaged:
        raise
    except Exception as exc:  # no write access, a missing package, a failed trace: say so, and what to do
        raise ModelFilesDamaged(f"嵌入模型的 ONNX int8 导出不可用（{wrong or '要求重新生成'}），重新生成失败：{exc!r}。"
                                f"请运行 {FIX}，或在设置中改用 embedding_engine = \"torch\"。") from exc
