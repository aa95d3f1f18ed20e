"""The operators' console in headless Chromium: an operator changes their own password (a repetition that
differs is refused with its code first), the console signs them out with a notice, the old password no
longer signs in and the new one does, with the same authenticator app. A module of its own, so the other
browser tests keep the operator's first password. Screenshots go to ``conftest.screenshots``."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from selenium.webdriver.common.by import By

from ca_sim.operator_credentials import TOTP_DRIFT_STEPS, totp_code, totp_step
from tests.browser.conftest import next_page

NEW_PASSWORD = "a longer passphrase of my own 42"


# How long a code must stay acceptable after it is made: a browser's round trip on a busy machine.
CODE_LIFE = dt.timedelta(seconds=20)


class _Codes:
    """TOTP codes on the real clock (the served app's), each of a later step than the last one given, since
    a step signs in once: the earliest step the drift window still accepts :data:`CODE_LIFE` from now (a
    step at the edge of the window expired before a slow browser submitted it), waiting only if none is
    left."""

    def __init__(self, secret: str) -> None:
        self._secret = secret
        self._used: int | None = None

    def next(self) -> str:
        earliest = totp_step(dt.datetime.now(dt.UTC) + CODE_LIFE) - TOTP_DRIFT_STEPS
        step = earliest if self._used is None else max(earliest, self._used + 1)
        while step > totp_step(dt.datetime.now(dt.UTC)) + TOTP_DRIFT_STEPS:
            time.sleep(1)
        self._used = step
        return totp_code(self._secret, step)


def _sign_in(browser: Any, console: Any, name: str, password: str, code: str, expect: str) -> Any:
    browser.get(console.base_url + "/console/sign-in")
    browser.find_element(By.ID, "name").send_keys(name)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.ID, "totp").send_keys(code)
    return next_page(browser, browser.find_element(By.ID, "sign-in"), expect)


def _fill(browser: Any, **fields: str) -> None:
    for element_id, value in fields.items():
        element = browser.find_element(By.ID, element_id)
        element.clear()
        element.send_keys(value)


def test_an_operator_changes_their_password_and_signs_in_with_the_new_one(browser, console, screenshots):
    name, password, secret = console.credential
    codes = _Codes(secret)
    assert _sign_in(browser, console, name, password, codes.next(), "operator").text == name

    next_page(browser, browser.find_element(By.ID, "nav-password"), "current")
    _fill(browser, current=password, totp="000000", new=NEW_PASSWORD, repeat=NEW_PASSWORD + "!")
    error = next_page(browser, browser.find_element(By.ID, "change"), "error").text
    assert "passwords_differ" in error
    browser.save_screenshot(str(screenshots / "p1-passwords-differ.png"))

    _fill(browser, current=password, totp=codes.next(), new=NEW_PASSWORD, repeat=NEW_PASSWORD)
    browser.save_screenshot(str(screenshots / "p2-change-password.png"))
    notice = next_page(browser, browser.find_element(By.ID, "change"), "password-changed").text
    assert "sign in with the new one" in notice
    browser.get(console.base_url + "/console/crls")
    assert browser.find_elements(By.ID, "password")  # signed out: back at the sign-in form
    browser.save_screenshot(str(screenshots / "p3-signed-out.png"))

    code = codes.next()  # not spent by the refused old password: it is refused before the code is checked
    assert "invalid_credentials" in _sign_in(browser, console, name, password, code, "error").text
    assert _sign_in(browser, console, name, NEW_PASSWORD, code, "operator").text == name
    browser.save_screenshot(str(screenshots / "p4-signed-in-with-the-new-password.png"))
