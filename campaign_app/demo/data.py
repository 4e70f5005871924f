"""The example campaign, as the 2012 birthday-week action knew it (see shared DOMAIN notes)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from campaign_app.campaigns.models import Campaign
from campaign_app.demo.letters_data import load_letters_demo
from campaign_app.extensions import db
from campaign_app.petitions.models import Petition, PetitionState
from campaign_app.prisoners.models import (
    AddressLanguage,
    Prisoner,
    PrisonerAddress,
    PrisonerStatus,
)

CAMPAIGN_SLUG = "freedom-for-ales-bialiatski"
PETITION_SLUG = "free-ales-bialiatski"
PRISONER_SLUG = "ales-bialiatski"

PETITION_BODY = """\
Ales Bialiatski, chairman of the Human Rights Center "Viasna" and vice-president of FIDH, \
was arrested on 4 August 2011 and sentenced on 24 November 2011 to four and a half years \
in a penal colony. His only "crime" was to help the victims of repression in Belarus and \
their families.

We call on the President of the Republic of Belarus to release Ales Bialiatski immediately \
and unconditionally, to quash his conviction, and to end the persecution of human rights \
defenders in Belarus.

The signatures will be handed in at the Embassy of the Republic of Belarus."""


def load_demo() -> bool:
    """Create the demo campaign, petition and prisoner if missing; True if anything was added."""
    created = False
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == CAMPAIGN_SLUG))
    if campaign is None:
        campaign = Campaign(
            slug=CAMPAIGN_SLUG,
            name="Freedom for Ales Bialiatski",
            organisation="Example organisers",
            description="Example data: the international campaign of 2011-2013.",
            is_example=True,
        )
        db.session.add(campaign)
        created = True
    if db.session.scalar(select(Petition).where(Petition.slug == PETITION_SLUG)) is None:
        db.session.add(
            Petition(
                campaign=campaign,
                slug=PETITION_SLUG,
                title="Free Ales Bialiatski",
                summary="Release the Belarusian human rights defender Ales Bialiatski now.",
                body=PETITION_BODY,
                target="President of the Republic of Belarus",
                goal=10_000,
                state=PetitionState.OPEN,
                opens_at=datetime(2011, 11, 24, tzinfo=UTC),
            )
        )
        created = True
    if db.session.scalar(select(Prisoner).where(Prisoner.slug == PRISONER_SLUG)) is None:
        db.session.add(_prisoner(campaign))
        created = True
    created = load_letters_demo() or created
    db.session.commit()
    return created


def _prisoner(campaign: Campaign) -> Prisoner:
    prisoner = Prisoner(
        campaign=campaign,
        slug=PRISONER_SLUG,
        given_name_latin="Ales",
        surname_latin="Bialiatski",
        given_name_ru="Алесь",
        patronymic_ru="Викторович",
        surname_ru="Беляцкий",
        full_name_dative_ru="Беляцкому Алесю Викторовичу",
        given_name_be="Алесь",
        patronymic_be="Віктаравіч",
        surname_be="Бяляцкі",
        full_name_dative_be="Бяляцкаму Алесю Віктаравічу",
        birth_date=date(1962, 9, 25),
        arrest_date=date(2011, 8, 4),
        status=PrisonerStatus.IMPRISONED,
        address_language=AddressLanguage.RUSSIAN,
        bio=(
            'Chairman of the Human Rights Center "Viasna" and vice-president of FIDH. '
            "Arrested on 4 August 2011, sentenced on 24 November 2011 to 4.5 years."
        ),
        interests="Belarusian literature and history.",
        mail_note=(
            "Example data from September 2012: the birthday-week action asked supporters "
            "to send cards to this address."
        ),
        mail_note_as_of=date(2012, 9, 1),
        is_mail_getting_through=True,
    )
    prisoner.addresses.append(
        PrisonerAddress(
            lines_ru="ИК-2, отряд 14\nул. Сикорского, 1\n213807, г. Бобруйск\nМогилёвская обл.",
            lines_be="ПК-2, атрад 14\nвул. Сікорскага, 1\n213807, г. Бабруйск\nМагілёўская вобл.",
            lines_latin=(
                "Penal colony No. 2, unit No. 14\n1 Sikorskaha street\n213807 Babruisk\n"
                "Mahiliou region"
            ),
            country_line="REPUBLIC OF BELARUS",
            as_of=date(2012, 9, 1),
            source="Birthday-week action for Ales Bialiatski, September 2012 (campaign page)",
        )
    )
    return prisoner
