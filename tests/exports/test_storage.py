"""Where browser-built export files are kept: EXPORT_STORAGE, and files that outlive a change."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaign_app.accounts.models import Role
from campaign_app.exports.models import ExportFileChunk, ExportJob
from campaign_app.extensions import db
from tests.factories import make_campaign, make_petition, make_signature, make_user
from tests.support.queue import run_queue
from tests.support.web import log_in, post_form, text_of


def _built_export(app, client, petition) -> str:
    url = f"/organise/petitions/{petition.id}/exports"
    response = post_form(client, url, {"format": "csv", "confirmed_only": "y"})
    assert response.status_code == 302, text_of(response)
    run_queue(app)
    return response.headers["Location"]


@pytest.fixture
def petition(app):
    petition = make_petition(slug="free-ales", campaign=make_campaign())
    make_signature(petition, first_name="Ales", last_name="Friend", country="BY")
    return petition


@pytest.fixture
def organiser_client(app, client, petition):
    log_in(client, make_user(Role.ORGANISER, campaigns=(petition.campaign,)))
    return client


def test_auto_keeps_files_in_the_database_on_postgresql_and_in_the_folder_on_sqlite(
    app, organiser_client, petition
):
    assert app.config["EXPORT_STORAGE"] == "auto"
    _built_export(app, organiser_client, petition)
    expected = "database" if db.engine.dialect.name == "postgresql" else "folder"
    assert db.session.scalar(select(ExportJob.stored_in)) == expected


@pytest.mark.parametrize(("before", "after"), [("folder", "database"), ("database", "folder")])
def test_a_file_built_before_the_setting_changed_still_downloads(
    app, organiser_client, petition, before, after
):
    app.config["EXPORT_STORAGE"] = before
    job_url = _built_export(app, organiser_client, petition)
    app.config["EXPORT_STORAGE"] = after
    assert "Download the file" in text_of(organiser_client.get(job_url))
    download = organiser_client.get(job_url + "/download")
    assert download.status_code == 200
    assert download.is_streamed  # read from the store as it is sent, never whole in memory
    assert "Ales Friend" in download.get_data(as_text=True)
    assert int(download.headers["Content-Length"]) == len(download.get_data())


def test_an_unknown_storage_is_refused_at_start(make_app):
    with pytest.raises(RuntimeError, match="CAMPAIGN_EXPORT_STORAGE must be one of auto, folder"):
        make_app(EXPORT_STORAGE="s3")


def test_files_in_the_database_are_encrypted(app, organiser_client, petition):
    """A database dump taken while an export waits holds no signer's name in the clear."""
    app.config["EXPORT_STORAGE"] = "database"
    job_url = _built_export(app, organiser_client, petition)
    stored = b"".join(db.session.scalars(select(ExportFileChunk.data)))
    assert stored and b"Ales" not in stored and b"Friend" not in stored
    assert "Ales Friend" in organiser_client.get(job_url + "/download").get_data(as_text=True)
