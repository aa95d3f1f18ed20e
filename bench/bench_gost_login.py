"""Full GOST login verifications per second: `python -m bench.bench_gost_login [--logins N]`.

One core. A login is what UNIS asks of the verifier (purpose ``login``): a CMS SignedData over a
32-byte nonce signed as NCALayer does with a GOST R 34.10-2015-512 key (Streebog-512, signed
attributes, signer certificate inside), the chain to the root, revocation from a CRL, the identity
rules. Two variants:

- genuine: the NCA test key ``individual_valid.p12`` under the NCA GOST test CA (anchor: the test root;
  CRL ``nca_gost2022_test.crl``, 195 entries), the same user again and again: the signer's key is soon
  verified through its cached fixed-base table, and the certificate's own signature check is memoised
  (``verifier.chain.issued_by_key``), so a login can cost less than two raw verifications;
- simulated: a GOST-2015-512 hierarchy of ``ca_sim`` (root -> nca) and a fresh key for every login
  (every signer key is seen for the first time: the worst case).

Beside them, from the same run: the raw cost of the two GOST verifications a login needs (the CMS
signer's signature and the leaf certificate's), as a share of the login's cost. Signing happens before
the clock starts (it is the client's cost). Wall-clock figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

from cryptography import x509

from api.database import dispose, open_database
from bench.timing import per_second
from ca_sim import profiles
from ca_sim.audit import AuditLog, derive_head_key
from ca_sim.crl import CrlPublisher
from ca_sim.hierarchy import load_or_create_hierarchy
from ca_sim.registry import RevocationRegistry
from pki import gost
from pki.cms import load_signed_data, sign_cms, signed_attributes_der
from pki.iin import Sex, make_iin
from pki.keys import certificate_der, load_certificate
from pki.names import Person, build_subject
from verifier import Purpose, RevocationMethods, StaticRevocationSource, VerificationPolicy, Verifier
from verifier.certificate import Cert

INTEROP = Path(__file__).resolve().parents[2] / "shared" / "interop" / "ncanode-gost-test"
GENUINE_AT = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)  # inside the leaf's life and the CRL window
SIM_AT = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
NONCE = bytes(range(32))
PASSPHRASE = b"bench-passphrase"

Login = tuple[bytes, Cert, Cert]  # the CMS, the signer's certificate, its issuer's


def _der(path: Path) -> bytes:
    return certificate_der(load_certificate(path.read_bytes()))


def _genuine(count: int) -> tuple[Verifier, list[Login]]:
    key, der = gost.load_pkcs12((INTEROP / "individual_valid.p12").read_bytes(), "Qwerty12")
    assert der is not None
    certificate = x509.load_der_x509_certificate(der)
    issuer = Cert(_der(INTEROP / "nca_gost2022_test.cer"))
    policy = VerificationPolicy(
        trust_anchors=(_der(INTEROP / "root_test_gost_2022.cer"),),
        intermediates=(issuer.der,),
        purpose=Purpose.LOGIN,
        test_pki=True,
        check_ca_revocation=False,  # the root's CRL is not part of the NCA test material
        revocation_methods=RevocationMethods.CRL,
    )
    source = StaticRevocationSource(crls=[(INTEROP / "nca_gost2022_test.crl").read_bytes()])
    logins = [
        (sign_cms(NONCE + n.to_bytes(4, "big"), key, certificate, signing_time=GENUINE_AT), Cert(der), issuer)
        for n in range(count)
    ]
    return Verifier(policy, source), logins


def _simulated(count: int, home: Path) -> tuple[Verifier, list[Login]]:
    sm = open_database(f"sqlite:///{home / 'bench.db'}")
    try:
        hierarchy = load_or_create_hierarchy(sm, PASSPHRASE, "http://127.0.0.1:8080", SIM_AT, "gost")
        registry = RevocationRegistry(sm, AuditLog(sm, derive_head_key(PASSPHRASE)))
        published = CrlPublisher(hierarchy.authorities, registry, home / "crl").publish(SIM_AT)
        crls = [crl.der for crl in published]  # full and delta CRLs of every CA
    finally:
        dispose(sm)
    nca = hierarchy.get("nca").certificate
    profile = profiles.INDIVIDUAL_SINGLE_KEY
    logins = []
    for n in range(count):
        key = gost.GostPrivateKey.generate()
        person = Person("БЕНЧОВ", f"ТЕСТ{n}", "ТЕСТОВИЧ", make_iin(dt.date(1980, 1, 1), Sex.MALE, n % 10000))
        certificate = hierarchy.minter("nca").mint(
            profile,
            build_subject(person),
            key.public_key(),
            SIM_AT - dt.timedelta(days=1),
            SIM_AT + dt.timedelta(days=300),
            storage=profiles.KeyStorage.FILE,
        )
        cms = sign_cms(NONCE, key, certificate, signing_time=SIM_AT)
        logins.append((cms, Cert(certificate_der(certificate)), Cert(certificate_der(nca))))
    policy = VerificationPolicy(
        trust_anchors=(certificate_der(hierarchy.root.certificate),),
        intermediates=(certificate_der(nca),),
        purpose=Purpose.LOGIN,
        revocation_methods=RevocationMethods.CRL,
    )
    return Verifier(policy, StaticRevocationSource(crls=crls)), logins


def _raw(logins: list[Login]) -> Callable[[int], None]:
    """The two GOST verifications of login ``n``: the CMS signature and the leaf certificate's."""
    parts = []
    for cms, leaf, issuer in logins:
        signer_info = load_signed_data(cms)["signer_infos"][0]
        attributes = signed_attributes_der(signer_info)
        assert attributes is not None
        certificate = leaf.asn1
        parts.append(
            (
                gost.GostPublicKey.from_spki_der(leaf.spki_der),
                attributes,
                signer_info["signature"].native,
                gost.GostPublicKey.from_spki_der(issuer.spki_der),
                certificate["tbs_certificate"].dump(),
                certificate["signature_value"].native,
            )
        )

    def raw(n: int) -> None:
        key, attributes, signature, issuer_key, tbs, certificate_signature = parts[n % len(parts)]
        oid = key.signature_oid
        assert gost.verify(key, oid, attributes, signature)
        assert gost.verify(issuer_key, oid, tbs, certificate_signature)

    return raw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logins", type=int, default=600, help="logins per measurement (default 600)")
    count = parser.parse_args().logins

    print(f"signing {count} genuine-key and {count} simulated-key GOST-512 logins ...", flush=True)
    with tempfile.TemporaryDirectory(prefix="kzpki-bench-") as home:
        variants = {
            "genuine NCA test key (one user)": (_genuine(count), GENUINE_AT),
            "simulated, a new key every login": (_simulated(count, Path(home)), SIM_AT),
        }
    print(f"\nGOST-512 login verifications per second, one core ({count} logins each):")
    for label, ((verifier, logins), at) in variants.items():
        times = [at + dt.timedelta(milliseconds=n) for n in range(count + 1)]

        def login(
            n: int,
            verifier: Verifier = verifier,
            logins: list[Login] = logins,
            times: list[dt.datetime] = times,
        ) -> None:
            verdict = verifier.verify_cms(logins[n % len(logins)][0], at=times[n])
            assert verdict.passed, verdict.to_json()

        rate = per_second(login, count)
        raw_rate = per_second(_raw(logins), count)
        print(
            f"  {label:34} {rate:7.0f} /s  {1000 / rate:6.2f} ms/login = {raw_rate / rate:4.2f}x the raw "
            f"cost of its 2 GOST verifications ({1000 / raw_rate:4.2f} ms)"
        )
    print("target (issue 6): >= 200 GOST-512 verifications per second per core; a login needs 2")


if __name__ == "__main__":
    main()
