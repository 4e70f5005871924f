"""Importing a CSV list of prisoners and institutions: preview, errors by line, possible
duplicates under another spelling, all-or-nothing commit, the shell command, printed cards."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from campaign_app.audit.models import AuditEvent
from campaign_app.campaigns.models import CampaignState
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.institutions.models import Institution
from campaign_app.letters import printing
from campaign_app.prisoners.imports.models import PrisonerImport
from campaign_app.prisoners.models import Prisoner, PrisonerStatus, PrisonerTransfer
from tests.factories import make_campaign, make_occasion, make_phrase, make_prisoner, make_user
from tests.support.prisoner_lists import institutions, prisoners, registry_csv, write_csv
from tests.support.web import csrf_token, log_in, text_of


@pytest.fixture
def team(app: Any) -> dict[str, Any]:
    campaign = make_campaign(state=CampaignState.OPEN)
    return {"campaign": campaign, "organiser": make_user(campaigns=(campaign,))}


def small_list(n_prisoners: int = 12, n_institutions: int = 3) -> list[dict[str, str]]:
    places = institutions(n_institutions)
    return places + prisoners(n_prisoners, [places[0]["code"]])


def upload(client: Any, campaign_id: int, content: bytes, name: str = "list.csv", **extra: str):
    url = f"/organise/campaigns/{campaign_id}/prisoners/import"
    data = {
        "csrf_token": csrf_token(client, url),
        "file": (io.BytesIO(content), name),
        "source": "Viasna list, December 2026",
        **extra,
    }
    return client.post(url, data=data, content_type="multipart/form-data")


def digest_on(client: Any, preview_url: str) -> str:
    """The plan's fingerprint the preview page sends with its Import button."""
    html = client.get(preview_url).get_data(as_text=True)
    found = re.search(r'name="digest" type="hidden" value="([0-9a-f]+)"', html)
    return found.group(1) if found else ""


def commit(client: Any, preview_url: str, **extra: str):
    """Press Import on the preview page (with the fingerprint of the plan shown)."""
    upload_page = preview_url.rsplit("/imports/", 1)[0] + "/import"
    data = {
        "csrf_token": csrf_token(client, upload_page),
        "digest": digest_on(client, preview_url),
        **extra,
    }
    return client.post(f"{preview_url}/commit", data=data)


def test_preview_then_import_then_transfer_ten_prisoners_whose_cards_print_the_new_address(
    team, client
):
    campaign = team["campaign"]
    log_in(client, team["organiser"])
    rows = small_list()
    response = upload(client, campaign.id, write_csv(rows))
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    page = text_of(client.get(preview_url))
    assert "New institutions: 3" in page and "New prisoners: 12" in page
    assert db.session.scalar(select(func.count()).select_from(Prisoner)) == 0  # preview only
    assert db.session.get(PrisonerImport, int(preview_url.rsplit("/", 1)[1])).content

    assert commit(client, preview_url).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Prisoner)) == 12
    held = db.session.scalars(select(Prisoner).order_by(Prisoner.slug)).all()
    assert {p.institution.code for p in held} == {"ИК-1"}
    assert held[0].transfers[0].source == "Viasna list, December 2026"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "prisoners.imported"))
    assert event.details["new_prisoners"] == 12 and event.details["file"] == "list.csv"

    # Ten of them move to ИК-2 (unit 3) in one import.
    moved_on = utcnow().date().isoformat()
    for row in rows[3:13]:
        row.update(institution="ИК-2", unit_ru="отряд 3", transferred_on=moved_on)
    preview_url = upload(client, campaign.id, write_csv(rows)).headers["Location"]
    page = text_of(client.get(preview_url))
    assert "Transferred: 10" in page, page
    assert "New prisoners: 0" in page and "Unchanged: 2" in page
    assert "ИК-1 ИК-2 отряд 3" in page
    assert commit(client, preview_url).status_code == 302

    occasion = make_occasion(slug="any-day")
    make_phrase(occasion_id=occasion.id)
    slugs = tuple(row["slug"] for row in rows[3:13])
    batch = printing.plan_batch(printing.BatchInput(slugs, "any-day", 10, language="ru"))
    out = io.BytesIO()
    printing.write_batch(batch, out)
    text = " ".join(
        " ".join(
            page.extract_text() or "" for page in PdfReader(io.BytesIO(out.getvalue())).pages
        ).split()
    )
    assert text.count("ИК-2, отряд 3") == 10
    assert "ИК-1" not in text
    moved = db.session.scalar(select(Prisoner).where(Prisoner.slug == slugs[0]))
    assert [t.to_institution.code for t in moved.transfers] == ["ИК-2", "ИК-1"]
    assert moved.transfers[0].from_institution.code == "ИК-1"


def test_changes_are_shown_field_by_field_and_releases_listed(team, client):
    campaign = team["campaign"]
    log_in(client, team["organiser"])
    rows = small_list(3, 1)
    commit(client, upload(client, campaign.id, write_csv(rows)).headers["Location"])
    rows[1]["birth_date"] = "1970-01-02"
    rows[2].update(status="released", release_date="2026-01-10")
    preview_url = upload(client, campaign.id, write_csv(rows)).headers["Location"]
    page = text_of(client.get(preview_url))
    assert "Changed prisoners: 1" in page and "Released: 1" in page
    assert f"birth_date {rows[1]['birth_date']}" not in page  # old value first
    assert "birth_date" in page and "1970-01-02" in page
    commit(client, preview_url)
    released = db.session.scalar(select(Prisoner).where(Prisoner.slug == rows[2]["slug"]))
    assert released.status is PrisonerStatus.RELEASED and released.institution is None
    assert released.transfers  # the history keeps where they were


def bad_lines() -> bytes:
    rows = small_list(4, 1)
    rows[1]["institution"] = "ИК-99"
    rows[2]["birth_date"] = "31.02.1980"
    rows[3]["transferred_on"] = (utcnow().date() + timedelta(days=3)).isoformat()
    rows[4]["surname_ru"] = "Иванов\x07"
    return write_csv(rows)


def test_errors_are_listed_by_line_and_nothing_is_imported(team, client):
    campaign = team["campaign"]
    log_in(client, team["organiser"])
    preview_url = upload(client, campaign.id, bad_lines()).headers["Location"]
    page = text_of(client.get(preview_url))
    assert "Line 3: Unknown institution “ИК-99”" in page
    assert "Line 4: Column birth_date: “31.02.1980” is not a date" in page
    assert "Line 5: A transfer to a date in the future" in page
    assert "Line 6: Column surname_ru holds invisible control characters." in page
    response = commit(client, preview_url)
    assert response.status_code == 400
    assert "nothing was imported" in text_of(response)
    assert db.session.scalar(select(func.count()).select_from(Institution)) == 0
    assert db.session.scalar(select(func.count()).select_from(Prisoner)) == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("фамилия;имя\n".encode("cp1251"), "The file is not UTF-8 text"),
        (b"surname_ru,given_name_ru\n\xd0\x98,\xd0\x98\n", "Columns are missing: institution"),
        (b"", "The file is empty"),
        (b"a,b\x00\n", "NUL character"),
    ],
)
def test_files_that_are_no_list_are_refused_with_a_message(team, client, content, message):
    log_in(client, team["organiser"])
    response = upload(client, team["campaign"].id, content)
    assert response.status_code == 400
    assert message in text_of(response)
    assert db.session.scalar(select(func.count()).select_from(PrisonerImport)) == 0


def test_a_field_of_ten_thousand_characters_is_an_error_of_its_line(team, client):
    log_in(client, team["organiser"])
    rows = small_list(1, 1)
    rows[1]["surname_ru"] = "Ж" * 10_000
    page = text_of(
        client.get(upload(client, team["campaign"].id, write_csv(rows)).headers["Location"])
    )
    assert "Line 3: Column surname_ru is too long (10000 characters; at most 80)." in page


def test_a_prisoner_under_another_spelling_is_flagged_and_never_merged_silently(team, client):
    campaign = team["campaign"]
    make_prisoner(
        campaign=campaign,
        slug="ales-bialiatski",
        given_name_latin="Ales",
        surname_latin="Bialiatski",
        given_name_ru="Алесь",
        surname_ru="Беляцкий",
        birth_date=None,
    )
    log_in(client, team["organiser"])
    rows = [
        *institutions(1),
        {"given_name_be": "Алесь", "surname_be": "Бяляцкі", "institution": "ИК-1"},
    ]
    preview_url = upload(client, campaign.id, write_csv(rows)).headers["Location"]
    page = text_of(client.get(preview_url))
    assert "Possible duplicates: 1" in page
    assert "similar to Алесь Беляцкий (ales-bialiatski)" in page
    response = commit(client, preview_url)
    assert response.status_code == 400
    assert "different people, tick this box. Nothing was imported." in text_of(response)
    assert db.session.scalar(select(func.count()).select_from(Prisoner)) == 1
    assert commit(client, preview_url, accept_similar="y").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Prisoner)) == 2


def test_shell_import_dry_run_then_yes(team, runner, tmp_path):
    path = tmp_path / "registry.csv"
    path.write_bytes(registry_csv(40, 4))
    slug = team["campaign"].slug
    dry = runner.invoke(args=["prisoners", "import", str(path), "--campaign", slug, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "new prisoners: 40" in dry.output
    assert db.session.scalar(select(func.count()).select_from(Prisoner)) == 0
    done = runner.invoke(
        args=["prisoners", "import", str(path), "--campaign", slug, "--yes", "--json"]
    )
    assert done.exit_code == 0, done.output
    assert '"new_prisoners": 40' in done.output
    assert db.session.scalar(select(func.count()).select_from(Prisoner)) == 40
    assert db.session.scalar(select(func.count()).select_from(PrisonerTransfer)) == 40


def test_shell_import_refuses_a_bad_file(team, runner, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(bad_lines())
    result = runner.invoke(
        args=["prisoners", "import", str(path), "--campaign", team["campaign"].slug, "--yes"]
    )
    assert result.exit_code == 1
    assert "error line 3: Unknown institution" in result.output
    assert "nothing was imported" in result.output
    assert db.session.scalar(select(func.count()).select_from(Institution)) == 0


def test_a_registry_of_1500_prisoners_in_60_institutions_imports(team, runner, tmp_path):
    path = tmp_path / "registry.csv"
    path.write_bytes(registry_csv())
    result = runner.invoke(
        args=["prisoners", "import", str(path), "--campaign", team["campaign"].slug, "--yes"]
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(Prisoner)) == 1500
    assert db.session.scalar(select(func.count()).select_from(Institution)) == 60


def test_a_preview_overtaken_by_another_change_is_not_imported(team, client):
    campaign = team["campaign"]
    log_in(client, team["organiser"])
    rows = small_list(3, 1)
    first = upload(client, campaign.id, write_csv(rows)).headers["Location"]
    seen = digest_on(client, first)
    second = upload(client, campaign.id, write_csv(rows)).headers["Location"]
    assert commit(client, second).status_code == 302  # someone imports the same list first
    upload_page = first.rsplit("/imports/", 1)[0] + "/import"
    response = client.post(
        f"{first}/commit", data={"csrf_token": csrf_token(client, upload_page), "digest": seen}
    )
    assert response.status_code == 400
    assert "The records changed since this preview" in text_of(response)
    assert "Unchanged: 3" in text_of(response)
    assert db.session.scalar(select(func.count()).select_from(Prisoner)) == 3


def test_a_list_larger_than_the_request_limit_uploads_and_strangers_get_403(app, team, client):
    content = registry_csv(300, 10)
    assert len(content) > 64 * 1024  # MAX_CONTENT_LENGTH of every other form
    stranger = app.test_client()
    log_in(stranger, make_user())
    page = f"/organise/campaigns/{team['campaign'].id}/prisoners/import"
    assert stranger.get(page).status_code == 403
    log_in(client, team["organiser"])
    response = upload(client, team["campaign"].id, content)
    assert response.status_code == 302, text_of(response)
    assert "New prisoners: 300" in text_of(client.get(response.headers["Location"]))


def test_a_second_click_on_import_changes_nothing(team, client):
    log_in(client, team["organiser"])
    preview_url = upload(client, team["campaign"].id, write_csv(small_list(2, 1))).headers[
        "Location"
    ]
    assert commit(client, preview_url).status_code == 302
    again = commit(client, preview_url)
    assert again.status_code == 302
    assert "This list has been imported already." in text_of(client.get(again.headers["Location"]))
    assert db.session.scalar(select(func.count()).select_from(Prisoner)) == 2
    assert db.session.scalar(select(PrisonerImport.content)) == b""


def test_a_prisoner_on_record_keeps_the_latin_spelling_the_organiser_chose(team, client):
    make_prisoner(
        campaign=team["campaign"],
        slug="ales-bialiatski",
        given_name_latin="Ales",
        surname_latin="Bialiatski",
        given_name_be="Алесь",
        surname_be="Бяляцкі",
        birth_date=None,
    )
    log_in(client, team["organiser"])
    rows = [*institutions(1), {"given_name_be": "Алесь", "surname_be": "Бяляцкі"}]
    page = text_of(
        client.get(upload(client, team["campaign"].id, write_csv(rows)).headers["Location"])
    )
    assert "Changed prisoners: 0" in page and "Unchanged: 1" in page
    assert "Byalyatski" not in page
