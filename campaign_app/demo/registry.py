"""Invented CSV lists of prisoners and institutions, shaped like the ones human-rights groups
publish: a registry of any size (1,500 prisoners in 60 institutions by default) with Cyrillic
names, for trying the registry at a real campaign's scale (`flask demo registry`) and tests.

The people and addresses are invented; the towns, regions and address forms are real.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta

from campaign_app.prisoners.imports.csvfile import INSTITUTION_COLUMNS, PRISONER_COLUMNS

COLUMNS = ("record", *INSTITUTION_COLUMNS, *PRISONER_COLUMNS)
_TOWNS = (
    # (Russian town, Belarusian town, Latin, region, postcode prefix, oblast ru, oblast be)
    (
        "Бобруйск",
        "Бабруйск",
        "Babruisk",
        "mogilev",
        "2138",
        "Могилёвская обл.",
        "Магілёўская вобл.",
    ),
    ("Могилёв", "Магілёў", "Mahiliou", "mogilev", "2120", "Могилёвская обл.", "Магілёўская вобл."),
    ("Гомель", "Гомель", "Homiel", "gomel", "2460", "Гомельская обл.", "Гомельская вобл."),
    ("Брест", "Брэст", "Brest", "brest", "2240", "Брестская обл.", "Брэсцкая вобл."),
    ("Гродно", "Гродна", "Hrodna", "grodno", "2300", "Гродненская обл.", "Гродзенская вобл."),
    ("Витебск", "Віцебск", "Viciebsk", "vitebsk", "2100", "Витебская обл.", "Віцебская вобл."),
    (
        "Новополоцк",
        "Наваполацк",
        "Navapolatsk",
        "vitebsk",
        "2114",
        "Витебская обл.",
        "Віцебская вобл.",
    ),
    ("Жодино", "Жодзіна", "Zhodzina", "minsk-region", "2221", "Минская обл.", "Мінская вобл."),
    ("Минск", "Мінск", "Minsk", "minsk-city", "2200", "", ""),
)
_SURNAMES = (
    ("Иванов", "Іваноў"),
    ("Ковалёв", "Кавалёў"),
    ("Новиков", "Навікоў"),
    ("Петров", "Пятроў"),
    ("Козлов", "Казлоў"),
    ("Мельник", "Мельнік"),
    ("Кравченко", "Краўчанка"),
    ("Шевчук", "Шаўчук"),
    ("Лысенко", "Лысенка"),
    ("Бондаренко", "Бандарэнка"),
    ("Ткачук", "Ткачук"),
    ("Романов", "Раманаў"),
    ("Жук", "Жук"),
    ("Кузнецов", "Кузняцоў"),
    ("Соколов", "Сакалоў"),
    ("Морозов", "Марозаў"),
    ("Волков", "Ваўкоў"),
    ("Зайцев", "Зайцаў"),
    ("Павлов", "Паўлаў"),
    ("Семёнов", "Сямёнаў"),
    ("Голубев", "Галубеў"),
    ("Виноградов", "Вінаградаў"),
    ("Богданов", "Багданаў"),
    ("Воробьёв", "Вераб'ёў"),
    ("Фёдоров", "Фёдараў"),
    ("Михайлов", "Міхайлаў"),
    ("Беляев", "Бяляеў"),
    ("Тарасов", "Тарасаў"),
    ("Белов", "Бялоў"),
    ("Комаров", "Камароў"),
)
_GIVEN = (
    ("Александр", "Аляксандр", "Александру", "Аляксандру"),
    ("Сергей", "Сяргей", "Сергею", "Сяргею"),
    ("Андрей", "Андрэй", "Андрею", "Андрэю"),
    ("Дмитрий", "Дзмітрый", "Дмитрию", "Дзмітрыю"),
    ("Николай", "Мікалай", "Николаю", "Мікалаю"),
    ("Павел", "Павел", "Павлу", "Паўлу"),
    ("Игорь", "Ігар", "Игорю", "Ігару"),
    ("Виктор", "Віктар", "Виктору", "Віктару"),
    ("Максим", "Максім", "Максиму", "Максіму"),
    ("Алесь", "Алесь", "Алесю", "Алесю"),
    ("Василий", "Васіль", "Василию", "Васілю"),
    ("Юрий", "Юрый", "Юрию", "Юрыю"),
    ("Олег", "Алег", "Олегу", "Алегу"),
    ("Владимир", "Уладзімір", "Владимиру", "Уладзіміру"),
    ("Михаил", "Міхаіл", "Михаилу", "Міхаілу"),
)
_PATRONYMICS = (
    ("Иванович", "Іванавіч", "Ивановичу", "Іванавічу"),
    ("Петрович", "Пятровіч", "Петровичу", "Пятровічу"),
    ("Викторович", "Віктаравіч", "Викторовичу", "Віктаравічу"),
    ("Сергеевич", "Сяргеевіч", "Сергеевичу", "Сяргеевічу"),
    ("Николаевич", "Мікалаевіч", "Николаевичу", "Мікалаевічу"),
)


def _dative_surname(surname: str) -> str:
    if surname.endswith(("ов", "ев", "ёв", "ин")):
        return surname + "у"
    if surname.endswith(("оў", "аў", "еў", "ёў")):
        return surname[:-1] + "ву"
    return surname  # -енко, -ук, -ник: not declined here (good enough for a test list)


def institutions(count: int) -> list[dict[str, str]]:
    """``count`` institutions: colonies and remand prisons over the regions' towns."""
    rows = []
    for n in range(1, count + 1):
        town_ru, town_be, town_latin, region, prefix, oblast_ru, oblast_be = _TOWNS[n % len(_TOWNS)]
        remand = n % 4 == 0
        code_ru, code_be = (f"СИЗО-{n}", f"СІЗА-{n}") if remand else (f"ИК-{n}", f"ПК-{n}")
        code_latin = f"SIZO-{n}" if remand else f"IK-{n}"
        kind_latin = "Remand prison" if remand else "Penal colony"
        postcode = f"{prefix}{n % 100:02d}"
        street_ru, street_be = f"ул. Сикорского, {n}", f"вул. Сікорскага, {n}"
        lines_ru = [code_ru, street_ru, f"{postcode}, г. {town_ru}", oblast_ru]
        lines_be = [code_be, street_be, f"{postcode}, г. {town_be}", oblast_be]
        rows.append(
            {
                "record": "institution",
                "code": code_ru,
                "kind": "remand" if remand else "colony",
                "name_ru": ("Следственный изолятор № " if remand else "Исправительная колония № ")
                + str(n),
                "name_be": ("Следчы ізалятар № " if remand else "Папраўчая калонія № ") + str(n),
                "name_latin": f"{kind_latin} No. {n}, {town_latin}",
                "region": region,
                "address_ru": " | ".join(line for line in lines_ru if line),
                "address_be": " | ".join(line for line in lines_be if line),
                "address_latin": f"{code_latin} | Sikorskaha {n} | {postcode} {town_latin}",
                "postcode": postcode,
                "country_line": "REPUBLIC OF BELARUS",
                "mail_rule": ("accepts", "listed-senders", "unknown")[n % 3],
                "ru_be_only": "yes",
            }
        )
    return rows


def prisoners(count: int, codes: list[str], seed: int = 14) -> list[dict[str, str]]:
    """``count`` prisoners with distinct names spread over the institutions ``codes``."""
    rng = random.Random(seed)  # noqa: S311 (invented names, not secrets)
    rows = []
    used: set[tuple[str, str, str]] = set()
    for n in range(count):
        while True:
            surname = rng.choice(_SURNAMES)
            given = rng.choice(_GIVEN)
            patronymic = rng.choice(_PATRONYMICS)
            key = (surname[0], given[0], patronymic[0])
            if key not in used or len(used) >= len(_SURNAMES) * len(_GIVEN) * len(_PATRONYMICS):
                break
        used.add(key)
        born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 50))
        rows.append(
            {
                "record": "prisoner",
                "slug": f"prisoner-{n + 1:04d}",
                "surname_ru": surname[0],
                "given_name_ru": given[0],
                "patronymic_ru": patronymic[0],
                "surname_be": surname[1],
                "given_name_be": given[1],
                "patronymic_be": patronymic[1],
                "dative_ru": f"{_dative_surname(surname[0])} {given[2]} {patronymic[2]}",
                "dative_be": f"{_dative_surname(surname[1])} {given[3]} {patronymic[3]}",
                "birth_date": born.isoformat(),
                "institution": codes[n % len(codes)],
                "unit_ru": f"отряд {rng.randrange(1, 20)}",
                "unit_be": "",
                "status": "imprisoned",
            }
        )
    return rows


def registry_csv(prisoner_count: int = 1500, institution_count: int = 60) -> bytes:
    """The whole list as UTF-8 CSV bytes: institution lines first, then prisoners."""
    places = institutions(institution_count)
    rows = places + prisoners(prisoner_count, [row["code"] for row in places])
    return write_csv(rows)


def write_csv(rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
