"""Issue 4's "done when", end to end, as people would do it: a new admin from the command
line, a petition made and opened in the browser, a signature from another browser, the
statistics moving, three delivery exports, and a signer erased who then appears in no
export while the count by country stays."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from campaign_app.audit.models import AuditEvent
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.petitions.models import Petition
from tests.support.petitions import confirmation_path, sign
from tests.support.queue import run_queue
from tests.support.web import csrf_token, text_of

PASSWORD = "organisers keep people safe"


def _post(client, url, data, page_url=None):
    response = client.post(url, data={**data, "csrf_token": csrf_token(client, page_url or url)})
    assert response.status_code == 302, text_of(response)[:3000]
    return response.headers["Location"]


def _export(app, client, petition_id, fmt):
    job_url = _post(
        client, f"/organise/petitions/{petition_id}/exports", {"format": fmt, "confirmed_only": "y"}
    )
    run_queue(app)
    assert "Download the file" in text_of(client.get(job_url))
    return client.get(job_url + "/download").get_data()


def _all_exports(app, client, petition_id):
    rows = list(csv.reader(io.StringIO(_export(app, client, petition_id, "csv").decode())))
    sheet = load_workbook(io.BytesIO(_export(app, client, petition_id, "xlsx"))).active
    pdf = PdfReader(io.BytesIO(_export(app, client, petition_id, "pdf")))
    pdf_text = "\n".join(page.extract_text() for page in pdf.pages)
    return rows, [list(row) for row in sheet.iter_rows(values_only=True)], pdf_text


def test_done_when(app, runner, mailbox):
    created = runner.invoke(
        args=["users", "create-admin", "admin@example.org"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert created.exit_code == 0, created.output

    admin = app.test_client()
    _post(admin, "/account/login", {"email": "admin@example.org", "password": PASSWORD})
    assert "Your campaigns" in text_of(admin.get("/organise/"))

    campaign_url = _post(
        admin,
        "/organise/campaigns/new",
        {"slug": "free-ales", "name": "Free Ales Bialiatski", "organisation": "Viasna"},
    )
    campaign_id = int(re.search(r"/campaigns/(\d+)", campaign_url).group(1))
    _post(admin, f"/organise/campaigns/{campaign_id}/state", {"action": "open"}, campaign_url)
    opens = (utcnow() - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    _post(
        admin,
        f"/organise/campaigns/{campaign_id}/petitions/new",
        {
            "slug": "release-ales",
            "title": "Release Ales Bialiatski",
            "summary": "He defends human rights.",
            "target": "President of the Republic of Belarus",
            "body": "Ales Bialiatski is a **human rights defender**.",
            "goal": "1000",
            "opens_at": opens,
        },
    )
    petition = db.session.scalar(select(Petition).where(Petition.slug == "release-ales"))
    _post(
        admin,
        f"/organise/petitions/{petition.id}/state",
        {"action": "open"},
        f"/organise/petitions/{petition.id}/edit",
    )
    stats_url = f"/organise/petitions/{petition.id}/statistics"
    assert "Confirmed signatures 0 Waiting for confirmation 0" in text_of(admin.get(stats_url))

    # Two supporters sign from their own browsers and confirm by e-mail.
    for email, first, country in (
        ("olga@example.org", "Olga", "DE"),
        ("pierre@example.org", "Pierre", "FR"),
    ):
        supporter = app.test_client()
        assert (
            sign(
                supporter,
                "release-ales",
                first_name=first,
                last_name="Signer",
                email=email,
                country=country,
            ).status_code
            == 302
        )
        run_queue(app)
        assert supporter.get(confirmation_path(mailbox.to(email)[0])).status_code == 200

    stats = text_of(admin.get(stats_url))
    assert "Confirmed signatures 2 Waiting for confirmation 0" in stats
    assert "Germany 1" in stats and "France 1" in stats

    rows, sheet, pdf_text = _all_exports(app, admin, petition.id)
    assert [row[1] for row in rows[1:]] == ["Olga Signer", "Pierre Signer"]
    assert [row[1] for row in sheet[1:]] == ["Olga Signer", "Pierre Signer"]
    assert "Olga Signer" in pdf_text and "Pierre Signer" in pdf_text

    # Olga asks to be erased; the admin does it.
    _post(
        admin,
        "/organise/privacy/erase",
        {"email": "olga@example.org", "erase": "Erase everywhere"},
    )
    rows, sheet, pdf_text = _all_exports(app, admin, petition.id)
    assert [row[1] for row in rows[1:]] == ["Pierre Signer"]
    assert [row[1] for row in sheet[1:]] == ["Pierre Signer"]
    assert "Olga" not in pdf_text
    # The count by country stays: Germany still counts one signature.
    page = text_of(app.test_client().get("/petitions/release-ales"))
    assert "2 confirmed signatures" in page
    assert "Germany 1" in page
    # The audit log says who exported and erased, never whom.
    events = db.session.scalars(select(AuditEvent)).all()
    actions = {event.action for event in events}
    assert {"signatures.exported", "signer.erased", "petition.created"} <= actions
    assert all("olga" not in repr(event.details).lower() for event in events)
