"""E-mail normalisation: the rule that decides what counts as "the same signer"."""

from __future__ import annotations

import pytest

from campaign_app.petitions.normalize import InvalidEmail, normalize_email

GMAIL = ["gmail.com", "googlemail.com"]


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("  Name.Surname+x@GMAIL.com ", "namesurname@gmail.com"),
        ("name.surname@googlemail.com", "namesurname@gmail.com"),
        ("N.a.m.e@gmail.com", "name@gmail.com"),
        ("First.Last@Example.org", "first.last@example.org"),  # dots matter elsewhere
        ("first+news@example.org", "first@example.org"),
        ("+only@example.org", "+only@example.org"),  # nothing before the tag: keep it
        ("ales@пример.бел", "ales@пример.бел"),
    ],
)
def test_normalized_forms(typed, normalized):
    assert normalize_email(typed, GMAIL)[1] == normalized


@pytest.mark.parametrize("bad", ["", "plain", "a@", "@b.org", "a b@c.org", "a@b@c.org", "a@b..org"])
def test_invalid_addresses_are_refused(bad):
    with pytest.raises(InvalidEmail):
        normalize_email(bad, GMAIL)
