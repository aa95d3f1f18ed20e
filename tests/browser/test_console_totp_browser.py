"""The operators' console in headless Chromium (issue 14.1-14.3, 14.6): sign in with a login name, password
and TOTP code, search by issue date, suspend with an end date through the confirmation step (and see the
server's OCSP answer on hold until then), publish CRLs and see their numbers move, sign out. Screenshots of
each page go to the temporary folder of ``conftest.screenshots``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cryptography.x509 import ReasonFlags, ocsp
from selenium.webdriver.common.by import By

from ca_sim.operator_credentials import totp_code, totp_step
from pki.calendar import kz_date, kz_day_start
from pki.iin import Sex, make_iin
from tests.api.console_support import issue
from tests.browser.conftest import next_page, ocsp_answer


def _set(browser: Any, element_id: str, value: str) -> None:
    """Fill a date input whatever the browser's locale shows (its value is always YYYY-MM-DD)."""
    element = browser.find_element(By.ID, element_id)
    browser.execute_script("arguments[0].value = arguments[1]", element, value)


def _crl_number(browser: Any, kind: str) -> int:
    """The nca CRL number of ``kind`` the page shows (loaded: see next_page), 0 when none is published yet."""
    cells = browser.find_elements(By.CSS_SELECTOR, f"#crl-nca-{kind} td.number")
    return int(cells[0].text) if cells else 0


def test_totp_sign_in_date_search_hold_until_publish_crls_and_sign_out(browser, console, screenshots):
    services = console.app.extensions["kzpki"]
    iin = make_iin(dt.date(1989, 8, 18), Sex.MALE, 3601)
    issued = issue(console.app.test_client(), console.tokens["nca_operator"], iin, "ТОТПОВ")
    name, password, secret = console.credential

    browser.get(console.base_url + "/console/sign-in")
    browser.find_element(By.ID, "name").send_keys(name)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.ID, "totp").send_keys(totp_code(secret, totp_step(services.clock())))
    browser.save_screenshot(str(screenshots / "t1-sign-in-totp.png"))
    assert next_page(browser, browser.find_element(By.ID, "sign-in"), "operator").text == name

    today = kz_date(services.clock())
    _set(browser, "issued_from", today.isoformat())
    _set(browser, "issued_to", today.isoformat())
    browser.find_element(By.ID, "name").send_keys("ТОТПОВ")
    results = next_page(browser, browser.find_element(By.ID, "search"), "results").text
    assert issued["serial"] in results
    browser.save_screenshot(str(screenshots / "t2-search-by-issue-date.png"))

    next_page(browser, browser.find_element(By.CSS_SELECTOR, "#results a.serial"), "hold")
    next_page(browser, browser.find_element(By.ID, "hold"), "hold_until")
    end_day = today + dt.timedelta(days=2)
    _set(browser, "hold_until", end_day.isoformat())
    browser.find_element(By.ID, "document_ref").send_keys("chamber letter 77")
    assert (
        "until the date below"
        in next_page(browser, browser.find_element(By.ID, "continue"), "confirm-text").text
    )
    assert end_day.isoformat() in browser.find_element(By.ID, "review-hold-until").text
    browser.save_screenshot(str(screenshots / "t3-hold-until-confirm.png"))
    # nothing happens before confirming
    assert ocsp_answer(console, issued).certificate_status is ocsp.OCSPCertStatus.GOOD
    assert next_page(browser, browser.find_element(By.ID, "confirm"), "status").text == "on hold"
    assert end_day.isoformat() in browser.find_element(By.ID, "hold-until").text
    assert "chamber letter 77" in browser.find_element(By.ID, "history").text
    browser.save_screenshot(str(screenshots / "t4-held-until.png"))
    answer = ocsp_answer(console, issued)
    assert answer.certificate_status is ocsp.OCSPCertStatus.REVOKED
    assert answer.revocation_reason is ReasonFlags.certificate_hold
    assert answer.next_update_utc <= kz_day_start(end_day)

    next_page(browser, browser.find_element(By.ID, "nav-crls"), "crls")
    before = (_crl_number(browser, "full"), _crl_number(browser, "delta"))
    browser.save_screenshot(str(screenshots / "t5-crls.png"))
    assert (
        "next CRL number"
        in next_page(browser, browser.find_element(By.ID, "publish-nca"), "confirm-text").text
    )
    browser.save_screenshot(str(screenshots / "t6-publish-confirm.png"))
    next_page(browser, browser.find_element(By.ID, "confirm"), "done")
    after = (_crl_number(browser, "full"), _crl_number(browser, "delta"))
    assert after[0] > max(before) and after[1] == after[0] + 1
    browser.save_screenshot(str(screenshots / "t7-crls-published.png"))

    next_page(browser, browser.find_element(By.ID, "sign-out"), "password")
    browser.get(console.base_url + "/console/crls")
    assert browser.find_elements(By.ID, "password")  # back at sign-in: the session is over
