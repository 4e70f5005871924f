"""Exports from the browser: a job in the queue, progress, download, audit, expiry."""

from __future__ import annotations

import csv
import functools
import io
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from campaign_app.accounts.models import Role
from campaign_app.audit.models import AuditEvent
from campaign_app.db import utcnow
from campaign_app.exports.jobs import delete_expired_exports, requeue_lost_exports
from campaign_app.exports.models import ExportFileChunk, ExportJob, ExportState
from campaign_app.exports.storage import export_folder, store_of
from campaign_app.extensions import db
from campaign_app.petitions.models import PublicDisplay
from tests.factories import make_campaign, make_petition, make_signature, make_user
from tests.support.mail import free_port
from tests.support.queue import run_queue
from tests.support.web import log_in, post_form, text_of


@pytest.fixture
def petition(app):
    petition = make_petition(slug="free-ales", campaign=make_campaign())
    make_signature(petition, first_name="Ales", last_name="Friend", city="Minsk", country="BY")
    make_signature(petition, first_name="=HYPERLINK(1)", last_name="", country="DE")
    make_signature(petition, first_name="Hidden", display=PublicDisplay.ANONYMOUS, country="NL")
    return petition


@pytest.fixture
def organiser_client(app, client, petition):
    log_in(client, make_user(Role.ORGANISER, campaigns=(petition.campaign,)))
    return client


def _export(app, client, petition, **fields):
    url = f"/organise/petitions/{petition.id}/exports"
    data = {"format": "csv", "confirmed_only": "y"} | fields
    response = post_form(client, url, data)
    assert response.status_code == 302, text_of(response)
    job_url = response.headers["Location"]
    return job_url


def _download(app, client, job_url):
    run_queue(app)
    page = client.get(job_url)
    assert "Download the file" in text_of(page)
    return client.get(job_url + "/download")


def test_csv_export_from_the_browser(app, organiser_client, petition):
    job_url = _export(app, organiser_client, petition)
    waiting = organiser_client.get(job_url)
    assert "Building the file" in text_of(waiting)
    assert 'http-equiv="refresh"' in waiting.get_data(as_text=True)
    status = organiser_client.get(job_url + "/status").get_json()
    assert status["state"] == "queued" and status["total"] == 3 and not status["finished"]

    response = _download(app, organiser_client, job_url)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=free-ales-")
    assert "no-store" in response.headers["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == [
        "number", "name", "city", "country", "country_name", "confirmed_on", "source"
    ]  # fmt: skip
    assert [row[1] for row in rows[1:]] == ["Ales Friend", "'=HYPERLINK(1)", "Anonymous"]
    assert "@" not in response.get_data(as_text=True)  # never an e-mail address
    assert (
        organiser_client.get(job_url + "/status").get_json()["download_url"].endswith("/download")
    )


def test_xlsx_and_pdf_exports_from_the_browser(app, organiser_client, petition):
    xlsx = _download(app, organiser_client, _export(app, organiser_client, petition, format="xlsx"))
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Ales Friend", "=HYPERLINK(1)", "Anonymous"]
    assert sheet.cell(row=3, column=2).data_type == "s"  # text, not a formula

    pdf = _download(app, organiser_client, _export(app, organiser_client, petition, format="pdf"))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.get_data())).pages)
    assert "Ales Friend" in text
    assert "SHA-256" in text


def test_country_filter_and_empty_selection(app, organiser_client, petition):
    job_url = _export(app, organiser_client, petition, countries="by")
    rows = list(
        csv.reader(io.StringIO(_download(app, organiser_client, job_url).get_data(as_text=True)))
    )
    assert [row[3] for row in rows[1:]] == ["BY"]

    empty_url = _export(app, organiser_client, petition, countries="FR")
    run_queue(app)
    page = text_of(organiser_client.get(empty_url))
    assert "No signature matched the selection" in page
    empty = organiser_client.get(empty_url + "/download")
    assert empty.get_data(as_text=True).splitlines() == [
        "number,name,city,country,country_name,confirmed_on,source"
    ]


def test_bad_filters_get_messages_and_keep_the_entries(app, organiser_client, petition):
    url = f"/organise/petitions/{petition.id}/exports"
    response = post_form(
        organiser_client,
        url,
        {"format": "csv", "since": "2012-09-30", "until": "2012-09-01", "countries": "BY, XX"},
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "The end date must not be before the start date." in page
    assert "Unknown countries: XX." in page
    assert 'value="BY, XX"' in response.get_data(as_text=True)
    assert db.session.scalar(select(ExportJob.id)) is None


def test_exports_and_downloads_are_audited(app, organiser_client, petition):
    _download(app, organiser_client, _export(app, organiser_client, petition))
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    exported = [e for e in events if e.action == "signatures.exported"]
    downloaded = [e for e in events if e.action == "signatures.export_downloaded"]
    assert len(exported) == len(downloaded) == 1
    assert exported[0].rows == 3
    assert exported[0].details == {
        "format": "csv",
        "via": "web",
        "bom": False,
        "confirmed_only": True,
        "since": None,
        "until": None,
        "countries": [],
    }
    export_id = db.session.scalar(select(ExportJob.id))
    assert exported[0].target == downloaded[0].target == f"export {export_id}"
    assert exported[0].actor_label.startswith("organiser")
    assert exported[0].petition_id == petition.id


def test_another_campaigns_organiser_cannot_see_or_download(app, client, petition):
    owner = app.test_client()
    log_in(owner, make_user(Role.ORGANISER, campaigns=(petition.campaign,)))
    job_url = _export(app, owner, petition)
    run_queue(app)
    log_in(client, make_user(Role.ORGANISER, campaigns=(make_campaign(),)))
    for suffix in ("", "/status", "/download"):
        assert client.get(job_url + suffix).status_code == 403
    assert client.get(f"/organise/petitions/{petition.id}/exports").status_code == 403


def stored_file(job: ExportJob) -> bytes | None:
    """The bytes its store keeps for ``job``, read as a download reads them; None when gone."""
    pieces = store_of(job).read(job)
    return None if pieces is None else b"".join(pieces)


@pytest.mark.parametrize("storage", ["folder", "database"])
def test_expired_files_are_deleted(app, organiser_client, petition, storage):
    app.config["EXPORT_STORAGE"] = storage
    job_url = _export(app, organiser_client, petition)
    run_queue(app)
    job = db.session.scalar(select(ExportJob))
    assert job.stored_in == storage
    kept = stored_file(job)
    assert kept is not None and kept.startswith(b"number,name")
    assert len(kept) == job.size_bytes
    in_folder = export_folder() / job.file_name
    assert in_folder.is_file() is (storage == "folder")
    assert list(export_folder().iterdir()) == ([in_folder] if storage == "folder" else [])
    chunks = select(func.count()).select_from(ExportFileChunk)
    assert db.session.scalar(chunks) == (1 if storage == "database" else 0)

    job.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert organiser_client.get(job_url + "/download").status_code == 404
    assert delete_expired_exports() == 1
    assert not in_folder.exists()
    assert db.session.scalar(chunks) == 0
    db.session.expire_all()
    expired = db.session.get(ExportJob, job.id)
    assert expired.state is ExportState.EXPIRED
    assert stored_file(expired) is None
    assert "has been deleted" in text_of(organiser_client.get(job_url))


def test_an_export_lost_by_the_queue_is_queued_again(app, organiser_client, petition):
    """The queue was down when the export was asked for: the periodic sweep queues it again."""
    job_url = _export(app, organiser_client, petition)
    app.extensions["campaign_queue"].huey.flush()  # the job never reached the worker
    job = db.session.scalar(select(ExportJob))
    assert requeue_lost_exports() == 0  # not stale yet
    job.created_at = utcnow() - timedelta(minutes=11)
    db.session.commit()
    assert requeue_lost_exports() == 1
    assert requeue_lost_exports() == 1  # queued twice: it must still be built once
    run_queue(app)
    assert "Download the file" in text_of(organiser_client.get(job_url))
    exported = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "signatures.exported")
    ).all()
    assert len(exported) == 1


def test_the_answer_is_the_same_while_the_queue_is_down(make_app, caplog):
    """Redis down when an export is asked for: the same redirect and page as with the queue
    up; the job waits as queued, and the worker's periodic re-queue builds it later."""
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    working = make_app()
    broken = make_app(QUEUE_BACKEND="redis", REDIS_URL=dead_redis)
    with working.app_context():
        petition = make_petition(slug="free-ales", campaign=make_campaign())
        make_signature(petition, first_name="Ales", last_name="Friend", country="BY")
        organiser = make_user(Role.ORGANISER, campaigns=(petition.campaign,))
        petition_id, email = petition.id, organiser.email
        db.session.commit()  # the requests run in app contexts of their own

    def ask_for_an_export(app):
        client = app.test_client()
        with app.app_context():
            log_in(client, SimpleNamespace(email=email))
            response = _export(app, client, SimpleNamespace(id=petition_id))
        page = client.get(response)
        status = client.get(response + "/status")
        # The job's id and the session's CSRF token are the only differences allowed.
        job_id = int(response.rsplit("/", 1)[1])
        strip = functools.partial(re.sub, rf"/exports/{job_id}\b", "/exports/N")
        html = re.sub(r'name="csrf_token" value="[^"]+"', "", page.get_data(as_text=True))
        return (
            job_id,
            client,
            (
                strip(response),
                page.status_code,
                strip(html),
                status.status_code,
                status.get_json(),
            ),
        )

    up_id, _, up = ask_for_an_export(working)
    with caplog.at_level("ERROR", logger="campaign_app.queue"):
        down_id, client, down = ask_for_an_export(broken)
    assert "Queue unavailable" in caplog.text
    assert down == up
    assert "Building the file" in down[2]

    with working.app_context():
        assert db.session.get(ExportJob, down_id).state is ExportState.QUEUED
        assert requeue_lost_exports() == 0  # not lost yet: it may still be on its way
        db.session.get(ExportJob, down_id).created_at = utcnow() - timedelta(minutes=11)
        db.session.commit()
        assert requeue_lost_exports() == 1
    run_queue(working)
    with working.app_context():
        states = {db.session.get(ExportJob, job_id).state for job_id in (up_id, down_id)}
        assert states == {ExportState.DONE}
    download = client.get(f"/organise/petitions/{petition_id}/exports/{down_id}/download")
    assert download.status_code == 200
    assert "Ales Friend" in download.get_data(as_text=True)
