"""RFC 3161 time-stamp tokens: the genuine NCA GOST-2004 token; tokens of TSAs built here (ECDSA, GOST)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from asn1crypto import cms
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID

from api.cli import cli
from ca_sim.signing import sign_certificate
from pki import gost, oids
from pki.cms_signing import sign_cms, with_signature_time_stamps
from pki.keys import PublicKey, certificate_der, load_certificate
from pki.reasons import Reason
from tests.data_paths import INTEROP_GOST
from tests.verifier.conftest import T0, Issued, MiniPki
from tests.verifier.time_stamps import DATA, GostTsa, signature_stamped, stamper, tsa_token, tst_info
from verifier import (
    Indication,
    Purpose,
    StaticRevocationSource,
    SubIndication,
    VerificationPolicy,
    Verifier,
)
from verifier.verdict import CheckStatus, Verdict

TOKEN = INTEROP_GOST / "tsp_token_2004.bin"
GEN_TIME = dt.datetime(2022, 9, 18, 13, 20, 14, tzinfo=dt.UTC)


def _status(verdict: Verdict, check_id: str) -> CheckStatus:
    return next(c.status for c in verdict.checks if c.id == check_id)


def _nca_verifier() -> Verifier:
    anchor = certificate_der(load_certificate((INTEROP_GOST / "nca_gost2004_test.crt").read_bytes()))
    policy = VerificationPolicy(trust_anchors=(anchor,), test_pki=True)
    return Verifier(
        policy, StaticRevocationSource(crls=[(INTEROP_GOST / "nca_gost2004_test.crl").read_bytes()])
    )


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


# --- the genuine NCA token -------------------------------------------------------------------------------


def test_rfc3161_genuine_nca_gost_2004_token_verifies_at_its_gen_time() -> None:
    verdict = _nca_verifier().verify_timestamp(TOKEN.read_bytes(), at=GEN_TIME)
    assert verdict.indication is Indication.TOTAL_PASSED, verdict.to_json()
    assert verdict.kind == "timestamp" and verdict.timestamp is not None
    assert verdict.timestamp.gen_time == GEN_TIME and verdict.timestamp.policy == "1.2.398.3.3.2.6.1"
    assert verdict.timestamp.imprint_algorithm == oids.SHA1 and verdict.timestamp.nonce == 1663507112663
    assert verdict.timestamp.serial == 539598399347836730312219821481695054174168705756
    assert verdict.signers[0].signature_algorithm == oids.KZ_GOST2004_SIGNATURE
    for check_id in ("signature", "message_digest", "signing_certificate", "key_usage", "revocation"):
        assert _status(verdict, check_id) is CheckStatus.PASSED, check_id
    assert _status(verdict, "message_imprint") is CheckStatus.SKIPPED


def test_rfc3161_2_3_the_genuine_tsa_certificate_is_a_tsa_whose_iin_and_bin_are_not_checked() -> None:
    """What the NCA's TSA certificate carries: a critical id-kp-timeStamping only, no keyUsage, a test IIN
    and BIN in its subject (production mode would refuse those for a signer; a TSA is no EDS owner)."""
    verdict = _nca_verifier().verify_timestamp(TOKEN.read_bytes(), at=GEN_TIME)
    certificate = verdict.signers[0].certificate
    assert certificate is not None and certificate.extended_key_usage == (oids.EKU_TIME_STAMPING,)
    assert certificate.key_usage == ()
    identity = verdict.signers[0].identity
    assert identity is not None and identity.iin == "123456789011" and identity.bin == "123456789021"
    assert not {"iin", "bin", "age", "individual"} & {c.id for c in verdict.checks}
    production = VerificationPolicy(trust_anchors=_nca_verifier().policy.trust_anchors, test_pki=False)
    crl = (INTEROP_GOST / "nca_gost2004_test.crl").read_bytes()
    verdict = Verifier(production, StaticRevocationSource(crls=[crl])).verify_timestamp(
        TOKEN.read_bytes(), at=GEN_TIME
    )
    assert verdict.passed, verdict.to_json()


def test_rfc3161_genuine_token_with_a_flipped_signature_byte_is_sig_crypto_failure() -> None:
    token = TOKEN.read_bytes()
    signature = cms.ContentInfo.load(token)["content"]["signer_infos"][0]["signature"].native
    tampered = _flip(token, token.index(signature) + 3)
    verdict = _nca_verifier().verify_timestamp(tampered, at=GEN_TIME + dt.timedelta(minutes=1))
    assert verdict.sub_indication is SubIndication.SIG_CRYPTO_FAILURE
    assert verdict.reasons == (Reason.SIGNATURE_INVALID,)


def test_rfc3161_genuine_token_with_an_altered_tst_info_fails_its_digest() -> None:
    token = TOKEN.read_bytes()
    info = cms.ContentInfo.load(token)["content"]["encap_content_info"]["content"].parsed
    hashed = info["message_imprint"]["hashed_message"].native
    verdict = _nca_verifier().verify_timestamp(
        _flip(token, token.index(hashed) + 2), at=GEN_TIME + dt.timedelta(minutes=1)
    )
    assert verdict.sub_indication is SubIndication.HASH_FAILURE
    assert _status(verdict, "message_digest") is CheckStatus.FAILED


def test_rfc3161_other_data_than_the_imprint_and_a_validation_time_before_gen_time_fail() -> None:
    verifier = _nca_verifier()
    verdict = verifier.verify_timestamp(TOKEN.read_bytes(), at=GEN_TIME + dt.timedelta(minutes=1), data=DATA)
    assert verdict.reasons == (Reason.CONTENT_MISMATCH,)
    assert _status(verdict, "message_imprint") is CheckStatus.FAILED
    verdict = verifier.verify_timestamp(TOKEN.read_bytes(), at=GEN_TIME - dt.timedelta(hours=1))
    assert _status(verdict, "gen_time") is CheckStatus.FAILED


def test_rfc3161_cms_that_is_not_a_time_stamp_token_is_refused() -> None:
    signed = (INTEROP_GOST / "cms_gost2015_and_rsa_attached_test123.cms").read_bytes()
    verdict = _nca_verifier().verify_timestamp(signed, at=GEN_TIME)
    assert verdict.reasons == (Reason.MALFORMED_SIGNATURE,) and verdict.indication is Indication.TOTAL_FAILED


def test_rfc3161_cli_verifies_the_genuine_token() -> None:
    runner = CliRunner()
    arguments = [
        "verify",
        "--timestamp",
        "--anchor",
        str(INTEROP_GOST / "nca_gost2004_test.crt"),
        "--crl",
        str(INTEROP_GOST / "nca_gost2004_test.crl"),
        "--test-pki",
        "--at",
        "2022-09-18T13:21:00Z",
        str(TOKEN),
    ]
    result = runner.invoke(cli, arguments)
    assert result.exit_code == 0, result.output
    assert '"kind": "timestamp"' in result.output and '"gen_time": "2022-09-18T13:20:14Z"' in result.output


# --- tokens built here -------------------------------------------------------------------------------------


def _with_signed_data(token: bytes, change: Callable[[cms.SignedData], None]) -> bytes:
    info = cms.ContentInfo.load(token)
    signed_data = info["content"]
    change(signed_data)
    return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()


def _reissued(
    pki: MiniPki,
    template: x509.Certificate,
    public_key: PublicKey | gost.GostPublicKey,
    replace: Sequence[x509.ExtensionType] = (),
) -> x509.Certificate:
    """``template`` (a MiniPki leaf) for ``public_key`` with a new serial, the extensions of ``replace``'s
    types swapped in; the GOST SubjectPublicKeyInfo goes in through ca_sim's TBS path."""
    swapped = {e.oid for e in replace}
    kept = [e for e in template.extensions if e.oid not in swapped | {ExtensionOID.SUBJECT_KEY_IDENTIFIER}]
    gost_key = isinstance(public_key, gost.GostPublicKey)
    builder = x509.CertificateBuilder(
        issuer_name=template.issuer,
        subject_name=template.subject,
        public_key=template.public_key() if gost_key else public_key,  # type: ignore[arg-type]
        serial_number=pki.next_serial(),
        not_valid_before=template.not_valid_before_utc,
        not_valid_after=template.not_valid_after_utc,
        extensions=[*kept, *(x509.Extension(e.oid, True, e) for e in replace)],
    )
    if isinstance(public_key, gost.GostPublicKey):
        return sign_certificate(builder, pki.nca.key, public_key.to_spki_der())
    return sign_certificate(builder, pki.nca.key)


@pytest.fixture(scope="module")
def gost_tsa(pki: MiniPki) -> GostTsa:
    """A GOST R 34.10-2015-512 TSA certificate of the MiniPki TSA profile (critical id-kp-timeStamping)."""
    key = gost.GostPrivateKey.generate(oids.KZ_GOST2015_512_KEY)
    return GostTsa(key, _reissued(pki, pki.leaf("tsa").cert, key.public_key()))


def test_rfc3161_token_of_our_tsa_verifies_with_its_data(pki: MiniPki) -> None:
    tsa = pki.leaf("tsa")
    verdict = pki.verifier(crls=[pki.crl()]).verify_timestamp(tsa_token(tsa, pki), at=T0, data=DATA)
    assert verdict.indication is Indication.TOTAL_PASSED, verdict.to_json()
    assert _status(verdict, "message_imprint") is CheckStatus.PASSED
    assert verdict.timestamp is not None and verdict.timestamp.serial == 7 and verdict.timestamp.nonce == 42


def test_rfc3161_2_4_2_token_over_other_data_is_content_mismatch(pki: MiniPki) -> None:
    token = tsa_token(pki.leaf("tsa"), pki, info=tst_info(b"other data"))
    verdict = pki.verifier(crls=[pki.crl()]).verify_timestamp(token, at=T0, data=DATA)
    assert verdict.reasons == (Reason.CONTENT_MISMATCH,)
    assert verdict.sub_indication is SubIndication.HASH_FAILURE
    assert _status(verdict, "message_imprint") is CheckStatus.FAILED
    assert _status(verdict, "signature") is CheckStatus.PASSED


def test_rfc3161_gost_2015_512_tsa_token_with_a_streebog_imprint_verifies(
    pki: MiniPki, gost_tsa: GostTsa
) -> None:
    token = tsa_token(gost_tsa, pki, info=tst_info(DATA, oids.KZ_STREEBOG_512))
    verifier = pki.verifier(crls=[pki.crl()])
    verdict = verifier.verify_timestamp(token, at=T0, data=DATA)
    assert verdict.indication is Indication.TOTAL_PASSED, verdict.to_json()
    assert verdict.signers[0].signature_algorithm == oids.KZ_GOST2015_512_SIGNATURE
    assert verdict.timestamp is not None and verdict.timestamp.imprint_algorithm == oids.KZ_STREEBOG_512
    verdict = verifier.verify_timestamp(token, at=T0, data=DATA + b".")
    assert verdict.reasons == (Reason.CONTENT_MISMATCH,)


def test_rfc3161_gost_tsa_token_with_a_flipped_signature_byte_is_sig_crypto_failure(
    pki: MiniPki, gost_tsa: GostTsa
) -> None:
    token = tsa_token(gost_tsa, pki)
    signature = cms.ContentInfo.load(token)["content"]["signer_infos"][0]["signature"].native
    verdict = pki.verifier(crls=[pki.crl()]).verify_timestamp(
        _flip(token, token.index(signature) + 10), at=T0
    )
    assert verdict.reasons == (Reason.SIGNATURE_INVALID,)
    assert verdict.sub_indication is SubIndication.SIG_CRYPTO_FAILURE


def test_rfc3161_2_3_a_signer_without_the_critical_time_stamping_eku_is_no_tsa(pki: MiniPki) -> None:
    signer = pki.leaf("sign")
    verdict = pki.verifier(crls=[pki.crl()]).verify_timestamp(tsa_token(signer, pki), at=T0, data=DATA)
    assert verdict.reasons == (Reason.WRONG_KEY_USAGE,)


def test_rfc3161_2_3_a_non_critical_time_stamping_eku_is_refused(pki: MiniPki) -> None:
    eku = x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING])
    tsa = pki.leaf("gov", extra=[(eku, False)])
    verdict = pki.verifier(crls=[pki.crl()]).verify_timestamp(tsa_token(tsa, pki), at=T0, data=DATA)
    assert verdict.reasons == (Reason.WRONG_KEY_USAGE,)
    assert _status(verdict, "signature") is CheckStatus.PASSED


def test_rfc3161_2_3_time_stamping_beside_another_key_purpose_is_refused(pki: MiniPki) -> None:
    eku = x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING, ExtendedKeyUsageOID.CLIENT_AUTH])
    tsa = pki.leaf("gov", extra=[(eku, True)])
    verdict = pki.verifier(crls=[pki.crl()]).verify_timestamp(tsa_token(tsa, pki), at=T0, data=DATA)
    assert verdict.reasons == (Reason.WRONG_KEY_USAGE,)


def test_rfc5280_4_2_1_3_a_tsa_key_usage_without_a_signing_bit_is_refused(pki: MiniPki) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    usage = x509.KeyUsage(False, False, True, False, False, False, False, False, False)  # keyEncipherment
    tsa = Issued(key, _reissued(pki, pki.leaf("tsa").cert, key.public_key(), [usage]))
    verdict = pki.verifier(crls=[pki.crl()]).verify_timestamp(tsa_token(tsa, pki), at=T0, data=DATA)
    assert verdict.reasons == (Reason.WRONG_KEY_USAGE,)
    assert _status(verdict, "signature") is CheckStatus.PASSED


def test_rfc3161_2_4_1_a_token_without_the_signing_certificate_attribute_is_refused(pki: MiniPki) -> None:
    token = tsa_token(pki.leaf("tsa"), pki, signing_certificate_v2=False)
    verdict = pki.verifier(crls=[pki.crl()]).verify_timestamp(token, at=T0, data=DATA)
    assert verdict.reasons == (Reason.MALFORMED_SIGNATURE,)
    assert _status(verdict, "signing_certificate") is CheckStatus.FAILED


def test_rfc5652_5_3_a_token_without_signed_attributes_is_refused(pki: MiniPki) -> None:
    """No signed attributes: no content type, no ESS attribute; the signature over the TSTInfo is valid."""
    tsa = pki.leaf("tsa")
    info = tst_info(DATA)
    assert isinstance(tsa.key, ec.EllipticCurvePrivateKey)
    signature = tsa.key.sign(info, ec.ECDSA(hashes.SHA256()))

    def strip(signed_data: cms.SignedData) -> None:
        signer_info = signed_data["signer_infos"][0]
        signer_info["signed_attrs"] = cms.CMSAttributes([])
        del signer_info["signed_attrs"]
        signer_info["signature"] = signature

    token = _with_signed_data(tsa_token(tsa, pki, info=info), strip)
    verdict = pki.verifier(crls=[pki.crl()]).verify_timestamp(token, at=T0, data=DATA)
    assert _status(verdict, "signature") is CheckStatus.PASSED
    assert verdict.reasons == (Reason.MALFORMED_SIGNATURE,) and not verdict.passed


def test_rfc5652_11_1_a_signed_content_type_other_than_tst_info_is_content_mismatch(pki: MiniPki) -> None:
    """eContentType id-ct-TSTInfo, signed content-type id-data: a document signature over the same bytes."""
    tsa = pki.leaf("tsa")
    as_data = sign_cms(tst_info(DATA), tsa.key, tsa.cert, signing_time=T0)
    document_signer = cms.ContentInfo.load(as_data)["content"]["signer_infos"]

    def relabel(signed_data: cms.SignedData) -> None:
        signed_data["signer_infos"] = document_signer

    token = _with_signed_data(tsa_token(tsa, pki), relabel)
    verdict = pki.verifier(crls=[pki.crl()]).verify_timestamp(token, at=T0)
    assert verdict.reasons == (Reason.CONTENT_MISMATCH,)
    assert _status(verdict, "content_type") is CheckStatus.FAILED
    assert _status(verdict, "signature") is CheckStatus.PASSED


def test_rfc3161_2_4_2_a_token_with_two_signers_is_refused(pki: MiniPki) -> None:
    token = tsa_token(pki.leaf("tsa"), pki)

    def duplicate(signed_data: cms.SignedData) -> None:
        signer_info = signed_data["signer_infos"][0]
        signed_data["signer_infos"] = cms.SignerInfos([signer_info, signer_info])

    verdict = pki.verifier(crls=[pki.crl()]).verify_timestamp(_with_signed_data(token, duplicate), at=T0)
    assert verdict.reasons == (Reason.MALFORMED_SIGNATURE,)
    assert _status(verdict, "signers") is CheckStatus.FAILED


def test_rfc3161_2_4_2_tsa_name_must_be_the_tsa_certificate_subject(pki: MiniPki) -> None:
    tsa = pki.leaf("tsa")
    verifier = pki.verifier(crls=[pki.crl()])
    named = verifier.verify_timestamp(tsa_token(tsa, pki, info=tst_info(DATA, tsa=tsa.cert.subject)), at=T0)
    assert named.passed and _status(named, "tsa_name") is CheckStatus.PASSED, named.to_json()
    other = tsa_token(tsa, pki, info=tst_info(DATA, tsa=pki.nca.cert.subject))
    verdict = verifier.verify_timestamp(other, at=T0)
    assert verdict.reasons == (Reason.SIGNING_CERTIFICATE_MISMATCH,)
    assert _status(verdict, "tsa_name") is CheckStatus.FAILED


def test_rfc3161_cli_compares_the_imprint_with_data(pki: MiniPki, tmp_path: Path) -> None:
    """``kzpki verify --timestamp TOKEN --data FILE``: exit 0 for the stamped data, 1 for other data."""
    files = {
        "root.pem": pki.root.cert.public_bytes(Encoding.PEM),
        "nca.crl": pki.crl(),
        "root.crl": pki.root_crl(),
        "token.tsr": tsa_token(pki.leaf("tsa"), pki),
        "data.bin": DATA,
        "other.bin": DATA + b".",
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    arguments = ["verify", "--timestamp", "--anchor", str(tmp_path / "root.pem"), "--at", T0.isoformat()]
    arguments += ["--crl", str(tmp_path / "nca.crl"), "--crl", str(tmp_path / "root.crl")]
    for data, code, reasons in (("data.bin", 0, []), ("other.bin", 1, ["content_mismatch"])):
        result = CliRunner().invoke(
            cli, [*arguments, "--data", str(tmp_path / data), str(tmp_path / "token.tsr")]
        )
        assert result.exit_code == code, result.output
        verdict = json.loads(result.stdout)
        assert verdict["reasons"] == reasons and verdict["timestamp"]["nonce"] == 42


def test_rfc3161_gen_time_before_the_tsa_certificate_is_refused(pki: MiniPki) -> None:
    """A token claiming a time before its TSA certificate was valid (validated later, when it is)."""
    tsa = pki.leaf("tsa", not_before=T0 + dt.timedelta(days=1))
    at = T0 + dt.timedelta(days=2)
    crl = pki.crl(this_update=at - dt.timedelta(hours=1), next_update=at + dt.timedelta(hours=1))
    verdict = pki.verifier(crls=[crl], check_ca_revocation=False).verify_timestamp(tsa_token(tsa, pki), at=at)
    assert _status(verdict, "validity") is CheckStatus.PASSED
    assert verdict.reasons == (Reason.CERTIFICATE_NOT_YET_VALID,)
    assert _status(verdict, "gen_time") is CheckStatus.FAILED


# --- signature time stamps in a CMS (RFC 3161 Appendix A) ------------------------------------------------


def test_rfc3161_appendix_a_a_verified_signature_time_stamp_is_reported(pki: MiniPki) -> None:
    stamped = signature_stamped(pki, stamper(pki))
    verdict = pki.verifier(crls=[pki.crl()], purpose=Purpose.DOCUMENT).verify_cms(stamped, at=T0)
    assert verdict.indication is Indication.TOTAL_PASSED and verdict.warnings == (), verdict.to_json()
    stamp = verdict.signers[0].signature_timestamp
    assert stamp is not None and stamp.serial == 7 and stamp.policy == "1.2.398.3.3.2.6.1"
    assert verdict.signers[0].to_json()["signature_timestamp"]["serial"] == "7"


def _only_warning(pki: MiniPki, stamped: bytes) -> str:
    """The message of the one warning of ``stamped``'s verdict, which passes without its time stamp."""
    verdict = pki.verifier(crls=[pki.crl()], purpose=Purpose.DOCUMENT).verify_cms(stamped, at=T0)
    assert verdict.indication is Indication.TOTAL_PASSED  # the signature, judged as of T0 without it
    assert verdict.signers[0].signature_timestamp is None
    (warning,) = verdict.warnings
    assert warning.code == "signature_timestamp_not_verified" and warning.signer == 0
    return warning.message


def test_rfc3161_appendix_a_a_time_stamp_over_other_bytes_than_the_signature_is_a_warning(
    pki: MiniPki,
) -> None:
    stamped = signature_stamped(pki, stamper(pki, lambda value: value + b"!"))
    assert "imprint" in _only_warning(pki, stamped)


def test_rfc3161_appendix_a_two_signature_time_stamps_on_one_signer_are_a_warning(pki: MiniPki) -> None:
    twice = with_signature_time_stamps(signature_stamped(pki, stamper(pki)), stamper(pki))
    assert "has 2" in _only_warning(pki, twice)


def test_rfc3161_appendix_a_a_signature_time_stamp_that_is_no_token_is_a_warning(pki: MiniPki) -> None:
    garbage = signature_stamped(pki, lambda oid, value: cms.ContentInfo({"content_type": "data"}).dump())
    assert "not SignedData" in _only_warning(pki, garbage)  # the signature itself still passes
