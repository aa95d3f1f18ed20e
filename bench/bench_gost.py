"""GOST speed on one core: `python -m bench.bench_gost [--seconds S] [--logins N]`.

Prints, in one process:

1. GOST R 34.10-2015 (512-bit) verifications per second of a genuine NCA certificate
   (``individual_valid.cer`` under ``nca_gost2022_test.cer``), for the CA key verified over and over
   (it gets a cached fixed-base table after a few uses) and for a fresh key every time (no table: the
   first-sight cost of a leaf key); each with the TBS hashed and with the digest given (curve only).
2. The same for GOST 34.310-2004 (``ceo_valid_sign_2004_gost.cer`` under ``nca_gost2004_test.crt``).
3. Streebog-512 and GOST R 34.11-94 throughput.
4. gostcrypto's time for the same 512-bit verification (a few iterations only), and the ratio.
5. Full GOST-512 UNIS login verifications (``Verifier.verify_cms``, purpose ``login``: a CMS over a
   challenge signed as NCALayer does, the chain to the root, revocation, the identity rules):

   - simulated: a ``ca_sim`` GOST-2015-512 hierarchy (root -> nca), individuals in the single-key
     profile issued with ``GostKeyType.GOST2015_512``; revocation in process from ``ca_sim``: its
     published CRLs, or its OCSP responder's answers (signed before the clock starts, as the CMS
     objects are: signing is the client's and the responder's cost). Every login is a new user's
     first: the signer's key, certificate and OCSP answer are all seen for the first time.
   - genuine: the NCA test key ``individual_valid.p12`` under the NCA GOST test CA (anchor: the test
     root; CRL ``nca_gost2022_test.crl``, 195 entries), the same user again and again.

   Beside each: the GOST verifications a login cannot avoid, timed raw on the same data (the CMS
   signer's signature; for a certificate not seen before its signature; with OCSP the response's
   signature), and the login's cost counted in raw GOST-512 verifications of line 1.

Each figure is the median of 3 runs (``bench.timing.median_of``: every run and the load average printed).
Wall-clock figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import pem, x509
from cryptography import x509 as crypto_x509
from gostcrypto import gostsignature

from api.database import dispose, open_database
from bench.logins import login_rate, signer_signature
from bench.timing import median_of, per_second
from ca_sim.audit import AuditLog, derive_head_key
from ca_sim.crl import CrlPublisher
from ca_sim.hierarchy import load_or_create_hierarchy
from ca_sim.issuance import Application, GostKeyType, Issuer
from ca_sim.ocsp import OcspResponder
from ca_sim.profiles import CertificateKind
from ca_sim.registry import RevocationRegistry
from pki import oids
from pki.cms_signing import sign_cms
from pki.gost import GostPrivateKey, GostPublicKey, digest, load_pkcs12, sign, verify, verify_digest
from pki.iin import Sex, make_iin
from pki.keys import certificate_der
from tests.data_paths import INTEROP_GOST
from verifier import (
    Purpose,
    RevocationMethods,
    StaticRevocationSource,
    VerificationPolicy,
    Verifier,
    build_ocsp_request,
)

GENUINE_AT = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)  # inside the leaf's life and the CRL window
SIM_CREATED_AT = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
SIM_ISSUED_AT = SIM_CREATED_AT + dt.timedelta(hours=1)
SIM_LOGIN_AT = SIM_CREATED_AT + dt.timedelta(hours=2)  # CRLs published and OCSP answers signed then
PASSPHRASE = b"bench-passphrase"
NONCE = bytes(range(32))
BIRTH = dt.date(1980, 1, 1)

Verification = tuple[GostPublicKey, bytes, bytes]  # key, signed bytes, signature (Kazakh layout)


def _cert(name: str) -> x509.Certificate:
    data = (INTEROP_GOST / name).read_bytes()
    return x509.Certificate.load(pem.unarmor(data)[2] if pem.detect(data) else data)


def _key_of(certificate: x509.Certificate) -> GostPublicKey:
    return GostPublicKey.from_spki_der(certificate["tbs_certificate"]["subject_public_key_info"].dump())


def _issued_by(issuer_key: GostPublicKey, der: bytes) -> Verification:
    """The verification of a certificate's signature (given as DER) by ``issuer_key``."""
    certificate = x509.Certificate.load(der)
    return issuer_key, certificate["tbs_certificate"].dump(), certificate["signature_value"].native


def _real(child: str, issuer: str) -> tuple[GostPublicKey, str, bytes, bytes]:
    c = _cert(child)
    return (
        _key_of(_cert(issuer)),
        c["signature_algorithm"]["algorithm"].dotted,
        c["tbs_certificate"].dump(),
        c["signature_value"].native,
    )


def _rate(fn: Callable[[], object], seconds: float) -> float:
    """Calls per second of ``fn`` over about ``seconds`` (after one warm-up call)."""
    fn()
    n, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        fn()
        n += 1
    return n / elapsed


def _kilobytes_per_second(oid: str, block: bytes, seconds: float) -> float:
    """Hash throughput of ``oid`` over ``block``, in KB/s (over about ``seconds``)."""
    return _rate(partial(digest, oid, block), seconds) * len(block) / 1024


def _fresh_key_rate(key_oid: str, sig_oid: str, message: bytes, count: int) -> float:
    """Verifications per second of ``message`` when every key is new (so no key table helps)."""
    cases = []
    for _ in range(count):
        key = GostPrivateKey.generate(key_oid)
        cases.append((key.public_key(), sign(key, message)))
    start = time.perf_counter()
    for pub, sig in cases:
        verify(pub, sig_oid, message, sig)
    return count / (time.perf_counter() - start)


def _primitives(s: float) -> float:
    """Sections 1-4; returns the rate of line 1 (512, real certificate, CA key cached)."""
    k512, a512, tbs512, sig512 = _real("individual_valid.cer", "nca_gost2022_test.cer")
    k04, a04, tbs04, sig04 = _real("ceo_valid_sign_2004_gost.cer", "nca_gost2004_test.crt")
    assert verify(k512, a512, tbs512, sig512) and verify(k04, a04, tbs04, sig04)
    h512 = digest(oids.KZ_STREEBOG_512, tbs512)
    h04 = digest(oids.KZ_GOST3411_94, tbs04)

    key512, key04 = oids.KZ_GOST2015_512_KEY, oids.KZ_GOST2004_KEY
    cases = [
        (
            "512: real cert, TBS hashed, CA key (cached)",
            lambda: _rate(lambda: verify(k512, a512, tbs512, sig512), s),
        ),
        (
            "512: same size TBS hashed, fresh key each time",
            lambda: _fresh_key_rate(key512, a512, tbs512, 500),
        ),
        ("512: digest given, CA key (cached)", lambda: _rate(lambda: verify_digest(k512, h512, sig512), s)),
        ("512: digest given, fresh key each time", lambda: _fresh_key_rate(key512, a512, b"", 500)),
        (
            "2004: real cert, TBS hashed, CA key (cached)",
            lambda: _rate(lambda: verify(k04, a04, tbs04, sig04), s),
        ),
        ("2004: same size TBS hashed, fresh key each time", lambda: _fresh_key_rate(key04, a04, tbs04, 1000)),
        ("2004: digest given, CA key (cached)", lambda: _rate(lambda: verify_digest(k04, h04, sig04), s)),
        ("2004: digest given, fresh key each time", lambda: _fresh_key_rate(key04, a04, b"", 1000)),
    ]
    print(f"TBS sizes: {len(tbs512)} B (512), {len(tbs04)} B (2004)")
    rows = [median_of(f"GOST {label}", "verifications/s", measure).median for label, measure in cases]

    signer = GostPrivateKey.generate()
    median_of("GOST 512: sign, TBS hashed", "signatures/s", lambda: _rate(lambda: sign(signer, tbs512), s))

    block = bytes(range(256)) * 256  # 64 KiB
    for name, oid in (("Streebog-512", oids.KZ_STREEBOG_512), ("GOST R 34.11-94", oids.KZ_GOST3411_94)):
        median_of(f"GOST {name} throughput", "KB/s", partial(_kilobytes_per_second, oid, block, s))

    # gostcrypto (big-endian everywhere), the same 512-bit verification: a few iterations only.
    n, iterations = 64, 3
    params = gostsignature.CURVES_R_1323565_1_024_2019["id-tc26-gost-3410-12-512-paramSetA"]
    other = gostsignature.new(gostsignature.MODE_512, params)
    pub_be = bytearray(k512.x.to_bytes(n, "big") + k512.y.to_bytes(n, "big"))
    sig_be = bytearray(sig512[:n][::-1] + sig512[n:][::-1])

    def gostcrypto_rate() -> float:
        start = time.perf_counter()
        for _ in range(iterations):
            assert other.verify(pub_be, bytearray(h512[::-1]), sig_be)
        return iterations / (time.perf_counter() - start)

    theirs = median_of(
        f"GOST gostcrypto: 512, digest given ({iterations} iterations)", "verifications/s", gostcrypto_rate
    ).median
    cached, fresh = rows[2], rows[3]
    print(
        f"ratio pki.gost / gostcrypto (medians): {fresh / theirs:.0f}x (fresh key), "
        f"{cached / theirs:.0f}x (cached key)"
    )
    return rows[0]


# --- section 5: logins ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Logins:
    """One login variant: a verifier factory (a new verifier each run, so nothing is memoised across
    runs), ``count + 1`` CMS logins and the raw GOST verifications of each."""

    label: str
    needs: str  # the GOST verifications a login cannot avoid
    verifier: Callable[[], Verifier]
    at: dt.datetime
    signed: list[bytes]
    raw: list[list[Verification]]


def _application(n: int) -> Application:
    return Application(
        kind=CertificateKind.INDIVIDUAL_SINGLE_KEY,
        iin=make_iin(BIRTH, Sex.MALE, n),
        surname="БЕНЧОВ",
        name="АЙДАР",
        patronymic="ТЕСТОВИЧ",
        birth_date=BIRTH,
        sex=Sex.MALE,
        generate_key=GostKeyType.GOST2015_512,
        pkcs12_password=b"Qwerty12",
    )


def _ocsp_verification(response: bytes, responder_key: GostPublicKey) -> Verification:
    basic = asn1_ocsp.OCSPResponse.load(response)["response_bytes"]["response"].parsed
    return responder_key, basic["tbs_response_data"].dump(), basic["signature"].native


def _simulated(count: int, home: Path) -> list[Logins]:
    """Two sets of ``count + 1`` new users of a GOST hierarchy: one logs in with CRLs, one with OCSP."""
    sm = open_database(f"sqlite:///{home / 'bench.db'}")
    try:
        hierarchy = load_or_create_hierarchy(sm, PASSPHRASE, "http://127.0.0.1:8080", SIM_CREATED_AT, "gost")
        audit = AuditLog(sm, derive_head_key(PASSPHRASE))
        registry = RevocationRegistry(sm, audit)
        issuer = Issuer(hierarchy, sm, audit)
        users = [
            issuer.issue(_application(n), SIM_ISSUED_AT, requested_by="bench") for n in range(2 * count + 2)
        ]
        published = CrlPublisher(hierarchy.authorities, registry, home / "crl").publish(SIM_LOGIN_AT)
        nca = hierarchy.get("nca").certificate
        responder = OcspResponder(hierarchy, registry)
        by_ocsp = users[count + 1 :]
        responses = [
            responder.respond(build_ocsp_request(user.certificate, nca, None), SIM_LOGIN_AT)
            for user in by_ocsp
        ]
    finally:
        dispose(sm)
    nca_key = _key_of(x509.Certificate.load(certificate_der(nca)))
    responder_key = _key_of(
        x509.Certificate.load(certificate_der(hierarchy.ocsp_responder("nca").certificate))
    )
    signed, raw = [], []
    for user in users:
        key, certificate = user.private_key, user.certificate
        assert isinstance(key, GostPrivateKey)
        cms = sign_cms(NONCE, key, certificate, signing_time=SIM_LOGIN_AT)
        signed.append(cms)
        raw.append(
            [(key.public_key(), *signer_signature(cms)), _issued_by(nca_key, certificate_der(certificate))]
        )
    for verifications, response in zip(raw[count + 1 :], responses, strict=True):
        verifications.append(_ocsp_verification(response, responder_key))

    def verifier(methods: RevocationMethods) -> Callable[[], Verifier]:
        policy = VerificationPolicy(
            trust_anchors=(certificate_der(hierarchy.root.certificate),),
            intermediates=(certificate_der(nca),),
            purpose=Purpose.LOGIN,
            revocation_methods=methods,
            ocsp_nonce=False,  # the answers were signed before the clock started
        )
        return lambda: Verifier(policy, StaticRevocationSource([crl.der for crl in published], responses))

    return [
        Logins(
            "simulated, CRL, new user each login",
            "2 (CMS signer, leaf certificate)",
            verifier(RevocationMethods.CRL),
            SIM_LOGIN_AT,
            signed[: count + 1],
            raw[: count + 1],
        ),
        Logins(
            "simulated, OCSP, new user each login",
            "3 (CMS signer, leaf certificate, OCSP response)",
            verifier(RevocationMethods.OCSP),
            SIM_LOGIN_AT,
            signed[count + 1 :],
            raw[count + 1 :],
        ),
    ]


def _genuine(count: int) -> Logins:
    """The genuine NCA test key logging in ``count + 1`` times (a new challenge each time)."""
    key, der = load_pkcs12((INTEROP_GOST / "individual_valid.p12").read_bytes(), "Qwerty12")
    assert der is not None
    certificate = crypto_x509.load_der_x509_certificate(der)
    policy = VerificationPolicy(
        trust_anchors=(_cert("root_test_gost_2022.cer").dump(),),
        intermediates=(_cert("nca_gost2022_test.cer").dump(),),
        purpose=Purpose.LOGIN,
        test_pki=True,
        check_ca_revocation=False,  # the root's CRL is not part of the NCA test material
        revocation_methods=RevocationMethods.CRL,
    )
    crl = (INTEROP_GOST / "nca_gost2022_test.crl").read_bytes()
    signed = [
        sign_cms(NONCE + n.to_bytes(4, "big"), key, certificate, signing_time=GENUINE_AT)
        for n in range(count + 1)
    ]
    public_key = key.public_key()
    return Logins(
        "genuine NCA test key, CRL, same user",
        "1 (CMS signer; the certificate's check is memoised)",
        lambda: Verifier(policy, StaticRevocationSource(crls=[crl])),
        GENUINE_AT,
        signed,
        [[(public_key, *signer_signature(cms))] for cms in signed],
    )


def _login_rate(logins: Logins, count: int) -> float:
    """Logins per second of ``logins`` through a new verifier (nothing memoised from an earlier run)."""
    return login_rate(logins.verifier(), logins.signed, logins.at, count)


def _raw(logins: Logins) -> Callable[[int], None]:
    def raw(n: int) -> None:
        for key, data, signature in logins.raw[n]:
            assert verify(key, key.signature_oid, data, signature)

    return raw


def _logins(count: int, single_rate: float) -> None:
    """Section 5: ``count`` logins per variant, each against the raw cost of its GOST verifications."""
    print(
        f"\nbuilding the GOST hierarchy, issuing {2 * count + 2} users and signing {3 * count + 3} logins ..."
    )
    with tempfile.TemporaryDirectory(prefix="kzpki-bench-") as home:
        variants = [*_simulated(count, Path(home)), _genuine(count)]
    print(
        f"GOST-512 login verifications, one core ({count} logins each; raw = the same data, pki.gost only):"
    )
    for v in variants:
        rate = median_of(f"GOST login {v.label}", "logins/s", partial(_login_rate, v, count)).median
        raw_rate = median_of(
            f"GOST login {v.label}: raw", "logins/s", partial(per_second, _raw(v), count)
        ).median
        print(
            f"  {v.label:38} {rate:5.0f} logins/s {1000 / rate:5.2f} ms/login"
            f" | GOST verifications needed: {v.needs}\n"
            f"  {'':38} raw cost of those {1000 / raw_rate:5.2f} ms: login = {raw_rate / rate:4.2f}x raw"
            f" = {single_rate / rate:4.1f} GOST-512 verifications of line 1 ({1000 / single_rate:4.2f} ms)"
        )
    print("target (issue 6): >= 200 GOST-512 verifications per second per core")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=2.0, help="time per primitive measurement (default 2)"
    )
    parser.add_argument("--logins", type=int, default=300, help="logins per login variant (default 300)")
    args = parser.parse_args(argv)
    # The genuine NCA names exceed X.520's upper bounds: cryptography warns once per name, harmlessly.
    warnings.filterwarnings("ignore", "Attribute's length must be", UserWarning)

    print("GOST on one core (single process); wall-clock, not asserted\n")
    _logins(args.logins, _primitives(args.seconds))


if __name__ == "__main__":
    main()
