"""The suite's own isolation (tests/support/database.py): what a test writes is gone after it,
and a test that escapes its transaction, or shares it with a thread, fails instead of leaving
rows for the tests after it."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from flask import Flask

from campaign_app.extensions import db
from campaign_app.petitions.models import Petition
from tests.factories import make_petition
from tests.support.database import rolled_back


def _petitions_on_another_connection(app: Flask) -> int:
    with app.app_context(), db.engine.connect() as connection:
        count: int = connection.scalar(sa.select(sa.func.count()).select_from(Petition))
    return count


def test_what_a_test_commits_is_rolled_back_after_it(
    shared_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    with rolled_back(_engine(shared_app), monkeypatch):
        with shared_app.app_context():
            make_petition(slug="kept-for-now")
            db.session.commit()  # as a service would: releases a SAVEPOINT only
        with shared_app.app_context():  # another session (a request, a job) sees it
            assert db.session.scalar(sa.select(Petition.slug)) == "kept-for-now"
    assert _petitions_on_another_connection(shared_app) == 0


def test_a_rollback_in_the_test_keeps_what_was_committed_before(
    shared_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    with rolled_back(_engine(shared_app), monkeypatch), shared_app.app_context():
        make_petition(slug="committed")
        db.session.commit()
        make_petition(slug="rolled-back")
        db.session.rollback()
        assert db.session.scalars(sa.select(Petition.slug)).all() == ["committed"]


# Commits: it ends the transaction on the driver on purpose, to see the fixture notice.
@pytest.mark.commits
def test_a_test_that_ends_the_transaction_fails_and_leaves_no_rows(
    shared_app: Flask, database: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (
        pytest.raises(pytest.fail.Exception, match="transaction ended before the test did"),
        rolled_back(_engine(shared_app), monkeypatch),
        shared_app.app_context(),
    ):
        make_petition()
        db.session.connection().connection.driver_connection.commit()
    assert _petitions_on_another_connection(shared_app) == 0


def test_db_session_in_another_thread_is_refused(
    shared_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors: list[BaseException] = []

    def elsewhere() -> None:
        try:
            with shared_app.app_context():
                db.session.scalar(sa.select(Petition.id))
        except RuntimeError as error:
            errors.append(error)

    with rolled_back(_engine(shared_app), monkeypatch):
        thread = threading.Thread(target=elsewhere)
        thread.start()
        thread.join()
    assert len(errors) == 1
    assert "mark the test @pytest.mark.commits" in str(errors[0])


def _engine(app: Flask) -> sa.Engine:
    with app.app_context():
        return db.engine
