"""`assistant check` and `assistant llm-server`: the installed models proven; the bundled model served."""

from __future__ import annotations

import sys

from .common import load_settings


def cmd_check(args) -> int:
    from ..ingest.model_files import ModelFilesDamaged, verify_embedding_folder
    from ..settings import bundled_m3e_path

    settings = load_settings(args)
    try:
        print(verify_embedding_folder(settings.model_path, bundled_m3e_path()))
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
