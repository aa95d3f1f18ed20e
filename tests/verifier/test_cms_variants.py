"""Every way a conforming signer may build a login CMS is accepted, and the same CMS altered is refused.

The mutation tests (test_no_exception_escapes.py) and the API fuzzers only reach refusals: random bytes are
never a valid signature. Here Hypothesis draws the signer's choices (RSA PKCS#1 v1.5, RSA-PSS or ECDSA
P-256; SHA-256/384/512; attached or detached; with or without signingCertificateV2, signing time and the
issuing CA's certificate) and each CMS so built must pass every check (RFC 5652, RFC 5035, EDS-10). One
signature byte flipped must then fail the signature check, and a detached CMS given other content must
fail the message digest: the acceptance is earned, not a default. ``tests/api/test_login_variants.py``
draws the same choices through the HTTP login endpoint.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pki import oids
from pki.cms import load_signed_data
from pki.cms_signing import sign_cms
from pki.keys import KeyType, generate_private_key
from pki.reasons import Reason
from tests.verifier.conftest import T0, Issued, MiniPki
from verifier import Indication, SubIndication, Verifier

CHALLENGE = bytes(range(32))
_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass(frozen=True)
class Choices:
    """What the signer chose: the key (an index into :func:`_leaves`), and the CMS options."""

    leaf: int  # 0: RSA-2048, 1: P-256
    rsa_pss: bool
    digest: str
    detached: bool
    signing_certificate_v2: bool
    signing_time: dt.datetime | None
    with_issuer: bool


_CHOICES = st.builds(
    Choices,
    leaf=st.sampled_from([0, 1]),
    rsa_pss=st.booleans(),
    digest=st.sampled_from([oids.SHA256, oids.SHA384, oids.SHA512]),
    detached=st.booleans(),
    signing_certificate_v2=st.booleans(),
    # a signing time up to a day before the validation, whole seconds as UTCTime carries them
    signing_time=st.none() | st.integers(0, 86_400).map(lambda s: T0 - dt.timedelta(seconds=s)),
    with_issuer=st.booleans(),
)


@pytest.fixture(scope="module")
def leaves(pki: MiniPki) -> tuple[Issued, Issued]:
    """An RSA-2048 and a P-256 AUTH certificate of the test NCA (one each: RSA keys are slow to make)."""
    rsa, p256 = (generate_private_key(key_type) for key_type in (KeyType.RSA2048, KeyType.P256))
    return pki.leaf(key=rsa), pki.leaf(key=p256)


@pytest.fixture(scope="module")
def verifier(pki: MiniPki) -> Verifier:
    return pki.verifier(crls=[pki.crl()])


def _signed(pki: MiniPki, leaves: tuple[Issued, Issued], choices: Choices) -> bytes:
    leaf = leaves[choices.leaf]
    return sign_cms(
        CHALLENGE,
        leaf.key,
        leaf.cert,
        signing_time=choices.signing_time,
        detached=choices.detached,
        extra_certificates=[pki.nca.cert] if choices.with_issuer else [],
        digest_algorithm=choices.digest,
        rsa_pss=choices.rsa_pss and choices.leaf == 0,
        signing_certificate_v2=choices.signing_certificate_v2,
    )


def _content(choices: Choices) -> bytes | None:
    return CHALLENGE if choices.detached else None


@_SETTINGS
@given(choices=_CHOICES)
def test_eds10_every_conforming_signers_cms_passes_every_check(
    pki: MiniPki, leaves: tuple[Issued, Issued], verifier: Verifier, choices: Choices
) -> None:
    verdict = verifier.verify_cms(_signed(pki, leaves, choices), at=T0, detached_content=_content(choices))
    assert verdict.indication is Indication.TOTAL_PASSED, (choices, verdict.to_json())
    assert verdict.signed_content == CHALLENGE
    statuses = {c.id: c.status.value for c in verdict.checks}
    assert statuses["signature"] == statuses["message_digest"] == statuses["chain"] == "passed"
    expected = "passed" if choices.signing_certificate_v2 else "skipped"
    assert statuses["signing_certificate"] == expected
    assert verdict.signer is not None and verdict.signer.signing_time == choices.signing_time


@_SETTINGS
@given(choices=_CHOICES, position=st.floats(0, 1, exclude_max=True), flip=st.integers(1, 255))
def test_eds10_the_same_cms_with_one_signature_byte_changed_fails_the_signature(
    pki: MiniPki,
    leaves: tuple[Issued, Issued],
    verifier: Verifier,
    choices: Choices,
    position: float,
    flip: int,
) -> None:
    der = _signed(pki, leaves, choices)
    signature = bytes(load_signed_data(der)["signer_infos"][0]["signature"].native)
    at = der.index(signature) + int(position * len(signature))
    altered = der[:at] + bytes([der[at] ^ flip]) + der[at + 1 :]
    verdict = verifier.verify_cms(altered, at=T0, detached_content=_content(choices))
    assert verdict.indication is Indication.TOTAL_FAILED, (choices, verdict.to_json())
    assert verdict.sub_indication is SubIndication.SIG_CRYPTO_FAILURE
    assert Reason.SIGNATURE_INVALID in verdict.reasons


@_SETTINGS
@given(choices=_CHOICES.filter(lambda c: c.detached), other=st.binary(min_size=1, max_size=64))
def test_eds10_a_detached_cms_over_other_content_fails_the_message_digest(
    pki: MiniPki, leaves: tuple[Issued, Issued], verifier: Verifier, choices: Choices, other: bytes
) -> None:
    if other == CHALLENGE:
        other += b"\x00"
    verdict = verifier.verify_cms(_signed(pki, leaves, choices), at=T0, detached_content=other)
    assert verdict.indication is Indication.TOTAL_FAILED, (choices, verdict.to_json())
    assert verdict.sub_indication is SubIndication.HASH_FAILURE
    assert verdict.reasons == (Reason.CONTENT_MISMATCH,)
