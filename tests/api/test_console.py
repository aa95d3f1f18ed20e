"""The operators' web console (issue 14): sign-in with an operator token into a server-side session
(HttpOnly, SameSite=Strict, Secure over TLS, idle timeout), CSRF on every form, failed sign-ins audited and
rate-limited; certificate search (PD-22: audited), the certificate page, and revoke (EDS-17/18) / hold /
release after a confirmation step, with exactly the API's role and scope decisions."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from cryptography import x509
from cryptography.x509 import ReasonFlags

from api.console.messages import CATALOGUE, LANGUAGES
from api.console.sessions import IDLE_TIMEOUT, MAX_FAILURES
from ca_sim.grounds import GROUND_REASONS, Ground
from ca_sim.operators import Role
from ca_sim.revocation_periods import CertState
from pki.calendar import KZ_TIME
from pki.iin import Sex, make_iin, mask
from tests.api.conftest import bearer
from tests.api.console_support import csrf_of, issue, refused_code, session_csrf, sign_in

SEARCH = "/console/certificates"


def _page(client, path: str, **query) -> str:
    response = client.get(path, query_string=query or None)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def _search(client, **filters) -> str:
    """The results page of a search posted through the form (with the session's CSRF token)."""
    response = _post_search(client, **filters)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def _post_search(client, **filters):
    return client.post(SEARCH, data={"csrf_token": session_csrf(client), **filters})


def _results(page: str) -> str:
    return page.split('id="results"', 1)[-1] if 'id="results"' in page else ""


def _cert_path(issued) -> str:
    return f"/console/certificates/{issued['ca_id']}/{issued['serial']}"


@pytest.fixture
def operator_client(app, tokens, clock):
    client = app.test_client()
    assert sign_in(client, tokens["nca_operator"]).status_code == 303
    return client


def test_sign_in_opens_a_strict_httponly_session_and_sign_out_ends_it(app, tokens, clock):
    client = app.test_client()
    response = sign_in(client, tokens["nca_operator"])
    assert response.status_code == 303 and response.headers["Location"].endswith(SEARCH)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("kzpki_console="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/console/" in cookie
    assert "Secure" not in cookie  # plain HTTP here; see the TLS test
    assert 'id="operator">api-nca_operator<' in _page(client, SEARCH)
    assert client.post("/console/sign-out", data={"csrf_token": session_csrf(client)}).status_code == 303
    after = client.get(SEARCH)
    assert after.status_code == 303 and "/console/sign-in" in after.headers["Location"]


def test_the_session_cookie_is_secure_over_tls(app, tokens, clock):
    client = app.test_client()
    form = client.get("/console/sign-in", base_url="https://localhost")
    response = client.post(
        "/console/sign-in",
        data={"method": "token", "token": tokens["nca_operator"], "csrf_token": csrf_of(form)},
        base_url="https://localhost",
    )
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("kzpki_console="))
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_a_session_idle_past_the_timeout_is_over(operator_client, clock):
    assert operator_client.get(SEARCH).status_code == 200
    clock.at += IDLE_TIMEOUT
    response = operator_client.get(SEARCH)
    assert response.status_code == 303 and "ended=1" in response.headers["Location"]


def test_a_disabled_operator_s_session_ends_at_its_next_request(app, services, clock):
    _, token = services.operators.add("console-leaver", Role.OPERATOR, ["nca"], clock(), "tests")
    client = app.test_client()
    assert sign_in(client, token).status_code == 303
    services.operators.disable("console-leaver", clock(), "tests")
    response = client.get(SEARCH)
    assert response.status_code == 303 and "ended=1" in response.headers["Location"]


def test_failed_sign_ins_are_audited_and_rate_limited_per_client(app, services, tokens, clock):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    before = services.audit.entries(limit=100000)[-1].seq
    for _ in range(MAX_FAILURES):
        refused = sign_in(client, "not-a-token")
        assert refused.status_code == 401 and "invalid_token" in refused.get_data(as_text=True)
    limited = sign_in(client, tokens["nca_operator"])  # even the right token, until the window passes
    assert limited.status_code == 429 and refused_code(limited) == "sign_in_rate_limited"
    other = app.test_client()  # another client address is not limited
    other.environ_base["REMOTE_ADDR"] = "203.0.113.8"
    assert sign_in(other, tokens["nca_operator"]).status_code == 303
    entries = [
        e for e in services.audit.entries(after_seq=before, limit=1000) if e.action == "console_sign_in"
    ]
    codes = [e.details.get("code") for e in entries if e.outcome == "refused"]
    assert codes == ["invalid_token"] * MAX_FAILURES + ["sign_in_rate_limited"]
    clock.at += dt.timedelta(minutes=16)
    assert sign_in(client, tokens["nca_operator"]).status_code == 303


def test_forms_posted_without_their_csrf_token_are_refused(app, operator_client, tokens, clock):
    anonymous = app.test_client()
    anonymous.get("/console/sign-in")
    no_token = anonymous.post("/console/sign-in", data={"token": tokens["nca_operator"]})
    assert no_token.status_code == 403 and refused_code(no_token) == "csrf_token_invalid"
    sign_out = operator_client.post("/console/sign-out", data={"csrf_token": "forged"})
    assert sign_out.status_code == 403 and refused_code(sign_out) == "csrf_token_invalid"
    assert operator_client.get(SEARCH).status_code == 200  # still signed in


def test_a_revocation_posted_without_the_csrf_token_changes_nothing(operator_client, services, tokens):
    iin = make_iin(dt.date(1990, 3, 3), Sex.FEMALE, 3101)
    issued = issue(operator_client, tokens["nca_operator"], iin, "ПОДЛОГОВА")
    form = {"step": "confirm", "ground": "owner_death", "document_ref": "forged"}
    response = operator_client.post(_cert_path(issued) + "/revoke", data=form)
    assert response.status_code == 403 and refused_code(response) == "csrf_token_invalid"
    status = services.registry.status("nca", int(issued["serial"], 16), services.clock())
    assert status.state is CertState.GOOD


def test_pd22_search_by_iin_shows_it_masked_and_is_audited_with_the_owner_as_subject(
    operator_client, services, tokens
):
    iin = make_iin(dt.date(1988, 5, 6), Sex.MALE, 2201)
    issued = issue(operator_client, tokens["nca_operator"], iin, "ПОИСКОВ")
    page = _search(operator_client, iin=iin)
    rows = _results(page)
    assert issued["serial"] in rows and mask(iin) in rows and iin not in rows
    about = services.audit.entries_about(iin)
    assert any(e.action == "search_certificates" and e.actor == "api-nca_operator" for e in about)
    assert all(iin not in str(e.details) for e in about)


def test_search_by_serial_in_any_case_name_ca_and_status(operator_client, tokens):
    iin = make_iin(dt.date(1979, 9, 9), Sex.MALE, 2301)
    issued = issue(operator_client, tokens["nca_operator"], iin, "СЕРИЙНЫЙ")
    serial = issued["serial"]
    assert f">{serial}</a>" in _search(operator_client, serial=serial.upper())
    assert f">{serial}</a>" in _search(operator_client, serial="0x" + serial, ca="nca")
    assert f">{serial}</a>" in _search(operator_client, name="серийн", status="good")
    assert 'id="no-results"' in _search(operator_client, serial=serial, ca="gov")
    assert 'id="no-results"' in _search(operator_client, serial=serial, status="revoked")


def test_search_pages_newest_first(operator_client, tokens):
    iins = [make_iin(dt.date(1991, 1, 1), Sex.MALE, 2400 + n) for n in range(3)]
    serials = [issue(operator_client, tokens["nca_operator"], i, "ПОСТРАНИЧНОВ")["serial"] for i in iins]
    from api.console import certificate_views

    page_size, certificate_views.PAGE_SIZE = certificate_views.PAGE_SIZE, 2
    try:
        first = _search(operator_client, name="ПОСТРАНИЧНОВ")
        second = _search(operator_client, name="ПОСТРАНИЧНОВ", page="2")
    finally:
        certificate_views.PAGE_SIZE = page_size
    assert serials[2] in first and serials[1] in first and serials[0] not in first and 'id="next"' in first
    assert serials[0] in second and 'id="next"' not in second


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"serial": "xyz"}, "malformed_serial"),
        ({"iin": "12345"}, "invalid_iin"),
        ({"ca": "nowhere"}, "unknown_ca"),
        ({"status": "lost"}, "invalid_value"),
        ({"serial": "", "page": "0"}, "invalid_value"),
    ],
)
def test_bad_search_input_is_a_4xx_page_with_its_code(operator_client, query, code):
    response = _post_search(operator_client, **query)
    assert 400 <= response.status_code < 500 and refused_code(response) == code


def test_the_certificate_page_gives_fields_in_words_and_audits_the_read(operator_client, services, tokens):
    iin = make_iin(dt.date(1984, 2, 2), Sex.FEMALE, 2501)
    issued = issue(operator_client, tokens["nca_operator"], iin, "ПОЛЕВАЯ")
    page = _page(operator_client, _cert_path(issued))
    for words in (
        "Surname",
        "ПОЛЕВАЯ",
        "IIN (masked)",
        mask(iin),
        "Key usage",
        "digital signature",
        "issued",
    ):
        assert words in page
    assert iin not in page and "2.5.4.4" not in page  # the surname's OID
    assert any(e.action == "read_certificate" for e in services.audit.entries_about(iin))


def test_eds18_revocation_on_a_ground_with_document_and_invalidity_date_after_a_confirmation(
    operator_client, services, tokens
):
    iin = make_iin(dt.date(1975, 7, 7), Sex.MALE, 2601)
    issued = issue(operator_client, tokens["nca_operator"], iin, "ОТЗЫВОВ")
    path, serial = _cert_path(issued), int(issued["serial"], 16)
    form_page = _page(operator_client, path + "/revoke")
    for ground in Ground:
        assert (f'value="{ground.value}"' in form_page) is (ground is not Ground.HOLD)
    now_kz = services.clock().astimezone(KZ_TIME).replace(second=0, microsecond=0, tzinfo=None)
    invalid_since = (now_kz - dt.timedelta(hours=3)).isoformat(timespec="minutes")
    form = {
        "csrf_token": csrf_of(operator_client.get(path + "/revoke")),
        "step": "review",
        "ground": "court_decision",
        "document_ref": "court order 2-118/2026",
        "invalidity_date": invalid_since,
    }
    review = operator_client.post(path + "/revoke", data=form)
    assert review.status_code == 200 and "revoked for good" in review.get_data(as_text=True)
    assert services.registry.status("nca", serial, services.clock()).state is CertState.GOOD
    done = operator_client.post(path + "/revoke", data={**form, "step": "confirm"})
    assert done.status_code == 303
    status = services.registry.status("nca", serial, services.clock())
    assert status.state is CertState.REVOKED and status.reason is GROUND_REASONS[Ground.COURT_DECISION]
    expected = dt.datetime.fromisoformat(invalid_since).replace(tzinfo=KZ_TIME).astimezone(dt.UTC)
    assert status.invalidity_date == expected
    page = _page(operator_client, done.headers["Location"])
    for words in ("Court decision (EDS-18 5)", "court order 2-118/2026", "api-nca_operator", 'id="done"'):
        assert words in page
    assert 'id="revoke"' not in page and 'id="hold"' not in page


def test_an_invalidity_date_after_the_revocation_is_refused(operator_client, services, tokens):
    iin = make_iin(dt.date(1976, 8, 8), Sex.MALE, 2602)
    issued = issue(operator_client, tokens["nca_operator"], iin, "БУДУЩЕВ")
    path = _cert_path(issued)
    later = (services.clock() + dt.timedelta(days=2)).astimezone(KZ_TIME).strftime("%Y-%m-%dT%H:%M")
    form = {
        "csrf_token": session_csrf(operator_client),
        "step": "confirm",
        "ground": "key_compromise",
        "document_ref": "owner's statement",
        "invalidity_date": later,
    }
    response = operator_client.post(path + "/revoke", data=form)
    assert response.status_code == 400 and refused_code(response) == "invalidity_date_in_future"
    bad = operator_client.post(path + "/revoke", data={**form, "invalidity_date": "0001-01-01T00:00"})
    assert bad.status_code == 400 and refused_code(bad) == "invalid_datetime"


def test_hold_and_release_each_after_a_confirmation(operator_client, services, tokens):
    iin = make_iin(dt.date(1982, 11, 11), Sex.FEMALE, 2701)
    issued = issue(operator_client, tokens["nca_operator"], iin, "ПАУЗОВА")
    path, serial = _cert_path(issued), int(issued["serial"], 16)
    csrf = session_csrf(operator_client)
    review = operator_client.post(
        path + "/hold", data={"csrf_token": csrf, "step": "review", "document_ref": "letter 15"}
    )
    assert "until released" in review.get_data(as_text=True)
    assert not services.registry.status("nca", serial, services.clock()).on_hold
    held = operator_client.post(
        path + "/hold", data={"csrf_token": csrf, "step": "confirm", "document_ref": "letter 15"}
    )
    assert held.status_code == 303
    assert services.registry.status("nca", serial, services.clock()).reason is ReasonFlags.certificate_hold
    assert 'id="release"' in _page(operator_client, path)
    released = operator_client.post(
        path + "/release", data={"csrf_token": csrf, "step": "confirm", "document_ref": "letter 16"}
    )
    assert released.status_code == 303
    assert services.registry.status("nca", serial, services.clock()).state is CertState.GOOD
    page = _page(operator_client, path)
    assert "suspended" in page and "released" in page and "letter 16" in page


@pytest.mark.parametrize(
    ("token", "change", "code"),
    [
        ("security_officer", "revoke", "role_forbidden"),
        ("auditor", "hold", "role_forbidden"),
        ("tester", "revoke", "role_forbidden"),
        ("gov_operator", "revoke", "ca_out_of_scope"),
        ("gov_operator", "hold", "ca_out_of_scope"),
        ("gov_operator", "release", "ca_out_of_scope"),
    ],
)
def test_a_role_the_api_refuses_is_refused_by_the_console_too(
    app, client, services, tokens, token, change, code
):
    iin = make_iin(dt.date(1983, 3, 3), Sex.MALE, 2801 + len(token) + len(change))
    issued = issue(client, tokens["nca_operator"], iin, "РОЛЕВОЙ")
    api_path = {"revoke": "revocation", "hold": "hold", "release": "release"}[change]
    body = {"document_ref": "d", "ground": "owner_death"}
    api = client.post(
        f"/api/v1/ca/nca/certificates/{issued['serial']}/{api_path}", json=body, headers=bearer(tokens[token])
    )
    assert api.status_code == 403 and api.get_json()["code"] == code
    console = app.test_client()
    assert sign_in(console, tokens[token]).status_code == 303
    path = _cert_path(issued) + "/" + change
    shown = console.get(path)
    assert shown.status_code == 403 and refused_code(shown) == code
    form = {"csrf_token": csrf_of(console.get("/console/sign-in")), "step": "confirm", **body}
    form["csrf_token"] = re.search(r'name="csrf_token" value="([^"]+)"', shown.get_data(as_text=True)).group(
        1
    )
    posted = console.post(path, data=form)
    assert posted.status_code == 403 and refused_code(posted) == code
    assert (
        services.registry.status("nca", int(issued["serial"], 16), services.clock()).state is CertState.GOOD
    )


@pytest.mark.parametrize("token", ["security_officer", "auditor"])
def test_roles_that_may_not_read_owners_data_cannot_search(app, tokens, token):
    console = app.test_client()
    assert sign_in(console, tokens[token]).status_code == 303
    refused = console.get(SEARCH)
    assert refused.status_code == 403
    csrf = csrf_of(refused)  # the refusal page still has the session's sign-out form
    response = console.post(
        SEARCH, data={"csrf_token": csrf, "iin": make_iin(dt.date(1990, 1, 1), Sex.MALE, 2901)}
    )
    assert response.status_code == 403 and refused_code(response) == "role_forbidden"


def test_every_message_has_a_text_in_every_language():
    assert set(LANGUAGES) == {"en", "ru", "kk"}
    for key, message in CATALOGUE.items():
        assert set(message) == set(LANGUAGES), key
        assert all(message[lang].strip() for lang in LANGUAGES), key
        for lang in LANGUAGES:  # a translation is not the English text left in place
            assert lang == "en" or message[lang] != message["en"], (key, lang)
    for ground in Ground:
        assert f"ground_{ground.value}" in CATALOGUE


def test_english_russian_and_kazakh_are_selectable_and_kept_in_a_cookie(app, operator_client):
    assert "Войти" in app.test_client().get("/console/sign-in", headers={"Accept-Language": "ru"}).get_data(
        as_text=True
    )
    assert "Кіру" in app.test_client().get("/console/sign-in", headers={"Accept-Language": "kk"}).get_data(
        as_text=True
    )
    assert "Сертификаттар" in _page(operator_client, SEARCH, lang="kk")
    kazakh = _page(operator_client, SEARCH)  # the choice is kept in a cookie
    assert '<html lang="kk">' in kazakh and "Шығу" in kazakh and "Іздеу" in kazakh
    assert 'id="lang-en"' in kazakh and 'id="lang-ru"' in kazakh and 'id="lang-kk"' not in kazakh
    assert "Сертификаты" in _page(operator_client, SEARCH, lang="ru")
    assert "Certificates" in _page(operator_client, SEARCH, lang="en")
    assert "Certificates" in _page(operator_client, SEARCH, lang="xx")  # unknown: the kept choice


def test_every_message_a_template_names_is_in_the_catalogue():
    from pathlib import Path

    import api.console

    folder = Path(api.console.__file__).parent / "templates"
    named = {m for path in folder.rglob("*.html") for m in re.findall(r'\bt\("(\w+)"\)', path.read_text())}
    assert named and named <= set(CATALOGUE)


def test_pages_carry_no_store_and_a_self_only_content_security_policy(operator_client):
    response = operator_client.get(SEARCH)
    assert response.headers["Cache-Control"] == "no-store"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert operator_client.get("/console/static/console.css").status_code == 200


def test_the_certificate_downloads_as_pem_and_der_and_the_read_is_audited(operator_client, services, tokens):
    iin = make_iin(dt.date(1986, 10, 10), Sex.MALE, 3401)
    issued = issue(operator_client, tokens["nca_operator"], iin, "ЗАГРУЗОВ")
    pem = operator_client.get(_cert_path(issued) + "/download/pem")
    assert pem.status_code == 200 and pem.mimetype == "application/x-pem-file"
    assert pem.get_data(as_text=True) == issued["certificate_pem"]
    der = operator_client.get(_cert_path(issued) + "/download/der")
    assert der.mimetype == "application/pkix-cert"
    assert x509.load_der_x509_certificate(der.data).serial_number == int(issued["serial"], 16)
    assert "attachment" in der.headers["Content-Disposition"]
    downloads = [e for e in services.audit.entries_about(iin) if e.action == "download_certificate"]
    assert len(downloads) == 2
    bad = operator_client.get(_cert_path(issued) + "/download/p7b")
    assert bad.status_code == 400 and refused_code(bad) == "invalid_value"
