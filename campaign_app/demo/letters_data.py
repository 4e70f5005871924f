"""Demo occasions, phrasebook entries and postal routes for the letters feature (example data)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from campaign_app.extensions import db
from campaign_app.letters.models import Artwork, Occasion, OccasionKind, Phrase, PostalRoute

OCCASIONS = [
    # slug, kind, English name, Russian front, Belarusian front, artwork, date
    (
        "birthday",
        OccasionKind.BIRTHDAY,
        "Birthday",
        "С днём рождения!",
        "З днём нараджэння!",
        Artwork.BALLOONS,
        None,
    ),
    (
        "new-year",
        OccasionKind.NEW_YEAR,
        "New Year",
        "С Новым годом!",
        "З Новым годам!",
        Artwork.SNOWFLAKE,
        None,
    ),
    (
        "arrest-anniversary",
        OccasionKind.ARREST_ANNIVERSARY,
        "Anniversary of the arrest",
        "Мы помним о вас",
        "Мы памятаем пра вас",
        Artwork.CANDLE,
        None,
    ),
    (
        "support",
        OccasionKind.GENERAL,
        "General support",
        "Мы с вами",
        "Мы з вамі",
        Artwork.FLOWERS,
        None,
    ),
    (
        "ales-50th-birthday-week",
        OccasionKind.CUSTOM,
        "Ales Bialiatski's 50th birthday week",
        "С днём рождения!",
        "З днём нараджэння!",
        Artwork.BALLOONS,
        date(2012, 9, 25),
    ),
]

# (occasion slug or None for any occasion, en, ru, be, fr): short, safe, no politics.
PHRASES = [
    (
        "birthday",
        "Happy birthday!",
        "С днём рождения!",
        "З днём нараджэння!",
        "Joyeux anniversaire !",
    ),
    ("new-year", "Happy New Year!", "С Новым годом!", "З Новым годам!", "Bonne année !"),
    (
        None,
        "We wish you good health.",
        "Желаем вам крепкого здоровья.",
        "Жадаем вам моцнага здароўя.",
        "Nous vous souhaitons une bonne santé.",
    ),
    (
        None,
        "We wish you strength and patience.",
        "Желаем вам сил и терпения.",
        "Жадаем вам сіл і цярплівасці.",
        "Nous vous souhaitons force et patience.",
    ),
    (
        None,
        "We think of you every day.",
        "Мы думаем о вас каждый день.",
        "Мы думаем пра вас кожны дзень.",
        "Nous pensons à vous chaque jour.",
    ),
    (None, "We are with you.", "Мы с вами.", "Мы з вамі.", "Nous sommes avec vous."),
    (
        None,
        "Spring has come to our town.",
        "К нам в город пришла весна.",
        "Да нас у горад прыйшла вясна.",
        "Le printemps est arrivé dans notre ville.",
    ),
    (
        None,
        "We hope to see you soon.",
        "Надеемся скоро увидеть вас.",
        "Спадзяемся хутка ўбачыць вас.",
        "Nous espérons vous voir bientôt.",
    ),
]

# Example values only: organisers must check transit times and prices with their post.
ROUTES = [
    ("NL", 10),
    ("BE", 10),
    ("DE", 10),
    ("FR", 12),
    ("GB", 14),
    ("LT", 7),
    ("PL", 7),
    ("US", 21),
]


def load_letters_demo() -> bool:
    """Add the demo occasions, phrases and postal routes that are missing; flushes only."""
    created = False
    occasions: dict[str, Occasion] = {}
    for position, (slug, kind, name, front_ru, front_be, artwork, on_date) in enumerate(OCCASIONS):
        occasion = db.session.scalar(select(Occasion).where(Occasion.slug == slug))
        if occasion is None:
            occasion = Occasion(
                slug=slug,
                kind=kind,
                name_en=name,
                front_title_ru=front_ru,
                front_title_be=front_be,
                artwork=artwork,
                on_date=on_date,
                position=position,
            )
            db.session.add(occasion)
            created = True
        occasions[slug] = occasion
    if db.session.scalar(select(Phrase.id).limit(1)) is None:
        for position, (occasion_slug, en, ru, be, fr) in enumerate(PHRASES):
            db.session.add(
                Phrase(
                    occasion=occasions[occasion_slug] if occasion_slug else None,
                    text_en=en,
                    text_ru=ru,
                    text_be=be,
                    text_fr=fr,
                    is_reviewed=True,
                    position=position,
                )
            )
        created = True
    for country, days in ROUTES:
        if db.session.get(PostalRoute, country) is None:
            db.session.add(
                PostalRoute(
                    sender_country=country,
                    transit_days=days,
                    postage_note="International postcard stamp: check the current price at "
                    "your post office.",
                    note="Example value from the demo data; check it before relying on it.",
                    as_of=date(2012, 9, 1),
                )
            )
            created = True
    db.session.flush()
    return created
