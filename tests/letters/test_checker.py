"""The checker flags what censors stop, and leaves plain, kind Cyrillic text alone."""

from __future__ import annotations

import pytest

from campaign_app.letters.checker import Finding, Reason, check


@pytest.mark.parametrize(
    "text",
    [
        "Желаем вам крепкого здоровья.",
        "Жадаем вам моцнага здароўя і сіл! Мы думаем пра вас кожны дзень.",
        "У нас в городе 25 сентября было тепло, цвели розы.",
        "Пишу вам из Гааги. Ваша Анна",
    ],
)
def test_safe_text_has_no_findings(text):
    assert check(text) == []


def test_latin_words_are_flagged():
    assert check("Привет, dear friend!") == [
        Finding(Reason.LATIN, "dear"),
        Finding(Reason.LATIN, "friend"),
    ]


def test_emoji_and_pictographs_are_flagged():
    findings = check("С днём рождения 🎂 ❤")
    assert [f.reason for f in findings] == [Reason.EMOJI, Reason.EMOJI]
    assert findings[0].text == "🎂"


def test_digit_and_letter_codes_are_flagged_but_numbers_are_not():
    assert check("Код A7X9 и 3д, а ещё 14 дней") == [
        Finding(Reason.CODE, "A7X9"),
        Finding(Reason.CODE, "3д"),
    ]


def test_links_and_email_addresses_are_flagged():
    reasons = {f.text: f.reason for f in check("Пишите: anna@example.org, www.viasna.by")}
    assert reasons == {"anna@example.org": Reason.LINK, "www.viasna.by": Reason.LINK}


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Желаем вам свободы", "свободы"),
        ("Жадаем свабоды", "свабоды"),
        ("Борьба продолжается", "борьба"),
        ("Наша барацьба", "барацьба"),
        ("о политике", "политике"),
        ("пра палітыку", "палітыку"),
    ],
)
def test_listed_words_are_flagged_in_any_form(text, word):
    assert Finding(Reason.LISTED_WORD, word) in check(text)


def test_listed_english_words_are_flagged_as_listed_and_latin():
    findings = check("freedom")
    assert Finding(Reason.LISTED_WORD, "freedom") in findings
    assert Finding(Reason.LATIN, "freedom") in findings


def test_short_stem_matches_whole_words_only():
    assert [f for f in check("warm") if f.reason is Reason.LISTED_WORD] == []
