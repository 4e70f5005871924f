"""Spelling-blind name keys: every way a name is written folds to the same skeleton."""

from __future__ import annotations

import pytest

from campaign_app.prisoners.search_keys import (
    name_key,
    plain_key,
    plain_words,
    query_words,
    skeleton,
)

# One person, many spellings: (spellings..., what they must not be confused with).
SAME_NAME = [
    # Belarusian and Russian Cyrillic, passport, English, Polish, Łacinka, German, French.
    [
        "Bialiatski",
        "Беляцкий",
        "Бяляцкі",
        "БЯЛЯЦКІ",
        "Byalyatsky",
        "Bialiacki",
        "Bialacki",
        "Białacki",
        "Bjaljazki",
        "Beliatski",
        "bialiatski",
    ],
    ["Ales", "Алесь", "Aleś", "ALES", "Alies"],
    ["Viktaravich", "Викторович", "Віктаравіч", "Viktaravič", "Wiktarawicz"],
    ["Ivanov", "Ivanou", "Ivanoŭ", "Іваноў", "Иванов", "Iwanow"],
    ["Yauhen", "Яўген", "Jaŭhien", "Jauhen"],
    ["Sergei", "Sergey", "Siarhei", "Сергей", "Сяргей", "Siarhiej"],
    ["Dmitry", "Dzmitry", "Дмитрий", "Дзмітрый", "Dmitriy", "Dzmitryj"],
    ["Yuri", "Yury", "Jury", "Юрий", "Юрый", "Juryj"],
    ["Karatkevich", "Karatkievič", "Karatkiewicz", "Караткевіч", "Короткевич", "Karatkewitsch"],
    ["Khadanovich", "Chadanovič", "Hadanovich", "Хадановіч", "Ходанович"],
    ["Shushkevich", "Szuszkiewicz", "Šuškievič", "Шушкевіч", "Schuschkewitsch"],
    ["Lukashenko", "Lukaschenko", "Łukaszenka", "Лукашенко", "Лукашэнка", "Lukašenka"],
    ["Zhanna", "Жанна", "Žana", "Żanna"],
    ["Alexander", "Aleksandr", "Aliaksandr", "Александр", "Аляксандр", "Alaksandar"],
    ["Maria", "Maryia", "Мария", "Марыя", "Marija"],
    ["Kalesnikava", "Kolesnikova", "Калеснікава", "Колесникова", "Kalesnikawa"],
    ["Ihar", "Igor", "Игорь", "Ігар"],
    ["Viktor", "Victor", "Виктор", "Віктар", "Wiktar"],
]

DIFFERENT = [
    ("Bialiatski", "Babaryka"),
    ("Ales", "Ihar"),
    ("Ivanov", "Ivashkevich"),
    ("Shushkevich", "Sushkevich"),
    ("Zhanna", "Anna"),
]


@pytest.mark.parametrize("spellings", SAME_NAME, ids=lambda s: s[0])
def test_every_spelling_of_a_name_folds_to_one_skeleton(spellings):
    skeletons = {spelling: skeleton(spelling) for spelling in spellings}
    assert len(set(skeletons.values())) == 1, skeletons
    assert skeletons[spellings[0]].isascii()


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_different_names_stay_apart(one, other):
    assert skeleton(one) != skeleton(other)


def test_a_name_key_holds_every_form_once_with_spaces_around():
    forms = ["Ales", "Bialiatski", "Алесь", "Викторович", "Беляцкий", "Алесь", "", "Бяляцкі"]
    key = name_key(forms)
    assert key.startswith(" ") and key.endswith(" ")
    words = key.split()
    assert len(words) == len(set(words))  # Беляцкий and Бяляцкі share one skeleton
    assert f" {skeleton('Byalyatsky')} " in key
    assert name_key(["", ""]) == ""


def test_the_plain_key_keeps_the_script_and_drops_case_and_accents():
    assert plain_key(["Aleś", "BIAŁIACKI", "Алесь", "Бяляцкі"]) == " ales białiacki алесь бяляцкі "
    # ł is a letter of its own (no accent to drop); й and ё keep their marks too.
    assert plain_words("Андрей Ёлкин") == ["андрей", "ёлкин"]


def test_query_words_pair_skeleton_and_plain_word():
    assert query_words("Алесь  Бяляцкі!") == [("alas", "алесь"), ("balacki", "бяляцкі")]


@pytest.mark.parametrize(
    "query",
    ["", "   ", "!!!", "ь", "'’-", "\u200b", "\ufeff\u200d"],
)
def test_a_search_without_letters_has_no_words(query):
    assert query_words(query) == []


def test_a_long_query_keeps_its_first_words_only():
    assert len(query_words("Ales " * 2000)) == 8


def test_digits_and_other_scripts_do_not_break_the_folding():
    assert skeleton("Ales 2nd") == "alas 2nd"
    assert skeleton("Ἀλέξανδρος") == ""  # Greek: no letters it knows, no error
    assert skeleton("Ales\u0301") == "alas"  # a combining accent on its own
