"""The registry bench's database: 1,500 prisoners with Cyrillic names, birthdays and addresses
in 60 institutions, and hundreds of thousands of "I sent it" reports.

Prisoners and addresses go through the ORM (so the search keys are set as the app sets them);
the card reports are written with batched Core inserts, around the ORM, and the tally on each
prisoner is then recounted with the app's own ``recount_cards_sent``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask import Flask

# (Latin, Russian, Belarusian): 50 surnames x 30 given names = 1,500 distinct prisoners.
SURNAMES = [
    ("Bialiatski", "Беляцкий", "Бяляцкі"), ("Kalesnikau", "Колесников", "Калеснікаў"),
    ("Losik", "Лосик", "Лосік"), ("Babaryka", "Бабарико", "Бабарыка"),
    ("Statkevich", "Статкевич", "Статкевіч"), ("Tsikhanouski", "Тихановский", "Ціханоўскі"),
    ("Znak", "Знак", "Знак"), ("Kavalenka", "Коваленко", "Каваленка"),
    ("Ivanou", "Иванов", "Іваноў"), ("Shushkevich", "Шушкевич", "Шушкевіч"),
    ("Karatkevich", "Короткевич", "Караткевіч"), ("Hrybouski", "Грибовский", "Грыбоўскі"),
    ("Zhuk", "Жук", "Жук"), ("Savitski", "Савицкий", "Савіцкі"),
    ("Lapitski", "Лапицкий", "Лапіцкі"), ("Mikhalevich", "Михалевич", "Міхалевіч"),
    ("Dziadok", "Дедок", "Дзядок"), ("Yarashuk", "Ярошук", "Ярашук"),
    ("Stefanovich", "Стефанович", "Стэфановіч"), ("Labkovich", "Лабкович", "Лабковіч"),
    ("Lasitsa", "Лосица", "Ласіца"), ("Mazheika", "Можейко", "Мажэйка"),
    ("Khadanovich", "Хаданович", "Хадановіч"), ("Sharenda", "Шаренда", "Шарэнда"),
    ("Paulau", "Павлов", "Паўлаў"), ("Sidarenka", "Сидоренко", "Сідарэнка"),
    ("Vasilevich", "Василевич", "Васілевіч"), ("Bandarenka", "Бондаренко", "Бандарэнка"),
    ("Pratasevich", "Протасевич", "Пратасевіч"), ("Kuzmich", "Кузьмич", "Кузьміч"),
    ("Hrodnik", "Гродник", "Гроднік"), ("Tsiareshchanka", "Терещенко", "Цярэшчанка"),
    ("Yakubovich", "Якубович", "Якубовіч"), ("Palchys", "Пальчис", "Пальчыс"),
    ("Marozau", "Морозов", "Марозаў"), ("Niakliaeu", "Некляев", "Някляеў"),
    ("Seviarynets", "Северинец", "Севярынец"), ("Alinevich", "Алиневич", "Аліневіч"),
    ("Dubouski", "Дубовский", "Дубоўскі"), ("Chyhir", "Чигирь", "Чыгір"),
    ("Sannikau", "Санников", "Саннікаў"), ("Ramanchuk", "Романчук", "Раманчук"),
    ("Lukashevich", "Лукашевич", "Лукашэвіч"), ("Hapon", "Гапон", "Гапон"),
    ("Rudak", "Рудак", "Рудак"), ("Belski", "Бельский", "Бельскі"),
    ("Kasper", "Каспер", "Каспер"), ("Navumchyk", "Наумчик", "Навумчык"),
    ("Fiadosau", "Федосов", "Фядосаў"), ("Tsimafeyeu", "Тимофеев", "Цімафееў"),
]  # fmt: skip
GIVEN_NAMES = [
    ("Ales", "Алесь", "Алесь"), ("Aliaksandr", "Александр", "Аляксандр"),
    ("Siarhei", "Сергей", "Сяргей"), ("Ihar", "Игорь", "Ігар"),
    ("Dzmitry", "Дмитрий", "Дзмітрый"), ("Mikalai", "Николай", "Мікалай"),
    ("Andrei", "Андрей", "Андрэй"), ("Uladzimir", "Владимир", "Уладзімір"),
    ("Viktar", "Виктор", "Віктар"), ("Yauhen", "Евгений", "Яўген"),
    ("Pavel", "Павел", "Павел"), ("Mikhail", "Михаил", "Міхаіл"), ("Aleh", "Олег", "Алег"),
    ("Yury", "Юрий", "Юрый"), ("Maksim", "Максим", "Максім"), ("Ivan", "Иван", "Іван"),
    ("Raman", "Роман", "Раман"), ("Anton", "Антон", "Антон"), ("Artsiom", "Артём", "Арцём"),
    ("Vadzim", "Вадим", "Вадзім"), ("Maria", "Мария", "Марыя"), ("Volha", "Ольга", "Вольга"),
    ("Nasta", "Анастасия", "Насця"), ("Katsiaryna", "Екатерина", "Кацярына"),
    ("Iryna", "Ирина", "Ірына"), ("Palina", "Полина", "Паліна"), ("Darya", "Дарья", "Дар'я"),
    ("Hanna", "Анна", "Ганна"), ("Tatsiana", "Татьяна", "Таццяна"), ("Alena", "Елена", "Алена"),
]  # fmt: skip
CITIES = [
    ("Бобруйск", "Бабруйск", "Могилёвская обл.", "Магілёўская вобл."),
    ("Новополоцк", "Наваполацк", "Витебская обл.", "Віцебская вобл."),
    ("Гродно", "Гродна", "Гродненская обл.", "Гродзенская вобл."),
    ("Шклов", "Шклоў", "Могилёвская обл.", "Магілёўская вобл."),
    ("Ивацевичи", "Івацэвічы", "Брестская обл.", "Брэсцкая вобл."),
    ("Горки", "Горкі", "Могилёвская обл.", "Магілёўская вобл."),
]
INSTITUTIONS = 60
COUNTRIES = ["DE", "NL", "PL", "LT", "FR", "GB", "SE", "CZ", "US", "BE"]
BATCH = 20_000


@dataclass(frozen=True)
class Registry:
    """What was loaded."""

    prisoners: int
    institutions: int
    reports: int
    cards: int


def _address_lines(institution: int, unit: int) -> tuple[str, str]:
    ru_city, be_city, ru_region, be_region = CITIES[institution % len(CITIES)]
    postcode = 210000 + institution * 37
    number = institution + 1
    ru = [f"ИК-{number}, отряд {unit}", f"ул. Сикорского, {number}", f"{postcode}, г. {ru_city}"]
    be = [f"ПК-{number}, атрад {unit}", f"вул. Сікорскага, {number}", f"{postcode}, г. {be_city}"]
    return "\n".join([*ru, ru_region]), "\n".join([*be, be_region])


def load_registry(
    app: Flask, prisoners: int, reports: int, progress: Callable[[str], None]
) -> Registry:
    """One public campaign with ``prisoners`` prisoners in INSTITUTIONS institutions and
    ``reports`` card reports (one to twenty cards each, skewed: a few prisoners get most)."""
    from campaign_app.campaigns.models import Campaign
    from campaign_app.extensions import db
    from campaign_app.letters.models import CardSent
    from campaign_app.prisoners.models import (
        Prisoner,
        PrisonerAddress,
        PrisonerStatus,
    )
    from campaign_app.prisoners.tallies import recount_cards_sent

    rng = random.Random(14)
    statuses = [PrisonerStatus.IMPRISONED] * 85 + [PrisonerStatus.TRANSFERRED] * 5
    statuses += [PrisonerStatus.RELEASED] * 7 + [PrisonerStatus.UNKNOWN] * 3
    with app.app_context():
        campaign = Campaign(slug="registry-bench", name="Registry bench", organisation="Bench")
        db.session.add(campaign)
        for n in range(prisoners):
            latin, ru, be = SURNAMES[n % len(SURNAMES)]
            given_latin, given_ru, given_be = GIVEN_NAMES[(n // len(SURNAMES)) % len(GIVEN_NAMES)]
            institution = rng.randrange(INSTITUTIONS)
            lines_ru, lines_be = _address_lines(institution, rng.randint(1, 20))
            prisoner = Prisoner(
                campaign=campaign,
                slug=f"{given_latin}-{latin}-{n}".lower(),
                given_name_latin=given_latin,
                surname_latin=latin,
                given_name_ru=given_ru,
                surname_ru=ru,
                full_name_dative_ru=f"{ru}у {given_ru}у",
                given_name_be=given_be,
                surname_be=be,
                full_name_dative_be=f"{be}у {given_be}у",
                birth_date=date(1950, 1, 1) + timedelta(days=rng.randrange(52 * 365)),
                arrest_date=date(2020, 8, 9) + timedelta(days=rng.randrange(4 * 365)),
                status=rng.choice(statuses),
                is_mail_getting_through=rng.choice([None, None, None, True, True, False]),
                bio="Political prisoner.",
            )
            prisoner.addresses.append(
                PrisonerAddress(
                    lines_ru=lines_ru,
                    lines_be=lines_be,
                    country_line="REPUBLIC OF BELARUS",
                    as_of=date(2025, 1, 1),
                    source="Bench data",
                )
            )
            db.session.add(prisoner)
        db.session.commit()
        ids = list(db.session.scalars(sa.select(Prisoner.id).order_by(Prisoner.id)))
        progress(f"  {len(ids):,} prisoners in {INSTITUTIONS} institutions")
        # A few prisoners get most cards, a twentieth none at all.
        weights = [0.0 if rank % 20 == 7 else 1 / (rank + 1) ** 0.7 for rank in range(len(ids))]
        rng.shuffle(weights)
        chosen = rng.choices(ids, weights=weights, k=reports)
        table: sa.Table = CardSent.__table__  # type: ignore[assignment]
        start = datetime(2024, 1, 1, tzinfo=UTC)
        cards = 0
        for offset in range(0, reports, BATCH):
            rows = []
            for prisoner_id in chosen[offset : offset + BATCH]:
                count = 1 if rng.random() < 0.8 else rng.randint(2, 20)
                cards += count
                rows.append(
                    {
                        "prisoner_id": prisoner_id,
                        "occasion_id": None,
                        "count": count,
                        "sender_country": rng.choice(COUNTRIES),
                        "created_at": start + timedelta(minutes=rng.randrange(500_000)),
                    }
                )
            with db.engine.begin() as connection:
                connection.execute(sa.insert(table), rows)
        progress(f"  {reports:,} card reports ({cards:,} cards); recounting the tallies")
        recount_cards_sent(db.session)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return Registry(prisoners, INSTITUTIONS, reports, cards)
