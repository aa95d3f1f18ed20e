"""A real browser on the console: headless Chromium driven by Selenium (Debian's ``chromium`` and
``chromium-driver``) against the app served by werkzeug in a thread on a loopback port, on a data directory
of its own (its own CA hierarchy, the real clock).

Without chromedriver the tests are skipped locally with the reason; under CI (``CI=true``) or
``KZPKI_TEST_POSTGRES=required`` (what ``.ci/run`` sets) a missing browser is a failure, as a missing
PostgreSQL is. Screenshots go to a fresh temporary folder (printed), never into the repository.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyotp
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from werkzeug.serving import make_server

from api.app import create_app
from api.config import Settings
from api.database import dispose
from ca_sim.operators import Role
from tests.databases import database_url
from tests.servers import free_port

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
# Seconds: explicit waits for the next page and the page-load limit. Generous: the CI machine is shared
# (load 5-15 on 2 cores) and a page may take many seconds there; a wait returns as soon as it holds.
WAIT_SECONDS = 30.0
PAGE_LOAD_SECONDS = 120.0


def browser_required() -> bool:
    """Whether a missing browser fails the run (CI) instead of skipping it (a developer's machine)."""
    return os.environ.get("CI") == "true" or os.environ.get("KZPKI_TEST_POSTGRES") == "required"


@dataclass(frozen=True)
class Console:
    """The served app: its base URL, services, one token per role and the operator's console credential
    (name, password, TOTP secret)."""

    base_url: str
    app: Any
    tokens: dict[str, str]
    credential: tuple[str, str, str]


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    home = tmp_path_factory.mktemp("kzpki-browser")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    settings = Settings(
        home=home,
        database_url=database_url(home / "kzpki.db"),
        ca_passphrase=b"browser-test passphrase",
        public_base_url=base_url,
    )
    app = create_app(settings)
    services = app.extensions["kzpki"]
    tokens = {}
    for name, role, scope in (
        ("nca_operator", Role.OPERATOR, ["nca"]),
        ("security_officer", Role.SECURITY_OFFICER, []),
        ("auditor", Role.AUDITOR, []),
    ):
        _, tokens[name] = services.operators.add(f"browser-{name}", role, scope, services.clock(), "tests")
    issued = services.credentials.issue("browser-nca_operator", services.clock(), "tests")
    credential = (issued.operator, issued.password, pyotp.parse_uri(issued.totp_uri).secret)
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Console(base_url, app, tokens, credential)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        dispose(services.sessionmaker)


@pytest.fixture(scope="session")
def screenshots() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="kzpki-console-screenshots-"))
    print(f"console screenshots: {folder}")
    return folder


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    """A fresh headless Chromium (its own profile directory) for each test."""
    driver_path = shutil.which("chromedriver")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        driver_path = None
    if driver_path is None or chromium is None:
        reason = "headless Chromium not available: apt-get install chromium chromium-driver (and selenium)"
        if browser_required():
            pytest.fail(reason + " -- required under CI")
        pytest.skip(reason)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(PAGE_LOAD_SECONDS)
    driver.set_script_timeout(WAIT_SECONDS)
    driver.implicitly_wait(0)  # every wait is explicit (next_page, wait_for): no mixed implicit waits
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(browser: Any, element_id: str) -> Any:
    """The element with ``element_id`` once present (up to WAIT_SECONDS); raises TimeoutException."""
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, WAIT_SECONDS).until(
        expected_conditions.presence_of_element_located(("id", element_id))
    )


def leave_page(browser: Any, element: Any) -> None:
    """Click ``element`` (a link or a form's submit button) and wait until the current document is gone and
    the next one has loaded (each up to WAIT_SECONDS).

    A click does not wait for the navigation it starts: finding elements at once would find the old page
    or race the navigation ("aborted by navigation" in Chromium). Raises TimeoutException.
    """
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    page = browser.find_element("tag name", "html")
    element.click()

    def gone(_: Any) -> bool:
        # Chromium reports a node of a document being replaced either as stale or as "does not belong to
        # the document" (a plain WebDriverException): both mean the navigation has begun.
        try:
            return bool(expected_conditions.staleness_of(page)(browser))
        except WebDriverException:
            return True

    WebDriverWait(browser, WAIT_SECONDS).until(gone)
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda b: b.execute_script("return document.readyState") == "complete"
    )


def next_page(browser: Any, element: Any, element_id: str) -> Any:
    """:func:`leave_page` by clicking ``element``, then the next page's element ``element_id`` once present
    (up to WAIT_SECONDS). Raises TimeoutException."""
    leave_page(browser, element)
    return wait_for(browser, element_id)


def ocsp_answer(console: Console, issued: dict[str, Any]) -> ocsp.OCSPResponse:
    """The running server's OCSP answer over HTTP for a certificate ``issued`` by the test-issuance API."""
    certificate = x509.load_pem_x509_certificate(issued["certificate_pem"].encode())
    issuer = x509.load_pem_x509_certificate(issued["chain_pem"][0].encode())
    request = ocsp.OCSPRequestBuilder().add_certificate(certificate, issuer, hashes.SHA256()).build()
    http = urllib.request.Request(
        console.base_url + "/ocsp/",
        data=request.public_bytes(serialization.Encoding.DER),
        headers={"Content-Type": "application/ocsp-request"},
    )
    with urllib.request.urlopen(http, timeout=30) as answer:
        return ocsp.load_der_ocsp_response(answer.read())
