"""Several nodes, one site: two apps with instance folders of their own over one database and one
Redis, and a browser that a balancer without sticky sessions sends to either.

Marked ``commits``: each node reads, on connections of its own, what the other committed, as
two machines would. Real PostgreSQL (or SQLite) and real Redis; nothing is mocked.
"""

from __future__ import annotations

import csv
import io
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from campaign_app.accounts.models import Role
from campaign_app.audit.models import AuditEvent
from campaign_app.exports import storage
from campaign_app.exports.models import ExportFileChunk, ExportJob
from campaign_app.extensions import db
from tests.factories import PASSWORD, make_campaign, make_petition, make_signature, make_user
from tests.support.nodes import BROWSER_ADDRESS, Browser, build_nodes, forget_redis, redis_keys
from tests.support.petitions import sign
from tests.support.queue import run_queue
from tests.support.web import csrf_token, log_in, post_form, text_of

pytestmark = [pytest.mark.commits, pytest.mark.redis]


@pytest.fixture
def node_factory(make_app, monkeypatch, tmp_path):
    """Build the nodes with these settings (those read when an app is made)."""
    yield lambda **settings: build_nodes(make_app, monkeypatch, tmp_path, **settings)
    forget_redis()


@pytest.fixture
def nodes(node_factory):
    return node_factory()


def _organiser_and_petition(node):
    with node.app_context():
        petition = make_petition(slug="free-ales", campaign=make_campaign())
        make_signature(petition, first_name="Ales", last_name="Friend", city="Minsk", country="BY")
        make_signature(petition, first_name="Вясна", last_name="Правы", country="LT")
        organiser = make_user(Role.ORGANISER, campaigns=(petition.campaign,))
        db.session.commit()
        return SimpleNamespace(email=organiser.email), petition.id, petition.slug


def test_an_export_built_on_one_node_downloads_through_another(nodes, monkeypatch, tmp_path):
    a, b = nodes
    if a.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # "auto" keeps files in the folder on SQLite (one node); the database store is the same
        # code on either database.
        for node in nodes:
            node.config["EXPORT_STORAGE"] = "database"
    monkeypatch.setattr(storage, "CHUNK_SIZE", 64)  # so this small file takes several rows
    organiser, petition_id, slug = _organiser_and_petition(a)
    browser = Browser(nodes)

    log_in(browser.on(a), organiser)
    exports = f"/organise/petitions/{petition_id}/exports"
    asked = post_form(browser.on(a), exports, {"format": "csv", "confirmed_only": "y"})
    assert asked.status_code == 302, text_of(asked)
    job_url = asked.headers["Location"]
    assert "Building the file" in text_of(browser.on(b).get(job_url))

    assert run_queue(a) == 1  # node A's worker takes the job from the shared queue
    assert run_queue(b) == 0
    assert "Download the file" in text_of(browser.on(b).get(job_url))
    assert browser.on(b).get(job_url + "/status").get_json()["download_url"].endswith("/download")
    download = browser.on(b).get(job_url + "/download")

    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith(f"attachment; filename={slug}-")
    data = download.get_data()
    assert int(download.headers["Content-Length"]) == len(data)
    rows = list(csv.reader(io.StringIO(data.decode())))
    assert [row[1] for row in rows[1:]] == ["Ales Friend", "Вясна Правы"]
    # The same bytes as the command line writes on node A for the same selection.
    written = tmp_path / "cli.csv"
    result = a.test_cli_runner().invoke(
        args=["petitions", "export", slug, "--format", "csv", "--output", str(written)]
    )
    assert result.exit_code == 0, result.output
    assert data == written.read_bytes()
    with b.app_context():
        job = db.session.scalar(select(ExportJob))
        assert job.stored_in == "database"
        chunks = db.session.scalar(select(func.count()).select_from(ExportFileChunk))
        assert chunks == -(-len(data) // 64) > 1
        audited = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert audited.count("signatures.export_downloaded") == 1
    # Neither node's own folder holds the file, nor anything left from building it.
    for node in nodes:
        with node.app_context():
            assert list(storage.export_folder().iterdir()) == []


def test_rate_limits_count_requests_to_every_node(node_factory):
    nodes = node_factory(RATELIMIT_ENABLED=True, SIGN_RATE_LIMIT_PER_IP="3/minute")
    a, b = nodes
    for node in nodes:  # the limiter follows REDIS_URL
        assert node.config["RATELIMIT_STORAGE_URI"] == node.config["REDIS_URL"]
    with a.app_context():
        slug = make_petition().slug
        db.session.commit()
    browser = Browser(nodes)
    codes = []
    for number, node in enumerate([a, b, a, b]):
        token = csrf_token(browser.on(node), f"/petitions/{slug}")
        response = sign(browser.on(node), slug, email=f"s{number}@example.org", csrf_token=token)
        codes.append(response.status_code)
    assert codes == [302, 302, 302, 429]
    assert "Too many attempts" in text_of(response)
    # The count is in Redis, not in either process, and keyed by the browser's address as the
    # proxy forwards it (not the proxy's own): emptied there, B takes a signature again.
    assert f"LIMITS:LIMITER/{BROWSER_ADDRESS}/petitions.sign/3/1/minute" in redis_keys()
    forget_redis()
    assert sign(browser.on(b), slug, email="s5@example.org").status_code == 302


def test_a_sign_in_through_one_node_holds_on_another(nodes):
    a, b = nodes
    organiser, _, _ = _organiser_and_petition(a)
    browser = Browser(nodes)
    # The login form comes from A; its CSRF token is accepted by B, which signs in.
    token = csrf_token(browser.on(a), "/account/login")
    response = browser.on(b).post(
        "/account/login",
        data={"email": organiser.email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302, text_of(response)
    dashboard = browser.on(a).get("/organise/")
    assert dashboard.status_code == 200
    assert "Sign out" in text_of(dashboard)
    assert browser.served_by == [0, 1, 0]

    # A copy of the cookie taken now stops working on B once the browser signs out on A:
    # the sign-in's row, which every node reads, is revoked.
    copy = Browser(nodes)
    copy.on(b).set_cookie("session", browser.on(b).get_cookie("session").value)
    assert copy.on(b).get("/organise/").status_code == 200
    page = browser.on(b).get("/organise/").get_data(as_text=True)
    sign_out = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # the nav's form
    assert browser.on(a).post("/account/logout", data={"csrf_token": sign_out}).status_code == 302
    assert copy.on(b).get("/organise/").status_code == 302
    assert browser.on(b).get("/organise/").status_code == 302
