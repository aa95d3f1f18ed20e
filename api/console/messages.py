"""The console's UI text in one catalogue: every message in English and Russian, looked up by key.

:func:`language` picks the language of a request: the ``lang`` query parameter (kept in a cookie), then
the cookie, then ``Accept-Language``, else English. :func:`text` raises KeyError for a key the catalogue
lacks, so a template naming a missing message fails its test instead of showing a blank.
"""

from __future__ import annotations

from types import MappingProxyType

from flask import request

LANGUAGES = ("en", "ru")
DEFAULT_LANGUAGE = "en"
LANG_COOKIE = "kzpki_lang"

_CATALOGUE: dict[str, tuple[str, str]] = {  # key -> (English, Russian)
    "title": ("kzpki operators' console", "Консоль операторов kzpki"),
    "sign_in": ("Sign in", "Войти"),
    "sign_out": ("Sign out", "Выйти"),
    "token": ("Operator token", "Токен оператора"),
    "signed_in_as": ("Signed in as", "Вы вошли как"),
    "session_ended": ("Your session has ended; sign in again.", "Сеанс завершён; войдите снова."),
    "certificates": ("Certificates", "Сертификаты"),
    "search": ("Search", "Найти"),
    "serial": ("Serial number (hex)", "Серийный номер (hex)"),
    "iin": ("IIN or BIN", "ИИН или БИН"),
    "name": ("Name begins with", "Имя начинается с"),
    "ca": ("CA", "УЦ"),
    "any": ("any", "любой"),
    "status": ("Status", "Статус"),
    "status_good": ("good", "действителен"),
    "status_revoked": ("revoked", "отозван"),
    "status_on_hold": ("on hold", "приостановлен"),
    "kind": ("Kind", "Вид"),
    "subject": ("Subject", "Владелец"),
    "issuer": ("Issuer", "Издатель"),
    "valid_from": ("Valid from", "Действителен с"),
    "valid_until": ("Valid until", "Действителен до"),
    "issued_at": ("Issued", "Выдан"),
    "no_results": ("No certificate matches.", "Сертификатов не найдено."),
    "previous": ("Previous", "Назад"),
    "next": ("Next", "Далее"),
    "page": ("Page", "Страница"),
    "fields": ("Fields", "Поля"),
    "key": ("Public key", "Открытый ключ"),
    "signature_algorithm": ("Signature algorithm", "Алгоритм подписи"),
    "key_usage": ("Key usage", "Использование ключа"),
    "extended_key_usage": ("Extended key usage", "Расширенное использование ключа"),
    "policies": ("Certificate policies", "Политики сертификата"),
    "history": ("Status history", "История статуса"),
    "event_issued": ("issued", "выдан"),
    "event_revoke": ("revoked", "отозван"),
    "event_hold": ("suspended", "приостановлен"),
    "event_released": ("released", "возобновлён"),
    "event_superseded": ("superseded by a later change", "заменено последующим изменением"),
    "ground": ("Ground", "Основание"),
    "field_common_name": ("Common name", "Общее имя"),
    "field_surname": ("Surname", "Фамилия"),
    "field_name": ("Name", "Имя"),
    "field_patronymic": ("Patronymic", "Отчество"),
    "field_iin": ("IIN (masked)", "ИИН (скрыт)"),
    "field_bin": ("BIN", "БИН"),
    "field_organization": ("Organisation", "Организация"),
    "field_email": ("E-mail", "Эл. почта"),
    "field_country": ("Country", "Страна"),
    "field_serial": ("Serial number", "Серийный номер"),
    "reason": ("RFC 5280 reason", "Причина (RFC 5280)"),
    "document_ref": ("Supporting document", "Документ-основание"),
    "by": ("By", "Кем"),
    "when": ("When", "Когда"),
    "invalidity_date": ("Invalidity date (Kazakhstan time)", "Дата компрометации (время Казахстана)"),
    "actions": ("Actions", "Действия"),
    "revoke": ("Revoke", "Отозвать"),
    "hold": ("Suspend", "Приостановить"),
    "release": ("Release the hold", "Возобновить"),
    "continue": ("Continue", "Продолжить"),
    "confirm": ("Confirm", "Подтвердить"),
    "cancel": ("Cancel", "Отмена"),
    "confirm_revoke": (
        "The certificate will be revoked for good: OCSP answers revoked at once and the next CRL lists it.",
        "Сертификат будет отозван окончательно: OCSP сразу ответит «отозван», следующий CRL его перечислит.",
    ),
    "confirm_hold": (
        "The certificate will be suspended (certificateHold) until released.",
        "Сертификат будет приостановлен (certificateHold) до возобновления.",
    ),
    "confirm_release": (
        "The hold will be lifted: the certificate is good again at once and removeFromCRL in the next delta.",
        "Приостановление будет снято: сертификат снова действителен, removeFromCRL в следующем delta CRL.",
    ),
    "done_revoke": ("The certificate is revoked.", "Сертификат отозван."),
    "done_hold": ("The certificate is suspended.", "Сертификат приостановлен."),
    "done_release": ("The hold is lifted.", "Приостановление снято."),
    "error": ("Refused", "Отказано"),
    "error_code": ("Code", "Код"),
    "back": ("Back", "Назад"),
    "language": ("Русский", "English"),
    "ground_unreliable_information": (
        "Unreliable information in the certificate (EDS-18 1-1)",
        "Недостоверные сведения в сертификате (ЭЦП-18 1-1)",
    ),
    "ground_owner_death": ("Death of the owner (EDS-18 2)", "Смерть владельца (ЭЦП-18 2)"),
    "ground_name_change": (
        "Change of surname, name or patronymic (EDS-18 2-1)",
        "Смена фамилии, имени или отчества (ЭЦП-18 2-1)",
    ),
    "ground_legal_entity_change": (
        "Change, reorganisation or liquidation of the legal entity (EDS-18 2-2)",
        "Изменение, реорганизация или ликвидация юридического лица (ЭЦП-18 2-2)",
    ),
    "ground_agreement": (
        "Agreement of the CA and the owner (EDS-18 4)",
        "Соглашение УЦ и владельца (ЭЦП-18 4)",
    ),
    "ground_court_decision": ("Court decision (EDS-18 5)", "Решение суда (ЭЦП-18 5)"),
    "ground_key_compromise": ("Key compromise (EDS-17)", "Компрометация ключа (ЭЦП-17)"),
    "ground_hold": ("Suspension", "Приостановление"),
}

CATALOGUE: MappingProxyType[str, tuple[str, str]] = MappingProxyType(_CATALOGUE)


def language() -> str:
    """The language of the current request (see the module docstring)."""
    for candidate in (request.args.get("lang"), request.cookies.get(LANG_COOKIE)):
        if candidate in LANGUAGES:
            return candidate
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE) or DEFAULT_LANGUAGE


def text(key: str, lang: str) -> str:
    """The message ``key`` in ``lang`` (``en`` or ``ru``). Raises KeyError for an unknown key."""
    english, russian = CATALOGUE[key]
    return russian if lang == "ru" else english
