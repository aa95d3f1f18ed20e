"""CMS SignedData verification: each failure mode of nca-profile.md "Known weaknesses" and RFC 5652."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from asn1crypto import algos, cms

from pki.cms_signing import sign_cms
from pki.errors import InvalidInput
from pki.keys import KeyType, certificate_pem, generate_private_key
from pki.reasons import Reason
from tests.verifier.conftest import T0, MiniPki
from verifier import Indication, SubIndication

NONCE = b"\x07" * 32


def _signed(pki: MiniPki, **options: object) -> tuple[bytes, object]:
    leaf = pki.leaf()
    return sign_cms(NONCE, leaf.key, leaf.cert, signing_time=T0, **options), leaf  # type: ignore[arg-type]


def _reencode(der: bytes, change) -> bytes:  # type: ignore[no-untyped-def]
    content_info = cms.ContentInfo.load(der)
    change(content_info["content"])
    return content_info.dump(force=True)


def test_valid_login_cms_passes_with_every_check_reported(pki: MiniPki) -> None:
    der, _ = _signed(pki)
    verdict = pki.verifier(crls=[pki.crl()]).verify_cms(der, at=T0)
    assert verdict.indication is Indication.TOTAL_PASSED, verdict.to_json()
    ids = [c.id for c in verdict.checks]
    assert ids[:2] == ["content", "signers"]
    assert {"signature", "message_digest", "signing_certificate", "chain", "revocation", "iin", "age"} <= set(
        ids
    )
    assert verdict.signed_content == NONCE
    assert verdict.signer is not None and verdict.signer.signing_time == T0


def test_cms_with_zero_signers_is_a_failure_never_a_pass(pki: MiniPki) -> None:
    der, _ = _signed(pki)
    empty = _reencode(der, lambda sd: sd.__setitem__("signer_infos", []))
    verdict = pki.verifier(crls=[pki.crl()]).verify_cms(empty, at=T0)
    assert verdict.indication is Indication.TOTAL_FAILED
    assert verdict.sub_indication is SubIndication.FORMAT_FAILURE
    assert verdict.reasons == (Reason.NO_SIGNERS,)


def test_signer_certificate_missing_is_reported_never_skipped(pki: MiniPki) -> None:
    der, leaf = _signed(pki)
    stripped = _reencode(der, lambda sd: sd.__setitem__("certificates", []))
    verifier = pki.verifier(crls=[pki.crl()])
    verdict = verifier.verify_cms(stripped, at=T0)
    assert verdict.indication is Indication.INDETERMINATE
    assert verdict.sub_indication is SubIndication.NO_SIGNING_CERTIFICATE_FOUND
    assert Reason.SIGNER_CERTIFICATE_MISSING in verdict.reasons
    supplied = verifier.verify_cms(stripped, at=T0, extra_certificates=[leaf.der])
    assert supplied.indication is Indication.TOTAL_PASSED


def test_every_signer_is_verified_and_one_bad_signer_fails_the_cms(pki: MiniPki) -> None:
    first, _ = _signed(pki)
    second, _ = _signed(pki)
    second_info = cms.ContentInfo.load(second)["content"]["signer_infos"][0]
    second_cert = cms.ContentInfo.load(second)["content"]["certificates"][0]

    def add_signer(sd: cms.SignedData) -> None:
        sd["signer_infos"] = [sd["signer_infos"][0], second_info]
        sd["certificates"] = [sd["certificates"][0], second_cert]

    both = _reencode(first, add_signer)
    verifier = pki.verifier(crls=[pki.crl()])
    verdict = verifier.verify_cms(both, at=T0)
    assert verdict.indication is Indication.TOTAL_PASSED, verdict.to_json()
    assert len(verdict.signers) == 2 and {c.signer for c in verdict.checks if c.id == "signature"} == {0, 1}

    def break_second(sd: cms.SignedData) -> None:
        add_signer(sd)
        signature = bytearray(sd["signer_infos"][1]["signature"].native)
        signature[-5] ^= 0xFF
        sd["signer_infos"][1]["signature"] = bytes(signature)

    verdict = verifier.verify_cms(_reencode(first, break_second), at=T0)
    assert verdict.indication is Indication.TOTAL_FAILED
    # SignerInfos form a DER SET OF, so their order follows the (random) signature bytes: check that exactly
    # one signer's signature failed and the other's passed, whichever index each has.
    signature_checks = {c.signer: c.status.value for c in verdict.checks if c.id == "signature"}
    assert sorted(signature_checks.values()) == ["failed", "passed"]
    assert [c.id for c in verdict.checks if c.status.value == "failed"] == ["signature"]


def test_altered_attached_content_fails_with_hash_failure(pki: MiniPki) -> None:
    der, _ = _signed(pki)
    altered = der.replace(NONCE, b"\x08" * 32)
    verdict = pki.verifier(crls=[pki.crl()]).verify_cms(altered, at=T0)
    assert verdict.indication is Indication.TOTAL_FAILED
    assert verdict.sub_indication is SubIndication.HASH_FAILURE
    assert verdict.reasons == (Reason.CONTENT_MISMATCH,)


def test_wrong_digest_algorithm_in_signer_info_fails_the_message_digest(pki: MiniPki) -> None:
    der, _ = _signed(pki)

    def switch_digest(sd: cms.SignedData) -> None:
        sd["signer_infos"][0]["digest_algorithm"] = algos.DigestAlgorithm({"algorithm": "sha512"})

    verdict = pki.verifier(crls=[pki.crl()]).verify_cms(_reencode(der, switch_digest), at=T0)
    assert verdict.indication is Indication.TOTAL_FAILED
    assert Reason.CONTENT_MISMATCH in verdict.reasons


def test_detached_signature_without_data_is_signed_data_not_found(pki: MiniPki) -> None:
    der, _ = _signed(pki, detached=True)
    verifier = pki.verifier(crls=[pki.crl()])
    verdict = verifier.verify_cms(der, at=T0)
    assert verdict.indication is Indication.INDETERMINATE
    assert verdict.sub_indication is SubIndication.SIGNED_DATA_NOT_FOUND
    assert verifier.verify_cms(der, at=T0, detached_content=NONCE).passed
    wrong = verifier.verify_cms(der, at=T0, detached_content=b"another challenge")
    assert wrong.sub_indication is SubIndication.HASH_FAILURE


def test_signature_by_another_key_fails_with_sig_crypto_failure(pki: MiniPki) -> None:
    leaf = pki.leaf()
    impostor = generate_private_key(KeyType.P256)
    der = sign_cms(NONCE, impostor, leaf.cert, signing_time=T0)
    verdict = pki.verifier(crls=[pki.crl()]).verify_cms(der, at=T0)
    assert verdict.indication is Indication.TOTAL_FAILED
    assert verdict.sub_indication is SubIndication.SIG_CRYPTO_FAILURE
    assert verdict.reasons == (Reason.SIGNATURE_INVALID,)


def test_signing_certificate_v2_naming_another_certificate_is_refused(pki: MiniPki) -> None:
    leaf = pki.leaf()
    other = pki.leaf(key=leaf.key)  # same key, another certificate: the attribute binds the certificate
    der = sign_cms(NONCE, leaf.key, leaf.cert, signing_time=T0)
    swapped = _reencode(
        der,
        lambda sd: sd.__setitem__(
            "certificates", [cms.CertificateChoices({"certificate": _asn1(other.der)})]
        ),
    )

    # the SID still names leaf's issuer+serial; point it at the other certificate to get past the lookup
    def point_sid(sd: cms.SignedData) -> None:
        sd["signer_infos"][0]["sid"] = cms.SignerIdentifier(
            {
                "issuer_and_serial_number": {
                    "issuer": _asn1(other.der).issuer,
                    "serial_number": other.cert.serial_number,
                }
            }
        )

    verdict = pki.verifier(crls=[pki.crl()]).verify_cms(_reencode(swapped, point_sid), at=T0)
    assert Reason.SIGNING_CERTIFICATE_MISMATCH in verdict.reasons
    assert not verdict.passed


def test_rsa_pss_and_rsa_pkcs1_and_ecdsa_signers_verify(pki: MiniPki) -> None:
    verifier = pki.verifier(crls=[pki.crl()])
    for key_type, pss in ((KeyType.RSA2048, True), (KeyType.RSA2048, False), (KeyType.P256, False)):
        leaf = pki.leaf(key=generate_private_key(key_type))
        der = sign_cms(NONCE, leaf.key, leaf.cert, signing_time=T0, rsa_pss=pss)
        assert verifier.verify_cms(der, at=T0).passed, (key_type, pss)


def test_base64_and_pem_cms_are_accepted_and_garbage_is_invalid_input(pki: MiniPki) -> None:
    der, _ = _signed(pki)
    verifier = pki.verifier(crls=[pki.crl()])
    b64 = base64.encodebytes(der)
    pem = b"-----BEGIN CMS-----\n" + b64 + b"-----END CMS-----\n"
    assert verifier.verify_cms(b64, at=T0).passed
    assert verifier.verify_cms(pem, at=T0).passed
    with pytest.raises(InvalidInput) as error:
        verifier.verify_cms(b"not a signature at all", at=T0)
    assert error.value.code == "malformed_signature"
    with pytest.raises(InvalidInput):
        verifier.verify_cms(der[:-40], at=T0)
    with pytest.raises(InvalidInput) as error:
        verifier.verify_cms(certificate_pem(pki.nca.cert), at=T0)


def test_signing_time_after_the_validation_time_is_a_warning(pki: MiniPki) -> None:
    leaf = pki.leaf()
    der = sign_cms(NONCE, leaf.key, leaf.cert, signing_time=T0 + dt.timedelta(hours=2))
    verdict = pki.verifier(crls=[pki.crl()]).verify_cms(der, at=T0)
    assert "signing_time_after_validation" in {w.code for w in verdict.warnings}


def _asn1(der: bytes):  # type: ignore[no-untyped-def]
    from asn1crypto import x509

    return x509.Certificate.load(der)
