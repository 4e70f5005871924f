"""An installed build (the wheel `pip install .` makes) carries templates, static files and
migrations inside the package, and the app serves pages and migrates a database from it.

The wheel is built with pip from a copy of this source tree; pip's build isolation fetches
setuptools from the package index (or pip's cache), so this needs the index the project's
install does. The built package is then imported from the unpacked wheel, not from the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Never copied into the build tree: VCS data, virtualenvs, build output, caches, local data.
NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "venv",
    "build",
    "dist",
    "*.egg-info",
    "instance",
    "__pycache__",
    "*.py[cod]",
    ".*_cache",
    ".work",
    "artifacts",
)

# Runs in a fresh interpreter from the unpacked wheel: import, render, serve static, migrate.
CHECK_INSTALLED = textwrap.dedent(
    """
    import json

    import sqlalchemy as sa
    from flask_migrate import upgrade

    import campaign_app
    from campaign_app import create_app
    from campaign_app.extensions import db

    app = create_app()
    client = app.test_client()
    privacy = client.get("/privacy")
    css = client.get("/static/css/site.css")
    with app.app_context():
        upgrade()
        tables = sa.inspect(db.engine).get_table_names()
        db.engine.dispose()
    print(json.dumps({
        "package": campaign_app.__file__,
        "template_folder": app.template_folder,
        "static_folder": app.static_folder,
        "migrations": app.extensions["migrate"].directory,
        "privacy_status": privacy.status_code,
        "privacy_body": privacy.get_data(as_text=True),
        "css_status": css.status_code,
        "tables": tables,
    }))
    """
)


def _files(folder: Path) -> set[str]:
    """Files under folder, relative and with /, as a wheel names them (no hidden files)."""
    return {
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file()
        and "__pycache__" not in path.parts
        and not path.name.startswith(".")
        and path.suffix != ".pyc"
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source") / "campaign"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    out = tmp_path_factory.mktemp("wheelhouse")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), "."],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"pip wheel failed:\n{result.stdout}\n{result.stderr}"
    (built,) = out.glob("campaign_app-*.whl")
    return built


@pytest.fixture(scope="module")
def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_wheel_carries_templates_static_and_migrations(wheel_names: set[str]) -> None:
    assert "campaign_app/templates/base.html" in wheel_names
    assert "campaign_app/static/css/site.css" in wheel_names
    assert "campaign_app/migrations/env.py" in wheel_names
    assert "campaign_app/migrations/alembic.ini" in wheel_names
    assert "campaign_app/migrations/script.py.mako" in wheel_names
    versions = _files(ROOT / "migrations" / "versions")
    assert versions, "no migration scripts in the checkout?"
    for folder in ("templates", "static", "migrations"):
        missing = {f"campaign_app/{folder}/{name}" for name in _files(ROOT / folder)} - wheel_names
        assert not missing, f"not in the wheel: {sorted(missing)}"


def test_wheel_carries_every_module_and_nothing_at_the_top_level(wheel_names: set[str]) -> None:
    # pyproject.toml lists the sub-packages by hand; a new one left out shows up here.
    modules = {
        f"campaign_app/{name}" for name in _files(ROOT / "campaign_app") if name.endswith(".py")
    }
    assert not modules - wheel_names, f"not in the wheel: {sorted(modules - wheel_names)}"
    assert "campaign_app/api/openapi.yaml" in wheel_names
    strays = {
        name for name in wheel_names if not name.startswith(("campaign_app/", "campaign_app-"))
    }
    assert not strays, f"outside the package: {sorted(strays)}"


def test_wheel_metadata_carries_the_licence(wheel: Path, wheel_names: set[str]) -> None:
    (licence,) = [name for name in wheel_names if name.endswith(".dist-info/licenses/LICENSE")]
    (metadata,) = [name for name in wheel_names if name.endswith(".dist-info/METADATA")]
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read(licence) == (ROOT / "LICENSE").read_bytes()
        assert "License-Expression: AGPL-3.0-or-later" in archive.read(metadata).decode()


def test_installed_build_serves_pages_and_migrates(
    wheel: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    site = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    instance = tmp_path_factory.mktemp("instance")
    elsewhere = tmp_path_factory.mktemp("cwd")
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("CAMPAIGN_")
        and name not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "PYTHONPATH"}
    }
    env.update(
        PYTHONPATH=str(site),
        CAMPAIGN_INSTANCE_PATH=str(instance),
        CAMPAIGN_SECRET_KEY="k" * 64,
        CAMPAIGN_SIGNER_DATA_KEYS="MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        CAMPAIGN_SIGNER_INDEX_KEY="ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=",
        CAMPAIGN_RATELIMIT_ENABLED="false",
    )
    result = subprocess.run(
        [sys.executable, "-c", CHECK_INSTALLED],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])

    package = site / "campaign_app"
    assert Path(seen["package"]).resolve().is_relative_to(site.resolve())
    assert Path(seen["template_folder"]) == package.resolve() / "templates"
    assert Path(seen["static_folder"]) == package.resolve() / "static"
    assert Path(seen["migrations"]) == package.resolve() / "migrations"
    assert seen["privacy_status"] == 200
    assert "Privacy note" in seen["privacy_body"]
    assert seen["css_status"] == 200
    assert {"alembic_version", "campaign", "petition", "prisoner", "signature"} <= set(
        seen["tables"]
    )
