"""In-process login verifications per second: `python -m bench.bench_verify [--logins N]`.

One core, RSA-2048 throughout (root, nca, leaves). Each login is what UNIS asks of the verifier: a
CMS SignedData over a 32-byte nonce (signed attributes, signer certificate inside), the chain to
the root, revocation, the identity and age rules (purpose ``login``). Three variants:

- CRL: the nca CRL has 10,000 entries; it is validated (pyhanko-certvalidator) and indexed once,
  then served from the index. The 50 leaves repeat, so their memo-cache entries (the leaf's signature
  check, summary, identity, public key) are warm: returning users;
- CRL, a new user each login (:func:`bench.logins.new_user_rate`): the same, with every memo cache
  emptied and the CA entries re-warmed (untimed) before each timed login, as for a service with far
  more users than its caches hold;
- OCSP: one pre-signed response per leaf (delegated responder), validated once, reused from the
  OCSP cache.

Printed beside them, from the same run: the raw cost of the two signature verifications a login
needs (the CMS signer's and the leaf certificate's, with ``cryptography``), as a ratio of the
login's cost; and the peer a Python user would pick, pyhanko-certvalidator, in its two settings:

- its best case, one ValidationContext REUSED for every leaf (``CertificateValidator`` per leaf,
  validated for use with the leaf's OCSP response, OCSP_REQUIRED, the CA by the root's CRL), as a
  service keeping a context would run it;
- its worst case, a fresh context per validation (our path builder handing each candidate to
  pyhanko-certvalidator with the same 10,000-entry CRL, CRL_REQUIRED: the whole-path check).

The CMS objects are signed before the clock starts (signing is the client's cost). Every figure is
the median of 3 runs (``--runs N`` or ``KZPKI_BENCH_RUNS``, :func:`bench.timing.median_of`): each run
printed with its wall-clock and CPU seconds, the median line with the load average before and after
(on a shared machine compare CPU time).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.policy_decl import (
    CertRevTrustPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)

from bench.logins import login_rate, new_user_rate, signer_signature
from bench.timing import count_and_runs, median_of, per_second
from pki import oids
from pki.cms import embedded_certificates, load_signed_data
from pki.cms_signing import sign_cms
from pki.iin import Sex, make_iin
from pki.names import Person, build_ca_subject, build_subject
from verifier import RevocationMethods, StaticRevocationSource, VerificationPolicy, Verifier
from verifier.certificate import Cert
from verifier.paths import PathSettings, validate_target
from verifier.profile import Role

AT = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
LEAVES = 50
CRL_ENTRIES = 10_000
CRL_LABEL = "CRL (10,000 entries, indexed)"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(65537, 2048)


def _certificate(
    subject: x509.Name,
    issuer: x509.Name,
    key: rsa.RSAPublicKey,
    signer: rsa.RSAPrivateKey,
    serial: int,
    ca: bool,
    *,
    signing: bool = False,
) -> x509.Certificate:
    """A CA certificate, or a leaf: an individual's AUTH key, or with ``signing`` their SIGN key
    (nonRepudiation, the document purpose's key usage)."""
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key)
        .serial_number(serial)
        .not_valid_before(AT - dt.timedelta(days=30))
        .not_valid_after(AT + dt.timedelta(days=335 if not ca else 2000))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), critical=False
        )
    )
    if ca:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        usage = dict(key_cert_sign=True, crl_sign=True, digital_signature=False, key_encipherment=False)
    else:
        usage = dict(key_cert_sign=False, crl_sign=False, digital_signature=True, key_encipherment=True)
        eku = [ExtendedKeyUsageOID.CLIENT_AUTH, x509.ObjectIdentifier(oids.ROLE_INDIVIDUAL)]
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
        url = x509.UniformResourceIdentifier("http://127.0.0.1/ocsp/")
        access = [x509.AccessDescription(x509.oid.AuthorityInformationAccessOID.OCSP, url)]
        builder = builder.add_extension(x509.AuthorityInformationAccess(access), critical=False)
    builder = builder.add_extension(
        x509.KeyUsage(
            content_commitment=signing,
            data_encipherment=False,
            key_agreement=False,
            encipher_only=False,
            decipher_only=False,
            **usage,
        ),
        critical=True,
    )
    return builder.sign(signer, hashes.SHA256())


class Pki:
    """Root -> nca -> LEAVES individual AUTH certificates, a responder, the CRLs and OCSP responses."""

    def __init__(self) -> None:
        self.root_key, self.nca_key, self.responder_key = _key(), _key(), _key()
        root_name, nca_name = build_ca_subject("BENCH ROOT (SIM)"), build_ca_subject("BENCH NCA (SIM)")
        self.root = _certificate(root_name, root_name, self.root_key.public_key(), self.root_key, 1, True)
        self.nca = _certificate(nca_name, root_name, self.nca_key.public_key(), self.root_key, 2, True)
        responder = (
            x509.CertificateBuilder()
            .subject_name(build_ca_subject("BENCH OCSP (SIM)"))
            .issuer_name(nca_name)
            .public_key(self.responder_key.public_key())
            .serial_number(3)
            .not_valid_before(AT - dt.timedelta(days=1))
            .not_valid_after(AT + dt.timedelta(days=30))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), critical=False)
            .add_extension(x509.OCSPNoCheck(), critical=False)
        )
        self.responder = responder.sign(self.nca_key, hashes.SHA256())
        self.leaves = []
        for n in range(LEAVES):
            key = _key()
            person = Person("БЕНЧОВ", f"ТЕСТ{n}", "ТЕСТОВИЧ", make_iin(dt.date(1980, 1, 1), Sex.MALE, n))
            certificate = _certificate(
                build_subject(person), nca_name, key.public_key(), self.nca_key, 1000 + n, False
            )
            self.leaves.append((key, certificate))

    def crl(self, issuer: x509.Certificate, key: rsa.RSAPrivateKey, entries: int) -> bytes:
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(issuer.subject)
            .last_update(AT - dt.timedelta(hours=1))
            .next_update(AT + dt.timedelta(hours=26))
            .add_extension(x509.CRLNumber(1), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False
            )
        )
        for n in range(entries):
            revoked = (
                x509.RevokedCertificateBuilder()
                .serial_number(10**30 + n)
                .revocation_date(AT - dt.timedelta(days=2))
            )
            builder = builder.add_revoked_certificate(
                revoked.add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False).build()
            )
        return builder.sign(key, hashes.SHA256()).public_bytes(Encoding.DER)

    def ocsp(self, certificate: x509.Certificate) -> bytes:
        builder = (
            ocsp.OCSPResponseBuilder()
            .add_response(
                certificate, self.nca, hashes.SHA256(), ocsp.OCSPCertStatus.GOOD, AT, None, None, None
            )
            .responder_id(ocsp.OCSPResponderEncoding.HASH, self.responder)
            .certificates([self.responder])
        )
        return builder.sign(self.responder_key, hashes.SHA256()).public_bytes(Encoding.DER)

    def policy(self, methods: RevocationMethods) -> VerificationPolicy:
        return VerificationPolicy(
            trust_anchors=(self.root.public_bytes(Encoding.DER),),
            intermediates=(self.nca.public_bytes(Encoding.DER),),
            revocation_methods=methods,
            ocsp_nonce=False,
            ocsp_cache_ttl=dt.timedelta(hours=1),
        )


def reused_context_rate(pki: Pki, root_crl: bytes, responses: list[bytes], count: int) -> float:
    """pyhanko-certvalidator's best case: one ValidationContext for every validation (its caches warm),
    OCSP_REQUIRED for the leaf, the CA by the root's CRL; a CertificateValidator per leaf."""
    context = ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(pki.root.public_bytes(Encoding.DER))],
        other_certs=[asn1_x509.Certificate.load(pki.nca.public_bytes(Encoding.DER))],
        moment=AT,
        allow_fetching=False,
        crls=[root_crl],
        ocsps=responses,
        revinfo_policy=CertRevTrustPolicy(
            RevocationCheckingPolicy(
                RevocationCheckingRule.OCSP_REQUIRED, RevocationCheckingRule.CRL_REQUIRED
            )
        ),
    )
    leaves = [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for _, c in pki.leaves]

    async def validate(n: int) -> None:
        validator = CertificateValidator(leaves[n % LEAVES], validation_context=context)
        await validator.async_validate_usage(set())

    async def timed() -> float:  # one event loop for all: its start-up is no part of a validation
        await validate(count)  # warm-up, as per_second does
        started = time.perf_counter()
        for n in range(count):
            await validate(n)
        return count / (time.perf_counter() - started)

    return asyncio.run(timed())


def main() -> None:
    count, runs = count_and_runs(__doc__, "logins", 4000, "logins")

    print(
        f"building the PKI (RSA-2048), {LEAVES} leaves and a CRL with {CRL_ENTRIES:,} entries ...", flush=True
    )
    pki = Pki()
    root_crl = pki.crl(pki.root, pki.root_key, 0)
    nca_crl = pki.crl(pki.nca, pki.nca_key, CRL_ENTRIES)
    responses = [pki.ocsp(certificate) for _, certificate in pki.leaves]
    nonce = bytes(range(32))
    signed = [sign_cms(nonce, key, certificate, signing_time=AT) for key, certificate in pki.leaves]

    # The raw cryptography the fast path cannot avoid: the CMS signature and the leaf certificate's.
    issuer_key = pki.nca.public_key()
    assert isinstance(issuer_key, rsa.RSAPublicKey)
    parts = []
    for der, (key, certificate) in zip(signed, pki.leaves, strict=True):
        parts.append((key.public_key(), *signer_signature(der), certificate))

    def raw(n: int) -> None:
        key, attributes, signature, certificate = parts[n % LEAVES]
        key.verify(signature, attributes, padding.PKCS1v15(), hashes.SHA256())
        issuer_key.verify(
            certificate.signature, certificate.tbs_certificate_bytes, padding.PKCS1v15(), hashes.SHA256()
        )

    anchors = [Cert(pki.root.public_bytes(Encoding.DER))]
    others = [Cert(pki.nca.public_bytes(Encoding.DER))]
    leaves = [Cert(embedded_certificates(load_signed_data(der))[0].dump()) for der in signed]

    def full(n: int) -> None:
        settings = PathSettings(
            anchors=tuple(anchors),
            others=tuple(others),
            at=AT,
            skew=dt.timedelta(seconds=30),
            ee_rule=RevocationCheckingRule.CRL_REQUIRED,
            ca_rule=RevocationCheckingRule.CRL_REQUIRED,
            crls=(root_crl, nca_crl),
        )
        result = validate_target(leaves[n % LEAVES], Role.LEAF, settings)
        assert isinstance(result, tuple), result

    new_user_label = "CRL, a new user each login"
    ocsp_label = "OCSP (validated once, cached)"
    reused_label = "pyhanko-certvalidator, reused context (OCSP)"
    fresh_label = "pyhanko-certvalidator, fresh context (CRL)"
    reused_count, full_count = max(20, count // 10), max(5, count // 400)
    measurements: dict[str, tuple[Callable[[], float], int]] = {
        CRL_LABEL: (
            lambda: login_rate(
                Verifier(pki.policy(RevocationMethods.CRL), StaticRevocationSource([root_crl, nca_crl])),
                signed,
                AT,
                count,
            ),
            count,
        ),
        new_user_label: (
            lambda: new_user_rate(
                Verifier(pki.policy(RevocationMethods.CRL), StaticRevocationSource([root_crl, nca_crl])),
                signed,
                AT,
                count // 4,
            ),
            count // 4,
        ),
        ocsp_label: (
            lambda: login_rate(
                Verifier(pki.policy(RevocationMethods.OCSP), StaticRevocationSource([root_crl], responses)),
                signed,
                AT,
                count,
            ),
            count,
        ),
        "raw: 2 RSA-2048 verifications": (lambda: per_second(raw, count), count),
        reused_label: (lambda: reused_context_rate(pki, root_crl, responses, reused_count), reused_count),
        fresh_label: (lambda: per_second(full, full_count), full_count),
    }
    rates = {
        label: median_of(label, "/s", measure, runs).median for label, (measure, _) in measurements.items()
    }
    raw_rate = rates["raw: 2 RSA-2048 verifications"]

    print("\nverifications per second, one core (medians, wall clock; each run's CPU time above):")
    for label, (_, n) in measurements.items():
        line = f"  {label:45} {rates[label]:8.1f} /s {1e6 / rates[label]:8.0f} us   [{n} each]"
        if label in (CRL_LABEL, new_user_label, ocsp_label):
            line += f"   raw-crypto share {rates[label] / raw_rate:5.1%}"
        print(line)
    for label in (CRL_LABEL, new_user_label, ocsp_label):
        ours = rates[label]
        print(
            f"  ours, {label.split(' (')[0]}: {ours / rates[reused_label]:.1f}x pyhanko-certvalidator "
            f"with a reused context, {ours / rates[fresh_label]:.0f}x with a fresh one"
        )
    print("target: >= 2,000 logins per second per core")


if __name__ == "__main__":
    main()
