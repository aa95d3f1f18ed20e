"""The console's UI text in one catalogue: every message in English, Russian and Kazakh, looked up by key.

Each message is a mapping from language code to its text (:func:`_m`); the messages are kept in blocks, one
per area of the console, merged into :data:`CATALOGUE` (a key in two blocks is an error at import). Every
message has a text in every language of :data:`LANGUAGES` (``tests/api/test_console.py`` checks it).

:func:`language` picks the language of a request: the ``lang`` query parameter (kept in a cookie), then
the cookie, then ``Accept-Language``, else English. :func:`text` raises KeyError for a key the catalogue
lacks, so a template naming a missing message fails its test instead of showing a blank.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from flask import request

LANGUAGES = ("en", "ru", "kk")
DEFAULT_LANGUAGE = "en"
LANG_COOKIE = "kzpki_lang"
# Each language's own name, as the language switch shows it (the same in every UI language).
LANGUAGE_NAMES: Mapping[str, str] = MappingProxyType({"en": "English", "ru": "Русский", "kk": "Қазақша"})

Message = Mapping[str, str]  # language code -> text
_Block = dict[str, Message]


def _m(*, en: str, ru: str, kk: str) -> Message:
    """One message in every language."""
    return MappingProxyType({"en": en, "ru": ru, "kk": kk})


_GENERAL: _Block = {  # every page: sign-in and out, navigation, forms, refusals
    "title": _m(en="kzpki operators' console", ru="Консоль операторов kzpki", kk="kzpki операторлар консолі"),
    "sign_in": _m(en="Sign in", ru="Войти", kk="Кіру"),
    "sign_out": _m(en="Sign out", ru="Выйти", kk="Шығу"),
    "token": _m(en="Operator token", ru="Токен оператора", kk="Оператор токені"),
    "signed_in_as": _m(en="Signed in as", ru="Вы вошли как", kk="Кірген оператор"),
    "session_ended": _m(
        en="Your session has ended; sign in again.",
        ru="Сеанс завершён; войдите снова.",
        kk="Сеанс аяқталды; қайта кіріңіз.",
    ),
    "search": _m(en="Search", ru="Найти", kk="Іздеу"),
    "any": _m(en="any", ru="любой", kk="кез келген"),
    "previous": _m(en="Previous", ru="Назад", kk="Алдыңғы"),
    "next": _m(en="Next", ru="Далее", kk="Келесі"),
    "page": _m(en="Page", ru="Страница", kk="Бет"),
    "when": _m(en="When", ru="Когда", kk="Қашан"),
    "by": _m(en="By", ru="Кем", kk="Кім"),
    "actions": _m(en="Actions", ru="Действия", kk="Әрекеттер"),
    "continue": _m(en="Continue", ru="Продолжить", kk="Жалғастыру"),
    "confirm": _m(en="Confirm", ru="Подтвердить", kk="Растау"),
    "cancel": _m(en="Cancel", ru="Отмена", kk="Болдырмау"),
    "error": _m(en="Refused", ru="Отказано", kk="Бас тартылды"),
    "error_code": _m(en="Code", ru="Код", kk="Код"),
    "back": _m(en="Back", ru="Назад", kk="Артқа"),
}

_CERTIFICATES: _Block = {  # certificate search, page, revoke / hold / release
    "certificates": _m(en="Certificates", ru="Сертификаты", kk="Сертификаттар"),
    "serial": _m(en="Serial number (hex)", ru="Серийный номер (hex)", kk="Сериялық нөмір (hex)"),
    "iin": _m(en="IIN or BIN", ru="ИИН или БИН", kk="ЖСН немесе БСН"),
    "name": _m(en="Name begins with", ru="Имя начинается с", kk="Аты мынадан басталады"),
    "ca": _m(en="CA", ru="УЦ", kk="КО"),
    "status": _m(en="Status", ru="Статус", kk="Күйі"),
    "status_good": _m(en="good", ru="действителен", kk="жарамды"),
    "status_revoked": _m(en="revoked", ru="отозван", kk="күші жойылған"),
    "status_on_hold": _m(en="on hold", ru="приостановлен", kk="тоқтатыла тұрған"),
    "kind": _m(en="Kind", ru="Вид", kk="Түрі"),
    "subject": _m(en="Subject", ru="Владелец", kk="Иесі"),
    "issuer": _m(en="Issuer", ru="Издатель", kk="Шығарушы"),
    "valid_from": _m(en="Valid from", ru="Действителен с", kk="Жарамдылығының басы"),
    "valid_until": _m(en="Valid until", ru="Действителен до", kk="Жарамдылығының соңы"),
    "issued_at": _m(en="Issued", ru="Выдан", kk="Берілген күні"),
    "no_results": _m(en="No certificate matches.", ru="Сертификатов не найдено.", kk="Сертификат табылмады."),
    "fields": _m(en="Fields", ru="Поля", kk="Өрістер"),
    "key": _m(en="Public key", ru="Открытый ключ", kk="Ашық кілт"),
    "signature_algorithm": _m(en="Signature algorithm", ru="Алгоритм подписи", kk="Қолтаңба алгоритмі"),
    "key_usage": _m(en="Key usage", ru="Использование ключа", kk="Кілтті пайдалану"),
    "extended_key_usage": _m(
        en="Extended key usage", ru="Расширенное использование ключа", kk="Кілтті кеңейтілген пайдалану"
    ),
    "policies": _m(en="Certificate policies", ru="Политики сертификата", kk="Сертификат саясаттары"),
    "history": _m(en="Status history", ru="История статуса", kk="Күй тарихы"),
    "event_issued": _m(en="issued", ru="выдан", kk="берілді"),
    "event_revoke": _m(en="revoked", ru="отозван", kk="күші жойылды"),
    "event_hold": _m(en="suspended", ru="приостановлен", kk="тоқтатыла тұрды"),
    "event_released": _m(en="released", ru="возобновлён", kk="қалпына келтірілді"),
    "event_superseded": _m(
        en="superseded by a later change",
        ru="заменено последующим изменением",
        kk="кейінгі өзгеріспен ауыстырылды",
    ),
    "ground": _m(en="Ground", ru="Основание", kk="Негіз"),
    "field_common_name": _m(en="Common name", ru="Общее имя", kk="Жалпы атауы"),
    "field_surname": _m(en="Surname", ru="Фамилия", kk="Тегі"),
    "field_name": _m(en="Name", ru="Имя", kk="Аты"),
    "field_patronymic": _m(en="Patronymic", ru="Отчество", kk="Әкесінің аты"),
    "field_iin": _m(en="IIN (masked)", ru="ИИН (скрыт)", kk="ЖСН (жасырылған)"),
    "field_bin": _m(en="BIN", ru="БИН", kk="БСН"),
    "field_organization": _m(en="Organisation", ru="Организация", kk="Ұйым"),
    "field_email": _m(en="E-mail", ru="Эл. почта", kk="Эл. пошта"),
    "field_country": _m(en="Country", ru="Страна", kk="Ел"),
    "field_serial": _m(en="Serial number", ru="Серийный номер", kk="Сериялық нөмір"),
    "reason": _m(en="RFC 5280 reason", ru="Причина (RFC 5280)", kk="Себебі (RFC 5280)"),
    "document_ref": _m(en="Supporting document", ru="Документ-основание", kk="Негіздеме құжаты"),
    "invalidity_date": _m(
        en="Invalidity date (Kazakhstan time)",
        ru="Дата компрометации (время Казахстана)",
        kk="Кілттің компрометацияланған күні (Қазақстан уақыты)",
    ),
    "revoke": _m(en="Revoke", ru="Отозвать", kk="Күшін жою"),
    "hold": _m(en="Suspend", ru="Приостановить", kk="Тоқтата тұру"),
    "release": _m(en="Release the hold", ru="Возобновить", kk="Қалпына келтіру"),
    "confirm_revoke": _m(
        en="The certificate will be revoked for good: OCSP answers revoked at once"
        " and the next CRL lists it.",
        ru="Сертификат будет отозван окончательно: OCSP сразу ответит «отозван»,"
        " следующий CRL его перечислит.",
        kk="Сертификаттың күші біржола жойылады: OCSP бірден «күші жойылған» деп жауап береді,"
        " келесі CRL оны тізімге енгізеді.",
    ),
    "confirm_hold": _m(
        en="The certificate will be suspended (certificateHold) until released.",
        ru="Сертификат будет приостановлен (certificateHold) до возобновления.",
        kk="Сертификат қалпына келтірілгенге дейін тоқтатыла тұрады (certificateHold).",
    ),
    "confirm_release": _m(
        en="The hold will be lifted: the certificate is good again at once"
        " and removeFromCRL in the next delta.",
        ru="Приостановление будет снято: сертификат снова действителен, removeFromCRL в следующем delta CRL.",
        kk="Тоқтата тұру алынады: сертификат бірден қайта жарамды болады, келесі delta CRL-де removeFromCRL.",
    ),
    "done_revoke": _m(
        en="The certificate is revoked.", ru="Сертификат отозван.", kk="Сертификаттың күші жойылды."
    ),
    "done_hold": _m(
        en="The certificate is suspended.", ru="Сертификат приостановлен.", kk="Сертификат тоқтатыла тұрды."
    ),
    "done_release": _m(en="The hold is lifted.", ru="Приостановление снято.", kk="Тоқтата тұру алынды."),
}

_GROUNDS: _Block = {  # EDS-17/18 grounds, ca_sim.grounds.Ground values
    "ground_unreliable_information": _m(
        en="Unreliable information in the certificate (EDS-18 1-1)",
        ru="Недостоверные сведения в сертификате (ЭЦП-18 1-1)",
        kk="Сертификаттағы дұрыс емес мәліметтер (ЭЦҚ-18 1-1)",
    ),
    "ground_owner_death": _m(
        en="Death of the owner (EDS-18 2)",
        ru="Смерть владельца (ЭЦП-18 2)",
        kk="Иесінің қайтыс болуы (ЭЦҚ-18 2)",
    ),
    "ground_name_change": _m(
        en="Change of surname, name or patronymic (EDS-18 2-1)",
        ru="Смена фамилии, имени или отчества (ЭЦП-18 2-1)",
        kk="Тегінің, атының немесе әкесінің атының өзгеруі (ЭЦҚ-18 2-1)",
    ),
    "ground_legal_entity_change": _m(
        en="Change, reorganisation or liquidation of the legal entity (EDS-18 2-2)",
        ru="Изменение, реорганизация или ликвидация юридического лица (ЭЦП-18 2-2)",
        kk="Заңды тұлғаның өзгеруі, қайта ұйымдастырылуы немесе таратылуы (ЭЦҚ-18 2-2)",
    ),
    "ground_agreement": _m(
        en="Agreement of the CA and the owner (EDS-18 4)",
        ru="Соглашение УЦ и владельца (ЭЦП-18 4)",
        kk="КО мен иесінің келісімі (ЭЦҚ-18 4)",
    ),
    "ground_court_decision": _m(
        en="Court decision (EDS-18 5)", ru="Решение суда (ЭЦП-18 5)", kk="Сот шешімі (ЭЦҚ-18 5)"
    ),
    "ground_key_compromise": _m(
        en="Key compromise (EDS-17)", ru="Компрометация ключа (ЭЦП-17)", kk="Кілттің компрометациясы (ЭЦҚ-17)"
    ),
    "ground_hold": _m(en="Suspension", ru="Приостановление", kk="Тоқтата тұру"),
}


def _merge(*blocks: _Block) -> dict[str, Message]:
    merged: dict[str, Message] = {}
    for block in blocks:
        twice = merged.keys() & block.keys()
        if twice:
            raise ValueError(f"console messages defined twice: {sorted(twice)}")
        merged.update(block)
    return merged


CATALOGUE: Mapping[str, Message] = MappingProxyType(_merge(_GENERAL, _CERTIFICATES, _GROUNDS))


def language() -> str:
    """The language of the current request (see the module docstring)."""
    for candidate in (request.args.get("lang"), request.cookies.get(LANG_COOKIE)):
        if candidate in LANGUAGES:
            return candidate
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE) or DEFAULT_LANGUAGE


def text(key: str, lang: str) -> str:
    """The message ``key`` in ``lang`` (one of :data:`LANGUAGES`; another falls back to English).
    Raises KeyError for an unknown key."""
    message = CATALOGUE[key]
    return message.get(lang) or message[DEFAULT_LANGUAGE]
