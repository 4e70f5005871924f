"""The example campaign, as the 2012 birthday-week action knew it (see shared DOMAIN notes).

Everything a reader sees exists in English, Russian, Belarusian and French: the petition
(written in English, with its translations), the campaign's name, the prisoner's biography,
interests and mail note, and the source of the address. It stays example data: the campaign
is marked ``is_example``, and every date and address is historical (2011-2013).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from campaign_app.campaigns.models import Campaign
from campaign_app.demo.appeals_data import load_appeals_demo
from campaign_app.demo.letters_data import load_letters_demo, translate_missing
from campaign_app.extensions import db
from campaign_app.petitions.models import Petition, PetitionState, PetitionTranslation
from campaign_app.prisoners.models import (
    AddressLanguage,
    Prisoner,
    PrisonerAddress,
    PrisonerStatus,
)

CAMPAIGN_SLUG = "freedom-for-ales-bialiatski"
PETITION_SLUG = "free-ales-bialiatski"
PRISONER_SLUG = "ales-bialiatski"
NBSP = "\u00a0"  # French puts a no-break space inside « » and before : ; ! ?

CAMPAIGN_NAME = "Freedom for Ales Bialiatski"
CAMPAIGN_DESCRIPTION = "Example data: the international campaign of 2011-2013."
CAMPAIGN_TRANSLATIONS = {
    "ru": {
        "name": "Свободу Алесю Беляцкому",
        "description": "Демонстрационные данные: международная кампания 2011–2013 годов.",
    },
    "be": {
        "name": "Свабоду Алесю Бяляцкаму",
        "description": "Дэманстрацыйныя даныя: міжнародная кампанія 2011–2013 гадоў.",
    },
    "fr": {
        "name": "Liberté pour Ales Bialiatski",
        "description": f"Données d’exemple{NBSP}: la campagne internationale de 2011-2013.",
    },
}

PETITION_BODY = """\
Ales Bialiatski, chairman of the Human Rights Center "Viasna" and vice-president of FIDH, \
was arrested on 4 August 2011 and sentenced on 24 November 2011 to four and a half years \
in a penal colony. His only "crime" was to help the victims of repression in Belarus and \
their families.

We call on the President of the Republic of Belarus to release Ales Bialiatski immediately \
and unconditionally, to quash his conviction, and to end the persecution of human rights \
defenders in Belarus.

The signatures will be handed in at the Embassy of the Republic of Belarus."""

# locale: (title, summary, target, body)
PETITION_TRANSLATIONS = {
    "ru": (
        "Свободу Алесю Беляцкому",
        "Требуем немедленно освободить белорусского правозащитника Алеся Беляцкого.",
        "Президент Республики Беларусь",
        """\
Алесь Беляцкий, председатель Правозащитного центра «Весна» и вице-президент Международной \
федерации за права человека, был арестован 4 августа 2011 года, а 24 ноября 2011 года \
приговорён к четырём с половиной годам лишения свободы в исправительной колонии. Его \
единственное «преступление» — помощь жертвам репрессий в Беларуси и их семьям.

Мы призываем Президента Республики Беларусь немедленно и безоговорочно освободить Алеся \
Беляцкого, отменить его приговор и прекратить преследование правозащитников в Беларуси.

Подписи будут переданы в Посольство Республики Беларусь.""",
    ),
    "be": (
        "Свабоду Алесю Бяляцкаму",
        "Патрабуем неадкладна вызваліць беларускага праваабаронцу Алеся Бяляцкага.",
        "Прэзідэнт Рэспублікі Беларусь",
        """\
Алесь Бяляцкі, старшыня Праваабарончага цэнтра «Вясна» і віцэ-прэзідэнт Міжнароднай \
федэрацыі за правы чалавека, быў арыштаваны 4 жніўня 2011 года, а 24 лістапада 2011 года \
асуджаны да чатырох з паловай гадоў пазбаўлення волі ў выпраўленчай калоніі. Яго \
адзінае «злачынства» — дапамога ахвярам рэпрэсій у Беларусі і іх сем’ям.

Мы заклікаем Прэзідэнта Рэспублікі Беларусь неадкладна і безумоўна вызваліць Алеся \
Бяляцкага, адмяніць яго прысуд і спыніць пераслед праваабаронцаў у Беларусі.

Подпісы будуць перададзены ў Пасольства Рэспублікі Беларусь.""",
    ),
    "fr": (
        "Libérez Ales Bialiatski",
        "Libérez dès maintenant le défenseur biélorusse des droits humains Ales Bialiatski.",
        "Président de la République du Bélarus",
        f"""\
Ales Bialiatski, président du Centre des droits humains «{NBSP}Viasna{NBSP}» et \
vice-président de la FIDH, a été arrêté le 4 août 2011 et condamné le 24 novembre 2011 à \
quatre ans et demi de détention en colonie pénitentiaire. Son seul «{NBSP}crime{NBSP}»{NBSP}: \
avoir aidé les victimes de la répression au Bélarus et leurs familles.

Nous appelons le Président de la République du Bélarus à libérer Ales Bialiatski \
immédiatement et sans condition, à annuler sa condamnation et à mettre fin à la persécution \
des défenseurs des droits humains au Bélarus.

Les signatures seront remises à l’ambassade de la République du Bélarus.""",
    ),
}

PRISONER_TEXTS = {
    "bio": (
        'Chairman of the Human Rights Center "Viasna" and vice-president of FIDH. '
        "Arrested on 4 August 2011, sentenced on 24 November 2011 to 4.5 years."
    ),
    "interests": "Belarusian literature and history.",
    "mail_note": (
        "Example data from September 2012: the birthday-week action asked supporters "
        "to send cards to this address."
    ),
}
PRISONER_TRANSLATIONS = {
    "ru": {
        "bio": (
            "Председатель Правозащитного центра «Весна», вице-президент Международной "
            "федерации за права человека. Арестован 4 августа 2011 года, 24 ноября 2011 года "
            "приговорён к четырём с половиной годам лишения свободы."
        ),
        "interests": "Белорусская литература и история.",
        "mail_note": (
            "Демонстрационные данные, сентябрь 2012 года: во время акции в неделю его дня "
            "рождения сторонников просили отправлять открытки на этот адрес."
        ),
    },
    "be": {
        "bio": (
            "Старшыня Праваабарончага цэнтра «Вясна», віцэ-прэзідэнт Міжнароднай федэрацыі "
            "за правы чалавека. Арыштаваны 4 жніўня 2011 года, 24 лістапада 2011 года "
            "асуджаны да чатырох з паловай гадоў пазбаўлення волі."
        ),
        "interests": "Беларуская літаратура і гісторыя.",
        "mail_note": (
            "Дэманстрацыйныя даныя, верасень 2012 года: падчас акцыі ў тыдзень яго дня "
            "нараджэння прыхільнікаў прасілі дасылаць паштоўкі на гэты адрас."
        ),
    },
    "fr": {
        "bio": (
            f"Président du Centre des droits humains «{NBSP}Viasna{NBSP}» et vice-président "
            "de la FIDH. Arrêté le 4 août 2011, condamné le 24 novembre 2011 à quatre ans et "
            "demi de détention."
        ),
        "interests": "La littérature et l’histoire biélorusses.",
        "mail_note": (
            f"Données d’exemple de septembre 2012{NBSP}: l’action de la semaine de son "
            "anniversaire invitait à envoyer des cartes à cette adresse."
        ),
    },
}

ADDRESS_SOURCE = "Birthday-week action for Ales Bialiatski, September 2012 (campaign page)"
ADDRESS_SOURCE_TRANSLATIONS = {
    "ru": {
        "source": (
            "Акция в неделю дня рождения Алеся Беляцкого, сентябрь 2012 года (страница кампании)"
        )
    },
    "be": {
        "source": (
            "Акцыя ў тыдзень дня нараджэння Алеся Бяляцкага, верасень 2012 года (старонка кампаніі)"
        )
    },
    "fr": {
        "source": (
            "Action de la semaine d’anniversaire d’Ales Bialiatski, septembre 2012 "
            "(page de la campagne)"
        )
    },
}


def load_demo() -> bool:
    """Create the demo campaign, petition and prisoner if missing, and their translations;
    True if anything was added."""
    created = False
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == CAMPAIGN_SLUG))
    if campaign is None:
        campaign = Campaign(
            slug=CAMPAIGN_SLUG,
            name=CAMPAIGN_NAME,
            organisation="",
            description=CAMPAIGN_DESCRIPTION,
            is_example=True,
        )
        db.session.add(campaign)
        created = True
    created = translate_missing(campaign, CAMPAIGN_TRANSLATIONS) or created
    petition = db.session.scalar(select(Petition).where(Petition.slug == PETITION_SLUG))
    if petition is None:
        petition = Petition(
            campaign=campaign,
            slug=PETITION_SLUG,
            language="en",
            title="Free Ales Bialiatski",
            summary="Release the Belarusian human rights defender Ales Bialiatski now.",
            body=PETITION_BODY,
            target="President of the Republic of Belarus",
            goal=10_000,
            state=PetitionState.OPEN,
            opens_at=datetime(2011, 11, 24, tzinfo=UTC),
        )
        db.session.add(petition)
        created = True
    created = _translate_petition(petition) or created
    prisoner = db.session.scalar(select(Prisoner).where(Prisoner.slug == PRISONER_SLUG))
    if prisoner is None:
        prisoner = _prisoner(campaign)
        db.session.add(prisoner)
        created = True
    created = translate_missing(prisoner, PRISONER_TRANSLATIONS) or created
    for address in prisoner.addresses:
        if address.source == ADDRESS_SOURCE:
            created = translate_missing(address, ADDRESS_SOURCE_TRANSLATIONS) or created
    created = load_letters_demo() or created
    created = load_appeals_demo(campaign) or created
    db.session.commit()
    return created


def _translate_petition(petition: Petition) -> bool:
    existing = {translation.locale for translation in petition.translations}
    added = False
    for locale, (title, summary, target, body) in PETITION_TRANSLATIONS.items():
        if locale in existing or locale == petition.language:
            continue
        petition.translations.append(
            PetitionTranslation(
                locale=locale, title=title, summary=summary, target=target, body=body
            )
        )
        added = True
    return added


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
        mail_note_as_of=date(2012, 9, 1),
        is_mail_getting_through=True,
        translations={},
        **PRISONER_TEXTS,
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
            source=ADDRESS_SOURCE,
            translations={},
        )
    )
    return prisoner
