"""Every way a conforming signer may send a login CMS is accepted through the HTTP API, and the same body
with one signature byte changed is refused without harm to the account (UNIS-8, EDS-10).

``tests/verifier/test_cms_variants.py`` proves the verifier's side of this. Here the whole request path runs
for each drawn login: a challenge from the API, the JSON body with its base64 or PEM framing, the challenge
consumed, the account, the register read and the decision recorded. The API fuzzers (``test_no_500.py``,
``test_openapi_fuzz.py``) only ever reach refusals, since random bytes are never a valid signature.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pki import oids
from pki.cms import load_signed_data
from pki.cms_signing import sign_cms
from tests.api.conftest import SettableClock
from tests.api.support import credentials
from tests.conftest import FixtureSet

# accepted scenarios of the fixtures: RSA AUTH, P-256 AUTH, the single-key profile, a Kazakh-letter name
SCENARIOS = ("individual_auth_rsa", "individual_auth_ecdsa", "individual_single_key", "kazakh_letters_name")
_SETTINGS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@dataclass(frozen=True)
class Choices:
    """What the signer and its transport chose."""

    scenario: str
    rsa_pss: bool  # RSA keys only
    digest: str
    detached: bool
    signing_certificate_v2: bool
    signed_seconds_ago: int | None  # the signing time, or none
    with_issuer: bool  # the issuing CA's certificate beside the signer's
    framing: str  # how the DER travels in the JSON body's "cms"


_CHOICES = st.builds(
    Choices,
    scenario=st.sampled_from(SCENARIOS),
    rsa_pss=st.booleans(),
    digest=st.sampled_from([oids.SHA256, oids.SHA384, oids.SHA512]),
    detached=st.booleans(),
    signing_certificate_v2=st.booleans(),
    signed_seconds_ago=st.none() | st.integers(0, 240),
    with_issuer=st.booleans(),
    framing=st.sampled_from(["base64", "base64 in lines", "pem"]),
)


def _cms(fixture_dir: FixtureSet, choices: Choices, nonce: bytes, at: dt.datetime) -> bytes:
    directory = fixture_dir.path / "scenarios" / choices.scenario
    key, certificate = credentials(fixture_dir.path, choices.scenario)
    chain = x509.load_pem_x509_certificates((directory / "chain.pem").read_bytes())
    issuer = next(c for c in chain if c.subject == certificate.issuer)
    seconds = choices.signed_seconds_ago
    return sign_cms(
        nonce,
        key,
        certificate,
        signing_time=None if seconds is None else at.replace(microsecond=0) - dt.timedelta(seconds=seconds),
        detached=choices.detached,
        extra_certificates=[issuer] if choices.with_issuer else [],
        digest_algorithm=choices.digest,
        rsa_pss=choices.rsa_pss and isinstance(key, rsa.RSAPrivateKey),
        signing_certificate_v2=choices.signing_certificate_v2,
    )


def _framed(der: bytes, framing: str) -> str:
    if framing == "base64":
        return base64.b64encode(der).decode()
    lines = base64.encodebytes(der).decode()  # 76 characters a line
    return lines if framing == "base64 in lines" else f"-----BEGIN CMS-----\n{lines}-----END CMS-----\n"


def _log_in(
    client: FlaskClient, fixture_dir: FixtureSet, choices: Choices, at: dt.datetime, flip: int = 0
) -> Any:
    """A login for a new challenge; ``flip`` (1-255) is XORed into the middle byte of the signature."""
    challenge = client.post("/api/v1/unis/challenges")
    assert challenge.status_code == 201
    body = challenge.get_json()
    der = _cms(fixture_dir, choices, base64.b64decode(body["nonce"]), at)
    if flip:
        signature = bytes(load_signed_data(der)["signer_infos"][0]["signature"].native)
        middle = der.index(signature) + len(signature) // 2
        der = der[:middle] + bytes([der[middle] ^ flip]) + der[middle + 1 :]
    login = {"challenge_id": body["challenge_id"], "cms": _framed(der, choices.framing)}
    response = client.post("/api/v1/unis/logins", json=login)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


@_SETTINGS
@given(choices=_CHOICES)
def test_unis8_eds10_every_conforming_login_cms_is_accepted_over_http(
    client: FlaskClient, fixture_dir: FixtureSet, clock: SettableClock, choices: Choices
) -> None:
    decision = _log_in(client, fixture_dir, choices, clock())
    assert decision["decision"] == "accepted" and decision["reasons"] == [], (choices, decision["reasons"])
    assert decision["verdict"]["indication"] == "TOTAL_PASSED"
    statuses = {c["id"]: c["status"] for c in decision["verdict"]["checks"]}
    assert statuses["signature"] == statuses["message_digest"] == statuses["revocation"] == "passed"


@_SETTINGS
@given(choices=_CHOICES, flip=st.integers(1, 255))
def test_unis8_eds10_one_changed_signature_byte_is_refused_and_the_account_still_logs_in(
    client: FlaskClient, fixture_dir: FixtureSet, clock: SettableClock, choices: Choices, flip: int
) -> None:
    refused = _log_in(client, fixture_dir, choices, clock(), flip)
    assert refused["decision"] == "refused" and refused["reasons"] == ["signature_invalid"], refused[
        "reasons"
    ]
    assert refused["verdict"]["indication"] == "TOTAL_FAILED"
    assert _log_in(client, fixture_dir, choices, clock())["decision"] == "accepted"
