"""The operators' console in headless Chromium (issue 14.6): sign in, search, revoke on a ground after the
confirmation step and see OCSP answer revoked, sign out; a security officer cannot revoke; a form posted
without its CSRF token is refused; an individual's certificate issued from a PKCS#10 request; a security
officer revokes an operator's token. A screenshot of each main page goes to a temporary folder."""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ocsp
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from ca_sim.fixtures import make_csr
from ca_sim.operators import Role
from pki import keys
from pki.iin import Sex, make_iin
from tests.api.console_support import issue
from tests.browser.conftest import Console, next_page, ocsp_answer


def _sign_in(browser: Any, console: Console, token: str) -> None:
    browser.get(console.base_url + "/console/sign-in")
    browser.find_element(By.CSS_SELECTOR, "details summary").click()  # the token form is folded away
    browser.find_element(By.ID, "token").send_keys(token)
    next_page(browser, browser.find_element(By.ID, "sign-in-token"), "operator")  # the signed-in page


def _shot(browser: Any, folder: Path, name: str) -> None:
    assert browser.save_screenshot(str(folder / f"{name}.png"))


def _issued(console: Console, serial_no: int, surname: str) -> dict[str, Any]:
    iin = make_iin(dt.date(1987, 6, 15), Sex.FEMALE, serial_no)
    return issue(console.app.test_client(), console.tokens["nca_operator"], iin, surname)


def _ocsp_status(console: Console, issued: dict[str, Any]) -> ocsp.OCSPCertStatus:
    """The certificate's status as the running server's OCSP responder answers it over HTTP."""
    return ocsp_answer(console, issued).certificate_status


def test_sign_in_search_revoke_on_a_ground_see_ocsp_revoked_and_sign_out(browser, console, screenshots):
    issued = _issued(console, 3301, "БРАУЗЕРОВА")
    assert _ocsp_status(console, issued) is ocsp.OCSPCertStatus.GOOD
    _sign_in(browser, console, console.tokens["nca_operator"])
    assert browser.find_element(By.ID, "operator").text == "browser-nca_operator"
    _shot(browser, screenshots, "1-search")
    browser.find_element(By.ID, "serial").send_keys(issued["serial"].upper())
    Select(browser.find_element(By.ID, "ca")).select_by_value("nca")
    next_page(browser, browser.find_element(By.ID, "search"), "results")
    _shot(browser, screenshots, "2-results")
    assert (
        next_page(browser, browser.find_element(By.CSS_SELECTOR, "#results a.serial"), "status").text
        == "good"
    )
    _shot(browser, screenshots, "3-certificate")
    next_page(browser, browser.find_element(By.ID, "revoke"), "ground")
    Select(browser.find_element(By.ID, "ground")).select_by_value("key_compromise")
    browser.find_element(By.ID, "document_ref").send_keys("owner's statement 41")
    _shot(browser, screenshots, "4-revoke-form")
    assert (
        "revoked for good" in next_page(browser, browser.find_element(By.ID, "continue"), "confirm-text").text
    )
    assert browser.find_element(By.ID, "review-ground").text == "Key compromise (EDS-17)"
    _shot(browser, screenshots, "5-revoke-confirm")
    assert _ocsp_status(console, issued) is ocsp.OCSPCertStatus.GOOD  # nothing happens before confirming
    assert next_page(browser, browser.find_element(By.ID, "confirm"), "status").text == "revoked"
    assert "owner's statement 41" in browser.find_element(By.ID, "history").text
    _shot(browser, screenshots, "6-revoked")
    assert _ocsp_status(console, issued) is ocsp.OCSPCertStatus.REVOKED
    next_page(browser, browser.find_element(By.ID, "sign-out"), "token")
    browser.get(console.base_url + "/console/certificates")
    assert browser.find_elements(By.ID, "token")  # back at sign-in: the session is over
    _shot(browser, screenshots, "7-signed-out")


def test_a_security_officer_cannot_revoke(browser, console, screenshots):
    issued = _issued(console, 3302, "ОФИЦЕРОВА")
    _sign_in(browser, console, console.tokens["security_officer"])
    assert browser.find_element(By.ID, "code").text == "role_forbidden"  # the search page too
    browser.get(f"{console.base_url}/console/certificates/nca/{issued['serial']}/revoke")
    assert browser.find_element(By.ID, "code").text == "role_forbidden"
    _shot(browser, screenshots, "8-security-officer-refused")
    assert _ocsp_status(console, issued) is ocsp.OCSPCertStatus.GOOD


def test_a_form_posted_without_its_csrf_token_is_refused(browser, console, screenshots):
    issued = _issued(console, 3303, "ПОДДЕЛОВА")
    _sign_in(browser, console, console.tokens["nca_operator"])
    browser.get(f"{console.base_url}/console/certificates/nca/{issued['serial']}/hold")
    browser.execute_script("document.querySelector('main input[name=csrf_token]').remove()")
    browser.find_element(By.ID, "document_ref").send_keys("letter 9")
    assert next_page(browser, browser.find_element(By.ID, "continue"), "code").text == "csrf_token_invalid"
    _shot(browser, screenshots, "9-csrf-refused")
    assert _ocsp_status(console, issued) is ocsp.OCSPCertStatus.GOOD


def test_the_console_speaks_russian(browser, console, screenshots):
    browser.get(console.base_url + "/console/sign-in?lang=ru")
    assert browser.find_element(By.ID, "sign-in").text == "Войти"
    _sign_in(browser, console, console.tokens["nca_operator"])
    assert browser.find_element(By.TAG_NAME, "h1").text == "Сертификаты"
    _shot(browser, screenshots, "10-russian")


def test_the_console_speaks_kazakh_chosen_from_the_language_links(browser, console, screenshots):
    browser.get(console.base_url + "/console/sign-in")
    assert next_page(browser, browser.find_element(By.ID, "lang-kk"), "sign-in").text == "Кіру"
    _shot(browser, screenshots, "11-kazakh-sign-in")
    _sign_in(browser, console, console.tokens["nca_operator"])  # the choice is kept in a cookie
    assert browser.find_element(By.TAG_NAME, "h1").text == "Сертификаттар"
    assert browser.find_element(By.ID, "search").text == "Іздеу"
    assert browser.find_element(By.ID, "sign-out").text == "Шығу"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "kk"
    _shot(browser, screenshots, "12-kazakh")


def test_eds14_issue_an_individual_certificate_from_a_pkcs10_request_and_ocsp_knows_it(
    browser, console, screenshots
):
    key = keys.generate_private_key(keys.KeyType.P256)
    csr = x509.load_der_x509_csr(make_csr(key)).public_bytes(Encoding.PEM).decode("ascii")
    born = dt.date(1986, 3, 9)
    iin = make_iin(born, Sex.FEMALE, 3302)
    _sign_in(browser, console, console.tokens["nca_operator"])
    next_page(browser, browser.find_element(By.ID, "issue"), "csr")
    Select(browser.find_element(By.ID, "kind")).select_by_value("individual_sign")
    browser.find_element(By.ID, "iin").send_keys(iin)
    browser.find_element(By.ID, "surname").send_keys("Выпускова")
    browser.find_element(By.ID, "given-name").send_keys("Айгерим")
    birth = browser.find_element(
        By.ID, "birth_date"
    )  # a date input shows the browser's locale: set its value
    browser.execute_script("arguments[0].value = arguments[1]", birth, born.isoformat())
    Select(browser.find_element(By.ID, "sex")).select_by_value("F")
    browser.find_element(By.ID, "csr").send_keys(csr)
    _shot(browser, screenshots, "i1-issue-form")
    next_page(browser, browser.find_element(By.ID, "continue"), "confirm-text")
    assert browser.find_element(By.ID, "review-key").text == "ECDSA secp256r1"
    assert browser.find_element(By.ID, "review-surname").text == "ВЫПУСКОВА"
    _shot(browser, screenshots, "i2-issue-review")
    assert (
        next_page(browser, browser.find_element(By.ID, "confirm"), "done").text
        == "The certificate is issued."
    )
    _shot(browser, screenshots, "i3-issued")
    ca_id, serial = browser.current_url.split("?")[0].split("/")[-2:]
    stored = console.app.extensions["kzpki"].certificates.get(ca_id, int(serial, 16))
    assert stored.certificate.public_key() == key.public_key()
    chain = [console.app.extensions["kzpki"].hierarchy.get(c).certificate for c in ("nca", "root")]
    issued = {
        "certificate_pem": keys.certificate_pem(stored.certificate).decode("ascii"),
        "chain_pem": [keys.certificate_pem(c).decode("ascii") for c in chain],
    }
    assert _ocsp_status(console, issued) is ocsp.OCSPCertStatus.GOOD


def test_a_security_officer_revokes_an_operator_token_and_the_api_refuses_it(browser, console, screenshots):
    services = console.app.extensions["kzpki"]
    _, token = services.operators.add(
        "browser-revoked-operator", Role.OPERATOR, ["nca"], services.clock(), "t"
    )
    token_id = [t.id for t in services.operators.tokens() if t.operator == "browser-revoked-operator"][-1]
    _sign_in(browser, console, console.tokens["security_officer"])
    next_page(browser, browser.find_element(By.ID, "nav-operators"), "tokens")
    assert token not in browser.page_source  # no secret on the page
    _shot(browser, screenshots, "o1-operators")
    next_page(browser, browser.find_element(By.ID, f"revoke-{token_id}"), "continue")
    assert "next use" in next_page(browser, browser.find_element(By.ID, "continue"), "confirm-text").text
    assert next_page(browser, browser.find_element(By.ID, "confirm"), "done").text == "The token is revoked."
    status = browser.find_element(By.CSS_SELECTOR, f"#token-{token_id} td.status").text
    assert status == "revoked"
    _shot(browser, screenshots, "o2-token-revoked")
    request = urllib.request.Request(console.base_url + "/api/v1/unis/accounts?limit=1")
    request.add_header("Authorization", f"Bearer {token}")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 401 and json.loads(refused.value.read())["code"] == "token_revoked"
