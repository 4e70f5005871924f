"""Command groups and extensions that import their library only when they are used.

Starting the app (a web worker, the queue worker, `flask --help`) must not pay for what only a
command uses: Flask-Migrate brings Alembic, Mako and Pygments, about a tenth of a second and
10 MB. `flask --help` lists a LazyGroup by its name and help alone; the library is imported
when one of its commands (or its own --help) runs, or when code reads app.extensions["migrate"]
(flask_migrate.upgrade() in tests and deployments does). Core module: imports no feature.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
from flask import Flask


class LazyGroup(click.Group):
    """A click group standing in for the one ``load`` returns, which is imported only when
    the group is invoked: listing it in a parent's help needs only its name and help."""

    def __init__(self, name: str, load: Callable[[], click.Group], help: str) -> None:
        super().__init__(name, help=help)
        self._load = load

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        # The context belongs to the real group, so click parses and runs that group.
        return self._load().make_context(info_name, args, parent=parent, **extra)


class LazyMigrate:
    """Holds app.extensions["migrate"] until Flask-Migrate is first needed, then puts the real
    configuration there (Migrate.init_app does) and answers from it."""

    def __init__(self, app: Flask, db: Any, **options: Any) -> None:
        self._app = app
        self._db = db
        self._options = options

    def load(self) -> Any:
        """The real Flask-Migrate configuration of the app, set up on the first call."""
        current = self._app.extensions.get("migrate")
        if current is not None and current is not self:
            return current
        from flask_migrate import Migrate

        Migrate(self._app, self._db, **self._options)
        return self._app.extensions["migrate"]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.load(), name)


def init_migrate(app: Flask, db: Any, directory: str) -> None:
    """Flask-Migrate for the app (`flask db ...`, flask_migrate.upgrade()), imported on use."""
    lazy = LazyMigrate(app, db, directory=directory, render_as_batch=True)
    app.extensions["migrate"] = lazy

    def load_cli() -> click.Group:
        lazy.load()
        from flask_migrate.cli import db as group

        return group  # type: ignore[no-any-return, unused-ignore]

    app.cli.add_command(LazyGroup("db", load_cli, help="Perform database migrations."))
