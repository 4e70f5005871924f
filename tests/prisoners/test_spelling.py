"""One skeleton for a name in Latin, Russian or Belarusian spelling (pure functions)."""

from __future__ import annotations

import pytest

from campaign_app.prisoners.spelling import skeleton, slug_base, to_latin


@pytest.mark.parametrize(
    "spelling", ["Bialiatski", "Беляцкий", "Бяляцкі", "Byalyatsky", "Beliatski", "BIALIATSKI"]
)
def test_spellings_of_one_surname_share_a_skeleton(spelling: str) -> None:
    assert skeleton(spelling) == skeleton("Bialiatski") == "bltk"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Лукашенко", "Łukašenka"),
        ("Лукашэнка", "Lukashenko"),
        ("Мария Колесникова", "Марія Калесьнікава"),
        ("Maria Kalesnikava", "Мария Колесникова"),
        ("Александр", "Аляксандр"),
        ("Гродно", "Hrodna"),
    ],
)
def test_transliterations_fold_together(one: str, other: str) -> None:
    assert skeleton(one) == skeleton(other)


@pytest.mark.parametrize(("one", "other"), [("Bialiatski", "Babaryka"), ("Иванов", "Петров")])
def test_different_names_stay_apart(one: str, other: str) -> None:
    assert skeleton(one) != skeleton(other)


def test_a_text_without_letters_has_an_empty_skeleton() -> None:
    assert skeleton("") == skeleton("  - 123 ") == ""


def test_readable_latin_and_slugs() -> None:
    assert to_latin("Алесь Бяляцкі") == "Ales Byalyatski"
    assert to_latin("Ales") == "Ales"
    assert slug_base("Алесь Бяляцкі") == "ales-byalyatski"
    assert slug_base("Łukašenka") == "lukashenka"
