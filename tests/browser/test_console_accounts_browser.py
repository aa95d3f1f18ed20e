"""UNIS accounts and the audit log in headless Chromium (issue 14.6): create and find an account, suspend
it on a temporary ground through the confirmation step and see the real API refuse its login with that
reason, its login records as an auditor, sign out; block and unblock; the audit table filtered, its chain
status, and its JSON Lines and CSV exports downloaded by the browser and checked (parsed, the chain
recomputed); the Kazakh pages. A screenshot of each main page goes to the temporary folder."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import time
import urllib.request
from pathlib import Path
from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from api.console.audit_exports import unescape_cell
from ca_sim.audit_search import EXPORT_FIELDS, first_unsound
from pki.calendar import kz_date
from pki.iin import Sex, make_iin, mask
from pki.keys import load_pkcs12
from tests.api.console_support import issue
from tests.api.support import PKCS12_PASSWORD, cms_login
from tests.browser.conftest import Console, leave_page
from tests.browser.test_console_browser import _shot, _sign_in


def _api(console: Console, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """POST ``body`` as JSON to the running server's API; the JSON answer."""
    request = urllib.request.Request(
        console.base_url + path,
        data=json.dumps(body or {}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def _log_in(console: Console, issued: dict[str, Any]) -> dict[str, Any]:
    """A UNIS login with the issued key over HTTP: challenge, CMS over its nonce, the decision."""
    key, certificate, _ = load_pkcs12(base64.b64decode(issued["pkcs12"]), PKCS12_PASSWORD.encode())
    challenge = _api(console, "/api/v1/unis/challenges")
    return _api(console, "/api/v1/unis/logins", cms_login(challenge, key, certificate))


def _go(browser: Any, element_id: str) -> None:
    """Click the link or button ``element_id`` and wait until the next page has replaced this one (a click
    does not wait, and the next page may have elements of the same ids)."""
    leave_page(browser, browser.find_element(By.ID, element_id))


def _set_value(browser: Any, element_id: str, value: str) -> None:
    """Set an input's value (a date input's typed format follows the browser's locale)."""
    browser.execute_script("document.getElementById(arguments[0]).value = arguments[1]", element_id, value)


def _create_account(browser: Any, console: Console, folder: Path, iin: str, prefix: str) -> None:
    browser.get(console.base_url + "/console/accounts")
    _go(browser, "new-account")
    browser.find_element(By.ID, "iin").send_keys(iin)
    Select(browser.find_element(By.ID, "role")).select_by_value("justice_employee")
    browser.find_element(By.ID, "chamber").send_keys("Астана")
    _go(browser, "continue")
    assert browser.find_element(By.ID, "review-iin").text == mask(iin)
    _shot(browser, folder, f"{prefix}-new-account-confirm")
    _go(browser, "confirm")
    assert browser.find_element(By.ID, "done").text == "The account is created."


def _find(browser: Any, console: Console, iin: str) -> None:
    browser.get(console.base_url + "/console/accounts")
    browser.find_element(By.ID, "iin").send_keys(iin)
    _go(browser, "find")
    assert browser.find_element(By.ID, "account-iin").text == mask(iin)


def _wait_for(folder: Path, suffix: str) -> Path:
    """The file the browser downloaded into ``folder`` (waits for it to be complete)."""
    for _ in range(100):
        done = [p for p in folder.glob(f"*{suffix}") if not p.name.endswith(".crdownload")]
        if done:
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} download in {folder}: {list(folder.iterdir())}")


def test_unis5_1_find_and_suspend_on_a_ground_then_the_api_refuses_the_login_with_that_reason(
    browser, console, screenshots
):
    iin = make_iin(dt.date(1983, 8, 8), Sex.MALE, 6101)
    issued = issue(console.app.test_client(), console.tokens["nca_operator"], iin, "ЕНИСОВ")
    _sign_in(browser, console, console.tokens["nca_operator"])
    _go(browser, "nav-accounts")
    _shot(browser, screenshots, "20-accounts")
    _create_account(browser, console, screenshots, iin, "21")
    assert _log_in(console, issued)["decision"] == "accepted"
    _find(browser, console, iin)
    assert browser.find_element(By.ID, "status").text == "active"
    _go(browser, "suspend")
    Select(browser.find_element(By.ID, "reason")).select_by_value("sick_leave")
    end = kz_date(dt.datetime.now(dt.UTC)) + dt.timedelta(days=14)
    _set_value(browser, "until", end.isoformat())
    _shot(browser, screenshots, "22-suspend-form")
    _go(browser, "continue")
    assert "temporarily (UNIS-5-1)" in browser.find_element(By.ID, "confirm-text").text
    assert browser.find_element(By.ID, "review-reason").text == "sick leave (UNIS-5-1)"
    assert browser.find_element(By.ID, "review-until").text.startswith(end.isoformat())
    _shot(browser, screenshots, "23-suspend-confirm")
    assert _log_in(console, issued)["decision"] == "accepted"  # nothing happens before confirming
    _go(browser, "confirm")
    assert browser.find_element(By.ID, "status").text == "suspended"
    assert browser.find_element(By.ID, "status-reason").text == "sick leave (UNIS-5-1)"
    assert "sick leave" in browser.find_element(By.ID, "history").text
    _shot(browser, screenshots, "24-suspended")
    decision = _log_in(console, issued)
    assert decision["decision"] == "refused" and decision["reasons"][0] == "account_suspended"
    assert decision["account"]["status_reason"] == "sick_leave" and decision["account"]["temporary"]
    account_url = browser.current_url.split("?")[0]
    _go(browser, "sign-out")
    assert browser.find_elements(By.ID, "token")
    _sign_in(browser, console, console.tokens["auditor"])
    browser.get(account_url + "/logins")
    rows = browser.find_elements(By.CSS_SELECTOR, "#logins tbody tr")
    assert rows[0].get_attribute("class") == "decision-refused" and "account_suspended" in rows[0].text
    assert all(mask(iin) in r.text and iin not in r.text for r in rows) and len(rows) == 3
    _shot(browser, screenshots, "25-login-records")
    _go(browser, "sign-out")
    browser.get(account_url)
    assert browser.find_elements(By.ID, "token")  # signed out: back at sign-in


def test_block_and_unblock_an_account_and_the_kazakh_account_pages(browser, console, screenshots):
    iin = make_iin(dt.date(1984, 9, 9), Sex.FEMALE, 6102)
    issued = issue(console.app.test_client(), console.tokens["nca_operator"], iin, "БЛОКОВА")
    _sign_in(browser, console, console.tokens["nca_operator"])
    _create_account(browser, console, screenshots, iin, "26")
    _go(browser, "block")
    Select(browser.find_element(By.ID, "reason")).select_by_value("chamber_decision")
    _go(browser, "continue")
    assert "until an operator lifts the block" in browser.find_element(By.ID, "confirm-text").text
    _go(browser, "confirm")
    assert browser.find_element(By.ID, "status").text == "blocked"
    _shot(browser, screenshots, "27-blocked")
    assert _log_in(console, issued)["reasons"][0] == "account_blocked"
    _go(browser, "unblock")
    _go(browser, "continue")
    _go(browser, "confirm")
    assert browser.find_element(By.ID, "status").text == "active"
    assert "block lifted" in browser.find_element(By.ID, "history").text
    assert _log_in(console, issued)["decision"] == "accepted"
    _go(browser, "lang-kk")
    assert browser.find_element(By.ID, "status").text == "белсенді"
    assert "бұғат алынды" in browser.find_element(By.ID, "history").text
    _shot(browser, screenshots, "28-kazakh-account")
    _go(browser, "nav-accounts")
    assert browser.find_element(By.TAG_NAME, "h1").text == "БНАЖ есептік жазбалары"
    assert browser.find_element(By.ID, "find").text == "ЖСН бойынша іздеу"
    _shot(browser, screenshots, "29-kazakh-accounts")
    _go(browser, "lang-en")


def test_the_audit_table_with_filters_and_its_jsonl_and_csv_exports_check_against_its_chain_status(
    browser, console, screenshots, tmp_path
):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    issue(
        console.app.test_client(),
        console.tokens["nca_operator"],
        make_iin(dt.date(1986, 1, 2), Sex.MALE, 6103),
        "АУДИТОВ",
    )
    _sign_in(browser, console, console.tokens["auditor"])
    _go(browser, "nav-audit")
    assert browser.find_element(By.ID, "chain-status").text == "intact"
    _shot(browser, screenshots, "30-audit")
    browser.find_element(By.ID, "actor").send_keys("browser-nca_operator")
    browser.find_element(By.ID, "action").send_keys("issue")
    _go(browser, "filter")
    rows = browser.find_elements(By.CSS_SELECTOR, "#entries tbody tr")
    assert rows
    for row in rows:
        assert row.find_element(By.CLASS_NAME, "actor").text == "browser-nca_operator"
        assert row.find_element(By.CLASS_NAME, "action").text == "issue"
    _shot(browser, screenshots, "31-audit-filtered")
    browser.find_element(By.ID, "export-jsonl").click()
    filtered = [json.loads(line) for line in _wait_for(downloads, ".jsonl").read_text().splitlines()]
    assert len(filtered) == len(rows) and first_unsound(filtered) is None
    assert {(r["actor"], r["action"]) for r in filtered} == {("browser-nca_operator", "issue")}
    browser.find_element(By.ID, "actor").clear()
    browser.find_element(By.ID, "action").clear()
    _go(browser, "filter")
    _go(browser, "verify")
    entries = int(browser.find_element(By.ID, "chain-entries").text)
    assert browser.find_element(By.ID, "chain-status").text == "intact"
    for old in downloads.iterdir():
        old.unlink()
    browser.find_element(By.ID, "export-csv").click()
    rows_csv = list(csv.reader(io.StringIO(_wait_for(downloads, ".csv").read_text())))
    assert tuple(unescape_cell(c) for c in rows_csv[0]) == EXPORT_FIELDS
    records = []
    for row in rows_csv[1:]:
        record = dict(zip(EXPORT_FIELDS, (unescape_cell(c) for c in row), strict=True))
        records.append({**record, "seq": int(record["seq"]), "details": json.loads(record["details"])})
    assert [r["seq"] for r in records][:entries] == list(range(1, entries + 1))  # the whole verified chain
    assert first_unsound(records) is None  # the export recomputes as the page said: intact
    _go(browser, "lang-kk")
    assert browser.find_element(By.ID, "chain-status").text == "бүтін"
    _shot(browser, screenshots, "32-kazakh-audit")
    _go(browser, "lang-en")
