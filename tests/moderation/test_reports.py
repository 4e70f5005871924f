"""Reports of the busiest IP hashes and e-mail domains, and their buttons to the search."""

from __future__ import annotations

from datetime import timedelta

from campaign_app.db import utcnow
from tests.factories import make_signature
from tests.support.moderation import setup, signed_in
from tests.support.web import post_form, text_of

BUSY = "d" * 32
QUIET = "e" * 32


def sign(s, domain, ip_hash, minutes_ago, n=1):
    for _ in range(n):
        make_signature(
            s.petition,
            email=f"x{utcnow().timestamp()}{_}@{domain}",
            email_normalized=f"{utcnow().timestamp()}-{_}-{minutes_ago}@{domain}",
            ip_hash=ip_hash,
            created_at=utcnow() - timedelta(minutes=minutes_ago),
        )


def sections(page: str) -> tuple[str, str]:
    last_hour, _, last_day = page.partition("Last 24 hours")
    return last_hour, last_day


def test_busiest_hashes_and_domains_per_window(app, client):
    s = setup()
    sign(s, "flood.example", BUSY, minutes_ago=10, n=4)
    sign(s, "quiet.example", QUIET, minutes_ago=20, n=1)
    sign(s, "old.example", QUIET, minutes_ago=300, n=3)  # 5 hours ago: only in the day
    make_signature(s.outsider_petition, email_normalized="a@elsewhere.example", ip_hash=BUSY)
    signed_in(client, s)
    page = text_of(client.get(f"{s.base}/reports"))
    last_hour, last_day = sections(page)
    assert f"{BUSY} 4" in last_hour and f"{QUIET} 1" in last_hour
    assert "flood.example 4" in last_hour and "quiet.example 1" in last_hour
    assert "old.example" not in last_hour
    assert f"{QUIET} 4" in last_day and "old.example 3" in last_day
    assert "elsewhere.example" not in page
    # Busiest first.
    assert last_hour.index("flood.example") < last_hour.index("quiet.example")


def test_a_report_button_fills_the_search_by_post(app, client):
    s = setup()
    sign(s, "flood.example", BUSY, minutes_ago=10, n=3)
    sign(s, "quiet.example", QUIET, minutes_ago=10, n=1)
    signed_in(client, s)
    html = client.get(f"{s.base}/reports").get_data(as_text=True)
    assert "flood.example" not in "".join(
        part.split('"')[0] for part in html.split('href="')[1:]
    )  # never in a link
    since = (utcnow() - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    response = post_form(
        client,
        s.base,
        {"domain": "flood.example", "signed_from": since},
        page_url=f"{s.base}/reports",
    )
    assert response.status_code == 302
    results = client.get(response.headers["Location"])
    text = text_of(results)
    assert text.count("@flood.example") == 3 and "quiet.example" not in text
    assert 'value="flood.example"' in results.get_data(as_text=True)


def test_an_empty_petition_has_empty_reports(app, client):
    s = setup()
    signed_in(client, s)
    page = text_of(client.get(f"{s.base}/reports"))
    assert page.count("No signatures in this time.") == 4
