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


_SIGN_IN_CRLS_HOLDS: _Block = {  # sign-in by name, password and TOTP; issue dates; hold ends; CRLs
    "login_name": _m(en="Login name", ru="Имя пользователя", kk="Пайдаланушы аты"),
    "password": _m(en="Password", ru="Пароль", kk="Құпиясөз"),
    "totp_code": _m(
        en="One-time code (authenticator app)",
        ru="Одноразовый код (приложение-аутентификатор)",
        kk="Бір реттік код (аутентификатор қосымшасы)",
    ),
    "sign_in_with_token": _m(
        en="Or sign in with an operator token",
        ru="Или войти с токеном оператора",
        kk="Немесе оператор токенімен кіру",
    ),
    "issued_from": _m(en="Issued from (date)", ru="Выдан с (дата)", kk="Берілген күні (бастап)"),
    "issued_to": _m(
        en="Issued until (date, inclusive)",
        ru="Выдан по (дата, включительно)",
        kk="Берілген күні (дейін, қоса алғанда)",
    ),
    "hold_until": _m(
        en="End of the suspension (optional; good again from 00:00 that day, Kazakhstan time)",
        ru=(
            "Окончание приостановления (необязательно; снова действителен с 00:00 этого дня по времени "
            "Казахстана)"
        ),
        kk=(
            "Тоқтата тұрудың аяқталуы (міндетті емес; сол күні Қазақстан уақытымен 00:00-ден бастап "
            "қайта жарамды)"
        ),
    ),
    "held_until": _m(en="Suspension ends", ru="Приостановление заканчивается", kk="Тоқтата тұру аяқталады"),
    "confirm_hold_until": _m(
        en=(
            "The certificate will be suspended (certificateHold) until the date below and good again "
            "from then by itself, unless released earlier."
        ),
        ru=(
            "Сертификат будет приостановлен (certificateHold) до указанной ниже даты и с неё снова "
            "станет действителен сам, если не возобновлён раньше."
        ),
        kk=(
            "Сертификат төменде көрсетілген күнге дейін тоқтатыла тұрады (certificateHold) және, "
            "ертерек қалпына келтірілмесе, сол күннен бастап өздігінен қайта жарамды болады."
        ),
    ),
    "event_expired": _m(
        en="released at the end of the suspension (automatically)",
        ru="возобновлён по окончании срока приостановления (автоматически)",
        kk="тоқтата тұру мерзімі аяқталғанда қалпына келтірілді (автоматты түрде)",
    ),
    "crls": _m(
        en="Revocation lists (CRL)",
        ru="Списки отозванных сертификатов (CRL)",
        kk="Күші жойылған сертификаттар тізімдері (CRL)",
    ),
    "crl_full": _m(en="full", ru="полный", kk="толық"),
    "crl_delta": _m(en="delta", ru="дельта", kk="дельта"),
    "crl_number": _m(en="CRL number", ru="Номер CRL", kk="CRL нөмірі"),
    "this_update": _m(
        en="Issued (thisUpdate)",
        ru="Выпущен (thisUpdate)",
        kk="Шығарылған уақыты (thisUpdate)",
    ),
    "next_update": _m(en="Next by (nextUpdate)", ru="Следующий до (nextUpdate)", kk="Келесісі (nextUpdate)"),
    "crl_entries": _m(en="Entries", ru="Записей", kk="Жазбалар"),
    "crl_size": _m(en="Size (bytes)", ru="Размер (байт)", kk="Көлемі (байт)"),
    "publish_crls": _m(en="Publish CRLs now", ru="Опубликовать CRL сейчас", kk="CRL-ді қазір жариялау"),
    "confirm_publish": _m(
        en=(
            "A new full CRL and a new delta CRL of this CA will be signed and published now, each with "
            "the next CRL number."
        ),
        ru=(
            "Будут подписаны и опубликованы новый полный и новый дельта-CRL этого УЦ, каждый со "
            "следующим номером CRL."
        ),
        kk=(
            "Осы куәландырушы орталықтың жаңа толық және жаңа дельта CRL-і қазір қол қойылып, әрқайсысы "
            "келесі CRL нөмірімен жарияланады."
        ),
    ),
    "done_publish": _m(
        en="New CRLs published for",
        ru="Опубликованы новые CRL для",
        kk="Жаңа CRL жарияланды:",
    ),
    "none_published": _m(en="none published yet", ru="ещё не опубликован", kk="әлі жарияланбаған"),
    "crl_times_note": _m(
        en="Times are Kazakhstan time (UTC+5).",
        ru="Время — казахстанское (UTC+5).",
        kk="Уақыт — Қазақстан уақыты (UTC+5).",
    ),
}


_KEY_USAGES: _Block = {  # RFC 5280 4.2.1.3 key usage bits, as the certificate page names them
    "key_usage_digital_signature": _m(en="digital signature", ru="цифровая подпись", kk="цифрлық қолтаңба"),
    "key_usage_content_commitment": _m(
        en="non-repudiation (content commitment)", ru="неотрекаемость", kk="бас тартпаушылық"
    ),
    "key_usage_key_encipherment": _m(en="key encipherment", ru="шифрование ключей", kk="кілттерді шифрлау"),
    "key_usage_data_encipherment": _m(
        en="data encipherment", ru="шифрование данных", kk="деректерді шифрлау"
    ),
    "key_usage_key_agreement": _m(en="key agreement", ru="согласование ключей", kk="кілттерді келісу"),
    "key_usage_key_cert_sign": _m(
        en="certificate signing", ru="подпись сертификатов", kk="сертификаттарға қол қою"
    ),
    "key_usage_crl_sign": _m(en="CRL signing", ru="подпись CRL", kk="CRL-ге қол қою"),
}


_ACCOUNTS: _Block = {  # UNIS accounts and their login records (issue 14.4; UNIS-4, 5, 5-1, 6, 12)
    "accounts": _m(en="UNIS accounts", ru="Учётные записи ЕНИС", kk="БНАЖ есептік жазбалары"),
    "account": _m(en="UNIS account", ru="Учётная запись ЕНИС", kk="БНАЖ есептік жазбасы"),
    "account_number": _m(en="Account", ru="Запись", kk="Жазба"),
    "account_iin": _m(en="IIN", ru="ИИН", kk="ЖСН"),
    "find_account": _m(en="Find by IIN", ru="Найти по ИИН", kk="ЖСН бойынша іздеу"),
    "new_account": _m(en="New account", ru="Новая учётная запись", kk="Жаңа есептік жазба"),
    "no_accounts": _m(
        en="No account matches.", ru="Учётных записей не найдено.", kk="Есептік жазба табылмады."
    ),
    "show": _m(en="Show", ru="Показать", kk="Көрсету"),
    "role": _m(en="Role", ru="Роль", kk="Рөлі"),
    "role_notary": _m(en="notary", ru="нотариус", kk="нотариус"),
    "role_chamber_employee": _m(en="chamber employee", ru="сотрудник палаты", kk="палата қызметкері"),
    "role_justice_employee": _m(
        en="justice employee", ru="сотрудник органов юстиции", kk="әділет органының қызметкері"
    ),
    "chamber": _m(en="Territorial chamber", ru="Территориальная палата", kk="Аумақтық палата"),
    "status_reason": _m(en="Reason", ru="Причина", kk="Себебі"),
    "until": _m(en="Until", ru="До", kk="Дейін"),
    "until_resumed": _m(en="until resumed", ru="до возобновления", kk="қайта іске қосылғанға дейін"),
    "until_date": _m(
        en="Until (Kazakhstan date, not included; empty: until resumed)",
        ru="До (дата по времени Казахстана, не включая; пусто: до возобновления)",
        kk="Дейін (Қазақстан уақытымен күн, қоспағанда; бос: қайта іске қосылғанға дейін)",
    ),
    "created_at": _m(en="Created", ru="Создана", kk="Құрылған күні"),
    "account_status_active": _m(en="active", ru="активна", kk="белсенді"),
    "account_status_suspended": _m(en="suspended", ru="приостановлена", kk="уақытша тоқтатылған"),
    "account_status_blocked": _m(en="blocked", ru="заблокирована", kk="бұғатталған"),
    "account_status_terminated": _m(en="terminated", ru="прекращена", kk="тоқтатылған"),
    "account_reason_licence_suspended": _m(
        en="licence suspended (UNIS-5-1)",
        ru="лицензия приостановлена (ЕНИС-5-1)",
        kk="лицензия тоқтатыла тұрды (БНАЖ-5-1)",
    ),
    "account_reason_leave": _m(en="leave (UNIS-5-1)", ru="отпуск (ЕНИС-5-1)", kk="демалыс (БНАЖ-5-1)"),
    "account_reason_sick_leave": _m(
        en="sick leave (UNIS-5-1)", ru="больничный (ЕНИС-5-1)", kk="ауруына байланысты демалыс (БНАЖ-5-1)"
    ),
    "account_reason_parental_leave": _m(
        en="parental leave (UNIS-5-1)",
        ru="отпуск по уходу за ребёнком (ЕНИС-5-1)",
        kk="бала күтіміне байланысты демалыс (БНАЖ-5-1)",
    ),
    "account_reason_eds_not_reissued": _m(
        en="EDS not reissued within a year (UNIS-12, automatic)",
        ru="ЭЦП не перевыпущена в течение года (ЕНИС-12, автоматически)",
        kk="ЭЦҚ бір жыл ішінде қайта шығарылмады (БНАЖ-12, автоматты түрде)",
    ),
    "account_reason_suspected_misuse": _m(
        en="suspected misuse of the account or EDS",
        ru="подозрение на неправомерное использование записи или ЭЦП",
        kk="есептік жазбаны немесе ЭЦҚ-ны заңсыз пайдалану күдігі",
    ),
    "account_reason_chamber_decision": _m(en="chamber decision", ru="решение палаты", kk="палата шешімі"),
    "account_reason_left_chamber": _m(en="left the chamber", ru="выход из палаты", kk="палатадан шығу"),
    "account_reason_excluded_from_chamber": _m(
        en="excluded from the chamber", ru="исключение из палаты", kk="палатадан шығарылу"
    ),
    "account_reason_licence_terminated": _m(
        en="licence terminated", ru="лицензия прекращена", kk="лицензияның қолданылуы тоқтатылды"
    ),
    "account_reason_dismissed": _m(en="dismissed", ru="увольнение", kk="жұмыстан босату"),
    "account_event_created": _m(en="created", ru="создана", kk="құрылды"),
    "account_event_activated": _m(en="activated", ru="активирована", kk="белсендірілді"),
    "account_event_suspended": _m(en="suspended", ru="приостановлена", kk="уақытша тоқтатылды"),
    "account_event_resumed": _m(en="resumed", ru="возобновлена", kk="қайта іске қосылды"),
    "account_event_blocked": _m(en="blocked", ru="заблокирована", kk="бұғатталды"),
    "account_event_block_lifted": _m(en="block lifted", ru="блокировка снята", kk="бұғат алынды"),
    "account_event_terminated": _m(en="terminated", ru="прекращена", kk="тоқтатылды"),
    "account_suspend": _m(en="Suspend", ru="Приостановить", kk="Уақытша тоқтату"),
    "account_resume": _m(en="Resume", ru="Возобновить", kk="Қайта іске қосу"),
    "account_block": _m(en="Block", ru="Заблокировать", kk="Бұғаттау"),
    "account_unblock": _m(en="Unblock", ru="Разблокировать", kk="Бұғатты алу"),
    "account_terminate": _m(en="Terminate", ru="Прекратить доступ", kk="Қолжетімділікті тоқтату"),
    "account_confirm_create": _m(
        en="An active UNIS account will be created: the owner of this IIN can log in to UNIS with their EDS"
        " (UNIS-4).",
        ru="Будет создана активная учётная запись ЕНИС: владелец этого ИИН сможет входить в ЕНИС с ЭЦП"
        " (ЕНИС-4).",
        kk="Белсенді БНАЖ есептік жазбасы құрылады: осы ЖСН иесі БНАЖ-ға ЭЦҚ арқылы кіре алады (БНАЖ-4).",
    ),
    "account_confirm_suspend": _m(
        en="The account will be suspended temporarily (UNIS-5-1): UNIS logins are refused (account_suspended,"
        " temporary, with this reason) until the end date or until resumed.",
        ru="Учётная запись будет временно приостановлена (ЕНИС-5-1): входы в ЕНИС отклоняются"
        " (account_suspended, временно, с этой причиной) до даты окончания или до возобновления.",
        kk="Есептік жазба уақытша тоқтатылады (БНАЖ-5-1): БНАЖ-ға кіру (account_suspended, уақытша, осы"
        " себеппен) аяқталу күніне немесе қайта іске қосылғанға дейін қабылданбайды.",
    ),
    "account_confirm_resume": _m(
        en="The suspension ends now: the owner can log in to UNIS again at once.",
        ru="Приостановление закончится сейчас: владелец сразу снова сможет входить в ЕНИС.",
        kk="Уақытша тоқтату қазір аяқталады: иесі БНАЖ-ға бірден қайта кіре алады.",
    ),
    "account_confirm_block": _m(
        en="The account will be blocked (UNIS-5/6): UNIS logins are refused (account_blocked) until an"
        " operator lifts the block.",
        ru="Учётная запись будет заблокирована (ЕНИС-5/6): входы в ЕНИС отклоняются (account_blocked), пока"
        " оператор не снимет блокировку.",
        kk="Есептік жазба бұғатталады (БНАЖ-5/6): оператор бұғатты алғанға дейін БНАЖ-ға кіру"
        " (account_blocked) қабылданбайды.",
    ),
    "account_confirm_unblock": _m(
        en="The block will be lifted: the owner can log in to UNIS again at once (after UNIS-12: with a"
        " certificate less than a year old).",
        ru="Блокировка будет снята: владелец сразу снова сможет входить в ЕНИС (после ЕНИС-12: с сертификатом"
        " моложе года).",
        kk="Бұғат алынады: иесі БНАЖ-ға бірден қайта кіре алады (БНАЖ-12-ден кейін: бір жылдан аз уақыт"
        " бұрын берілген сертификатпен).",
    ),
    "account_confirm_terminate": _m(
        en="Access ends for good (UNIS-5/6): the account cannot be reactivated; UNIS logins are refused"
        " (account_terminated).",
        ru="Доступ прекращается окончательно (ЕНИС-5/6): запись нельзя снова активировать; входы в ЕНИС"
        " отклоняются (account_terminated).",
        kk="Қолжетімділік біржола тоқтатылады (БНАЖ-5/6): жазбаны қайта белсендіруге болмайды; БНАЖ-ға кіру"
        " (account_terminated) қабылданбайды.",
    ),
    "account_done_create": _m(
        en="The account is created.", ru="Учётная запись создана.", kk="Есептік жазба құрылды."
    ),
    "account_done_suspend": _m(
        en="The account is suspended.",
        ru="Учётная запись приостановлена.",
        kk="Есептік жазба уақытша тоқтатылды.",
    ),
    "account_done_resume": _m(
        en="The account is active again.",
        ru="Учётная запись снова активна.",
        kk="Есептік жазба қайта белсенді.",
    ),
    "account_done_block": _m(
        en="The account is blocked.", ru="Учётная запись заблокирована.", kk="Есептік жазба бұғатталды."
    ),
    "account_done_unblock": _m(en="The block is lifted.", ru="Блокировка снята.", kk="Бұғат алынды."),
    "account_done_terminate": _m(
        en="Access has ended.", ru="Доступ прекращён.", kk="Қолжетімділік тоқтатылды."
    ),
    "account_unis12_note": _m(
        en="Blocked automatically (UNIS-12): the user logged in with a certificate more than a year old. Lift"
        " the block once they have a new certificate.",
        ru="Заблокирована автоматически (ЕНИС-12): вход с сертификатом старше года. Снимите блокировку,"
        " когда у пользователя будет новый сертификат.",
        kk="Автоматты түрде бұғатталды (БНАЖ-12): бір жылдан асқан сертификатпен кіру. Пайдаланушыда жаңа"
        " сертификат болғанда бұғатты алыңыз.",
    ),
    "login_records": _m(en="Login records", ru="Записи о входах", kk="Кіру жазбалары"),
    "no_login_records": _m(en="No login record.", ru="Записей о входах нет.", kk="Кіру жазбалары жоқ."),
    "decision": _m(en="Decision", ru="Решение", kk="Шешім"),
    "decision_accepted": _m(en="accepted", ru="принят", kk="қабылданды"),
    "decision_refused": _m(en="refused", ru="отклонён", kk="қабылданбады"),
    "reasons": _m(en="Reasons", ru="Причины", kk="Себептері"),
    "signature_format": _m(en="Signature format", ru="Формат подписи", kk="Қолтаңба пішімі"),
    "older": _m(en="Older", ru="Раньше", kk="Ертерек"),
    "newer": _m(en="Newer", ru="Позже", kk="Кейінірек"),
}

_AUDIT: _Block = {  # the hash-chained audit log (issue 14.5; PD-22, EDS-21)
    "audit": _m(en="Audit log", ru="Журнал аудита", kk="Аудит журналы"),
    "actor": _m(en="Actor", ru="Кто", kk="Кім"),
    "audit_action": _m(en="Action", ru="Действие", kk="Әрекет"),
    "target": _m(en="Object", ru="Объект", kk="Объект (нысан)"),
    "outcome": _m(en="Outcome", ru="Результат", kk="Нәтиже"),
    "outcome_success": _m(en="success", ru="успешно", kk="сәтті"),
    "outcome_refused": _m(en="refused", ru="отказано", kk="бас тартылды"),
    "details": _m(en="Details", ru="Подробности", kk="Толығырақ"),
    "seq": _m(en="No.", ru="№", kk="Р/с"),
    "from_date": _m(en="From (Kazakhstan date)", ru="С (дата, Казахстан)", kk="Бастап (күні, Қазақстан)"),
    "to_date": _m(en="To (Kazakhstan date)", ru="По (дата, Казахстан)", kk="Дейін (күні, Қазақстан)"),
    "chain": _m(en="Hash chain", ru="Хеш-цепочка", kk="Хэш тізбегі"),
    "chain_intact": _m(en="intact", ru="цела", kk="бүтін"),
    "chain_broken": _m(en="BROKEN at entry", ru="НАРУШЕНА на записи", kk="БҰЗЫЛҒАН, жазба"),
    "chain_entries": _m(en="entries", ru="записей", kk="жазба"),
    "chain_checked_at": _m(en="verified", ru="проверено", kk="тексерілген уақыты"),
    "verify_now": _m(en="Verify now", ru="Проверить сейчас", kk="Қазір тексеру"),
    "export_jsonl": _m(en="Export JSON Lines", ru="Выгрузить JSON Lines", kk="JSON Lines түрінде жүктеу"),
    "export_csv": _m(en="Export CSV", ru="Выгрузить CSV", kk="CSV түрінде жүктеу"),
    "no_entries": _m(en="No entry matches.", ru="Записей не найдено.", kk="Жазба табылмады."),
}


_PASSWORD: _Block = {  # an operator's own password (ca_sim.operator_credentials.change_password)
    "change_password": _m(en="Change password", ru="Сменить пароль", kk="Құпиясөзді өзгерту"),
    "current_password": _m(en="Current password", ru="Текущий пароль", kk="Ағымдағы құпиясөз"),
    "new_password": _m(en="New password", ru="Новый пароль", kk="Жаңа құпиясөз"),
    "repeat_password": _m(en="The new password again", ru="Новый пароль ещё раз", kk="Жаңа құпиясөз тағы да"),
    "password_rules": _m(
        en="At least 12 characters, without your login name. Every session signed in with the old password"
        " ends, this one too.",
        ru="Не менее 12 символов, без имени пользователя. Все сеансы, открытые со старым паролем, включая"
        " этот, завершатся.",
        kk="Кемінде 12 таңба, пайдаланушы атынсыз. Ескі құпиясөзбен ашылған барлық сеанс, соның ішінде осы"
        " сеанс, аяқталады.",
    ),
    "password_changed": _m(
        en="Your password has been changed; sign in with the new one.",
        ru="Пароль изменён; войдите с новым паролем.",
        kk="Құпиясөз өзгертілді; жаңа құпиясөзбен кіріңіз.",
    ),
    "invalid_credentials": _m(
        en="The current password or the code is not right.",
        ru="Текущий пароль или код неверен.",
        kk="Ағымдағы құпиясөз немесе код қате.",
    ),
    "password_too_short": _m(
        en="The new password is too short.",
        ru="Новый пароль слишком короткий.",
        kk="Жаңа құпиясөз тым қысқа.",
    ),
    "password_too_long": _m(
        en="The new password is too long.", ru="Новый пароль слишком длинный.", kk="Жаңа құпиясөз тым ұзын."
    ),
    "password_contains_name": _m(
        en="The new password must not contain your login name.",
        ru="Новый пароль не должен содержать имя пользователя.",
        kk="Жаңа құпиясөзде пайдаланушы аты болмауы керек.",
    ),
    "password_unchanged": _m(
        en="The new password is the current one.",
        ru="Новый пароль совпадает с текущим.",
        kk="Жаңа құпиясөз ағымдағысымен бірдей.",
    ),
    "passwords_differ": _m(
        en="The two new passwords differ.",
        ru="Новые пароли не совпадают.",
        kk="Жаңа құпиясөздер сәйкес келмейді.",
    ),
}


_ISSUANCE: _Block = {  # issuance to an individual from a PKCS#10 request (EDS-14, EDS-14-1)
    "issue_certificate": _m(en="Issue a certificate", ru="Выпустить сертификат", kk="Сертификат шығару"),
    "applicant_iin": _m(en="IIN", ru="ИИН", kk="ЖСН"),
    "kind_individual_auth": _m(
        en="Individual, authentication", ru="Физическое лицо, аутентификация", kk="Жеке тұлға, аутентификация"
    ),
    "kind_individual_sign": _m(
        en="Individual, signing", ru="Физическое лицо, подпись", kk="Жеке тұлға, қолтаңба"
    ),
    "kind_individual_single_key": _m(
        en="Individual, one key for both",
        ru="Физическое лицо, один ключ для обоих",
        kk="Жеке тұлға, екеуіне бір кілт",
    ),
    "csr": _m(
        en="Certificate request of the applicant (PKCS#10, PEM)",
        ru="Запрос на сертификат заявителя (PKCS#10, PEM)",
        kk="Өтініш берушінің сертификатқа сұранысы (PKCS#10, PEM)",
    ),
    "confirm_issue": _m(
        en="A certificate will be issued to the person below for the key of the request. Check every field"
        " against the identity document (EDS-14-1).",
        ru="Лицу ниже будет выпущен сертификат на ключ из запроса. Сверьте каждое поле с документом,"
        " удостоверяющим личность (ЭЦП-14-1).",
        kk="Төмендегі тұлғаға сұраныстағы кілтке сертификат шығарылады. Әр жолды жеке басын куәландыратын"
        " құжатпен салыстырыңыз (ЭЦҚ-14-1).",
    ),
    "birth_date": _m(en="Date of birth", ru="Дата рождения", kk="Туған күні"),
    "sex": _m(en="Sex", ru="Пол", kk="Жынысы"),
    "sex_M": _m(en="male", ru="мужской", kk="ер"),
    "sex_F": _m(en="female", ru="женский", kk="әйел"),
    "done_issue": _m(en="The certificate is issued.", ru="Сертификат выпущен.", kk="Сертификат шығарылды."),
}


_OPERATORS: _Block = {  # operators and their tokens, for security officers (manage_operators)
    "operators": _m(en="Operators", ru="Операторы", kk="Операторлар"),
    "operators_note": _m(
        en="New operators, tokens and console credentials are made by the host administrator"
        " (kzpki operators): whoever makes a secret sees it.",
        ru="Новых операторов, токены и учётные данные консоли создаёт администратор сервера"
        " (kzpki operators): кто создаёт секрет, тот его видит.",
        kk="Жаңа операторларды, токендерді және консоль тіркелгі деректерін сервер әкімшісі жасайды"
        " (kzpki operators): құпияны жасаған адам оны көреді.",
    ),
    "token_id": _m(en="Token", ru="Токен", kk="Токен"),
    "operator": _m(en="Operator", ru="Оператор", kk="Оператор"),
    "operator_scope": _m(en="CAs", ru="УЦ", kk="КО"),
    "created": _m(en="Created", ru="Создан", kk="Жасалған"),
    "expires": _m(en="Expires", ru="Истекает", kk="Мерзімі бітеді"),
    "token_active": _m(en="active", ru="действует", kk="жарамды"),
    "token_expired": _m(en="expired", ru="истёк", kk="мерзімі өтті"),
    "token_revoked": _m(en="revoked", ru="отозван", kk="кері қайтарылды"),
    "token_disabled": _m(en="operator disabled", ru="оператор отключён", kk="оператор өшірілді"),
    "revoke_token": _m(en="Revoke the token", ru="Отозвать токен", kk="Токенді кері қайтару"),
    "disable_operator": _m(en="Disable the operator", ru="Отключить оператора", kk="Операторды өшіру"),
    "confirm_revoke_token": _m(
        en="The token will stop working at its next use; the operator's other tokens and console password"
        " stay.",
        ru="Токен перестанет действовать при следующем использовании; другие токены и пароль консоли"
        " оператора сохранятся.",
        kk="Токен келесі пайдаланғанда жарамсыз болады; оператордың басқа токендері мен консоль құпиясөзі"
        " сақталады.",
    ),
    "confirm_disable_operator": _m(
        en="The operator will be disabled: every token and console session of theirs stops at its next use.",
        ru="Оператор будет отключён: все его токены и сеансы консоли перестанут действовать при следующем"
        " использовании.",
        kk="Оператор өшіріледі: оның барлық токендері мен консоль сеанстары келесі пайдаланғанда тоқтайды.",
    ),
    "done_revoke_token": _m(en="The token is revoked.", ru="Токен отозван.", kk="Токен кері қайтарылды."),
    "done_disable_operator": _m(
        en="The operator is disabled.", ru="Оператор отключён.", kk="Оператор өшірілді."
    ),
}


def _merge(*blocks: _Block) -> dict[str, Message]:
    merged: dict[str, Message] = {}
    for block in blocks:
        twice = merged.keys() & block.keys()
        if twice:
            raise ValueError(f"console messages defined twice: {sorted(twice)}")
        merged.update(block)
    return merged


CATALOGUE: Mapping[str, Message] = MappingProxyType(
    _merge(
        _GENERAL,
        _CERTIFICATES,
        _GROUNDS,
        _SIGN_IN_CRLS_HOLDS,
        _KEY_USAGES,
        _ACCOUNTS,
        _AUDIT,
        _PASSWORD,
        _ISSUANCE,
        _OPERATORS,
    )
)


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
