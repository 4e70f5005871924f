"""The package map stays as README's Layout describes it: the core imports no feature, no
module imports one that imports it back (the typed models aside), no module grows past 450
lines. Read from the source with ast, so a change that breaks the shape fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import campaign_app

PACKAGE = Path(campaign_app.__file__).resolve().parent
FEATURES = {path.parent.name for path in PACKAGE.glob("*/__init__.py")} - {"translations"}
CORE = sorted(path for path in PACKAGE.glob("*.py") if path.name != "__init__.py")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _imports(path: Path) -> set[str]:
    """The campaign_app modules ``path`` imports anywhere (top level, functions, type checks)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in MODULES else node.module)
    return {name for name in found if name in MODULES}


def test_there_are_features_and_a_core() -> None:
    assert {"petitions", "letters", "prisoners", "campaigns", "exports"} <= FEATURES
    assert "management" not in FEATURES
    assert {path.name for path in CORE} >= {"queue.py", "security.py", "mail.py", "db.py"}


def test_the_core_imports_no_feature() -> None:
    offending = {
        path.name: sorted(
            name
            for name in _imports(path)
            if name.split(".")[1:2] and name.split(".")[1] in FEATURES
        )
        for path in CORE
    }
    assert {name: found for name, found in offending.items() if found} == {}


def test_no_feature_imports_the_factory() -> None:
    importers = [
        name
        for name, path in MODULES.items()
        if "campaign_app" in _imports(path) and name != "campaign_app"
    ]
    assert importers == []


def _cycles() -> list[set[str]]:
    """Strongly connected groups of modules (Tarjan), leaving out the edge from a package's
    ``__init__`` to its own modules: init_app imports the views to register them."""
    graph = {
        name: {
            other
            for other in _imports(path)
            if not (path.name == "__init__.py" and other.startswith(name + "."))
        }
        for name, path in MODULES.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return groups


def test_no_import_cycle_but_the_typed_models() -> None:
    cycles = [sorted(group) for group in _cycles()]
    assert [group for group in cycles if not all(n.endswith(".models") for n in group)] == []


def test_no_job_imports_the_service_that_queues_it() -> None:
    """Services enqueue their jobs after commit; a job importing its service would close a
    cycle (README: Adding a feature)."""
    jobs = sorted(PACKAGE.glob("*/jobs.py"))
    assert len(jobs) >= 4
    offending = {
        _module_name(path): sorted(
            name
            for name in _imports(path)
            if name == f"campaign_app.{path.parent.name}.service"
            or name.startswith(f"campaign_app.{path.parent.name}.service.")
        )
        for path in jobs
    }
    assert {name: found for name, found in offending.items() if found} == {}


def test_no_module_is_over_450_lines() -> None:
    long = {
        name: lines
        for name, path in MODULES.items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 450
    }
    assert long == {}
