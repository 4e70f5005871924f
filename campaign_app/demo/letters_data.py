"""Demo occasions, phrasebook entries and postal routes for the letters feature (example data)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from campaign_app.db import Translatable
from campaign_app.extensions import db
from campaign_app.letters.models import (
    Artwork,
    Occasion,
    OccasionKind,
    Phrase,
    PostalRoute,
    Season,
)

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
        Artwork.FIR,
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
        Artwork.CAKE,
        date(2012, 9, 25),
    ),
]

# The occasions' names in the other languages (slug -> locale -> name).
OCCASION_NAMES = {
    "birthday": {"ru": "День рождения", "be": "Дзень нараджэння", "fr": "Anniversaire"},
    "new-year": {"ru": "Новый год", "be": "Новы год", "fr": "Nouvel An"},
    "arrest-anniversary": {
        "ru": "Годовщина ареста",
        "be": "Гадавіна арышту",
        "fr": "Anniversaire de l’arrestation",
    },
    "support": {"ru": "Слова поддержки", "be": "Словы падтрымкі", "fr": "Soutien"},
    "ales-50th-birthday-week": {
        "ru": "Неделя 50-летия Алеся Беляцкого",
        "be": "Тыдзень 50-годдзя Алеся Бяляцкага",
        "fr": "Semaine des 50 ans d’Ales Bialiatski",
    },
}

# (occasion slug or None for any occasion, season, en, ru, be, fr): short, safe, no politics.
# The occasion's greeting ("С днём рождения!") is its card title, not a phrase: printed once.
# Seasonal phrases go only on cards for any time, in their season (see letters/phrasebook.py).
PHRASES = [
    (
        "birthday",
        Season.ANY,
        "We wish you joy and warmth on your birthday.",
        "Желаем вам радости и тепла в ваш день рождения.",
        "Жадаем вам радасці і цяпла ў ваш дзень нараджэння.",
        "Nous vous souhaitons joie et chaleur pour votre anniversaire.",
    ),
    (
        "birthday",
        Season.ANY,
        "May this year bring you good news.",
        "Пусть этот год принесёт вам добрые вести.",
        "Хай гэты год прынясе вам добрыя навіны.",
        "Que cette année vous apporte de bonnes nouvelles.",
    ),
    (
        "birthday",
        Season.ANY,
        "Today we are having tea and cake in your honour.",
        "Сегодня мы пьём чай с пирогом в вашу честь.",
        "Сёння мы п’ём гарбату з пірагом у ваш гонар.",
        "Aujourd’hui, nous prenons le thé avec un gâteau en votre honneur.",
    ),
    (
        "birthday",
        Season.ANY,
        "We wish you many bright days ahead.",
        "Желаем вам много светлых дней впереди.",
        "Жадаем вам шмат светлых дзён наперадзе.",
        "Nous vous souhaitons beaucoup de jours lumineux.",
    ),
    (
        "new-year",
        Season.ANY,
        "May the new year bring you health and good news.",
        "Пусть новый год принесёт вам здоровье и добрые вести.",
        "Хай новы год прынясе вам здароўе і добрыя навіны.",
        "Que la nouvelle année vous apporte la santé et de bonnes nouvelles.",
    ),
    (
        "new-year",
        Season.ANY,
        "We wish you warmth and light in the new year.",
        "Желаем вам тепла и света в новом году.",
        "Жадаем вам цяпла і святла ў новым годзе.",
        "Nous vous souhaitons chaleur et lumière pour la nouvelle année.",
    ),
    (
        "new-year",
        Season.ANY,
        "We will think of you at midnight.",
        "В полночь мы будем думать о вас.",
        "Апоўначы мы будзем думаць пра вас.",
        "À minuit, nous penserons à vous.",
    ),
    (
        "arrest-anniversary",
        Season.ANY,
        "We have not forgotten you.",
        "Мы вас не забыли.",
        "Мы вас не забылі.",
        "Nous ne vous avons pas oublié.",
    ),
    (
        "arrest-anniversary",
        Season.ANY,
        "Many people think of you warmly.",
        "Многие люди думают о вас с теплом.",
        "Шмат людзей думае пра вас з цеплынёй.",
        "Beaucoup de gens pensent à vous avec affection.",
    ),
    (
        "support",
        Season.ANY,
        "We send you a warm greeting.",
        "Шлём вам тёплый привет.",
        "Дасылаем вам цёплае прывітанне.",
        "Nous vous envoyons un salut chaleureux.",
    ),
    (
        "support",
        Season.ANY,
        "We are reading a good book and thought of you.",
        "Мы читаем хорошую книгу и вспомнили о вас.",
        "Мы чытаем добрую кнігу і ўспомнілі пра вас.",
        "Nous lisons un bon livre et avons pensé à vous.",
    ),
    (
        None,
        Season.ANY,
        "We wish you good health.",
        "Желаем вам крепкого здоровья.",
        "Жадаем вам моцнага здароўя.",
        "Nous vous souhaitons une bonne santé.",
    ),
    (
        None,
        Season.ANY,
        "We wish you strength and patience.",
        "Желаем вам сил и терпения.",
        "Жадаем вам сіл і цярплівасці.",
        "Nous vous souhaitons force et patience.",
    ),
    (
        None,
        Season.ANY,
        "We think of you every day.",
        "Мы думаем о вас каждый день.",
        "Мы думаем пра вас кожны дзень.",
        "Nous pensons à vous chaque jour.",
    ),
    (None, Season.ANY, "We are with you.", "Мы с вами.", "Мы з вамі.", "Nous sommes avec vous."),
    (
        None,
        Season.ANY,
        "We hope to see you soon.",
        "Надеемся скоро увидеть вас.",
        "Спадзяемся хутка ўбачыць вас.",
        "Nous espérons vous voir bientôt.",
    ),
    (
        None,
        Season.SPRING,
        "Spring has come to our town.",
        "К нам в город пришла весна.",
        "Да нас у горад прыйшла вясна.",
        "Le printemps est arrivé dans notre ville.",
    ),
    (
        None,
        Season.SUMMER,
        "It is warm here and the lime trees are in bloom.",
        "У нас тепло, цветут липы.",
        "У нас цёпла, квітнеюць ліпы.",
        "Il fait chaud ici, les tilleuls sont en fleurs.",
    ),
    (
        None,
        Season.AUTUMN,
        "The leaves in our park have turned golden.",
        "В нашем парке пожелтели листья.",
        "У нашым парку пажоўкла лісце.",
        "Les feuilles de notre parc sont devenues dorées.",
    ),
    (
        None,
        Season.WINTER,
        "The first snow has fallen in our town.",
        "В нашем городе выпал первый снег.",
        "У нашым горадзе выпаў першы снег.",
        "La première neige est tombée dans notre ville.",
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
POSTAGE_NOTE = "International postcard stamp: check the current price at your post office."
ROUTE_NOTE = "Example value from the demo data; check it before relying on it."
ROUTE_TRANSLATIONS = {
    "ru": {
        "postage_note": "Марка для международной открытки: узнайте её нынешнюю цену на почте.",
        "note": "Пример из демонстрационных данных: проверьте, прежде чем на него полагаться.",
    },
    "be": {
        "postage_note": "Марка для міжнароднай паштоўкі: удакладніце яе цяперашні кошт на пошце.",
        "note": "Прыклад з дэманстрацыйных даных: праверце, перш чым на яго спадзявацца.",
    },
    "fr": {
        "postage_note": (
            "Timbre pour une carte postale internationale\u00a0: vérifiez le tarif actuel à "
            "votre bureau de poste."
        ),
        "note": (
            "Valeur d’exemple des données de démonstration\u00a0: vérifiez-la avant de vous y fier."
        ),
    },
}


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
                translations={},
            )
            db.session.add(occasion)
            created = True
        created = (
            translate_missing(occasion, {k: {"name": v} for k, v in OCCASION_NAMES[slug].items()})
            or created
        )
        occasions[slug] = occasion
    # Demo phrases are matched by their English text: missing ones are added, and one loaded
    # by an earlier version (before phrases had seasons) gets its season.
    known = {phrase.text_en: phrase for phrase in db.session.scalars(select(Phrase))}
    for position, (occasion_slug, season, en, ru, be, fr) in enumerate(PHRASES):
        phrase = known.get(en)
        if phrase is not None:
            if phrase.season is not season:
                phrase.season = season
                created = True
            continue
        db.session.add(
            Phrase(
                occasion=occasions[occasion_slug] if occasion_slug else None,
                season=season,
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
        route = db.session.get(PostalRoute, country)
        if route is None:
            route = PostalRoute(
                sender_country=country,
                transit_days=days,
                postage_note=POSTAGE_NOTE,
                note=ROUTE_NOTE,
                as_of=date(2012, 9, 1),
                translations={},
            )
            db.session.add(route)
            created = True
        if route.postage_note == POSTAGE_NOTE and route.note == ROUTE_NOTE:
            created = translate_missing(route, ROUTE_TRANSLATIONS) or created
    db.session.flush()
    return created


def translate_missing(row: Translatable, texts: dict[str, dict[str, str]]) -> bool:
    """Add the languages ``row`` has no translation into yet; True if any was added."""
    current = row.translations or {}
    missing = {locale: value for locale, value in texts.items() if locale not in current}
    if missing:
        row.translations = {**current, **missing}
    return bool(missing)
