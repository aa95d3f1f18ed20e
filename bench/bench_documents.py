"""Signed documents verified per second, WS-Security and PDF: `python -m bench.bench_documents [--count N]`.

One core, RSA-2048 throughout: bench_verify's root and nca, and LEAVES individual SIGN certificates
(nonRepudiation). Each leaf signs, before the clock starts, a SOAP envelope with WS-Security
(:func:`pki.wsse.sign_envelope`: a ~1 kB Body) and a one-page PDF (:func:`pki.pdf.sign_pdf`, PAdES, ~35 kB
with the reserved signature space). Our verifier judges them in document mode with the nca CRL of 10,000
entries (indexed once): the format's checks, then the chain, validity, key usage and revocation.

Beside them, from the same run: the raw cost of the two RSA-2048 verifications every document needs (its
signature and the leaf certificate's), and the peers a Python user would pick:

- WS-Security: xmlsec (libxmlsec1, C) through zeep's ``verify_envelope``, given the signer's certificate.
  It checks the signature value and the references only (no chain, no revocation, no wrapping defence),
  so it is a lower bound of the work ours does;
- PDF: pyHanko's ``validate_pdf_signature`` with one ValidationContext reused for every file (trust root,
  the nca certificate, the same two CRLs, revocation required): coverage, the difference analysis, the CMS,
  the chain and the CRL, as ours.

Every figure is the median of 3 runs (``--runs N`` or ``KZPKI_BENCH_RUNS``), each run printed with its
wall-clock and CPU seconds and the median line with the load average. Figures are printed, never asserted.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import PdfFileWriter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from zeep.wsse.signature import verify_envelope

from bench.bench_verify import AT, CRL_ENTRIES, Pki, _certificate, _key
from bench.timing import count_and_runs, median_of, per_second
from pki import pdf, wsse
from pki.iin import Sex, make_iin
from pki.names import Person, build_subject
from verifier import Purpose, RevocationMethods, StaticRevocationSource, Verifier

LEAVES = 10
ENVELOPE = (
    f'<soap:Envelope xmlns:soap="{wsse.SOAP11_NS}"><soap:Body><p:payment xmlns:p="urn:example:payments">'
    + "".join(f"<p:line n='{n}'>KZ86125KZT50041001{n:02d} 1000.00 KZT</p:line>" for n in range(16))
    + "</p:payment></soap:Body></soap:Envelope>"
).encode()


def one_page_pdf() -> bytes:
    """A one-page PDF written by pyHanko's writer."""
    writer = PdfFileWriter()
    page = {
        "/Type": generic.NameObject("/Page"),
        "/MediaBox": generic.ArrayObject([generic.NumberObject(n) for n in (0, 0, 595, 842)]),
        "/Resources": generic.DictionaryObject(),
    }
    writer.insert_page(generic.DictionaryObject({generic.NameObject(k): v for k, v in page.items()}))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def signing_leaves(pki: Pki) -> list[tuple[rsa.RSAPrivateKey, x509.Certificate]]:
    """LEAVES SIGN certificates issued by ``pki``'s nca."""
    leaves = []
    for n in range(LEAVES):
        key = _key()
        person = Person("БЕНЧОВ", f"ҚОЛ{n}", "ТЕСТОВИЧ", make_iin(dt.date(1980, 1, 1), Sex.FEMALE, 500 + n))
        subject = build_subject(person)
        certificate = _certificate(
            subject, pki.nca.subject, key.public_key(), pki.nca_key, 5000 + n, False, signing=True
        )
        leaves.append((key, certificate))
    return leaves


def main() -> None:
    count, runs = count_and_runs(__doc__, "count", 600, "documents")

    print(
        f"building the PKI (RSA-2048), {LEAVES} signing leaves and a CRL with {CRL_ENTRIES:,} entries ...",
        flush=True,
    )
    pki = Pki()
    root_crl = pki.crl(pki.root, pki.root_key, 0)
    nca_crl = pki.crl(pki.nca, pki.nca_key, CRL_ENTRIES)
    leaves = signing_leaves(pki)
    envelopes = [wsse.sign_envelope(ENVELOPE, key, certificate) for key, certificate in leaves]
    blank = one_page_pdf()
    pdfs = [pdf.sign_pdf(blank, key, certificate, at=AT) for key, certificate in leaves]
    print(f"  envelope {len(envelopes[0]):,} bytes, PDF {len(pdfs[0]):,} bytes", flush=True)

    policy = pki.policy(RevocationMethods.CRL)
    verifier = Verifier(policy, StaticRevocationSource([root_crl, nca_crl])).for_purpose(Purpose.DOCUMENT)

    def ours_wsse(n: int) -> None:
        verdict = verifier.verify_wsse(envelopes[n % LEAVES], at=AT)
        assert verdict.passed, verdict.to_json()

    def ours_pdf(n: int) -> None:
        (result,) = verifier.verify_pdf(pdfs[n % LEAVES], at=AT)
        assert result.verdict.passed, result.verdict.to_json()

    issuer_key = pki.nca.public_key()
    assert isinstance(issuer_key, rsa.RSAPublicKey)
    message = b"x" * 32
    signatures = [
        (key.public_key(), key.sign(message, padding.PKCS1v15(), hashes.SHA256()), cert)
        for key, cert in leaves
    ]

    def raw(n: int) -> None:
        public_key, signature, certificate = signatures[n % LEAVES]
        public_key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
        issuer_key.verify(
            certificate.signature, certificate.tbs_certificate_bytes, padding.PKCS1v15(), hashes.SHA256()
        )

    folder = Path(tempfile.mkdtemp(prefix="kzpki-bench-"))
    certificate_files = []
    for n, (_, certificate) in enumerate(leaves):
        path = folder / f"leaf{n}.pem"
        path.write_bytes(certificate.public_bytes(Encoding.PEM))
        certificate_files.append(str(path))

    def xmlsec_wsse(n: int) -> None:
        verify_envelope(etree.fromstring(envelopes[n % LEAVES]), certificate_files[n % LEAVES])

    context = ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(pki.root.public_bytes(Encoding.DER))],
        other_certs=[asn1_x509.Certificate.load(pki.nca.public_bytes(Encoding.DER))],
        crls=[asn1_crl.CertificateList.load(root_crl), asn1_crl.CertificateList.load(nca_crl)],
        allow_fetching=False,
        revocation_mode="require",
        moment=AT,
    )

    def pyhanko_pdf(n: int) -> None:
        (embedded,) = PdfFileReader(io.BytesIO(pdfs[n % LEAVES])).embedded_signatures
        status = validate_pdf_signature(embedded, signer_validation_context=context)
        assert status.bottom_line, status.pretty_print_details()

    labels = {
        "wsse": "ours: WS-Security envelope",
        "xmlsec": "xmlsec via zeep: WS-Security signature only",
        "pdf": "ours: PDF (PAdES)",
        "pyhanko": "pyHanko validate_pdf_signature, reused context",
        "raw": "raw: 2 RSA-2048 verifications",
    }
    measurements: dict[str, tuple[Callable[[int], None], int]] = {
        "wsse": (ours_wsse, count),
        "xmlsec": (xmlsec_wsse, count),
        "pdf": (ours_pdf, count),
        "pyhanko": (pyhanko_pdf, max(20, count // 10)),
        "raw": (raw, count * 4),
    }
    rates = {
        key: median_of(labels[key], "/s", partial(per_second, op, n), runs).median
        for key, (op, n) in measurements.items()
    }
    print("\nverifications per second, one core (medians, wall clock; each run's CPU time above):")
    for key, (_, n) in measurements.items():
        line = f"  {labels[key]:48} {rates[key]:8.1f} /s {1e6 / rates[key]:8.0f} us   [{n} each]"
        if key in ("wsse", "pdf"):
            line += f"   raw-crypto share {rates[key] / rates['raw']:5.1%}"
        print(line)
    print(
        f"  ours, WS-Security: {rates['wsse'] / rates['xmlsec']:.2f}x xmlsec's signature-only check; "
        f"ours, PDF: {rates['pdf'] / rates['pyhanko']:.1f}x pyHanko with a reused context"
    )


if __name__ == "__main__":
    main()
