"""`assistant check` and `assistant llm-server`: the installed models proven; the bundled model served."""

from __future__ import annotations

import sys
from pathlib import Path

from .common import load_settings


def cmd_check(args) -> int:
    from ..ingest.model_files import ModelFilesDamaged, verify_embedding_folder
    from ..settings import bundled_m3e_path

    settings = load_settings(args)
    try:
        print(verify_embedding_folder(settings.model_path, bundled_m3e_path()))
        if settings.embedding_engine == "onnx-int8":
            print(check_onnx_export(settings))
        if settings.verifier:
            print(check_verifier(settings))
    except ModelFilesDamaged as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if not args.llm:
        return 0
    from ..llm.local_model import ModelUnavailable
    from ..llm.probe import probe
    from ..llm.server import resolve_model

    try:
        path = resolve_model(settings, args.model or settings.local_model)
    except ModelUnavailable as exc:
        print(str(exc), file=sys.stderr)
        return 2
    result = probe(path, settings.model_cache_dir)
    print(result.message, file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else 3


MAX_VERIFIER_GAP = 0.05  # int8 here against float32 at export, in probability; measured about 0.01


def check_verifier(settings) -> str:
    """The answer verifier's files match their checksums, and it runs here close to the model it was trained as."""
    from pathlib import Path

    from ..ingest.model_files import ModelFilesDamaged
    from ..judge.model import FIX, verified
    from ..judge.runtime import probe_agreement

    files = verified(Path(settings.verifier_dir) if settings.verifier_dir else None)
    gap = probe_agreement(files)
    if gap > MAX_VERIFIER_GAP:
        raise ModelFilesDamaged(f"答案核验模型在本机的结果与训练时相差过大（概率差 {gap:.3f}），请运行 {FIX}。")
    return f"答案核验模型校验通过（与 float32 模型的概率差 {gap:.4f}）：{files.folder}"


MIN_PROBE_COSINE = 0.98  # measured 0.997 on the bundled corpus; torch's int8 path gave 0.983 on average


def check_onnx_export(settings) -> str:
    """The export is there and intact, loads, and gives the probe sentence a vector close to float32's."""
    from ..ingest.embed import LocalEmbeddings
    from ..ingest.model_files import ModelFilesDamaged
    from ..ingest.onnx_engine import probe_cosine
    from ..ingest.onnx_export import FIX, ensure_export, export_root
    from ..settings import bundled_m3e_path

    emb = LocalEmbeddings.from_settings(settings)
    export = ensure_export(settings.model_path, bundled_m3e_path(), export_root(settings.embedding_onnx_dir),
                           rebuild=False)
    try:
        cosine = probe_cosine(export, Path(settings.model_path) / "tokenizer.json", emb.max_tokens)
    except Exception as exc:
        raise ModelFilesDamaged(f"嵌入模型的 ONNX int8 导出无法在本机运行：{exc!r}。请运行 {FIX}。") from exc
    if cosine < MIN_PROBE_COSINE:
        raise ModelFilesDamaged(f"嵌入模型的 ONNX int8 导出在本机算出的向量与原模型相差过大（余弦 {cosine:.4f}，"
                                f"应不低于 {MIN_PROBE_COSINE}）。请运行 .venv/bin/assistant export-embedding --force 重新生成。")
    return f"嵌入模型 ONNX int8 导出校验通过（与 float32 模型的余弦相似度 {cosine:.4f}）：{export.folder}"


def cmd_export_embedding(args) -> int:
    """Made at setup: the int8 ONNX export of the embedding model, from the installed weights. Idempotent."""
    import time

    from ..ingest.model_files import ModelFilesDamaged
    from ..ingest.onnx_export import ensure_export, export_folder, export_root, problem, source_digests
    from ..settings import bundled_m3e_path

    settings = load_settings(args)
    root = export_root(settings.embedding_onnx_dir)
    started = time.time()
    try:
        digests = source_digests(settings.model_path, bundled_m3e_path())
        if not args.force and not problem(export_folder(root, settings.model_path, digests), digests):
            print(f"嵌入模型 ONNX int8 导出已是最新：{export_folder(root, settings.model_path, digests)}")
            return 0
        print("正在从已安装的模型文件生成嵌入模型的 ONNX int8 导出（约十秒）…", file=sys.stderr)
        export = ensure_export(settings.model_path, bundled_m3e_path(), root, force=args.force)
    except ModelFilesDamaged as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"嵌入模型 ONNX int8 导出已生成（{time.time() - started:.0f} 秒）：{export.folder}")
    return 0


def cmd_llm_server(args) -> int:
    from ..llm.local_model import ModelUnavailable
    from ..llm.server import run

    settings = load_settings(args)
    try:
        return run(settings, args.model or settings.local_model, args.host, args.port or settings.llm_server_port,
                   args.api_key or "")
    except ModelUnavailable as exc:
        print(str(exc), file=sys.stderr)
        return 1
