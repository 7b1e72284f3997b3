"""Entry point of the `assistant` command: parse, run, and turn expected failures into a message and exit code."""

from __future__ import annotations

import logging
import sys

from .parser import build_parser

log = logging.getLogger("assistant")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args) or 0
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into head and the like
        sys.stderr.close()
        return 0
    except Exception as exc:
        from ..ingest.embed import ModelMissing
        from ..ingest.store import IndexMissing

        if isinstance(exc, (IndexMissing, ModelMissing, FileNotFoundError, RuntimeError)):
            print(str(exc), file=sys.stderr)
            log.debug("details", exc_info=True)
            return 1
        raise
