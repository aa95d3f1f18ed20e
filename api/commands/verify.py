"""`kzpki verify`: verify a CMS signature, an XML signature, a SOAP envelope's WS-Security signature, the
signatures of a PDF, a certificate or (``--timestamp``) an RFC 3161 time-stamp token and print the verdict
JSON (for a PDF: ``{"signatures": [...]}``, one verdict per signature).

Offline by default: revocation data comes from ``--crl`` / ``--ocsp-response`` files (a static
source). ``--online`` fetches CRLs and OCSP answers from the URLs in the certificates, limited to
the hosts of ``--allow-host`` (default: the host of KZPKI_PUBLIC_URL and the real NCA's
``pki.gov.kz`` hosts). Without ``--anchor`` the trust anchor is the data directory's root
(``kzpki ca init`` writes it to KZPKI_HOME/ca/root.pem), with gov and nca as intermediates.

Exit status: 0 only for TOTAL_PASSED, 1 for any other verdict, 2 for unreadable input or a ``--at``
outside [1950, 9000) UTC (``datetime_out_of_range``; a problem message on stderr, never a traceback).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
import urllib.parse
from pathlib import Path

import click
from lxml import etree

from api.clock import system_clock
from api.commands.options import EXISTING_FILE, repeatable_files
from api.config import load_settings
from pki import oids
from pki.calendar import parse_instant
from pki.errors import KzPkiError
from pki.wsse import SOAP_NAMESPACES
from pki.xmldsig import parse_xml
from verifier import (
    HttpRevocationSource,
    Purpose,
    RevocationRequirement,
    RevocationSource,
    StaticRevocationSource,
    VerificationPolicy,
    Verifier,
)
from verifier.certificate import Cert
from verifier.policy import CURRENT_ALGORITHMS, HISTORIC_DSA, RFC3280_COMPATIBLE, RFC5280_PROFILE

NCA_HOSTS = ("pki.gov.kz", "test.pki.gov.kz", "crl.pki.gov.kz", "crl1.pki.gov.kz", "ocsp.pki.gov.kz")


def register(cli: click.Group) -> None:
    """Add ``verify`` to ``cli``."""
    cli.add_command(verify)


@click.command("verify")
@click.argument("file", type=EXISTING_FILE)
@click.option(
    "--at",
    "at_text",
    help="Validation time, ISO 8601 in 1950..9000 (default: now). Naive times are UTC; a date alone is "
    "the start of that day in Kazakhstan.",
)
@repeatable_files(
    "--anchor",
    "anchors",
    "Trust anchor certificate (PEM/DER); repeatable. Default: the data directory's root.",
)
@repeatable_files("--intermediate", "intermediates", "Extra CA certificate for path building; repeatable.")
@click.option(
    "--data",
    type=EXISTING_FILE,
    help="The signed data of a detached CMS signature, or the data a --timestamp token stamps.",
)
@click.option(
    "--timestamp",
    "is_timestamp",
    is_flag=True,
    help="FILE is an RFC 3161 time-stamp token (its signer must be a time-stamping authority).",
)
@repeatable_files("--ocsp-response", "ocsp_responses", "DER OCSP response to use (offline); repeatable.")
@repeatable_files("--crl", "crls", "DER CRL (full or delta) to use (offline); repeatable.")
@click.option("--test-pki", is_flag=True, help="Accept the NCA's test identities (with a warning).")
@click.option(
    "--purpose",
    type=click.Choice([p.value for p in Purpose]),
    default=Purpose.DOCUMENT.value,
    show_default=True,
    help="login: UNIS authentication rules; document: signing rules; timestamp: a TSA's certificate.",
)
@click.option(
    "--revocation",
    type=click.Choice([r.value for r in RevocationRequirement]),
    default=RevocationRequirement.REQUIRED.value,
    show_default=True,
    help="Documents and time stamps: refuse (required) or warn (if_available) without a revocation answer.",
)
@click.option(
    "--ca-revocation/--no-ca-revocation",
    default=True,
    show_default=True,
    help="Check the intermediate CAs' revocation too (needs the root's CRL; the NCA test material has none).",
)
@click.option(
    "--clock-skew",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Seconds of grace on every validity and freshness bound (RFC 5280 validity is exact: 0).",
)
@click.option(
    "--initial-policy",
    "initial_policies",
    multiple=True,
    help="RFC 5280 6.1.1 user-initial-policy-set: an acceptable policy OID; repeatable (default anyPolicy).",
)
@click.option("--explicit-policy", is_flag=True, help="RFC 5280 6.1.1 initial-explicit-policy.")
@click.option("--inhibit-policy-mapping", is_flag=True, help="RFC 5280 6.1.1 initial-policy-mapping-inhibit.")
@click.option("--inhibit-any-policy", is_flag=True, help="RFC 5280 6.1.1 initial-any-policy-inhibit.")
@click.option(
    "--historic-dsa",
    is_flag=True,
    help="Accept DSA with SHA-1/SHA-256 in certificates and CRLs, for historic documents "
    "(verifier.policy.HISTORIC_DSA; refused with --purpose login).",
)
@click.option(
    "--rfc3280",
    is_flag=True,
    help="CAs issued under RFC 3280: accept a non-critical policyConstraints "
    "(verifier.policy.RFC3280_COMPATIBLE; RFC 5280 4.2.1.11 requires it critical).",
)
@click.option(
    "--online", is_flag=True, help="Fetch CRLs / OCSP from the certificates' URLs (allow-listed hosts)."
)
@click.option(
    "--allow-host", "allow_hosts", multiple=True, help="Host that --online may contact; repeatable."
)
def verify(
    file: Path,
    at_text: str | None,
    anchors: tuple[Path, ...],
    intermediates: tuple[Path, ...],
    data: Path | None,
    is_timestamp: bool,
    ocsp_responses: tuple[Path, ...],
    crls: tuple[Path, ...],
    test_pki: bool,
    purpose: str,
    revocation: str,
    ca_revocation: bool,
    clock_skew: float,
    initial_policies: tuple[str, ...],
    explicit_policy: bool,
    inhibit_policy_mapping: bool,
    inhibit_any_policy: bool,
    historic_dsa: bool,
    rfc3280: bool,
    online: bool,
    allow_hosts: tuple[str, ...],
) -> None:
    """Verify FILE (CMS in DER/PEM/base64, XMLDSig, a WS-Security SOAP envelope, a PDF, or a certificate)
    and print the verdict."""
    try:
        at = parse_instant(at_text) if at_text else system_clock()
        anchor_ders, intermediate_ders = _trust(anchors, intermediates)
        policy = VerificationPolicy(
            trust_anchors=anchor_ders,
            intermediates=intermediate_ders,
            purpose=Purpose(purpose),
            test_pki=test_pki,
            document_revocation=RevocationRequirement(revocation),
            check_ca_revocation=ca_revocation,
            max_clock_skew=dt.timedelta(seconds=clock_skew),
            user_initial_policy_set=frozenset(initial_policies or (oids.ANY_POLICY,)),
            initial_explicit_policy=explicit_policy,
            initial_policy_mapping_inhibit=inhibit_policy_mapping,
            initial_any_policy_inhibit=inhibit_any_policy,
            cryptographic_constraints=HISTORIC_DSA if historic_dsa else CURRENT_ALGORITHMS,
            profile_compatibility=RFC3280_COMPATIBLE if rfc3280 else RFC5280_PROFILE,
        )
        source: RevocationSource
        if online:
            source = HttpRevocationSource(allow_hosts or _default_hosts())
        else:
            source = StaticRevocationSource(
                crls=[p.read_bytes() for p in crls], ocsp_responses=[p.read_bytes() for p in ocsp_responses]
            )
            policy = dataclasses.replace(policy, ocsp_nonce=False)
        verifier = Verifier(policy, source)
        content, signed = file.read_bytes(), data.read_bytes() if data else None
        if is_timestamp:
            verdict = verifier.verify_timestamp(content, at=at, data=signed)
            answer, passed = verdict.to_json(), verdict.passed
        else:
            answer, passed = _verify(verifier, content, at, signed)
    except (KzPkiError, ValueError) as exc:
        code = getattr(exc, "code", "invalid_input")
        click.echo(json.dumps({"code": code, "detail": str(exc)}, ensure_ascii=False), err=True)
        sys.exit(2)
    click.echo(answer)
    sys.exit(0 if passed else 1)


def _verify(verifier: Verifier, content: bytes, at: dt.datetime, data: bytes | None) -> tuple[str, bool]:
    """The JSON answer and whether it passed, dispatched on what ``content`` is: a PDF (every signature,
    passed when there is one and all pass), XML (a SOAP envelope's WS-Security signature, or enveloped
    XMLDSig), a certificate, or (anything else) CMS."""
    stripped = content.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"%PDF-"):
        results = verifier.verify_pdf(content, at=at)
        answer = json.dumps({"signatures": [r.to_dict() for r in results]}, ensure_ascii=False, indent=2)
        return answer, bool(results) and all(r.verdict.passed for r in results)
    if stripped.startswith(b"<"):
        soap = etree.QName(parse_xml(content).getroot()).namespace in SOAP_NAMESPACES
        verdict = verifier.verify_wsse(content, at=at) if soap else verifier.verify_xml(content, at=at)
    elif stripped.startswith(b"-----BEGIN CERTIFICATE-----") or _is_der_certificate(stripped):
        verdict = verifier.inspect_certificate(content, at=at)
    else:
        verdict = verifier.verify_cms(content, at=at, detached_content=data)
    return verdict.to_json(), verdict.passed


def _is_der_certificate(content: bytes) -> bool:
    """Whether ``content`` is one DER certificate as the verifier reads it (a DSA key inheriting its
    parameters from the issuer, RFC 3279 2.3.2, included; ``cryptography`` alone cannot parse it)."""
    if content[:1] != b"\x30":
        return False
    try:
        Cert.load(content)
    except KzPkiError:
        return False
    return True


def _trust(
    anchors: tuple[Path, ...], intermediates: tuple[Path, ...]
) -> tuple[tuple[bytes, ...], tuple[bytes, ...]]:
    extra = tuple(_der(p) for p in intermediates)
    if anchors:
        return tuple(_der(p) for p in anchors), extra
    settings = load_settings()
    directory = settings.home / "ca"
    root = directory / "root.pem"
    if not root.exists():
        raise ValueError(f"no trust anchor: pass --anchor, or run `kzpki ca init` to write {root}")
    own = tuple(
        _der(directory / f"{ca_id}.pem") for ca_id in ("gov", "nca") if (directory / f"{ca_id}.pem").exists()
    )
    extra_anchors = tuple(_der(p) for p in settings.extra_anchor_paths)
    return (_der(root), *extra_anchors), own + extra


def _der(path: Path) -> bytes:
    """The DER of the certificate file ``path`` (PEM or DER).

    Raises InvalidInput(``malformed_certificate``)."""
    return Cert.load(path.read_bytes()).der


def _default_hosts() -> tuple[str, ...]:
    own = urllib.parse.urlsplit(load_settings().public_base_url).hostname
    return (*NCA_HOSTS, *((own,) if own else ()))
