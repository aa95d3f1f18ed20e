"""A validated CRL parsed once into a serial index, so that each later lookup is a dictionary access."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from asn1crypto import crl as asn1_crl
from asn1crypto.core import Sequence as Asn1Sequence
from cryptography import x509

from pki.errors import ErrorCode, InvalidInput
from verifier.revocation.crl_header import CrlHeader

# reason, hold instruction code, invalidity date
_KNOWN_ENTRY_EXTENSIONS = frozenset({"2.5.29.21", "2.5.29.23", "2.5.29.24"})

_REASON_NAMES = {
    x509.ReasonFlags.unspecified: "unspecified",
    x509.ReasonFlags.key_compromise: "key_compromise",
    x509.ReasonFlags.ca_compromise: "ca_compromise",
    x509.ReasonFlags.affiliation_changed: "affiliation_changed",
    x509.ReasonFlags.superseded: "superseded",
    x509.ReasonFlags.cessation_of_operation: "cessation_of_operation",
    x509.ReasonFlags.certificate_hold: "certificate_hold",
    x509.ReasonFlags.privilege_withdrawn: "privilege_withdrawn",
    x509.ReasonFlags.aa_compromise: "aa_compromise",
    x509.ReasonFlags.remove_from_crl: "remove_from_crl",
}

_NO_PARAMETERS = (b"", b"\x05\x00")  # an absent parameters field, or an explicit NULL


@dataclass(frozen=True)
class CrlIndex:
    """A validated CRL parsed once: serial -> position of its entry (entry details read on a hit only)."""

    header: CrlHeader
    positions: dict[int, int]
    crl: x509.CertificateRevocationList

    @classmethod
    def build(cls, header: CrlHeader, der: bytes) -> CrlIndex:
        """The index of the CRL ``der`` whose signature has been checked.

        Raises InvalidInput(``malformed_crl``) when its entries cannot be read.
        """
        crl = load_crl_entries(der)
        return cls(header, {entry.serial_number: n for n, entry in enumerate(crl)}, crl)

    def lookup(self, serial: int) -> tuple[dt.datetime, str] | None:
        """(revocation time, RFC 5280 reason name) for ``serial``, or None when not listed.

        Raises InvalidInput(``crl_entry``) when the entry carries an unknown critical extension.
        """
        position = self.positions.get(serial)
        if position is None:
            return None
        entry = self.crl[position]
        reason = "unspecified"
        for extension in entry.extensions:
            if extension.critical and extension.oid.dotted_string not in _KNOWN_ENTRY_EXTENSIONS:
                raise InvalidInput(ErrorCode.CRL_ENTRY, "the CRL entry has an unknown critical extension")
            if isinstance(extension.value, x509.CRLReason):
                reason = _REASON_NAMES.get(extension.value.reason, "unspecified")
        return entry.revocation_date_utc, reason


def load_crl_entries(der: bytes) -> x509.CertificateRevocationList:
    """``cryptography``'s view of a CRL whose signature has been checked, for reading its entries.

    The real NCA's GOST CRLs write the outer signatureAlgorithm with an explicit NULL parameter and the
    one inside the TBS without any (RFC 5280 5.1.1.2 wants them identical; ``cryptography`` refuses the
    CRL). The two mean the same: the outer copy is not signed, so it is replaced by the signed inner one
    before loading. Any other difference raises InvalidInput(``malformed_crl``).
    """
    try:
        return x509.load_der_x509_crl(der)
    except ValueError:
        pass
    try:
        crl = asn1_crl.CertificateList.load(der)
        inner = crl["tbs_cert_list"]["signature"]
        outer = crl["signature_algorithm"]
        same = inner["algorithm"].dotted == outer["algorithm"].dotted and {
            inner["parameters"].dump(),
            outer["parameters"].dump(),
        } <= set(_NO_PARAMETERS)
        if same:
            body = crl["tbs_cert_list"].dump() + inner.dump() + crl["signature"].dump()
            return x509.load_der_x509_crl(Asn1Sequence(contents=body).dump())
    except (ValueError, TypeError, KeyError):
        pass
    raise InvalidInput(ErrorCode.MALFORMED_CRL, "the CRL cannot be decoded (RFC 5280 5.1)")
