"""Past signature validation (ETSI EN 319 102-1 5.6.2.4): a document signer whose certificate no longer
passes is judged as of its verified signature time stamp, with the revocation data valid then: the
source's, or the CRLs the signature carries (its ``crls`` field, CAdES-X-L revocationValues), each checked
as the source's are; never for a login.

NCANode reports such a signer invalid although a time stamp proves it signed in time (its issue #225).
The MiniPki's signer signs at T0 and is stamped at T0; the documents are verified ten days later (AT),
with the nca and root CRLs of both instants: each instant is judged on the CRLs valid at it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pytest
from asn1crypto import cms as asn1_cms
from asn1crypto import core
from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from cryptography import x509
from hypothesis import given, settings
from hypothesis import strategies as st

from pki import keys
from pki.cms_signing import sign_cms, with_signature_time_stamps
from pki.errors import ErrorCode, InvalidInput
from pki.reasons import Reason
from tests.verifier.conftest import T0, Issued, MiniPki
from tests.verifier.mutations import flipped_or_truncated
from tests.verifier.time_stamps import DATA, signature_stamped, stamper
from verifier import Purpose, Verdict, Verifier
from verifier.certificate import Cert
from verifier.revocation import StaticRevocationSource
from verifier.verdict import CheckId, CheckStatus

AT = T0 + dt.timedelta(days=10)
EXPIRED = T0 + dt.timedelta(days=1)  # the signer's notAfter: valid at T0, expired at AT


def _verify(
    pki: MiniPki,
    signed: bytes,
    revoked: Sequence[tuple[int, dt.datetime, x509.ReasonFlags | None]] = (),
    *,
    revoked_at_t0: bool = False,
    crl_at_t0: bool = True,
    **policy: object,
) -> Verdict:
    """``signed`` verified at AT for documents (unless ``policy`` says otherwise); ``revoked`` are on the
    nca CRL of AT, and also on that of T0 when ``revoked_at_t0``; without ``crl_at_t0`` the source holds
    no nca CRL of T0 (only today's, as an HTTP source would)."""
    later = {"this_update": AT - dt.timedelta(hours=1), "next_update": AT + dt.timedelta(hours=26)}
    crls = [
        *([pki.crl(revoked if revoked_at_t0 else ())] if crl_at_t0 else []),
        pki.crl(revoked, number=2, **later),  # type: ignore[arg-type]
        pki.crl(issuer=pki.root, number=2, **later),  # type: ignore[arg-type]
    ]
    options = {"purpose": Purpose.DOCUMENT, **policy}
    return pki.verifier(crls=crls, **options).verify_cms(signed, at=AT)


def _expired_signer(pki: MiniPki, kind: str = "sign") -> Issued:
    return pki.leaf(kind, not_after=EXPIRED)


def test_etsi_319_102_1_an_expired_signer_passes_as_of_its_verified_signature_time_stamp(
    pki: MiniPki,
) -> None:
    verdict = _verify(pki, signature_stamped(pki, stamper(pki), _expired_signer(pki)))
    assert verdict.passed, verdict.to_json()
    signer = verdict.signers[0]
    assert signer.signature_timestamp is not None and signer.validated_at == T0
    assert signer.to_json()["validated_at"] == "2026-03-02T08:00:00Z"
    (notice,) = verdict.warnings
    assert notice.code == "validated_as_of_time_stamp" and notice.signer == 0
    assert "expired" in notice.message and T0.isoformat() in notice.message


def test_etsi_319_102_1_without_a_time_stamp_the_expired_signer_fails(pki: MiniPki) -> None:
    signer = _expired_signer(pki)
    plain = sign_cms(DATA, signer.key, signer.cert, signing_time=T0, extra_certificates=[pki.nca.cert])
    verdict = _verify(pki, plain)
    assert verdict.reasons == (Reason.CERTIFICATE_EXPIRED,)
    assert verdict.signers[0].validated_at is None


def test_etsi_319_102_1_a_time_stamp_after_the_expiry_does_not_help(pki: MiniPki) -> None:
    late = stamper(pki, gen_time=EXPIRED + dt.timedelta(days=2))
    verdict = _verify(pki, signature_stamped(pki, late, _expired_signer(pki)))
    assert verdict.signers[0].signature_timestamp is not None  # the stamp itself verified
    assert verdict.reasons == (Reason.CERTIFICATE_EXPIRED,) and verdict.signers[0].validated_at is None


def test_etsi_319_102_1_a_signer_revoked_before_its_time_stamp_fails(pki: MiniPki) -> None:
    signer = _expired_signer(pki)
    revoked = [(signer.cert.serial_number, T0 - dt.timedelta(hours=2), x509.ReasonFlags.key_compromise)]
    verdict = _verify(pki, signature_stamped(pki, stamper(pki), signer), revoked, revoked_at_t0=True)
    assert not verdict.passed and verdict.signers[0].validated_at is None
    assert verdict.reasons == (Reason.CERTIFICATE_EXPIRED,)  # the checks at AT stand


def test_eds_18_a_signer_revoked_after_its_time_stamp_passes_as_of_the_stamp(pki: MiniPki) -> None:
    signer = pki.leaf("sign", not_after=T0 + dt.timedelta(days=30))  # still valid at AT, but revoked
    revoked = [(signer.cert.serial_number, T0 + dt.timedelta(days=1), x509.ReasonFlags.key_compromise)]
    stamped = signature_stamped(pki, stamper(pki), signer)
    verdict = _verify(pki, stamped, revoked)
    assert verdict.passed and verdict.signers[0].validated_at == T0, verdict.to_json()
    assert "revoked" in verdict.warnings[0].message
    unstamped = sign_cms(DATA, signer.key, signer.cert, signing_time=T0, extra_certificates=[pki.nca.cert])
    assert _verify(pki, unstamped, revoked).reasons == (Reason.REVOKED,)


def test_unis_3_a_login_is_never_judged_as_of_a_time_stamp(pki: MiniPki) -> None:
    stamped = signature_stamped(pki, stamper(pki), _expired_signer(pki, "auth"))
    verdict = _verify(pki, stamped, purpose=Purpose.LOGIN)
    assert Reason.CERTIFICATE_EXPIRED in verdict.reasons and verdict.signers[0].validated_at is None


def test_etsi_319_102_1_past_validation_is_a_policy_choice(pki: MiniPki) -> None:
    stamped = signature_stamped(pki, stamper(pki), _expired_signer(pki))
    verdict = _verify(pki, stamped, signature_time_stamp_existence=False)
    assert verdict.reasons == (Reason.CERTIFICATE_EXPIRED,) and verdict.signers[0].validated_at is None


def test_rfc3161_appendix_a_a_time_stamp_that_does_not_verify_proves_nothing(pki: MiniPki) -> None:
    other_bytes = stamper(pki, lambda value: value + b"!")
    verdict = _verify(pki, signature_stamped(pki, other_bytes, _expired_signer(pki)))
    assert verdict.reasons == (Reason.CERTIFICATE_EXPIRED,)
    assert [w.code for w in verdict.warnings] == ["signature_timestamp_not_verified"]


def test_etsi_319_102_1_a_ca_certificate_issued_after_the_time_stamp_fails_the_chain_then(
    pki: MiniPki,
) -> None:
    signer = Cert.load(keys.certificate_der(_expired_signer(pki).cert))
    before_nca = pki.nca.cert.not_valid_before_utc - dt.timedelta(days=1)
    verifier = pki.verifier(crls=[pki.crl(issuer=pki.root, number=2)], purpose=Purpose.DOCUMENT)
    past = verifier.evaluate_certificate(signer, [], T0, 0, existed_at=before_nca)
    chain = next(c for c in past.checks if c.id == CheckId.CHAIN)
    assert chain.status is CheckStatus.FAILED and "was issued after" in chain.message
    assert past.report.validated_at == before_nca and not past.passed


# --- with today's CRL alone (no revocation data of the stamp's time) -------------------------------------


def test_eds_18_a_signer_revoked_after_its_time_stamp_passes_on_todays_crl_alone(pki: MiniPki) -> None:
    signer = pki.leaf("sign", not_after=T0 + dt.timedelta(days=30))
    revoked = [(signer.cert.serial_number, T0 + dt.timedelta(days=1), x509.ReasonFlags.superseded)]
    verdict = _verify(pki, signature_stamped(pki, stamper(pki), signer), revoked, crl_at_t0=False)
    assert verdict.passed and verdict.signers[0].validated_at == T0, verdict.to_json()
    revocation = next(c for c in verdict.checks if c.id == CheckId.REVOCATION)
    assert "not revoked then" in revocation.message


def test_etsi_319_102_1_a_signer_revoked_before_its_time_stamp_fails_on_todays_crl(pki: MiniPki) -> None:
    signer = pki.leaf("sign", not_after=T0 + dt.timedelta(days=30))
    revoked = [(signer.cert.serial_number, T0 - dt.timedelta(hours=2), x509.ReasonFlags.key_compromise)]
    verdict = _verify(pki, signature_stamped(pki, stamper(pki), signer), revoked, crl_at_t0=False)
    assert verdict.reasons == (Reason.REVOKED,) and verdict.signers[0].validated_at is None


def test_rfc5280_3_3_todays_crl_does_not_vouch_for_an_expired_signer(pki: MiniPki) -> None:
    """A CRL need not list an expired certificate: today's says nothing about one that expired since."""
    verdict = _verify(pki, signature_stamped(pki, stamper(pki), _expired_signer(pki)), crl_at_t0=False)
    assert verdict.reasons == (Reason.CERTIFICATE_EXPIRED,) and verdict.signers[0].validated_at is None


@pytest.fixture(scope="module")
def expired_stamped(pki: MiniPki) -> bytes:
    """A time-stamped signature of a signer expired at AT."""
    return signature_stamped(pki, stamper(pki), _expired_signer(pki))


@settings(max_examples=80)
@given(data=st.data())
def test_etsi_319_102_1_a_mutated_stamped_signature_of_an_expired_signer_passes_only_through_its_stamp(
    pki: MiniPki, expired_stamped: bytes, data: st.DataObject
) -> None:
    """One byte flipped or the object cut short: a verdict or the documented refusal, and a pass only as
    of the time stamp, over the signed data."""
    try:
        verdict = _verify(pki, flipped_or_truncated(data, expired_stamped))
    except InvalidInput as exc:
        assert exc.code in {ErrorCode.MALFORMED_SIGNATURE, ErrorCode.SIGNATURE_TOO_LARGE}
        return
    if verdict.passed:
        signer = verdict.signers[0]
        assert signer.validated_at == T0 and signer.signature_timestamp is not None
        assert verdict.signed_content == DATA


# --- with the CRLs the signature carries (RFC 5652 crls, CAdES-X-L revocationValues) ---------------------


def _der(tag: int, content: bytes) -> bytes:
    """One DER TLV (definite length), written here rather than by the schema the verifier reads."""
    size = len(content)
    length = (
        bytes([size])
        if size < 0x80
        else bytes([0x80 | ((size.bit_length() + 7) // 8)])
        + size.to_bytes((size.bit_length() + 7) // 8, "big")
    )
    return bytes([tag]) + length + content


def _carrying_crls(signed: bytes, crls: Sequence[bytes], ocsp_responses: Sequence[bytes] = ()) -> bytes:
    """``signed`` with ``crls`` and ``ocsp_responses`` (RFC 5940 id-ri-ocsp-response) in its SignedData
    ``crls`` field (RFC 5652 10.2.1); the signatures stay."""
    signed_data = asn1_cms.ContentInfo.load(signed)["content"]
    other = [
        asn1_cms.RevocationInfoChoice(
            name="other",
            value={
                "other_rev_info_format": "1.3.6.1.5.5.7.16.2",
                "other_rev_info": asn1_ocsp.OCSPResponse.load(der),
            },
        )
        for der in ocsp_responses
    ]
    signed_data["crls"] = [*(asn1_crl.CertificateList.load(der) for der in crls), *other]
    return asn1_cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()


def _stamped_with_revocation_values(pki: MiniPki, signer: Issued, value: bytes) -> bytes:
    """A document signature by ``signer`` at T0 with an unsigned revocationValues attribute (CAdES-X-L) of
    DER ``value``, then time-stamped."""
    signed = sign_cms(DATA, signer.key, signer.cert, signing_time=T0, extra_certificates=[pki.nca.cert])
    signed_data = asn1_cms.ContentInfo.load(signed)["content"]
    (signer_info,) = signed_data["signer_infos"]
    attribute = {"type": "1.2.840.113549.1.9.16.2.24", "values": [core.Any.load(value)]}
    signer_info["unsigned_attrs"] = [asn1_cms.CMSAttribute(attribute)]
    signed_data["signer_infos"] = [signer_info]
    carried = asn1_cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()
    return with_signature_time_stamps(carried, stamper(pki))


def _revocation_values(crls: Sequence[bytes], basic_ocsp_responses: Sequence[bytes] = ()) -> bytes:
    """RevocationValues { crlVals [0] EXPLICIT SEQUENCE OF CertificateList, ocspVals [1] EXPLICIT SEQUENCE
    OF BasicOCSPResponse } (ETSI TS 101 733 6.3.4)."""
    crl_vals = _der(0xA0, _der(0x30, b"".join(crls))) if crls else b""
    ocsp_vals = _der(0xA1, _der(0x30, b"".join(basic_ocsp_responses))) if basic_ocsp_responses else b""
    return _der(0x30, crl_vals + ocsp_vals)


def _basic(ocsp_response: bytes) -> bytes:
    """The BasicOCSPResponse inside a DER OCSPResponse."""
    return bytes(asn1_ocsp.OCSPResponse.load(ocsp_response)["response_bytes"]["response"].contents)


def test_rfc5652_the_crl_of_the_stamps_time_carried_in_the_cms_vouches_for_an_expired_signer(
    pki: MiniPki,
) -> None:
    """Today's CRL alone cannot (RFC 5280 3.3, above); the CRL of T0 the document carries can."""
    stamped = signature_stamped(pki, stamper(pki), _expired_signer(pki))
    verdict = _verify(pki, _carrying_crls(stamped, [pki.crl()]), crl_at_t0=False)
    assert verdict.passed and verdict.signers[0].validated_at == T0, verdict.to_json()
    evidence = verdict.signers[0].revocation
    assert evidence is not None and evidence.location == "carried with the signature"


def test_cades_x_l_revocation_values_vouch_for_an_expired_signer(pki: MiniPki) -> None:
    carried = _stamped_with_revocation_values(pki, _expired_signer(pki), _revocation_values([pki.crl()]))
    verdict = _verify(pki, carried, crl_at_t0=False)
    assert verdict.passed and verdict.signers[0].validated_at == T0, verdict.to_json()


def test_an_embedded_crl_listing_the_signer_before_its_stamp_fails_it(pki: MiniPki) -> None:
    signer = _expired_signer(pki)
    revoked = [(signer.cert.serial_number, T0 - dt.timedelta(hours=2), x509.ReasonFlags.key_compromise)]
    stamped = signature_stamped(pki, stamper(pki), signer)
    verdict = _verify(pki, _carrying_crls(stamped, [pki.crl(revoked)]), crl_at_t0=False)
    assert not verdict.passed and verdict.signers[0].validated_at is None
    assert verdict.reasons == (Reason.CERTIFICATE_EXPIRED,)  # the checks at AT stand


def test_a_forged_embedded_crl_vouches_for_nothing(pki: MiniPki) -> None:
    forger = keys.generate_private_key(keys.KeyType.RSA2048)
    stamped = signature_stamped(pki, stamper(pki), _expired_signer(pki))
    verdict = _verify(pki, _carrying_crls(stamped, [pki.crl(signer=forger)]), crl_at_t0=False)
    assert verdict.reasons == (Reason.CERTIFICATE_EXPIRED,) and verdict.signers[0].validated_at is None


def test_unreadable_revocation_values_are_left_out_with_a_notice(pki: MiniPki) -> None:
    carried = _stamped_with_revocation_values(pki, _expired_signer(pki), _der(0x02, b"\x01"))
    verdict = _verify(pki, carried, crl_at_t0=False)
    assert verdict.reasons == (Reason.CERTIFICATE_EXPIRED,)
    assert "embedded_revocation_data_unreadable" in [w.code for w in verdict.warnings]


def test_unis_11_a_login_never_counts_the_crls_its_signature_carries(pki: MiniPki) -> None:
    """A login's revocation status is the CA's data at the login, never what the signer brings: with the
    current CRL inside, a document signature passes and a login stays unknown (fail closed)."""
    root_only = [pki.crl(issuer=pki.root)]

    def carried(kind: str) -> bytes:
        signer = pki.leaf(kind)
        signed = sign_cms(DATA, signer.key, signer.cert, signing_time=T0, extra_certificates=[pki.nca.cert])
        return _carrying_crls(signed, [pki.crl()])

    login = pki.verifier(crls=root_only, purpose=Purpose.LOGIN).verify_cms(carried("auth"), at=T0)
    assert not login.passed and Reason.REVOCATION_UNKNOWN in login.reasons
    document = pki.verifier(crls=root_only, purpose=Purpose.DOCUMENT).verify_cms(carried("sign"), at=T0)
    assert document.passed, document.to_json()


def test_rfc5940_an_ocsp_response_of_the_stamps_time_carried_in_the_cms_vouches_for_an_expired_signer(
    pki: MiniPki,
) -> None:
    signer = _expired_signer(pki)
    stamped = signature_stamped(pki, stamper(pki), signer)
    verdict = _verify(pki, _carrying_crls(stamped, [], [pki.ocsp(signer.cert)]), crl_at_t0=False)
    assert verdict.passed and verdict.signers[0].validated_at == T0, verdict.to_json()
    evidence = verdict.signers[0].revocation
    assert evidence is not None and (evidence.source, evidence.location) == (
        "ocsp",
        "carried with the signature",
    )


def test_cades_x_l_ocsp_values_vouch_for_an_expired_signer(pki: MiniPki) -> None:
    signer = _expired_signer(pki)
    values = _revocation_values([], [_basic(pki.ocsp(signer.cert))])
    verdict = _verify(pki, _stamped_with_revocation_values(pki, signer, values), crl_at_t0=False)
    assert verdict.passed and verdict.signers[0].validated_at == T0, verdict.to_json()


def test_a_carried_ocsp_response_that_says_revoked_fails_the_signer(pki: MiniPki) -> None:
    signer = pki.leaf("sign", not_after=T0 + dt.timedelta(days=30))
    revoked = pki.ocsp(signer.cert, "revoked", revocation_time=T0 - dt.timedelta(hours=2))
    plain = sign_cms(DATA, signer.key, signer.cert, signing_time=T0, extra_certificates=[pki.nca.cert])
    verdict = pki.verifier(crls=[pki.crl(issuer=pki.root)], purpose=Purpose.DOCUMENT).verify_cms(
        _carrying_crls(plain, [], [revoked]), at=T0
    )
    assert verdict.reasons == (Reason.REVOKED,)


def test_a_forged_or_foreign_carried_ocsp_response_vouches_for_nothing(pki: MiniPki) -> None:
    signer = _expired_signer(pki)
    forger = pki.leaf("sign")  # a certificate of the nca, but not an authorised responder (no OCSPSigning)
    other = pki.leaf("sign")
    carried = [pki.ocsp(signer.cert, responder=forger), pki.ocsp(other.cert)]
    stamped = signature_stamped(pki, stamper(pki), signer)
    verdict = _verify(pki, _carrying_crls(stamped, [], carried), crl_at_t0=False)
    assert verdict.reasons == (Reason.CERTIFICATE_EXPIRED,) and verdict.signers[0].validated_at is None


def test_unis_11_a_login_never_counts_the_ocsp_response_its_signature_carries(pki: MiniPki) -> None:
    signer = pki.leaf("auth")
    signed = sign_cms(DATA, signer.key, signer.cert, signing_time=T0, extra_certificates=[pki.nca.cert])
    carried = _carrying_crls(signed, [], [pki.ocsp(signer.cert)])
    login = pki.verifier(crls=[pki.crl(issuer=pki.root)], purpose=Purpose.LOGIN).verify_cms(carried, at=T0)
    assert not login.passed and Reason.REVOCATION_UNKNOWN in login.reasons


def test_eds_18_a_carried_good_ocsp_response_never_outweighs_the_cas_current_crl(pki: MiniPki) -> None:
    """A signer who kept a 'good' answer from before their revocation gains nothing by carrying it."""
    signer = pki.leaf("sign", not_after=T0 + dt.timedelta(days=30))
    revoked = [(signer.cert.serial_number, T0 - dt.timedelta(hours=2), x509.ReasonFlags.key_compromise)]
    plain = sign_cms(DATA, signer.key, signer.cert, signing_time=T0, extra_certificates=[pki.nca.cert])
    carried = _carrying_crls(plain, [], [pki.ocsp(signer.cert)])
    crls = [pki.crl(revoked), pki.crl(issuer=pki.root)]
    verdict = pki.verifier(crls=crls, purpose=Purpose.DOCUMENT).verify_cms(carried, at=T0)
    assert verdict.reasons == (Reason.REVOKED,)


# --- a CA path that no longer validates (ETSI EN 319 102-1 5.6.2.1, past certificate validation) ---------

LATER = {"this_update": AT - dt.timedelta(hours=1), "next_update": AT + dt.timedelta(hours=26)}


@dataclass(frozen=True)
class _RetiredCa:
    """An issuing CA that signed at T0 beside the pki's nca, its document signer (expired since) and that
    signer's signature, time-stamped at T0 by the pki's TSA (under the nca, still valid)."""

    pki: MiniPki
    ca: MiniPki
    signer: Issued
    stamped: bytes

    def verify(
        self,
        root_crls: Sequence[bytes],
        signed: bytes | None = None,
    ) -> Verdict:
        """The signature verified at AT for documents, on a source with both CAs' CRLs of T0 and AT and
        the root's ``root_crls`` only (no automatic root CRL of T0)."""
        pki, ca = self.pki, self.ca
        crls = [ca.crl(), ca.crl(number=2, **LATER), pki.crl(), pki.crl(number=2, **LATER), *root_crls]
        verifier = Verifier(pki.policy(purpose=Purpose.DOCUMENT), StaticRevocationSource(crls=crls))
        return verifier.verify_cms(self.stamped if signed is None else signed, at=AT)


def _retired(pki: MiniPki, **ca_options: object) -> _RetiredCa:
    old = pki.ca("RETIRED NCA (SIM)", pki.root, **ca_options)  # type: ignore[arg-type]
    ca = MiniPki(pki.root, old, pki.responder, _serial=pki._serial)
    signer = ca.leaf("sign", not_after=EXPIRED)
    return _RetiredCa(pki, ca, signer, signature_stamped(ca, stamper(pki), signer))


@pytest.fixture(scope="module")
def expired_ca(pki: MiniPki) -> _RetiredCa:
    return _retired(pki, not_after=T0 + dt.timedelta(days=5))  # valid at T0, expired at AT


def test_etsi_319_102_1_an_expired_ca_path_is_validated_as_of_the_time_stamp(expired_ca: _RetiredCa) -> None:
    """Today the issuing CA certificate has expired; the stamp proves the signature existed at T0, when it
    was valid and, by the root's CRL of T0, not revoked."""
    pki = expired_ca.pki
    verdict = expired_ca.verify([pki.crl(issuer=pki.root), pki.crl(issuer=pki.root, number=2, **LATER)])
    assert verdict.passed and verdict.signers[0].validated_at == T0, verdict.to_json()
    chain = next(c for c in verdict.checks if c.id == CheckId.CHAIN)
    assert chain.message.endswith(f"validated as of {T0.isoformat()}")
    assert [w.code for w in verdict.warnings] == ["validated_as_of_time_stamp"]


def test_rfc5280_3_3_todays_root_crl_does_not_vouch_for_an_expired_ca(expired_ca: _RetiredCa) -> None:
    pki = expired_ca.pki
    verdict = expired_ca.verify([pki.crl(issuer=pki.root, number=2, **LATER)])
    assert verdict.reasons == (Reason.CERTIFICATE_EXPIRED,) and verdict.signers[0].validated_at is None


def test_etsi_319_102_1_the_root_crl_of_the_stamps_time_the_signature_carries_vouches_for_the_expired_ca(
    expired_ca: _RetiredCa,
) -> None:
    """The root's CRL of T0 inside the CMS, the source holding only today's: the CA passes as of T0; the
    CA so validated is not kept, so the same signature without that CRL fails again."""
    pki = expired_ca.pki
    today = [pki.crl(issuer=pki.root, number=2, **LATER)]
    carrying = _carrying_crls(expired_ca.stamped, [pki.crl(issuer=pki.root)])
    verdict = expired_ca.verify(today, carrying)
    assert verdict.passed and verdict.signers[0].validated_at == T0, verdict.to_json()
    assert expired_ca.verify(today).reasons == (Reason.CERTIFICATE_EXPIRED,)
    forger = keys.generate_private_key(keys.KeyType.RSA2048)
    forged = _carrying_crls(expired_ca.stamped, [pki.crl(issuer=pki.root, signer=forger)])
    assert expired_ca.verify(today, forged).reasons == (Reason.CERTIFICATE_EXPIRED,)


def test_etsi_319_102_1_a_ca_revoked_before_the_time_stamp_fails_the_signer(pki: MiniPki) -> None:
    retired = _retired(pki)
    revoked = [
        (retired.ca.nca.cert.serial_number, T0 - dt.timedelta(hours=2), x509.ReasonFlags.key_compromise)
    ]
    verdict = retired.verify(
        [pki.crl(revoked, issuer=pki.root), pki.crl(revoked, issuer=pki.root, number=2, **LATER)]
    )
    assert not verdict.passed and verdict.signers[0].validated_at is None
    chain = next(c for c in verdict.checks if c.id == CheckId.CHAIN)
    assert chain.status is CheckStatus.FAILED and chain.reason is Reason.REVOKED, chain


def test_eds_18_a_ca_revoked_after_the_time_stamp_still_vouches_for_what_it_signed_before(
    pki: MiniPki,
) -> None:
    """The CA revoked a day after the stamp (today's root CRL lists it): the path fails today, and as of the
    stamp, on the root's CRL of T0, it held (EDS-18: a revocation takes effect when registered)."""
    retired = _retired(pki)
    revoked = [(retired.ca.nca.cert.serial_number, T0 + dt.timedelta(days=1), x509.ReasonFlags.superseded)]
    today = pki.crl(revoked, issuer=pki.root, number=2, **LATER)
    verdict = retired.verify([pki.crl(issuer=pki.root), today])
    assert verdict.passed and verdict.signers[0].validated_at == T0, verdict.to_json()
    # without a root CRL of T0 the CA's status then is unknown: today's CRL, issued after the stamp, is
    # not evidence of the CA's status as of it (the CA path is validated at one instant)
    assert retired.verify([today]).reasons == (Reason.REVOKED, Reason.CERTIFICATE_EXPIRED)


def test_etsi_319_102_1_todays_crl_listing_a_ca_revoked_before_the_stamp_outweighs_an_older_crl(
    pki: MiniPki,
) -> None:
    """The root's CRL valid at T0 was issued before the CA's revocation at T0 - 2 h (CRL latency) and does
    not list it; today's does: the CA was revoked before the stamp, and the path as of T0 fails too."""
    retired = _retired(pki)
    when = T0 - dt.timedelta(hours=2)
    revoked = [(retired.ca.nca.cert.serial_number, when, x509.ReasonFlags.key_compromise)]
    stale_then = pki.crl(issuer=pki.root, this_update=T0 - dt.timedelta(hours=20))
    verdict = retired.verify([stale_then, pki.crl(revoked, issuer=pki.root, number=2, **LATER)])
    assert not verdict.passed and verdict.signers[0].validated_at is None
    chain = next(c for c in verdict.checks if c.id == CheckId.CHAIN)
    assert chain.reason is Reason.REVOKED, chain


@pytest.mark.parametrize("not_after", [T0 + dt.timedelta(days=30), EXPIRED], ids=["valid", "expired"])
def test_etsi_319_102_1_todays_crl_listing_the_signer_revoked_before_the_stamp_outweighs_the_crl_of_then(
    pki: MiniPki, not_after: dt.datetime
) -> None:
    """The nca's CRL of T0 does not list the signer; today's lists it revoked at T0 - 2 h (a CRL issued
    before a revocation stays valid a while after it): the signer was revoked before its stamp."""
    signer = pki.leaf("sign", not_after=not_after)
    revoked = [(signer.cert.serial_number, T0 - dt.timedelta(hours=2), x509.ReasonFlags.key_compromise)]
    verdict = _verify(pki, signature_stamped(pki, stamper(pki), signer), revoked, revoked_at_t0=False)
    assert not verdict.passed and verdict.signers[0].validated_at is None, verdict.to_json()


def test_etsi_319_102_1_todays_crl_listing_an_expired_ca_revoked_before_the_stamp_fails_the_path_then(
    expired_ca: _RetiredCa,
) -> None:
    """The CA has expired since (so the path fails today for that) and today's root CRL still lists it,
    revoked at T0 - 2 h; the root's CRL valid at T0, issued before that, does not: revoked before it."""
    pki = expired_ca.pki
    revoked = [
        (expired_ca.ca.nca.cert.serial_number, T0 - dt.timedelta(hours=2), x509.ReasonFlags.key_compromise)
    ]
    stale_then = pki.crl(issuer=pki.root, this_update=T0 - dt.timedelta(hours=20))
    verdict = expired_ca.verify([stale_then, pki.crl(revoked, issuer=pki.root, number=2, **LATER)])
    assert not verdict.passed and verdict.signers[0].validated_at is None, verdict.to_json()
