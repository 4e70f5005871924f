"""Plain factory functions: make_x(**overrides) adds a valid row and flushes it (no commit).

The row is in the test's transaction: requests and queued jobs of the test see it, and it is
rolled back with the test. A test marked `commits` that needs the row in another thread or
connection (a live server) commits it itself.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from werkzeug.security import generate_password_hash

from campaign_app.accounts.models import CampaignMembership, Role, User
from campaign_app.campaigns.models import Campaign
from campaign_app.db import utcnow
from campaign_app.extensions import db
from campaign_app.petitions import counting
from campaign_app.petitions.blind_index import domain_hash, domain_of, email_hash
from campaign_app.petitions.models import Petition, PetitionState, Signature, SignatureState
from campaign_app.prisoners.models import Prisoner, PrisonerAddress

_sequence = itertools.count(1)


PASSWORD = "correct horse battery staple"
_PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def make_user(
    role: Role = Role.ORGANISER, campaigns: tuple[Campaign, ...] = (), **overrides: Any
) -> User:
    """An account whose password is ``PASSWORD``, member of ``campaigns``."""
    n = next(_sequence)
    values: dict[str, Any] = {
        "email": f"organiser{n}@example.org",
        "name": f"Organiser {n}",
        "password_hash": _PASSWORD_HASH,
        "role": role,
    }
    user = User(**(values | overrides))
    db.session.add(user)
    db.session.flush()
    for campaign in campaigns:
        db.session.add(CampaignMembership(user_id=user.id, campaign_id=campaign.id))
    db.session.flush()
    return user


def make_campaign(**overrides: Any) -> Campaign:
    n = next(_sequence)
    values: dict[str, Any] = {"slug": f"campaign-{n}", "name": f"Campaign {n}"}
    campaign = Campaign(**(values | overrides))
    db.session.add(campaign)
    db.session.flush()
    return campaign


def make_petition(**overrides: Any) -> Petition:
    n = next(_sequence)
    values: dict[str, Any] = {
        "slug": f"petition-{n}",
        "title": f"Free the prisoner number {n}",
        "summary": "A short summary.",
        "body": "First paragraph.\n\nSecond paragraph.",
        "target": "President of the Republic of Belarus",
        "goal": 1000,
        "state": PetitionState.OPEN,
        "opens_at": utcnow() - timedelta(days=1),
    }
    values |= overrides
    if "campaign" not in values and "campaign_id" not in values:
        values["campaign"] = make_campaign()
    petition = Petition(**values)
    db.session.add(petition)
    db.session.flush()
    return petition


def make_signature(petition: Petition, **overrides: Any) -> Signature:
    """A signature row; confirmed ones are added to the counter as confirming would.

    ``email_normalized`` (default: the e-mail) is stored as signing stores it: as the blind
    indexes of the address and of its domain.
    """
    n = next(_sequence)
    values: dict[str, Any] = {
        "petition_id": petition.id,
        "first_name": "Anna",
        "last_name": f"Test{n}",
        "email": f"anna{n}@example.org",
        "country": "NL",
        "state": SignatureState.CONFIRMED,
    }
    values |= overrides
    normalized = values.pop("email_normalized", values["email"])
    values.setdefault("email_hash", email_hash(normalized))
    values.setdefault("email_domain_hash", domain_hash(domain_of(normalized)))
    if values["state"] is SignatureState.CONFIRMED:
        values.setdefault("confirmed_at", utcnow())
    signature = Signature(**values)
    db.session.add(signature)
    if signature.state is SignatureState.CONFIRMED:
        counting.add_to_count(
            db.session,
            petition.id,
            signature.country,
            shards=4,
            confirmed_at=values["confirmed_at"],
        )
    db.session.flush()
    return signature


def make_prisoner(**overrides: Any) -> Prisoner:
    n = next(_sequence)
    values: dict[str, Any] = {
        "slug": f"prisoner-{n}",
        "given_name_latin": "Ales",
        "surname_latin": f"Example{n}",
        "given_name_ru": "Алесь",
        "surname_ru": "Пример",
        "full_name_dative_ru": "Примеру Алесю Викторовичу",
        "birth_date": date(1962, 9, 25),
    }
    values |= overrides
    if "campaign" not in values:
        values["campaign"] = make_campaign()
    prisoner = Prisoner(**values)
    prisoner.addresses.append(
        PrisonerAddress(
            lines_ru="ИК-2, отряд 14\nул. Сикорского, 1\n213807, г. Бобруйск",
            country_line="REPUBLIC OF BELARUS",
            as_of=date(2012, 9, 1),
            source="test",
        )
    )
    db.session.add(prisoner)
    db.session.flush()
    return prisoner


def make_bialiatski(**overrides: Any) -> Prisoner:
    """Ales Bialiatski with his names in Latin, Russian and Belarusian letters (the registry's
    search and API tests find him by every spelling)."""
    values: dict[str, Any] = {
        "slug": "ales-bialiatski",
        "given_name_latin": "Ales",
        "surname_latin": "Bialiatski",
        "given_name_ru": "Алесь",
        "patronymic_ru": "Викторович",
        "surname_ru": "Беляцкий",
        "given_name_be": "Алесь",
        "patronymic_be": "Віктаравіч",
        "surname_be": "Бяляцкі",
        "birth_date": date(1962, 9, 25),
    }
    return make_prisoner(**(values | overrides))


def make_occasion(**overrides: Any) -> Any:
    """An active occasion (letters feature)."""
    from campaign_app.letters.models import Artwork, Occasion, OccasionKind

    n = next(_sequence)
    values: dict[str, Any] = {
        "slug": f"occasion-{n}",
        "kind": OccasionKind.GENERAL,
        "name_en": f"Occasion {n}",
        "front_title_ru": "Мы с вами",
        "front_title_be": "Мы з вамі",
        "artwork": Artwork.FLOWERS,
    }
    occasion = Occasion(**(values | overrides))
    db.session.add(occasion)
    db.session.flush()
    return occasion


def make_phrase(**overrides: Any) -> Any:
    """A reviewed phrasebook entry (letters feature)."""
    from campaign_app.letters.models import Phrase

    n = next(_sequence)
    values: dict[str, Any] = {
        "text_en": f"We wish you good health {n}.",
        "text_ru": "Желаем вам крепкого здоровья.",
        "text_be": "Жадаем вам моцнага здароўя.",
        "text_fr": "Nous vous souhaitons une bonne santé.",
        "is_reviewed": True,
    }
    phrase = Phrase(**(values | overrides))
    db.session.add(phrase)
    db.session.flush()
    return phrase


def make_card_sent(prisoner: Prisoner, count: int = 1, **overrides: Any) -> Any:
    """A supporter's "I sent it" report (letters feature)."""
    from campaign_app.letters.models import CardSent

    values: dict[str, Any] = {"prisoner_id": prisoner.id, "count": count}
    report = CardSent(**(values | overrides))
    db.session.add(report)
    db.session.flush()
    return report


def make_postal_route(sender_country: str, transit_days: int = 14, **overrides: Any) -> Any:
    """Posting from one sender country (letters feature)."""
    from campaign_app.letters.models import PostalRoute

    values: dict[str, Any] = {"sender_country": sender_country, "transit_days": transit_days}
    route = PostalRoute(**(values | overrides))
    db.session.add(route)
    db.session.flush()
    return route


def make_appeal_target(**overrides: Any) -> Any:
    """An official to write to, with a Russian appeal text (appeals feature)."""
    from campaign_app.appeals.models import AppealLanguage, AppealTarget, AppealTemplate

    n = next(_sequence)
    values: dict[str, Any] = {
        "slug": f"official-{n}",
        "name": f"Prosecutor General {n}",
        "office": "Генеральному прокурору Республики Беларусь",
        "address_lines": "ул. Интернациональная, 22\n220030, г. Минск",
        "country_line": "REPUBLIC OF BELARUS",
        "email": f"official{n}@example.org",
        "language": AppealLanguage.RUSSIAN,
        "as_of": date(2012, 9, 1),
        "source": "test",
    }
    values |= overrides
    if "campaign" not in values and "campaign_id" not in values:
        values["campaign"] = make_campaign()
    target = AppealTarget(**values)
    target.templates.append(
        AppealTemplate(
            language=AppealLanguage.RUSSIAN,
            subject="Обращение",
            body="Прошу вернуть свободу {prisoner_dative}.\n\nС уважением,",
        )
    )
    db.session.add(target)
    db.session.flush()
    return target
