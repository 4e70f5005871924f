"""Starting the app loads no library that only some requests or commands use.

A web worker, the queue worker and every `flask` command build the app; PDF, spreadsheet,
image, Markdown, QR code, YAML and migration libraries load with the first request or command
that uses them (bench/startup_bench.py measures what this saves). Nor does the start do work
that waits for first use: the mappers are configured by the first query. The libraries every
start needs load inside create_app, with the garbage collector paused, and what the start
built is frozen out of the collector's sight. Each check runs in a clean interpreter, since
this test process has long imported them all.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from campaign_app import create_app
from tests.support.settings import SECRET

ROOT = Path(__file__).resolve().parent.parent

# Imported on first use only; any of them in sys.modules after start-up is a regression.
LAZY = (
    "reportlab",
    "PIL",
    "xlsxwriter",
    "markdown_it",
    "nh3",
    "segno",
    "yaml",
    "flask_migrate",
    "alembic",
    "mako",
    "pygments",
    "huey",
    "redis",
    "email_validator",
    "campaign_app.letters.pdf",
    "campaign_app.appeals.pdf",
    "campaign_app.exports.writers.pdf",
    "campaign_app.exports.writers.xlsx",
    "campaign_app.sharing.image",
)

START_AND_LIST_COMMANDS = textwrap.dedent(
    """
    import json, sys
    from flask.cli import FlaskGroup

    # What `flask --app wsgi --help` does: build the app, list every command with its help.
    group = FlaskGroup(name="flask")
    try:
        group.main(["--app", "wsgi", "--help"], prog_name="flask")
    except SystemExit as stop:
        assert stop.code == 0, stop.code
    print("LOADED " + json.dumps(sorted(name for name in {lazy} if name in sys.modules)))
    """
)


def _loaded_after(code: str, tmp_path: Path) -> tuple[list[str], str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CAMPAIGN_", "FLASK_", "PYTHON"))
    }
    env.update(
        CAMPAIGN_INSTANCE_PATH=str(tmp_path),
        CAMPAIGN_SECRET_KEY=SECRET,
        CAMPAIGN_DATABASE_URL=f"sqlite:///{tmp_path / 'lazy.sqlite3'}",
        CAMPAIGN_QUEUE_BACKEND="memory",
        FLASK_DEBUG="1",  # so the app derives the signer keys from SECRET_KEY, as tests do
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    marker = [line for line in done.stdout.splitlines() if line.startswith("LOADED ")]
    assert marker, done.stdout
    loaded: list[str] = json.loads(marker[-1].removeprefix("LOADED "))
    return loaded, done.stdout


def test_the_cli_starts_and_lists_its_commands_without_the_heavy_libraries(
    tmp_path: Path,
) -> None:
    loaded, output = _loaded_after(START_AND_LIST_COMMANDS.format(lazy=repr(LAZY)), tmp_path)
    # The listing is complete: the lazily loaded groups are named with their help.
    assert "Perform database migrations." in output
    assert "letters" in output and "petitions" in output
    assert loaded == []


def test_the_lazy_libraries_load_when_used(tmp_path: Path) -> None:
    # The check above would pass vacuously if the names were wrong: here they do appear.
    code = textwrap.dedent(
        """
        import json, sys
        import wsgi
        from campaign_app.markdown import render_markdown
        from campaign_app.exports.writers import xlsx, pdf

        assert "<strong>" in render_markdown("**bold**")
        with wsgi.app.app_context():
            wsgi.app.extensions["migrate"].directory
        print("LOADED " + json.dumps(sorted(name for name in {lazy} if name in sys.modules)))
        """
    ).format(lazy=repr(LAZY))
    loaded, _ = _loaded_after(code, tmp_path)
    assert {"markdown_it", "nh3", "xlsxwriter", "reportlab", "flask_migrate", "alembic"} <= set(
        loaded
    )


START_STATE = textwrap.dedent(
    """
    import gc, json, sys

    import campaign_app

    package_only = sorted(name for name in ("flask", "sqlalchemy") if name in sys.modules)
    import wsgi
    from campaign_app.db import Base

    print("LOADED " + json.dumps({
        "package_only": package_only,
        "configured": sorted(m.class_.__name__ for m in Base.registry.mappers if m.configured),
        "mappers": len(Base.registry.mappers),
        "frozen": gc.get_freeze_count(),
        "collecting": gc.isenabled(),
    }))
    """
)


def test_the_start_leaves_the_collector_and_the_mappers_alone(tmp_path: Path) -> None:
    _, output = _loaded_after(START_STATE, tmp_path)
    state = json.loads(output.split("LOADED ", 1)[1].splitlines()[0])
    # Importing the package loads no library: create_app does, with the collector paused.
    assert state["package_only"] == []
    # No query yet, so no mapper configured (the first query configures them all).
    assert state["mappers"] > 30
    assert state["configured"] == []
    # The app built at start is the process's: frozen, and the collector runs again after.
    assert state["frozen"] > 100_000
    assert state["collecting"] is True


def test_apps_built_with_test_settings_stay_collectable() -> None:
    frozen = gc.get_freeze_count()
    collecting = gc.isenabled()
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://"})
    assert app.testing
    assert gc.get_freeze_count() == frozen
    assert gc.isenabled() is collecting
