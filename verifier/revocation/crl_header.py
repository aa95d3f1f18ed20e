"""A CRL's header: what is needed to find, judge and cache a CRL without reading its entries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from asn1crypto import crl as asn1_crl
from pyhanko_certvalidator.revinfo.constants import KNOWN_CRL_EXTENSIONS

from pki.errors import ErrorCode, InvalidInput
from verifier.revocation.crl_der import read_layout


@dataclass(frozen=True)
class CrlHeader:
    issuer_der: bytes
    issuer_key: str
    authority_key_id: bytes | None
    number: int | None
    base_number: int | None  # baseCRLNumber: set only for a delta CRL
    this_update: dt.datetime
    next_update: dt.datetime | None
    has_freshest_crl: bool
    unknown_critical: frozenset[str]
    scope_urls: frozenset[str] | None  # IssuingDistributionPoint full-name URIs; None: no IDP name
    limited_scope: bool  # IDP restricts to CA / attribute certs, some reasons or is indirect
    only_user_certs: bool = False  # IDP onlyContainsUserCerts
    scope_other_names: bool = (
        False  # the IDP names its point otherwise than by URIs (directoryName, relative)
    )
    number_critical: bool = False  # the CRL number extension is marked critical (RFC 5280 5.2.3: MUST NOT)

    @property
    def is_delta(self) -> bool:
        return self.base_number is not None


def read_crl_header(der: bytes) -> CrlHeader:
    """The header of the CRL ``der``. Raises InvalidInput(``malformed_crl``) when it cannot be decoded.

    Decoded without the entries when the DER's layout reads (:func:`_header_der`): the cost does not
    grow with the number of entries (a general decoder copies the entries' octets at each level).
    """
    try:
        crl = asn1_crl.CertificateList.load(_header_der(der))
        tbs = crl["tbs_cert_list"]
        critical = crl.critical_extensions
        idp = crl.issuing_distribution_point_value
        scope_urls: frozenset[str] | None = None
        limited = other_names = False
        if idp is not None:
            limited = bool(
                idp["only_contains_ca_certs"].native
                or idp["only_contains_attribute_certs"].native
                or idp["only_some_reasons"].native
                or idp["indirect_crl"].native
            )
            point = idp["distribution_point"]  # absent (Void) in an IDP that only limits the scope
            if point.native is not None and point.name == "full_name":
                scope_urls = frozenset(
                    n.native for n in point.chosen if n.name == "uniform_resource_identifier"
                )
                other_names = any(n.name != "uniform_resource_identifier" for n in point.chosen)
            elif point.native is not None:
                other_names = True  # nameRelativeToCRLIssuer
        delta = crl.delta_crl_indicator_value
        number = crl.crl_number_value
        return CrlHeader(
            issuer_der=bytes(crl.issuer.dump()),
            issuer_key=str(crl.issuer.hashable),
            authority_key_id=crl.authority_key_identifier,
            number=None if number is None else int(number.native),
            base_number=None if delta is None else int(delta.native),
            this_update=tbs["this_update"].native,
            next_update=tbs["next_update"].native,
            has_freshest_crl=crl.freshest_crl_value is not None,
            unknown_critical=frozenset(critical - KNOWN_CRL_EXTENSIONS),
            scope_urls=scope_urls,
            limited_scope=limited,
            only_user_certs=bool(idp is not None and idp["only_contains_user_certs"].native),
            scope_other_names=other_names,
            number_critical="crl_number" in critical,
        )
    except (ValueError, TypeError, KeyError, AttributeError):
        raise InvalidInput(ErrorCode.MALFORMED_CRL, "the CRL cannot be decoded") from None


def crl_number_problem(header: CrlHeader) -> str | None:
    """RFC 5280 5.2.3: a conforming CRL carries a CRL number, never marked critical (x509-limbo
    crl::crlnumber-missing / -critical). Why ``header``'s CRL is refused, or None."""
    if header.number is None:
        return "the CRL has no CRL number (RFC 5280 5.2.3)"
    if header.number_critical:
        return "the CRL number extension is marked critical (RFC 5280 5.2.3)"
    return None


def crl_next_update(der: bytes) -> dt.datetime | None:
    """The nextUpdate of the CRL ``der``. Raises ValueError when it cannot be decoded."""
    try:
        return asn1_crl.CertificateList.load(_header_der(der))["tbs_cert_list"]["next_update"].native
    except (ValueError, TypeError, KeyError):
        raise ValueError("the downloaded CRL cannot be decoded") from None


def _header_der(der: bytes) -> bytes:
    """``der`` without its entries when its DER layout reads (the header fields unchanged), else ``der``
    as it is: what the layout refuses is left to the general decoder (and refused when it is indexed)."""
    try:
        return read_layout(der).without_entries(der)
    except InvalidInput:
        return der
