"""The OCSP responder (RFC 6960): OpenSSL as relying party, request checks, nonces, cache invalidation."""

from __future__ import annotations

import base64
import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from asn1crypto import core, ocsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ocsp as x509_ocsp

from ca_sim import der
from ca_sim.grounds import Ground
from ca_sim.ocsp import OcspResponder, decode_get_request
from ca_sim.registry import RevocationRegistry
from ca_sim.revocation_periods import CertState
from pki import oids
from pki.errors import InvalidInput
from pki.keys import certificate_pem
from tests.ca_sim.revocation_support import Pki, issue_leaf, make_pki
from tests.databases import database_url

# OpenSSL checks thisUpdate/nextUpdate against its own clock: these tests answer "now".
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
CREATED = NOW - dt.timedelta(days=1)
MALFORMED, UNAUTHORIZED = 1, 6


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    return make_pki(tmp_path / "home", "rsa", at=CREATED)


@pytest.fixture
def responder(pki: Pki) -> OcspResponder:
    return OcspResponder(pki.hierarchy, pki.registry)


def _request(
    issuer: x509.Certificate,
    *serials: int,
    algorithm: hashes.HashAlgorithm | None = None,
    nonce: bytes | None = None,
    raw_nonce: bool = False,
) -> bytes:
    """An OCSPRequest for ``serials`` of ``issuer`` (asn1crypto, so that several CertIDs fit in one)."""
    algorithm = algorithm or hashes.SHA1()
    name = {"sha1": oids.SHA1, "sha256": oids.SHA256}[algorithm.name]
    builder = x509_ocsp.OCSPRequestBuilder().add_certificate_by_hash(
        _digest(issuer.subject.public_bytes(), algorithm),
        _digest(_key_bits(issuer), algorithm),
        1,
        algorithm,
    )
    single = ocsp.OCSPRequest.load(builder.build().public_bytes(Encoding.DER))
    cert_id = single["tbs_request"]["request_list"][0]["req_cert"]
    requests = []
    for serial in serials:
        copy = ocsp.CertId.load(cert_id.dump())
        copy["serial_number"] = serial
        copy["hash_algorithm"] = {"algorithm": name}
        requests.append({"req_cert": copy})
    tbs: dict[str, object] = {"request_list": requests}
    if nonce is not None:
        value = (
            nonce if raw_nonce else core.OctetString(nonce).dump()
        )  # RFC 8954: extnValue = DER OCTET STRING
        extension = der.extension(der.object_identifier(oids.OCSP_NONCE), False, value)
        tbs["request_extensions"] = [ocsp.TBSRequestExtension.load(extension)]
    return ocsp.OCSPRequest({"tbs_request": tbs}).dump()


def _digest(data: bytes, algorithm: hashes.HashAlgorithm) -> bytes:
    h = hashes.Hash(algorithm)
    h.update(data)
    return h.finalize()


def _key_bits(certificate: x509.Certificate) -> bytes:
    from asn1crypto import x509 as asn1_x509

    der = certificate.public_bytes(Encoding.DER)
    return asn1_x509.Certificate.load(der)["tbs_certificate"]["subject_public_key_info"][
        "public_key"
    ].contents[1:]


def _status(response_der: bytes) -> int:
    return (
        ocsp.OCSPResponse.load(response_der)["response_status"].native
        and {
            "successful": 0,
            "malformed_request": 1,
            "unauthorized": 6,
        }[ocsp.OCSPResponse.load(response_der)["response_status"].native]
    )


def _verified(response_der: bytes) -> x509_ocsp.OCSPResponse:
    """The response, after checking its signature with the responder certificate it carries."""
    response = x509_ocsp.load_der_ocsp_response(response_der)
    assert response.response_status is x509_ocsp.OCSPResponseStatus.SUCCESSFUL
    (responder_certificate,) = response.certificates
    key = responder_certificate.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        key.verify(response.signature, response.tbs_response_bytes, padding.PKCS1v15(), hashes.SHA256())
    else:
        assert isinstance(key, ec.EllipticCurvePublicKey)
        key.verify(response.signature, response.tbs_response_bytes, ec.ECDSA(hashes.SHA256()))
    eku = responder_certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert x509.ObjectIdentifier(oids.EKU_OCSP_SIGNING) in eku
    return response


def _openssl(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["openssl", *map(str, args)], capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize("nonce", [True, False], ids=["nonce", "no_nonce"])
@pytest.mark.parametrize("digest", ["sha1", "sha256"])
def test_eds18_openssl_accepts_good_revoked_hold_and_unknown(
    pki: Pki, responder: OcspResponder, tmp_path: Path, nonce: bool, digest: str
) -> None:
    good, compromised, held = (issue_leaf(pki, at=CREATED) for _ in range(3))
    pki.registry.revoke(
        "nca", compromised.serial_number, Ground.KEY_COMPROMISE, NOW - dt.timedelta(hours=1), "op", "d"
    )
    pki.registry.hold("nca", held.serial_number, NOW - dt.timedelta(hours=1), "op", "d")
    nca = pki.hierarchy.get("nca")
    root_pem = tmp_path / "root.pem"
    root_pem.write_bytes(certificate_pem(pki.hierarchy.root.certificate))
    nca_pem = tmp_path / "nca.pem"
    nca_pem.write_bytes(certificate_pem(nca.certificate))
    expected = {
        "good": ("good", None),
        "compromised": ("revoked", "keyCompromise"),
        "held": ("revoked", "certificateHold"),
        "unknown": ("unknown", None),
    }
    targets = {"good": good, "compromised": compromised, "held": held}
    for label, (status, reason) in expected.items():
        subject = ["-serial", "0x1234abcd"] if label == "unknown" else ["-cert", tmp_path / f"{label}.pem"]
        if label in targets:
            (tmp_path / f"{label}.pem").write_bytes(certificate_pem(targets[label]))
        nonce_flag = [] if nonce else ["-no_nonce"]
        request = tmp_path / "req.der"
        made = _openssl("ocsp", f"-{digest}", "-issuer", nca_pem, *subject, *nonce_flag, "-reqout", request)
        assert made.returncode == 0, made.stderr
        (tmp_path / "resp.der").write_bytes(responder.respond(request.read_bytes(), NOW))
        checked = _openssl(
            "ocsp", "-reqin", request, "-respin", tmp_path / "resp.der", "-CAfile", root_pem,
            "-verify_other", nca_pem, "-resp_text",
        )  # fmt: skip
        assert checked.returncode == 0 and "Response verify OK" in checked.stderr, checked.stderr
        assert f"Cert Status: {status}" in checked.stdout, (label, checked.stdout)
        if reason:
            assert f"Revocation Reason: {reason}" in checked.stdout
        assert ("OCSP Nonce" in checked.stdout) == nonce
        assert f"Hash Algorithm: {digest}" in checked.stdout


def test_openssl_accepts_root_answers_for_ca_certificates(
    pki: Pki, responder: OcspResponder, tmp_path: Path
) -> None:
    gov = pki.hierarchy.get("gov")
    pki.registry.revoke("root", gov.certificate.serial_number, Ground.KEY_COMPROMISE, NOW, "so", "incident")
    root_pem = tmp_path / "root.pem"
    root_pem.write_bytes(certificate_pem(pki.hierarchy.root.certificate))
    (tmp_path / "gov.pem").write_bytes(certificate_pem(gov.certificate))
    made = _openssl(
        "ocsp", "-issuer", root_pem, "-cert", tmp_path / "gov.pem", "-reqout", tmp_path / "req.der"
    )
    assert made.returncode == 0
    (tmp_path / "resp.der").write_bytes(responder.respond((tmp_path / "req.der").read_bytes(), NOW))
    checked = _openssl(
        "ocsp",
        "-reqin",
        tmp_path / "req.der",
        "-respin",
        tmp_path / "resp.der",
        "-CAfile",
        root_pem,
        "-resp_text",
    )
    assert "Response verify OK" in checked.stderr and "Cert Status: revoked" in checked.stdout


def test_response_fields(pki: Pki, responder: OcspResponder) -> None:
    leaf = issue_leaf(pki, at=CREATED)
    nca = pki.hierarchy.get("nca")
    response = _verified(responder.respond(_request(nca.certificate, leaf.serial_number), NOW))
    assert response.certificate_status is x509_ocsp.OCSPCertStatus.GOOD
    assert response.serial_number == leaf.serial_number
    assert response.produced_at_utc == response.this_update_utc == NOW
    assert response.next_update_utc == NOW + OcspResponder.response_validity
    responder_certificate = pki.hierarchy.ocsp_responder("nca").certificate
    assert response.certificates == [responder_certificate]
    assert response.responder_key_hash == _digest(_key_bits(responder_certificate), hashes.SHA1())
    assert responder_certificate.extensions.get_extension_for_class(x509.OCSPNoCheck)


def test_eds23_response_discloses_no_owner_data(pki: Pki, responder: OcspResponder) -> None:
    iin = "900101300123"
    leaf = issue_leaf(pki, at=CREATED, iin=iin)
    response = responder.respond(_request(pki.hierarchy.get("nca").certificate, leaf.serial_number), NOW)
    assert iin.encode() not in response and "ТЕСТОВ".encode() not in response


def test_sha256_certid_and_revocation_details(pki: Pki, responder: OcspResponder) -> None:
    leaf = issue_leaf(pki, at=CREATED)
    revoked_at = NOW - dt.timedelta(hours=2)
    pki.registry.revoke("nca", leaf.serial_number, Ground.OWNER_DEATH, revoked_at, "op", "death-certificate")
    request = _request(pki.hierarchy.get("nca").certificate, leaf.serial_number, algorithm=hashes.SHA256())
    response = _verified(responder.respond(request, NOW))
    assert isinstance(response.hash_algorithm, hashes.SHA256)
    assert response.certificate_status is x509_ocsp.OCSPCertStatus.REVOKED
    assert response.revocation_time_utc == revoked_at
    assert response.revocation_reason is x509.ReasonFlags.cessation_of_operation


def test_several_requests_in_one(pki: Pki, responder: OcspResponder) -> None:
    good, revoked = issue_leaf(pki, at=CREATED), issue_leaf(pki, at=CREATED)
    pki.registry.revoke("nca", revoked.serial_number, Ground.NAME_CHANGE, NOW, "op", "d")
    request = _request(pki.hierarchy.get("nca").certificate, good.serial_number, revoked.serial_number, 777)
    response = _verified(responder.respond(request, NOW))
    statuses = [(r.serial_number, r.certificate_status) for r in response.responses]
    assert statuses == [
        (good.serial_number, x509_ocsp.OCSPCertStatus.GOOD),
        (revoked.serial_number, x509_ocsp.OCSPCertStatus.REVOKED),
        (777, x509_ocsp.OCSPCertStatus.UNKNOWN),
    ]


@pytest.mark.parametrize("size", [1, 16, 32])
def test_nonce_is_echoed(pki: Pki, responder: OcspResponder, size: int) -> None:
    leaf = issue_leaf(pki, at=CREATED)
    nonce = os.urandom(size)
    request = _request(pki.hierarchy.get("nca").certificate, leaf.serial_number, nonce=nonce)
    response = _verified(responder.respond(request, NOW))
    echoed = response.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce
    assert echoed == nonce


def test_legacy_raw_nonce_is_echoed_as_sent(pki: Pki, responder: OcspResponder) -> None:
    leaf = issue_leaf(pki, at=CREATED)
    raw = os.urandom(20)
    request = _request(pki.hierarchy.get("nca").certificate, leaf.serial_number, nonce=raw, raw_nonce=True)
    response = responder.respond(request, NOW)
    _verified(response)
    assert der.extension(der.object_identifier(oids.OCSP_NONCE), False, raw) in response


def test_each_nonce_request_is_signed_live(pki: Pki, responder: OcspResponder) -> None:
    leaf = issue_leaf(pki, at=CREATED)
    issuer = pki.hierarchy.get("nca").certificate
    first = responder.respond(_request(issuer, leaf.serial_number, nonce=b"a" * 16), NOW)
    second = responder.respond(_request(issuer, leaf.serial_number, nonce=b"b" * 16), NOW)
    assert first != second


@pytest.mark.parametrize("size", [0, 33, 64])
def test_nonce_outside_1_to_32_octets_is_malformed(pki: Pki, responder: OcspResponder, size: int) -> None:
    leaf = issue_leaf(pki, at=CREATED)
    request = _request(pki.hierarchy.get("nca").certificate, leaf.serial_number, nonce=os.urandom(size))
    assert _status(responder.respond(request, NOW)) == MALFORMED


@pytest.mark.parametrize(
    "garbage", [b"", b"garbage", b"\x30\x03\x02\x01\x01", b"\x30\x82\xff\xff" + b"\x00" * 10, b"\x00" * 100]
)
def test_garbage_is_malformed(responder: OcspResponder, garbage: bytes) -> None:
    assert _status(responder.respond(garbage, NOW)) == MALFORMED


def test_truncated_and_empty_requests_are_malformed(pki: Pki, responder: OcspResponder) -> None:
    leaf = issue_leaf(pki, at=CREATED)
    request = _request(pki.hierarchy.get("nca").certificate, leaf.serial_number)
    assert _status(responder.respond(request[:-3], NOW)) == MALFORMED
    assert _status(responder.respond(request + b"\x00", NOW)) == MALFORMED
    empty = ocsp.OCSPRequest({"tbs_request": {"request_list": []}}).dump()
    assert _status(responder.respond(empty, NOW)) == MALFORMED


def test_unknown_issuer_is_unauthorized(pki: Pki, responder: OcspResponder) -> None:
    from pki.keys import KeyType, generate_private_key

    stranger_key = generate_private_key(KeyType.P256)
    stranger = (
        x509.CertificateBuilder()
        .subject_name(x509.Name.from_rfc4514_string("CN=Foreign CA"))
        .issuer_name(x509.Name.from_rfc4514_string("CN=Foreign CA"))
        .public_key(stranger_key.public_key())
        .serial_number(1)
        .not_valid_before(CREATED)
        .not_valid_after(NOW + dt.timedelta(days=1))
        .sign(stranger_key, hashes.SHA256())
    )
    assert _status(responder.respond(_request(stranger, 5), NOW)) == UNAUTHORIZED


def test_certids_of_two_cas_in_one_request_are_unauthorized(pki: Pki, responder: OcspResponder) -> None:
    nca_leaf, gov_leaf = issue_leaf(pki, at=CREATED), issue_leaf(pki, "gov", at=CREATED)
    one = ocsp.OCSPRequest.load(_request(pki.hierarchy.get("nca").certificate, nca_leaf.serial_number))
    two = ocsp.OCSPRequest.load(_request(pki.hierarchy.get("gov").certificate, gov_leaf.serial_number))
    mixed = [one["tbs_request"]["request_list"][0], two["tbs_request"]["request_list"][0]]
    request = ocsp.OCSPRequest({"tbs_request": {"request_list": mixed}}).dump()
    assert _status(responder.respond(request, NOW)) == UNAUTHORIZED


def test_eds18_cached_response_is_dropped_at_once_when_status_changes(
    pki: Pki, responder: OcspResponder
) -> None:
    leaf = issue_leaf(pki, at=CREATED)
    request = _request(pki.hierarchy.get("nca").certificate, leaf.serial_number)
    first = responder.respond(request, NOW)
    assert responder.respond(request, NOW + dt.timedelta(seconds=30)) is first  # pre-signed, from the cache
    pki.registry.hold("nca", leaf.serial_number, NOW + dt.timedelta(seconds=31), "op", "d")
    held = _verified(responder.respond(request, NOW + dt.timedelta(seconds=31)))
    assert held.revocation_reason is x509.ReasonFlags.certificate_hold
    pki.registry.release("nca", leaf.serial_number, NOW + dt.timedelta(seconds=32), "op", "d")
    assert _verified(responder.respond(request, NOW + dt.timedelta(seconds=32))).certificate_status is (
        x509_ocsp.OCSPCertStatus.GOOD
    )


def test_eds18_change_made_by_another_process_is_seen_on_the_next_request(
    pki: Pki, responder: OcspResponder
) -> None:
    """A second registry on the same database stands for another server worker (no listener link)."""
    leaf = issue_leaf(pki, at=CREATED)
    request = _request(pki.hierarchy.get("nca").certificate, leaf.serial_number)
    responder.respond(request, NOW)
    other_worker = RevocationRegistry(pki.sm)
    other_worker.revoke("nca", leaf.serial_number, Ground.KEY_COMPROMISE, NOW, "op", "d")
    after = _verified(responder.respond(request, NOW + dt.timedelta(milliseconds=1)))
    assert after.certificate_status is x509_ocsp.OCSPCertStatus.REVOKED


def test_cache_keeps_unrelated_serials(pki: Pki, responder: OcspResponder) -> None:
    a, b = issue_leaf(pki, at=CREATED), issue_leaf(pki, at=CREATED)
    issuer = pki.hierarchy.get("nca").certificate
    cached_b = responder.respond(_request(issuer, b.serial_number), NOW)
    pki.registry.revoke("nca", a.serial_number, Ground.NAME_CHANGE, NOW, "op", "d")
    assert responder.respond(_request(issuer, b.serial_number), NOW) is cached_b


@pytest.mark.parametrize("caught_up_meanwhile", [False, True], ids=["alone", "other_thread_caught_up"])
def test_unis11_response_built_before_a_change_elsewhere_is_never_served_after_it(
    pki: Pki, caught_up_meanwhile: bool
) -> None:
    """The race of the cross-process cache: another worker's revocation commits between this worker's
    status read and the caching of the response built from it (optionally with another thread of this
    worker catching up in between). The stale answer goes to the request that was already running, never
    to a later one."""
    leaf = issue_leaf(pki, at=CREATED)
    responder = OcspResponder(pki.hierarchy, pki.registry)
    other_worker = RevocationRegistry(pki.sm)
    original = pki.registry.status_and_version

    def read_then_revoked_elsewhere(ca_id: str, serial: int, at: dt.datetime):
        result = original(ca_id, serial, at)
        other_worker.revoke(ca_id, serial, Ground.KEY_COMPROMISE, at, "op", "d")  # lands after the read
        if caught_up_meanwhile:
            responder._catch_up(ca_id)  # what a concurrent request of this worker does first
        return result

    pki.registry.status_and_version = read_then_revoked_elsewhere  # type: ignore[method-assign]
    request = _request(pki.hierarchy.get("nca").certificate, leaf.serial_number)
    stale = _verified(responder.respond(request, NOW))
    assert stale.certificate_status is x509_ocsp.OCSPCertStatus.GOOD
    pki.registry.status_and_version = original  # type: ignore[method-assign]
    fresh = _verified(responder.respond(request, NOW))
    assert fresh.certificate_status is x509_ocsp.OCSPCertStatus.REVOKED


def test_status_and_version_come_from_one_snapshot(pki: Pki) -> None:
    leaf = issue_leaf(pki, at=CREATED)
    status, before = pki.registry.status_and_version("nca", leaf.serial_number, NOW)
    assert status.state is CertState.GOOD
    RevocationRegistry(pki.sm).hold("nca", leaf.serial_number, NOW, "op", "d")
    status, after = pki.registry.status_and_version("nca", leaf.serial_number, NOW)
    assert status.on_hold and after == before + 1 == pki.registry.status_version("nca")


def test_cached_response_is_resigned_when_old(pki: Pki, responder: OcspResponder) -> None:
    leaf = issue_leaf(pki, at=CREATED)
    request = _request(pki.hierarchy.get("nca").certificate, leaf.serial_number)
    first = _verified(responder.respond(request, NOW))
    later = NOW + OcspResponder.cache_max_age
    second = _verified(responder.respond(request, later))
    assert first.this_update_utc == NOW and second.this_update_utc == later


def test_unknown_serials_are_never_cached(pki: Pki, responder: OcspResponder) -> None:
    issuer = pki.hierarchy.get("nca").certificate
    leaf_key_request = _request(issuer, 424242)
    assert (
        _verified(responder.respond(leaf_key_request, NOW)).certificate_status
        is x509_ocsp.OCSPCertStatus.UNKNOWN
    )
    assert responder.respond(leaf_key_request, NOW) is not responder.respond(leaf_key_request, NOW)


def test_eds16_archived_entry_still_answers_revoked(pki: Pki, responder: OcspResponder) -> None:
    leaf = issue_leaf(pki, at=CREATED)
    pki.registry.revoke("nca", leaf.serial_number, Ground.NAME_CHANGE, CREATED, "op", "d")
    later = NOW + dt.timedelta(days=365 * 6)
    pki.registry.retention.archive(CREATED + dt.timedelta(days=1), later, "so", dry_run=False)
    assert pki.registry.status("nca", leaf.serial_number, later).state is CertState.REVOKED
    response = ocsp.OCSPResponse.load(
        responder.respond(_request(pki.hierarchy.get("nca").certificate, leaf.serial_number), NOW)
    )
    assert response.basic_ocsp_response["tbs_response_data"]["responses"][0]["cert_status"].name == "revoked"


def test_responder_certificate_is_renewed(tmp_path: Path) -> None:
    from api.database import open_database
    from ca_sim.hierarchy import load_or_create_hierarchy

    sm = open_database(database_url(tmp_path / "fresh.db"))
    hierarchy = load_or_create_hierarchy(sm, b"p", "http://127.0.0.1:8080", CREATED, "ecdsa")
    registry = RevocationRegistry(sm)
    responder = OcspResponder(hierarchy, registry)
    pki = Pki(sm, hierarchy, None, registry, tmp_path)  # type: ignore[arg-type]
    leaf = issue_leaf(pki, at=CREATED)
    request = _request(hierarchy.get("nca").certificate, leaf.serial_number)
    first = _verified(responder.respond(request, CREATED + dt.timedelta(hours=1)))
    late = CREATED + dt.timedelta(days=28)  # within the renewal margin of the 30-day responder
    second = _verified(responder.respond(request, late))
    assert first.certificates[0] != second.certificates[0]
    assert second.certificates[0].not_valid_after_utc > late + dt.timedelta(days=7)


def test_get_form_is_decoded_tolerantly(pki: Pki) -> None:
    leaf = issue_leaf(pki, at=CREATED)
    request = _request(pki.hierarchy.get("nca").certificate, leaf.serial_number, nonce=b"\xfb\xff" * 8)
    encoded = base64.b64encode(request).decode()
    assert {"+", "/"} <= set(encoded)  # the nonce was chosen so that both appear
    variants = [
        encoded,
        encoded.replace("/", "%2F").replace("+", "%2B").replace("=", "%3D"),
        encoded.replace("+", " "),
        encoded.rstrip("="),
        base64.urlsafe_b64encode(request).decode().rstrip("="),
        encoded[:20] + "\n" + encoded[20:],
    ]
    for variant in variants:
        assert decode_get_request(variant) == request, variant


@pytest.mark.parametrize("path", ["%%%", "abc!", "a"])
def test_get_form_garbage_is_invalid_input(path: str) -> None:
    with pytest.raises(InvalidInput):
        decode_get_request(path)
