"""Demo appeals: the Prosecutor General and the President's administration, with the appeal
in Russian, Belarusian and English. Example data: the e-mail addresses are placeholders
(example.org), and every address says to check it before posting."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from campaign_app.appeals.models import AppealLanguage, AppealTarget, AppealTemplate
from campaign_app.campaigns.models import Campaign
from campaign_app.demo.letters_data import translate_missing
from campaign_app.extensions import db

SOURCE = "Example data of the demo campaign: check the office's own website before posting"
SOURCE_TRANSLATIONS = {
    "ru": "Демонстрационные данные: перед отправкой проверьте адрес на сайте ведомства",
    "be": "Дэманстрацыйныя даныя: перад адпраўкай праверце адрас на сайце ўстановы",
    "fr": "Données d’exemple\u00a0: vérifiez l’adresse sur le site de l’institution avant l’envoi",
}
NAME_TRANSLATIONS = {
    "prosecutor-general": {
        "ru": "Генеральный прокурор Республики Беларусь",
        "be": "Генеральны пракурор Рэспублікі Беларусь",
        "fr": "Procureur général de la République du Bélarus",
    },
    "president-administration": {
        "ru": "Администрация Президента Республики Беларусь",
        "be": "Адміністрацыя Прэзідэнта Рэспублікі Беларусь",
        "fr": "Administration du Président de la République du Bélarus",
    },
}

PROSECUTOR_TEXTS = {
    "ru": (
        "Обращение в защиту политического заключённого",
        """Уважаемый Генеральный прокурор!

Я обращаюсь к Вам по поводу положения политического заключённого: {prisoner}.

Прошу принести протест на приговор, вернуть свободу {prisoner_dative} и прекратить \
преследование правозащитников в Беларуси. Заключение человека за помощь жертвам репрессий \
противоречит Конституции Республики Беларусь и международным обязательствам страны.

Прошу сообщить мне о принятых мерах.

С уважением,""",
    ),
    "be": (
        "Зварот у абарону палітычнага зняволенага",
        """Паважаны Генеральны пракурор!

Я звяртаюся да Вас наконт становішча палітычнага зняволенага: {prisoner}.

Прашу прынесці пратэст на прысуд, вярнуць свабоду {prisoner_dative} і спыніць пераслед \
праваабаронцаў у Беларусі. Зняволенне чалавека за дапамогу ахвярам рэпрэсій супярэчыць \
Канстытуцыі Рэспублікі Беларусь і міжнародным абавязацельствам краіны.

Прашу паведаміць мне пра прынятыя меры.

З павагай,""",
    ),
    "en": (
        "Appeal on behalf of a political prisoner",
        """Dear Prosecutor General,

I am writing to you about the political prisoner {prisoner}.

I ask you to lodge a protest against the sentence, to restore the freedom of {prisoner} and \
to end the persecution of human rights defenders in Belarus. Imprisoning a person for helping \
the victims of repression contradicts the Constitution of the Republic of Belarus and the \
country's international obligations.

Please inform me of the measures taken.

Yours faithfully,""",
    ),
}

PRESIDENT_TEXTS = {
    "ru": (
        "Открытое письмо Президенту Республики Беларусь",
        """Уважаемый господин Президент!

Прошу Вас вернуть свободу {prisoner_dative}, отменить приговор и прекратить преследование \
правозащитников в Беларуси.

Правозащитная деятельность не является преступлением. Освобождение политических \
заключённых стало бы важным шагом к диалогу.

С уважением,""",
    ),
    "be": (
        "Адкрыты ліст Прэзідэнту Рэспублікі Беларусь",
        """Паважаны спадар Прэзідэнт!

Прашу Вас вярнуць свабоду {prisoner_dative}, адмяніць прысуд і спыніць пераслед \
праваабаронцаў у Беларусі.

Праваабарончая дзейнасць не з’яўляецца злачынствам. Вызваленне палітычных зняволеных \
стала б важным крокам да дыялогу.

З павагай,""",
    ),
    "en": (
        "Open letter to the President of the Republic of Belarus",
        """Dear Mr President,

I ask you to release {prisoner}, to quash the conviction and to end the persecution of \
human rights defenders in Belarus.

Defending human rights is not a crime. Releasing political prisoners would be an important \
step towards dialogue.

Yours faithfully,""",
    ),
}

# slug: (name, office, address lines, e-mail, texts)
TARGETS = {
    "prosecutor-general": (
        "Prosecutor General of the Republic of Belarus",
        "Генеральному прокурору Республики Беларусь",
        "ул. Интернациональная, 22\n220030, г. Минск",
        "prosecutor-general@example.org",
        PROSECUTOR_TEXTS,
    ),
    "president-administration": (
        "Administration of the President of the Republic of Belarus",
        "Администрация Президента Республики Беларусь",
        "ул. Карла Маркса, 38\n220016, г. Минск",
        "president-administration@example.org",
        PRESIDENT_TEXTS,
    ),
}


def load_appeals_demo(campaign: Campaign) -> bool:
    """Add the demo targets and their missing texts to ``campaign``; flushes only."""
    created = False
    for slug, (name, office, lines, email, texts) in TARGETS.items():
        target = db.session.scalar(select(AppealTarget).where(AppealTarget.slug == slug))
        if target is None:
            target = AppealTarget(
                campaign=campaign,
                slug=slug,
                name=name,
                office=office,
                address_lines=lines,
                country_line="REPUBLIC OF BELARUS",
                email=email,
                language=AppealLanguage.RUSSIAN,
                as_of=date(2012, 9, 1),
                source=SOURCE,
                is_active=True,
                translations={},
            )
            db.session.add(target)
            created = True
        texts_by_locale = {
            locale: {"name": NAME_TRANSLATIONS[slug][locale], "source": SOURCE_TRANSLATIONS[locale]}
            for locale in SOURCE_TRANSLATIONS
        }
        created = translate_missing(target, texts_by_locale) or created
        for code, (subject, body) in texts.items():
            if target.template_in(code) is None:
                target.templates.append(
                    AppealTemplate(language=AppealLanguage(code), subject=subject, body=body)
                )
                created = True
    db.session.flush()
    return created
