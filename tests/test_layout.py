"""The package reads as the pipeline: stages import only lower stages, no import cycles, rendering loads no
retriever, and no module grows past 300 lines."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "assistant"
STAGES = ["settings", "text", "ingest", "judge", "retrieval", "llm", "answering", "drafting", "evaluation", "web", "cli"]


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def imports(name: str, path: Path, top_level_only: bool = False) -> set[str]:
    """The assistant modules a module imports (relative imports resolved), optionally only those at import time."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.If) and top_level_only:
            continue  # `if TYPE_CHECKING:` blocks import nothing at run time
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found |= {f"{target}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    known = modules()
    return {t for t in found if t in known and t != name}


def stage(module: str) -> int:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] == "resources":  # data files (dictionary, stopwords, synonyms): any stage reads them
        return 0
    return STAGES.index(parts[1]) if len(parts) > 1 and parts[1] in STAGES else -1


def test_every_module_belongs_to_a_stage():
    loose = [m for m in modules() if m != "assistant" and stage(m) < 0]
    assert loose == []


def test_lower_stages_never_import_higher_ones():
    wrong = [f"{m} → {t}" for m, p in modules().items() for t in imports(m, p) if stage(t) > stage(m)]
    assert wrong == []


def test_llm_depends_on_settings_only():
    allowed = {"settings", "llm"}
    wrong = [f"{m} → {t}" for m, p in modules().items() if m.startswith("assistant.llm")
             for t in imports(m, p) if t.split(".")[1] not in allowed]
    assert wrong == []


def test_no_import_cycles():
    graph = {m: imports(m, p, top_level_only=True) for m, p in modules().items()}
    # A package's import of its own submodule (cli/__init__ → cli.main) is how packages work, not a cycle.
    graph = {m: {t for t in ts if not t.startswith(m + ".")} for m, ts in graph.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(m, trail):
        state[m] = 1
        for t in graph[m]:
            if state.get(t) == 1:
                cycles.append(trail[trail.index(t):] + [t] if t in trail else [m, t])
            elif t not in state:
                visit(t, trail + [t])
        state[m] = 2

    for m in graph:
        if m not in state:
            visit(m, [m])
    assert cycles == []


def test_no_two_modules_import_each_other_at_any_level():
    """Imports inside functions count here too: a backend chosen by the interface it implements was such a pair."""
    graph = {m: imports(m, p) for m, p in modules().items()}
    pairs = sorted({tuple(sorted((m, t))) for m, ts in graph.items() for t in ts
                    if m in graph.get(t, ()) and not t.startswith(m + ".") and not m.startswith(t + ".")})
    assert pairs == []


def test_rendering_loads_no_retriever():
    code = "import assistant.web.render, assistant.drafting.docx_export, assistant.drafting.polish"
    env = {**os.environ, "PYTHONPATH": str(PACKAGE.parent) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, env=env,
                         check=True).stderr
    loaded = {line.rsplit("|", 1)[-1].strip() for line in out.splitlines() if "|" in line}
    heavy = sorted(m for m in loaded if m.split(".")[0] in ("faiss", "langchain_community", "torch", "rank_bm25")
                   or m.startswith("assistant.retrieval"))
    assert heavy == []


@pytest.mark.parametrize("name", sorted(modules()))
def test_modules_are_small(name):
    assert len(modules()[name].read_text(encoding="utf-8").splitlines()) <= 300
