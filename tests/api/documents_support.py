"""Helpers for the document-service tests: digital documents, their signatures, the owner's challenges."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any
from xml.sax.saxutils import escape

from cryptography import x509

from pki import xmldsig
from pki.cms_signing import sign_cms
from pki.keys import PrivateKey
from tests.api.support import cms_login, credentials

DOCUMENTS = "/api/v1/documents"
CIVIL_SERVANT = "civil_servant_gov"  # the fixture scenario of the state-bodies CA
OWNER = "individual_auth_rsa"  # the individual the documents are about (an AUTH key: signs challenges)


def document_xml(owner_iin: str, title: str = "Свидетельство о рождении (SIM)", **fields: str) -> bytes:
    """A digital document about ``owner_iin`` (``documents.content``'s shape)."""
    items = "".join(f'<field name="{escape(k)}">{escape(v)}</field>' for k, v in fields.items())
    return (
        f"<digitalDocument><type>birth_certificate</type><title>{escape(title)}</title>"
        f"<ownerIin>{owner_iin}</ownerIin><ownerName>ТЕСТОВ АЙДАР</ownerName>{items}</digitalDocument>"
    ).encode()


def signed_cms(document: bytes, key: PrivateKey, certificate: x509.Certificate) -> dict[str, str]:
    """The submission body: ``document`` in an attached CMS signed with ``key``."""
    der = sign_cms(document, key, certificate, signing_time=dt.datetime.now(dt.UTC), detached=False)
    return {"cms": base64.b64encode(der).decode()}


def signed_xml(document: bytes, key: PrivateKey, certificate: x509.Certificate) -> dict[str, str]:
    """The submission body: ``document`` with an enveloped XMLDSig signature."""
    return {"xml": xmldsig.sign_enveloped(document, key, certificate).decode("utf-8")}


def owner_proof(client: Any, fixtures: Any, scenario: str = OWNER, **extra: Any) -> dict[str, Any]:
    """A fresh challenge signed by ``scenario``'s key (how the owner authenticates), plus ``extra``."""
    challenge = client.post("/api/v1/unis/challenges").get_json()
    return {**cms_login(challenge, *credentials(fixtures, scenario)), **extra}
