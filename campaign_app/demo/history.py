"""A plausible history for the example campaign: signatures and cards sent in 2011-2013.

Example data, made up and generated deterministically (a seeded generator, so every
installation gets the same rows): confirmed signatures on the demo petition from the sentence
in November 2011 to the end of 2013, with the surges a real campaign saw (the sentence, the
day of solidarity on 4 August, the 50th birthday week in September 2012), from the countries
that campaigned; and "I sent it" reports of birthday, New Year, anniversary and support cards
for the demo prisoner. Signers are invented, with addresses at example.org.

Signatures are made through the Signature model (never SQL on its name or e-mail columns)
and counted through the counter module, so the shown count equals the rows
(``flask petitions recount`` finds no drift).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from sqlalchemy import exists, select

from campaign_app.extensions import db
from campaign_app.letters.models import CardSent, Occasion
from campaign_app.petitions import counting
from campaign_app.petitions.blind_index import domain_hash, domain_of, email_hash
from campaign_app.petitions.counting import hour_of
from campaign_app.petitions.models import Petition, PublicDisplay, Signature, SignatureState
from campaign_app.petitions.normalize import normalize_email
from campaign_app.prisoners.models import Prisoner

SEED = 20110804  # the day of the arrest
SIGNATURES = 3_412
EMAIL_DOMAIN = "example.org"  # reserved for examples (RFC 2606): never a real mailbox
LAST_DAY = date(2013, 12, 31)

# Where signers came from: ISO code, relative weight, the name group, the page language.
COUNTRIES: tuple[tuple[str, int, str, str], ...] = (
    ("BY", 170, "be", "be"),
    ("LT", 95, "lt", "ru"),
    ("PL", 90, "pl", "en"),
    ("DE", 85, "de", "en"),
    ("NL", 80, "nl", "en"),
    ("FR", 70, "fr", "fr"),
    ("RU", 55, "ru", "ru"),
    ("SE", 45, "sv", "en"),
    ("NO", 40, "sv", "en"),
    ("UA", 35, "uk", "ru"),
    ("GB", 35, "en", "en"),
    ("BE", 30, "fr", "fr"),
    ("CZ", 25, "cs", "en"),
    ("US", 25, "en", "en"),
    ("FI", 15, "sv", "en"),
    ("DK", 15, "sv", "en"),
    ("AT", 15, "de", "en"),
    ("CH", 12, "de", "fr"),
    ("IT", 12, "it", "en"),
    ("ES", 10, "es", "en"),
    ("LV", 10, "lt", "ru"),
    ("EE", 8, "sv", "en"),
    ("CA", 8, "en", "en"),
    ("IE", 5, "en", "en"),
)

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "be": ("Алена", "Сяргей", "Таццяна", "Андрэй", "Вольга", "Павел", "Наталля", "Зміцер",
           "Ірына", "Алесь", "Марына", "Ігар", "Святлана", "Юрась", "Ганна", "Maryja", "Aliaksei"),
    "ru": ("Мария", "Дмитрий", "Елена", "Алексей", "Ольга", "Игорь", "Анна", "Михаил"),
    "uk": ("Оксана", "Тарас", "Наталія", "Богдан", "Ірина", "Олег"),
    "lt": ("Rūta", "Tomas", "Jurgita", "Mindaugas", "Eglė", "Darius", "Inga", "Andris"),
    "pl": ("Anna", "Piotr", "Katarzyna", "Tomasz", "Magdalena", "Paweł", "Agnieszka", "Michał"),
    "de": ("Julia", "Stefan", "Katrin", "Jürgen", "Sabine", "Thomas", "Anja", "Markus"),
    "nl": ("Sanne", "Pieter", "Marieke", "Joost", "Femke", "Bram", "Anouk", "Wouter"),
    "fr": ("Camille", "Julien", "Claire", "Nicolas", "Sophie", "Mathieu", "Élodie", "Hélène"),
    "sv": ("Karin", "Erik", "Ingrid", "Lars", "Sofia", "Anders", "Mette", "Jukka"),
    "en": ("Sarah", "James", "Emily", "David", "Rachel", "Peter", "Laura", "Tom"),
    "cs": ("Tereza", "Jakub", "Lucie", "Ondřej", "Petra", "Martin"),
    "it": ("Giulia", "Marco", "Chiara", "Luca", "Francesca"),
    "es": ("Lucía", "Javier", "Marta", "Pablo", "Carmen"),
}  # fmt: skip

LAST_NAMES: dict[str, tuple[str, ...]] = {
    "be": ("Каваленка", "Новік", "Шаблоўская", "Лукашэвіч", "Мельнік", "Бондар", "Karpovich"),
    "ru": ("Иванова", "Смирнов", "Кузнецова", "Попов", "Соколова", "Лебедев"),
    "uk": ("Шевченко", "Коваль", "Бондаренко", "Мельник"),
    "lt": ("Kazlauskienė", "Petrauskas", "Jankauskaitė", "Balodis"),
    "pl": ("Nowak", "Kowalska", "Wiśniewski", "Wójcik", "Kamińska"),
    "de": ("Müller", "Schmidt", "Schneider", "Fischer", "Weber"),
    "nl": ("de Vries", "Jansen", "van Dijk", "Bakker", "Visser"),
    "fr": ("Martin", "Bernard", "Dubois", "Lefèvre", "Moreau"),
    "sv": ("Andersson", "Johansson", "Hansen", "Nielsen", "Virtanen"),
    "en": ("Smith", "Jones", "Taylor", "Brown", "Walsh"),
    "cs": ("Nováková", "Svoboda", "Dvořák"),
    "it": ("Rossi", "Bianchi", "Romano"),
    "es": ("García", "Fernández", "López"),
}


@dataclass(frozen=True)
class Surge:
    """A burst of signatures that starts on ``start`` and fades over about ``days`` days."""

    start: date
    weight: int
    days: float


# The trickle between the surges is the weight of the campaign's plain days.
TRICKLE_WEIGHT = 30
SURGES = (
    Surge(date(2011, 11, 24), 30, 12),  # the sentence: the petition opens
    Surge(date(2012, 1, 20), 4, 10),  # the appeal is rejected
    Surge(date(2012, 8, 4), 14, 5),  # first anniversary of the arrest: day of solidarity
    Surge(date(2012, 9, 17), 16, 8),  # the 50th birthday week, cake at the embassy
    Surge(date(2012, 12, 10), 5, 4),  # Human Rights Day
    Surge(date(2013, 8, 4), 8, 5),  # second anniversary
    Surge(date(2013, 9, 25), 5, 6),  # birthday
)

# Signatures per UTC hour of the day: most people sign in the European morning and evening.
HOUR_WEIGHTS = (1, 1, 1, 1, 1, 2, 4, 6, 8, 8, 7, 7, 8, 7, 6, 6, 7, 8, 9, 10, 10, 8, 5, 2)

# Cards reported sent: occasion slug (demo data), first day, last day, number of reports,
# and how many cards a report holds (one person, a family, a writing evening).
CARD_ACTIONS = (
    ("new-year", date(2011, 12, 10), date(2011, 12, 28), 34),
    ("support", date(2012, 2, 1), date(2012, 7, 20), 30),
    ("arrest-anniversary", date(2012, 7, 25), date(2012, 8, 6), 26),
    ("ales-50th-birthday-week", date(2012, 9, 5), date(2012, 9, 25), 70),
    ("new-year", date(2012, 12, 5), date(2012, 12, 27), 42),
    ("support", date(2013, 2, 1), date(2013, 7, 15), 26),
    ("arrest-anniversary", date(2013, 7, 25), date(2013, 8, 6), 18),
    ("birthday", date(2013, 9, 5), date(2013, 9, 24), 36),
)
CARDS_PER_REPORT = ((1, 60), (2, 18), (3, 8), (5, 5), (8, 4), (12, 3), (20, 2))
# The children's painted postcards of one Amnesty group, posted for the 50th birthday.
CHILDREN_GROUP = ("ales-50th-birthday-week", date(2012, 9, 12), 43, "NL")


@dataclass(frozen=True)
class History:
    """What was added: signatures and cards (0 and 0 when the history was already there)."""

    signatures: int
    cards: int


def load_history(petition: Petition | None, prisoner: Prisoner | None) -> History:
    """Add the example history to the demo petition and prisoner unless they have one; commits.

    A petition that already has signatures, or a prisoner with cards reported, is left as it
    is: real rows are never mixed with invented ones, and loading twice adds nothing.
    """
    # Seeded: the same invented rows on every installation; nothing here is a secret.
    rng = random.Random(SEED)  # noqa: S311
    signatures = 0 if petition is None else _add_signatures(petition, rng)
    rng.seed(SEED + 1)
    cards = 0 if prisoner is None else _add_cards(prisoner, rng)
    db.session.commit()
    return History(signatures, cards)


def _add_signatures(petition: Petition, rng: random.Random) -> int:
    if db.session.scalar(select(exists().where(Signature.petition_id == petition.id))):
        return 0
    opened = petition.opens_at.astimezone(UTC)
    end = datetime.combine(LAST_DAY, datetime.max.time(), UTC)
    dot_insensitive = str(current_app.config["DOT_INSENSITIVE_EMAIL_DOMAINS"]).split(",")
    codes = [code for code, *_ in COUNTRIES]
    weights = [weight for _, weight, *_ in COUNTRIES]
    groups = {code: (names, language) for code, _, names, language in COUNTRIES}
    by_country: Counter[str] = Counter()
    by_hour: Counter[datetime] = Counter()
    rows = []
    for n in range(1, SIGNATURES + 1):
        confirmed_at = _moment(rng, opened, end)
        country = rng.choices(codes, weights)[0]
        names, language = groups[country]
        email, normalized = normalize_email(f"signer{n}@{EMAIL_DOMAIN}", dot_insensitive)
        rows.append(
            Signature(
                petition_id=petition.id,
                first_name=rng.choice(FIRST_NAMES[names]),
                last_name=rng.choice(LAST_NAMES[names]),
                email=email,
                email_hash=email_hash(normalized),
                email_domain_hash=domain_hash(domain_of(normalized)),
                country=country,
                display=(
                    PublicDisplay.ANONYMOUS
                    if rng.random() < 0.18
                    else PublicDisplay.FIRST_NAME_AND_COUNTRY
                ),
                state=SignatureState.CONFIRMED,
                locale=language,
                created_at=confirmed_at - timedelta(minutes=rng.randint(1, 180)),
                confirmation_sent_at=confirmed_at - timedelta(minutes=rng.randint(0, 1)),
                confirmed_at=confirmed_at,
            )
        )
        by_country[country] += 1
        by_hour[hour_of(confirmed_at)] += 1
    db.session.add_all(rows)
    db.session.flush()
    counting.add_many(db.session, petition.id, by_country, by_hour)
    return len(rows)


def _moment(rng: random.Random, opened: datetime, end: datetime) -> datetime:
    """When one signature was confirmed: in a surge or in the trickle, at a waking hour."""
    surges = [s for s in SURGES if opened.date() <= s.start <= end.date()]
    pick = rng.choices([None, *surges], [TRICKLE_WEIGHT, *(s.weight for s in surges)])[0]
    if pick is None:
        day = opened.date() + timedelta(days=rng.randrange((end.date() - opened.date()).days + 1))
    else:
        day = pick.start + timedelta(days=int(rng.expovariate(1 / pick.days)))
    hour = rng.choices(range(24), HOUR_WEIGHTS)[0]
    moment = datetime(day.year, day.month, day.day, hour, tzinfo=UTC) + timedelta(
        seconds=rng.randrange(3600)
    )
    return min(max(moment, opened + timedelta(minutes=5)), end)


def _add_cards(prisoner: Prisoner, rng: random.Random) -> int:
    if db.session.scalar(select(exists().where(CardSent.prisoner_id == prisoner.id))):
        return 0
    occasions = {o.slug: o.id for o in db.session.scalars(select(Occasion))}
    codes = [code for code, *_ in COUNTRIES]
    weights = [weight for _, weight, *_ in COUNTRIES]
    sizes = [size for size, _ in CARDS_PER_REPORT]
    size_weights = [weight for _, weight in CARDS_PER_REPORT]
    reports = []
    for slug, first, last, count in CARD_ACTIONS:
        for _ in range(count):
            day = first + timedelta(days=rng.randrange((last - first).days + 1))
            reports.append(
                CardSent(
                    prisoner_id=prisoner.id,
                    occasion_id=occasions.get(slug),
                    count=rng.choices(sizes, size_weights)[0],
                    sender_country=rng.choices(codes, weights)[0],
                    created_at=datetime(
                        day.year, day.month, day.day, rng.randrange(8, 22), tzinfo=UTC
                    ),
                )
            )
    slug, day, count, country = CHILDREN_GROUP
    reports.append(
        CardSent(
            prisoner_id=prisoner.id,
            occasion_id=occasions.get(slug),
            count=count,
            sender_country=country,
            created_at=datetime(day.year, day.month, day.day, 16, tzinfo=UTC),
        )
    )
    db.session.add_all(reports)
    db.session.flush()
    return sum(report.count for report in reports)
