"""The trained verifier as int8 ONNX: the classifier traced with input_ids and token_type_ids (one pair per run,
so no padding and no attention mask), then quantised by the embedding export's recipe (`ingest.onnx_export`).
Files are renamed into place and the manifest, with every file's sha256 and the float32 logits of probe pairs,
is written last: a half-made export has no manifest that matches and is never loaded."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path

from ..ingest.model_files import sha256_of
from ..ingest.onnx_export import quantize_int8
from .model import MANIFEST, ONNX_FILE, TOKENIZER, VerifierFiles

PROBES = (("株洲2023年新增了多少学位？", "新改扩建中小学幼儿园12所，新增学位1.2万个。｜一、2023年工作回顾"),
          ("株洲2023年新增了多少学位？", "持续推进“双减”工作，加强校外培训机构监管。｜二、2024年工作安排"))


def export(model_dir: Path, folder: Path, max_length: int, figures: dict) -> VerifierFiles:
    """Exports the Hugging Face classifier in `model_dir` into `folder` (the shipped place, or another)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import onnxruntime
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    model = AutoModelForSequenceClassification.from_pretrained(str(model_dir), attn_implementation="eager").eval()
    tok = AutoTokenizer.from_pretrained(str(model_dir))

    class Logit(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, token_type_ids):
            return self.inner(input_ids=input_ids, token_type_ids=token_type_ids).logits[:, 0]

    wrapped = Logit(model).eval()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST).unlink(missing_ok=True)
    probes = []
    with tempfile.TemporaryDirectory(prefix=".making-", dir=folder) as tmp:
        fp32, int8 = Path(tmp) / "fp32.onnx", Path(tmp) / ONNX_FILE
        enc = tok(*PROBES[0], truncation="only_second", max_length=max_length, return_tensors="pt")
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(wrapped, (enc["input_ids"], enc["token_type_ids"]), str(fp32), dynamo=False,
                              input_names=["input_ids", "token_type_ids"], output_names=["logit"],
                              dynamic_axes={"input_ids": {0: "pairs", 1: "tokens"},
                                            "token_type_ids": {0: "pairs", 1: "tokens"}},
                              opset_version=17, do_constant_folding=True)
            for q, c in PROBES:
                e = tok(q, c, truncation="only_second", max_length=max_length, return_tensors="pt")
                probes.append({"question": q, "context": c,
                               "float32": float(wrapped(e["input_ids"], e["token_type_ids"])[0])})
        quantize_int8(fp32, int8, ops=("MatMul", "Gather"))  # the vocabulary's embeddings are 3/4 of the size
        os.replace(int8, folder / ONNX_FILE)
    shutil.copyfile(model_dir / TOKENIZER, folder / TOKENIZER)
    manifest = {"kind": "cross-encoder", "base": figures.get("base", ""), "max_length": max_length,
                "onnxruntime": onnxruntime.__version__, "training": figures, "probes": probes,
                "sha256": {ONNX_FILE: sha256_of(folder / ONNX_FILE), TOKENIZER: sha256_of(folder / TOKENIZER)}}
    tmp_manifest = folder / (MANIFEST + ".tmp")
    tmp_manifest.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp_manifest, folder / MANIFEST)
    return VerifierFiles(folder, manifest)
