"""No input makes the verifier raise a defect (issue 10, EDS-10 / UNIS-11): DER mutations of real objects.

Real certificates, CRLs, OCSP responses and CMS (the NCA's RSA test material, NIST PKITS) are mutated the
way broken or hostile input is: one byte flipped, the object truncated, one DER length changed. Each
mutant goes through the public API. What may come back is a :class:`Verdict`, or, for the object under
verification itself, the :class:`~pki.errors.KzPkiError` the method documents (an undecodable certificate
or signature is refused with its stable code, which the API answers as a 4xx problem). Nothing else: no
exception of another type; a defect the guard (:mod:`verifier.guard`) caught is a ``processing_error``
verdict, which is INDETERMINATE. Mutated revocation data never raises at all: it is evidence to judge,
not the input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pki.errors import ErrorCode, InvalidInput, KzPkiError
from pki.keys import certificate_der, load_certificate
from pki.reasons import Reason
from tests.data_paths import CONFORMANCE, INTEROP_RSA
from verifier import (
    Purpose,
    RevocationMethods,
    RevocationRequirement,
    StaticRevocationSource,
    Verdict,
    VerificationPolicy,
    Verifier,
)
from verifier.guard import defect_verdict, guarded
from verifier.verdict import CheckId, CheckStatus, Indication, SubIndication

IN_2021 = dt.datetime(2021, 6, 1, tzinfo=dt.UTC)
IN_2022 = dt.datetime(2022, 6, 1, tzinfo=dt.UTC)
PKITS_AT = dt.datetime(2022, 5, 1, tzinfo=dt.UTC)
PKITS_CERTS = CONFORMANCE / "pkits" / "certs"
PKITS_CRLS = CONFORMANCE / "pkits" / "crls"

NCA_ROOT = certificate_der(load_certificate((INTEROP_RSA / "nca_rsa_test.crt").read_bytes()))
NCA_CRL = (INTEROP_RSA / "nca_rsa_test.crl").read_bytes()
NCA_LEAF = certificate_der(
    load_certificate((INTEROP_RSA / "individual_valid_sign_2004_rsa_auth.cer").read_bytes())
)
NCA_CMS = (INTEROP_RSA / "signed_attached_lol_kek.cms").read_bytes()
NCA_OCSP = (INTEROP_RSA / "ocsp_response_individual_sign_2004.bin").read_bytes()
PKITS_ANCHOR = (PKITS_CERTS / "TrustAnchorRootCertificate.crt").read_bytes()
PKITS_ANCHOR_CRL = (PKITS_CRLS / "TrustAnchorRootCRL.crl").read_bytes()
# PKITS 4.1.1: anchor -> Good CA -> end entity, a CRL of each CA.
PKITS_CA = (PKITS_CERTS / "GoodCACert.crt").read_bytes()
PKITS_LEAF = (PKITS_CERTS / "ValidCertificatePathTest1EE.crt").read_bytes()
PKITS_CA_CRLS = [(PKITS_CRLS / "GoodCACRL.crl").read_bytes()]
# PKITS 4.14.18: two CRLs each covering some reasons (onlySomeReasons), judged by RFC 5280 6.3 in full.
REASONS_CA = (PKITS_CERTS / "onlySomeReasonsCA3Cert.crt").read_bytes()
REASONS_LEAF = (PKITS_CERTS / "ValidonlySomeReasonsTest18EE.crt").read_bytes()
REASONS_CRLS = [
    (PKITS_CRLS / f"onlySomeReasonsCA3{k}CRL.crl").read_bytes() for k in ("compromise", "otherreasons")
]

EXAMPLES = 150
_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def length_offsets(der: bytes, limit: int = 4000) -> list[int]:
    """Offsets of the (last) length octet of every TLV in ``der``, descending into constructed values."""
    found: list[int] = []

    def walk(start: int, end: int) -> None:
        i = start
        while i < end and len(found) < limit:
            constructed = der[i] & 0x20
            i += 1
            if der[i - 1] & 0x1F == 0x1F:  # high tag number form
                while i < end and der[i] & 0x80:
                    i += 1
                i += 1
            if i >= end or der[i] == 0x80:
                return
            if der[i] < 0x80:
                length, last, i = der[i], i, i + 1
            else:
                count = der[i] & 0x7F
                length, last = int.from_bytes(der[i + 1 : i + 1 + count], "big"), i + count
                i += 1 + count
            found.append(last)
            if constructed:
                walk(i, min(i + length, end))
            i += length

    walk(0, len(der))
    return found


@st.composite
def mutants(draw: st.DrawFn, der: bytes) -> bytes:
    """``der`` with one byte flipped, truncated, or one length octet changed (never ``der`` itself)."""
    kind = draw(st.sampled_from(["flip", "truncate", "length"]))
    data = bytearray(der)
    if kind == "truncate":
        return bytes(data[: draw(st.integers(0, len(der) - 1))])
    if kind == "flip":
        data[draw(st.integers(0, len(der) - 1))] ^= draw(st.integers(1, 255))
        return bytes(data)
    offset = draw(st.sampled_from(length_offsets(der)))
    delta = draw(st.sampled_from([-3, -2, -1, 1, 2, 3]))
    data[offset] = (data[offset] + delta) % 256
    return bytes(data)


def _nca_verifier(crls: list[bytes], ocsp: list[bytes] = (), **changes: object) -> Verifier:  # type: ignore[assignment]
    policy = VerificationPolicy(
        trust_anchors=(NCA_ROOT,),
        purpose=Purpose.LOGIN,
        test_pki=True,
        ocsp_nonce=False,
        **changes,  # type: ignore[arg-type]
    )
    return Verifier(policy, StaticRevocationSource(crls=crls, ocsp_responses=ocsp))


def _pkits_verifier(crls: list[bytes]) -> Verifier:
    policy = VerificationPolicy(
        trust_anchors=(PKITS_ANCHOR,),
        purpose=Purpose.DOCUMENT,
        revocation_methods=RevocationMethods.CRL,
        document_revocation=RevocationRequirement.REQUIRED,
        ocsp_nonce=False,
    )
    return Verifier(policy, StaticRevocationSource(crls=crls))


def _judged(call: Callable[[], Verdict], *, may_refuse: bool) -> Verdict | None:
    """The verdict of ``call``; None when it refused with a documented KzPkiError (only if ``may_refuse``)."""
    try:
        verdict = call()
    except KzPkiError as exc:
        assert may_refuse, f"revocation data made the verifier raise {exc!r}"
        assert isinstance(exc, InvalidInput) and ErrorCode(exc.code)
        return None
    assert isinstance(verdict, Verdict)
    if Reason.PROCESSING_ERROR in verdict.reasons:  # the guard caught a defect: nothing may pass
        assert verdict.indication is Indication.INDETERMINATE
    verdict.to_json()  # the wire form is producible too
    return verdict


def test_the_seeds_verify() -> None:
    """The unmutated objects pass, so that mutants reach the deep checks (signatures, CRLs, scopes)."""
    assert _nca_verifier([NCA_CRL]).inspect_certificate(NCA_LEAF, at=IN_2022).passed
    pkits = _pkits_verifier([PKITS_ANCHOR_CRL, *PKITS_CA_CRLS])
    assert pkits.inspect_certificate(PKITS_LEAF, at=PKITS_AT, extra_certificates=[PKITS_CA]).passed
    reasons = _pkits_verifier([PKITS_ANCHOR_CRL, *REASONS_CRLS])
    assert _path_passed(
        reasons.inspect_certificate(REASONS_LEAF, at=PKITS_AT, extra_certificates=[REASONS_CA])
    )
    document = _nca_verifier([NCA_CRL], document_revocation=RevocationRequirement.IF_AVAILABLE)
    assert document.for_purpose(Purpose.DOCUMENT).verify_cms(NCA_CMS, at=IN_2021).passed


@_SETTINGS
@given(mutants(NCA_LEAF))
def test_mutated_certificates_give_a_verdict_or_the_documented_refusal(certificate: bytes) -> None:
    _judged(lambda: _nca_verifier([NCA_CRL]).inspect_certificate(certificate, at=IN_2022), may_refuse=True)


@_SETTINGS
@given(mutants(PKITS_CA))
def test_mutated_ca_certificates_give_a_verdict(ca: bytes) -> None:
    verifier = _pkits_verifier([PKITS_ANCHOR_CRL, *PKITS_CA_CRLS])
    _judged(
        lambda: verifier.inspect_certificate(PKITS_LEAF, at=PKITS_AT, extra_certificates=[ca]),
        may_refuse=True,
    )


@_SETTINGS
@given(mutants(NCA_CRL))
def test_mutated_crls_give_a_verdict_and_never_raise(crl: bytes) -> None:
    _judged(lambda: _nca_verifier([crl]).inspect_certificate(NCA_LEAF, at=IN_2022), may_refuse=False)


@_SETTINGS
@given(
    st.sampled_from(range(1 + len(PKITS_CA_CRLS))).flatmap(
        lambda n: st.tuples(st.just(n), mutants([PKITS_ANCHOR_CRL, *PKITS_CA_CRLS][n]))
    )
)
def test_mutated_ca_and_anchor_crls_give_a_verdict_and_never_raise(case: tuple[int, bytes]) -> None:
    which, crl = case
    crls = [PKITS_ANCHOR_CRL, *PKITS_CA_CRLS]
    crls[which] = crl
    verifier = _pkits_verifier(crls)
    verdict = _judged(
        lambda: verifier.inspect_certificate(PKITS_LEAF, at=PKITS_AT, extra_certificates=[PKITS_CA]),
        may_refuse=False,
    )
    assert verdict is not None


@_SETTINGS
@given(st.sampled_from(range(2)).flatmap(lambda n: st.tuples(st.just(n), mutants(REASONS_CRLS[n]))))
def test_mutated_scoped_crls_give_a_verdict_and_never_raise(case: tuple[int, bytes]) -> None:
    """Mutants of one of the two onlySomeReasons CRLs go through RFC 5280 6.3 in full (the whole path by
    pyhanko-certvalidator) and still give a verdict."""
    which, crl = case
    crls = list(REASONS_CRLS)
    crls[which] = crl
    verifier = _pkits_verifier([PKITS_ANCHOR_CRL, *crls])
    verdict = _judged(
        lambda: verifier.inspect_certificate(REASONS_LEAF, at=PKITS_AT, extra_certificates=[REASONS_CA]),
        may_refuse=False,
    )
    assert verdict is not None


@_SETTINGS
@given(mutants(NCA_OCSP))
def test_mutated_ocsp_responses_give_a_verdict_and_never_raise(response: bytes) -> None:
    verifier = _nca_verifier([], [response], revocation_methods=RevocationMethods.OCSP)
    _judged(lambda: verifier.inspect_certificate(NCA_LEAF, at=IN_2022), may_refuse=False)


@_SETTINGS
@given(mutants(NCA_CMS))
def test_mutated_cms_gives_a_verdict_or_the_documented_refusal(cms: bytes) -> None:
    verifier = _nca_verifier([NCA_CRL], document_revocation=RevocationRequirement.IF_AVAILABLE)
    _judged(lambda: verifier.for_purpose(Purpose.DOCUMENT).verify_cms(cms, at=IN_2021), may_refuse=True)


def _path_passed(verdict: Verdict) -> bool:
    path = [c for c in verdict.checks if c.id in (CheckId.CHAIN, CheckId.VALIDITY, CheckId.REVOCATION)]
    return len(path) == 3 and all(c.status is CheckStatus.PASSED for c in path)


def test_a_defect_becomes_a_processing_error_verdict_and_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    """The guard itself: an exception that is no KzPkiError is a failed ``processing`` check (INDETERMINATE /
    FORMAT_FAILURE), logged with its type and place, not its message; a KzPkiError passes through."""

    def broken() -> Verdict:
        raise AttributeError("'Void' object has no attribute 'name' 123456789012")

    verdict = guarded("certificate", Purpose.LOGIN, IN_2022, broken)
    (check,) = verdict.checks
    assert (check.id, check.status, check.reason) == (
        CheckId.PROCESSING,
        CheckStatus.FAILED,
        Reason.PROCESSING_ERROR,
    )
    assert (verdict.indication, verdict.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.FORMAT_FAILURE,
    )
    assert "AttributeError" in check.message and "123456789012" not in check.message
    assert any("AttributeError" in r.getMessage() for r in caplog.records)
    assert all("123456789012" not in r.getMessage() for r in caplog.records)

    def refused() -> Verdict:
        raise InvalidInput(ErrorCode.MALFORMED_CERTIFICATE, "not a certificate")

    with pytest.raises(InvalidInput):
        guarded("certificate", Purpose.LOGIN, IN_2022, refused)
    assert defect_verdict("cms", Purpose.LOGIN, IN_2022, ValueError()).reasons == (Reason.PROCESSING_ERROR,)


def test_length_offsets_find_every_tlv() -> None:
    # SEQUENCE { INTEGER 1, SEQUENCE { NULL } }
    der = bytes.fromhex("3007 020101 3002 0500")
    assert length_offsets(der) == [1, 3, 6, 8]
