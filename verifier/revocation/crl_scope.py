"""Which CRLs the fast path may judge, and which need RFC 5280 6.3 in full (EDS-18, UNIS-11).

The fast path (:mod:`verifier.revocation.crl_check`) judges the common case: complete CRLs, issued
and signed by the certificate's own issuer with the key that signed the certificate, scoped at most by
distribution-point URIs. RFC 5280 6.3 says more, and whenever a CRL or the certificate uses it, the
fast path must not guess (nor silently skip it): the leaf's whole path then goes to
pyhanko-certvalidator (:meth:`verifier.engine.Verifier.validate_with_certvalidator`), which implements
6.3 completely:

- a CRL issuer distinct from the certificate's issuer key: a separate CRL-signing key certified under the
  CA's name, or the new key of a rolled-over CA (6.3.3 f: the CRL issuer's path is validated, with the
  certificate's path up to the same trust anchor);
- issuingDistributionPoint scope: onlyContainsUserCerts for a CA certificate, onlyContainsCACerts,
  onlyContainsAttributeCerts (6.3.3 b.2 ii-iv), distribution points named otherwise than by URIs
  (directoryName, nameRelativeToCRLIssuer; 6.3.3 b.2 i);
- onlySomeReasons and reasons in the certificate's distribution point (6.3.3 d, k): the certificate is
  "not revoked" only when the reasons of the usable CRLs together cover every reason, otherwise the
  status is undetermined (which fails a login closed, UNIS-11);
- indirect CRLs: a cRLIssuer in the certificate's distribution point, indirectCRL in the CRL's IDP,
  certificateIssuer entry extensions (6.3.3 b.1, i, j).

:func:`leaf_point_reason`, :func:`crl_reason` and :func:`entity_reason` say why, in words for the verdict.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509

from pki.errors import InvalidInput
from verifier.certificate import Cert
from verifier.pkix import Authority
from verifier.revocation.crl_header import CrlHeader


@dataclass(frozen=True)
class FullProcessing:
    """A CRL the fast path does not judge, and why (for the verdict's message)."""

    reason: str


def crl_reason(header: CrlHeader, authority: Authority) -> str | None:
    """Why one CRL of ``authority``'s name needs RFC 5280 6.3 in full, whatever the certificate (None: the
    fast path judges it, or it is another issuer's). See also :func:`entity_reason`."""
    ca = authority.cert
    same_name = header.issuer_der == ca.subject_der or header.issuer_key == ca.subject_key
    if not same_name:
        return None  # another issuer's CRL: only a cRLIssuer in the leaf's DP makes it relevant (above)
    try:
        key_id = ca.key_identifier
    except InvalidInput:
        key_id = None
    if header.authority_key_id is not None and key_id not in (None, header.authority_key_id):
        return "the CRL is signed by another key of the CA (separate CRL key or key rollover, 6.3.3 f)"
    if header.limited_scope:
        return (
            "the CRL's issuingDistributionPoint limits it to some reasons, to CA or attribute "
            "certificates, or makes it indirect (6.3.3 b, d)"
        )
    if header.scope_other_names:
        return "the CRL's distribution point is named otherwise than by URIs (6.3.3 b.2 i)"
    return None


def entity_reason(header: CrlHeader, leaf: Cert) -> str | None:
    """Why a CRL of the fast path's needs RFC 5280 6.3 in full for ``leaf`` in particular, or None."""
    if header.only_user_certs and leaf.asn1.ca:
        return "the CRL holds only end-entity certificates and the certificate is a CA (6.3.3 b.2 ii)"
    return None


def leaf_point_reason(leaf: Cert) -> str | None:
    """Why ``leaf``'s CRL distribution points need RFC 5280 6.3 in full (cRLIssuer, reasons, names other
    than URIs), or None. An undecodable extension is left to the fast path (no CRL is then in scope)."""
    try:
        points = leaf.crypto.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    except (x509.ExtensionNotFound, ValueError, InvalidInput):
        return None
    for point in points:
        if point.crl_issuer:
            return "the certificate's distribution point names a CRL issuer (indirect CRL, 6.3.3 b.1)"
        if point.reasons:
            return "the certificate's distribution point covers only some reasons (6.3.3 d)"
        if point.relative_name is not None or any(
            not isinstance(n, x509.UniformResourceIdentifier) for n in point.full_name or ()
        ):
            return "the certificate's distribution point is named otherwise than by URIs (6.3.3 b.2 i)"
    return None
