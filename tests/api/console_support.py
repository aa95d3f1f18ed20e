"""Helpers of the console tests: sign in through the form (by token, or by name, password and TOTP code),
read a page's CSRF token and refusal code, issue a certificate."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pyotp
from flask import Flask
from flask.testing import FlaskClient

from ca_sim.operator_credentials import IssuedCredential, totp_code, totp_step
from pki.iin import parse_iin
from tests.api.conftest import bearer

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_CODE = re.compile(r'<code id="code">([a-z_]+)</code>')


def csrf_of(page: Any) -> str:
    """The CSRF token of the first form on ``page`` (a test-client response)."""
    found = _CSRF.search(page.get_data(as_text=True))
    assert found, "no CSRF field on the page"
    return found.group(1)


def sign_in(client: FlaskClient, token: str) -> Any:
    """Post ``token`` through the sign-in form; the response (303 on success)."""
    form = client.get("/console/sign-in")
    data = {"method": "token", "token": token, "csrf_token": csrf_of(form)}
    return client.post("/console/sign-in", data=data)


def totp_secret(credential: IssuedCredential) -> str:
    """The base32 TOTP secret of ``credential``'s otpauth:// URI (what the authenticator app keeps)."""
    return str(pyotp.parse_uri(credential.totp_uri).secret)


def code_at(secret: str, at: dt.datetime, steps: int = 0) -> str:
    """The TOTP code of ``secret`` for the step of ``at`` (``steps`` later; earlier when negative)."""
    return totp_code(secret, totp_step(at) + steps)


def password_sign_in(client: FlaskClient, name: str, password: str, code: str) -> Any:
    """Post a name, password and TOTP code through the sign-in form; the response (303 on success)."""
    form = client.get("/console/sign-in")
    data = {"name": name, "password": password, "code": code, "csrf_token": csrf_of(form)}
    return client.post("/console/sign-in", data=data)


def console_client(app: Flask, token: str) -> FlaskClient:
    """A test client of ``app`` signed in to the console with ``token``."""
    client = app.test_client()
    assert sign_in(client, token).status_code == 303
    return client


def refused_code(response: Any) -> str:
    """The stable code a console refusal page shows."""
    found = _CODE.search(response.get_data(as_text=True))
    assert found, response.get_data(as_text=True)
    return found.group(1)


def session_csrf(client: FlaskClient) -> str:
    """The signed-in session's CSRF token (from the sign-out form of any page)."""
    return csrf_of(client.get("/console/certificates"))


def issue(client: FlaskClient, token: str, iin: str, surname: str) -> dict[str, Any]:
    """An nca individual_auth certificate for ``iin`` issued through the API by ``token``."""
    person = parse_iin(iin)
    application = {
        "kind": "individual_auth",
        "iin": iin,
        "surname": surname,
        "name": "ТЕСТ",
        "birth_date": person.birth_date.isoformat(),
        "sex": person.sex.value,
        "generate_key": "p256",
        "pkcs12_password": "Qwerty12",
    }
    issued = client.post("/api/v1/ca/applications", json=application, headers=bearer(token))
    assert issued.status_code == 201, issued.get_data(as_text=True)
    return issued.get_json()
