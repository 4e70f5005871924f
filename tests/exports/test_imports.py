"""The exports package imports in one direction: no module imports one that imports it back,
the job never imports the service that queues it, and the shared fonts import no feature."""

from __future__ import annotations

import ast
from pathlib import Path

import campaign_app

PACKAGE = Path(campaign_app.__file__).resolve().parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The campaign_app modules ``path`` imports anywhere: at the top, in functions, for type
    checking (a name imported from a package counts as its submodule when there is one)."""
    modules = {_module_name(p) for p in PACKAGE.rglob("*.py")}
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in modules else node.module)
    return {name for name in found if name.startswith("campaign_app")}


def test_the_exports_modules_import_without_a_cycle() -> None:
    graph = {
        _module_name(path): {
            name for name in _imports(path) if name.startswith("campaign_app.exports")
        }
        for path in (PACKAGE / "exports").rglob("*.py")
        # Left out: the package's init_app, which imports the views and the command to
        # register them, the one import back to the package (for its blueprint) Flask expects.
        if path != PACKAGE / "exports" / "__init__.py"
    }
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, "import cycle: " + " -> ".join((*path, module))
        if module in done:
            return
        for imported in graph.get(module, ()):
            visit(imported, (*path, module))
        done.add(module)

    for module in graph:
        visit(module, ())
    assert "campaign_app.exports.write" in graph["campaign_app.exports.jobs"]
    assert "campaign_app.exports.commands" in graph  # the cycle check saw the whole package


def test_the_job_never_imports_the_service_that_queues_it() -> None:
    assert "campaign_app.exports.service" not in _imports(PACKAGE / "exports" / "jobs.py")
    assert "campaign_app.exports.jobs" in _imports(PACKAGE / "exports" / "service.py")


def test_the_shared_fonts_import_no_feature() -> None:
    assert _imports(PACKAGE / "fonts.py") == set()
