"""RFC 3161 time-stamp tokens: the genuine NCA GOST-2004 token, and tokens of a TSA built here (ECDSA)."""

from __future__ import annotations

import datetime as dt
import hashlib

from asn1crypto import algos, cms, tsp
from click.testing import CliRunner

from api.cli import cli
from pki import oids
from pki.cms import sign_cms
from pki.keys import certificate_der, load_certificate
from pki.reasons import Reason
from tests.shared_paths import INTEROP_GOST
from tests.verifier.conftest import T0, Issued, MiniPki
from verifier import Indication, StaticRevocationSource, SubIndication, VerificationPolicy, Verifier
from verifier.verdict import CheckStatus, Verdict

TOKEN = INTEROP_GOST / "tsp_token_2004.bin"
GEN_TIME = dt.datetime(2022, 9, 18, 13, 20, 14, tzinfo=dt.UTC)
DATA = b"the document that was time-stamped"


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
    verdict = _nca_verifier().verify_timestamp(TOKEN.read_bytes(), at=GEN_TIME + dt.timedelta(minutes=1))
    assert verdict.indication is Indication.TOTAL_PASSED, verdict.to_json()
    assert verdict.kind == "timestamp" and verdict.timestamp is not None
    assert verdict.timestamp.gen_time == GEN_TIME and verdict.timestamp.policy == "1.2.398.3.3.2.6.1"
    assert verdict.timestamp.imprint_algorithm == oids.SHA1 and verdict.timestamp.nonce == 1663507112663
    assert verdict.signers[0].signature_algorithm == oids.KZ_GOST2004_SIGNATURE
    for check_id in ("signature", "message_digest", "signing_certificate", "key_usage", "revocation"):
        assert _status(verdict, check_id) is CheckStatus.PASSED, check_id
    assert _status(verdict, "message_imprint") is CheckStatus.SKIPPED


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


def _tst_info(data: bytes, gen_time: dt.datetime) -> bytes:
    return tsp.TSTInfo(
        {
            "version": "v1",
            "policy": "1.2.398.3.3.2.6.1",
            "message_imprint": {
                "hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                "hashed_message": hashlib.sha256(data).digest(),
            },
            "serial_number": 7,
            "gen_time": gen_time,
            "nonce": 42,
        }
    ).dump()


def _token(tsa: Issued, pki: MiniPki, **options: object) -> bytes:
    return sign_cms(
        _tst_info(DATA, T0),
        tsa.key,
        tsa.cert,
        signing_time=T0,
        content_type=oids.CMS_TST_INFO,
        extra_certificates=[pki.nca.cert],
        **options,  # type: ignore[arg-type]
    )


def test_rfc3161_token_of_our_tsa_verifies_with_its_data(pki: MiniPki) -> None:
    tsa = pki.leaf("tsa")
    verdict = pki.verifier(crls=[pki.crl()]).verify_timestamp(_token(tsa, pki), at=T0, data=DATA)
    assert verdict.indication is Indication.TOTAL_PASSED, verdict.to_json()
    assert _status(verdict, "message_imprint") is CheckStatus.PASSED


def test_rfc3161_2_3_a_signer_without_the_critical_time_stamping_eku_is_no_tsa(pki: MiniPki) -> None:
    signer = pki.leaf("sign")
    verdict = pki.verifier(crls=[pki.crl()]).verify_timestamp(_token(signer, pki), at=T0, data=DATA)
    assert verdict.reasons == (Reason.WRONG_KEY_USAGE,)


def test_rfc3161_2_4_1_a_token_without_the_signing_certificate_attribute_is_refused(pki: MiniPki) -> None:
    token = _token(pki.leaf("tsa"), pki, signing_certificate_v2=False)
    verdict = pki.verifier(crls=[pki.crl()]).verify_timestamp(token, at=T0, data=DATA)
    assert verdict.reasons == (Reason.MALFORMED_SIGNATURE,)
    assert _status(verdict, "signing_certificate") is CheckStatus.FAILED
