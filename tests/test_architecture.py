"""The layout's promises, checked on the source: core/ imports neither storage/ nor bots/; the channels
never reach into storage; no module is over 450 lines; no import cycle (function-level imports count
too: a lazy import that hides a cycle is still a cycle)."""
from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "storage", "bots")
MAX_LINES = 450


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            parts = path.relative_to(REPO).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(path: Path, known: set[str]) -> set[str]:
    """Project modules a file imports anywhere in it (resolved to the longest known module name)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name.split(".")[0] in PACKAGES and name not in PACKAGES:
                out.add(name)
    return out


def test_core_imports_neither_storage_nor_bots():
    found = modules()
    offenders = {name: sorted(i for i in imports(path, set(found)) if i.startswith(("storage", "bots")))
                 for name, path in found.items() if name.startswith("core")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_channels_never_reach_into_storage():
    for path in (REPO / "bots").rglob("*.py"):
        text = path.read_text()
        assert ".store." not in text and "service.store" not in text, path.name
        if path.name not in ("bootstrap.py", "run.py", "doctor.py", "cli_keys.py"):  # the composition root and operator tools
            assert not [i for i in imports(path, set(modules())) if i.startswith("storage")], path.name


def test_no_module_over_450_lines():
    long = {name: n for name, path in modules().items() if (n := len(path.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def test_no_import_cycles():
    found = modules()
    graph = {name: imports(path, set(found)) - {name} for name, path in found.items()}
    # A package's __init__ importing nothing keeps "core.notes" from standing in for its modules.
    cycles, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in graph.get(node, ()):
            if state.get(nxt) == "open":
                cycles.append(trail[trail.index(nxt):] + [nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []
