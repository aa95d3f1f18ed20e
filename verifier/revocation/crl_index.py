"""A validated CRL's serial index: one sorted array of 64-bit keys, entries decoded only on a hit.

Layout. For a CRL of N entries the index is one ``array('Q')`` of N words (8 N octets: 8 MB for a million
entries) beside the CRL's DER, which it shares with whoever fetched it (no copy). Each word is
``hash(serial octets) & high | offset``: the low ``offset_bits`` bits are the entry's offset in the DER
(``offset_bits`` is the bit length of the DER's size), the high bits those of a hash of the serial
number's minimal two's complement octets. The array is sorted, so a lookup is one bisection for the hash
prefix followed by an exact comparison of the serial octets of each entry with that prefix (in CRL order,
so a serial listed twice is read from its first entry). With 64 - 26 = 38 hash bits for a 50 MB CRL, a
lookup of a serial that is not listed compares nothing in almost every case.

The hash is Python's ``hash`` of bytes, SipHash keyed per process (PYTHONHASHSEED): a CA cannot choose
serials that collide in it, and the index is never shared between processes.

Cost (bench/bench_crl_scale.py): a million entries in about a second of CPU (one pass of
:func:`verifier.revocation.crl_der.scan_entries`, one sort of a list of ints), a peak of about 50 MB above
the DER while the list exists, 8 MB after. A hit decodes its one entry with asn1crypto.
"""

from __future__ import annotations

import datetime as dt
from array import array
from bisect import bisect_left
from dataclasses import dataclass

from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509

from pki.errors import ErrorCode, InvalidInput
from verifier.revocation.crl_der import (
    CrlLayout,
    entry_at,
    malformed,
    read_layout,
    scan_entries,
    serial_octets,
)
from verifier.revocation.crl_header import CrlHeader

# reason, hold instruction code, invalidity date
_KNOWN_ENTRY_EXTENSIONS = frozenset({"2.5.29.21", "2.5.29.23", "2.5.29.24"})
_REASON_CODE = "2.5.29.21"
_INVALIDITY_DATE = "2.5.29.24"
_WORD = (1 << 64) - 1


@dataclass(frozen=True)
class CrlEntry:
    """One entry of a CRL, decoded: revocation time (UTC), RFC 5280 CRLReason name, invalidityDate."""

    revocation_time: dt.datetime
    reason: str  # "unspecified" when the entry has no reasonCode (RFC 5280 5.3.1)
    invalidity_date: dt.datetime | None = None

    @property
    def removed(self) -> bool:
        """removeFromCRL (RFC 5280 5.2.4): a delta CRL's release of a hold listed in its base."""
        return self.reason == "remove_from_crl"


@dataclass(frozen=True)
class CrlIndex:
    """A CRL whose signature has been checked, indexed by serial number (see the module docstring)."""

    header: CrlHeader
    der: bytes
    keys: array[int]
    offset_bits: int

    @classmethod
    def build(
        cls, header: CrlHeader, der: bytes, layout: CrlLayout | None = None, *, offset_bits: int = 0
    ) -> CrlIndex:
        """The index of the CRL ``der`` (its header ``header``, its layout ``layout`` if already read).

        ``offset_bits`` (at least the bit length of the DER's size, which is the default) leaves
        64 - ``offset_bits`` bits of hash in each key: more only makes hash collisions more frequent
        (tests use it to exercise them). CPU time linear in the number of entries, plus the sorts of
        256 groups of keys. Raises InvalidInput(``malformed_crl``) when the entries cannot be read.
        """
        layout = layout or read_layout(der)
        offset_bits = max(len(der).bit_length(), offset_bits, 1)
        high = _WORD ^ ((1 << offset_bits) - 1)
        keys: array[int] = array("Q")
        for group in scan_entries(der, layout.entries_start, layout.entries_end, high):
            group.sort()
            keys.extend(group)
            group.clear()
        return cls(header, der, keys, offset_bits)

    @property
    def size(self) -> int:
        """The number of entries."""
        return len(self.keys)

    @property
    def index_bytes(self) -> int:
        """Octets held by the index itself, beyond the CRL's DER it shares."""
        return self.keys.itemsize * len(self.keys)

    def lookup(self, serial: int) -> CrlEntry | None:
        """The entry for ``serial``, or None when the CRL does not list it (first entry if listed twice).

        Raises InvalidInput(``crl_entry``) when the entry carries an unknown critical extension, and
        InvalidInput(``malformed_crl``) when it cannot be decoded.
        """
        octets = serial_octets(serial)
        low = (1 << self.offset_bits) - 1
        high = _WORD ^ low
        target = hash(octets) & high
        keys = self.keys
        position = bisect_left(keys, target)
        while position < len(keys) and keys[position] & high == target:
            entry_serial, entry = entry_at(self.der, keys[position] & low)
            if entry_serial == octets:
                return decode_entry(entry)
            position += 1
        return None


def decode_entry(entry: bytes) -> CrlEntry:
    """The revocation time, reason and invalidity date of one revokedCertificates element ``entry``.

    Raises InvalidInput(``crl_entry``) for an unknown critical entry extension (RFC 5280 5.3: the entry
    cannot be used), InvalidInput(``malformed_crl``) for an entry that does not decode.
    """
    try:
        revoked = asn1_crl.RevokedCertificate.load(entry, strict=True)
        revocation_time = revoked["revocation_date"].native
        reason, invalidity, seen = "unspecified", None, set()
        for extension in revoked["crl_entry_extensions"]:
            oid = extension["extn_id"].dotted
            if oid in seen:
                raise malformed("an entry repeats an extension")
            seen.add(oid)
            if extension["critical"].native and oid not in _KNOWN_ENTRY_EXTENSIONS:
                raise InvalidInput(ErrorCode.CRL_ENTRY, "the CRL entry has an unknown critical extension")
            if oid == _REASON_CODE:
                reason = str(asn1_crl.CRLReason.load(extension["extn_value"].contents, strict=True).native)
            elif oid == _INVALIDITY_DATE:
                invalidity = asn1_x509.GeneralizedTime.load(extension["extn_value"].contents).native
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
        raise malformed("an entry does not decode") from None
    if not isinstance(revocation_time, dt.datetime):
        raise malformed("an entry's revocationDate is not a date and time")
    return CrlEntry(revocation_time, reason, invalidity if isinstance(invalidity, dt.datetime) else None)
