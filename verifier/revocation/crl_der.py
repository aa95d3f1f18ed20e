"""A CRL's DER read without a general ASN.1 decoder: the signed span, its signature and each entry's place.

A national CRL holds hundreds of thousands of entries (the real NCA's: ~422,000, 21 MB). Decoding each
entry into objects (asn1crypto, or ``cryptography``'s entry objects) costs seconds and hundreds of
megabytes; a relying party needs, per entry, only its serial number and where the entry starts. This
module walks the DER (X.690) of a CertificateList (RFC 5280 5.1) itself, bounded by the lengths it reads:

- :func:`read_layout` finds the TBSCertList (the signed octets), the outer signatureAlgorithm and the
  signature, and the span of revokedCertificates, checking the order and tags of the TBSCertList fields;
- :func:`scan_entries` walks revokedCertificates once and yields, per entry, a key combining a hash of its
  serial number's octets with the entry's offset (see :mod:`verifier.revocation.crl_index`);
- :func:`entry_at` re-reads one entry at its offset, when a lookup hits it.

Only DER is accepted: definite lengths in their shortest form, INTEGER serial numbers in their minimal
two's complement form (what ``cryptography`` requires too). Anything else, and any length that runs past
its parent, raises InvalidInput(``malformed_crl``); no other exception leaves this module.
"""

from __future__ import annotations

from dataclasses import dataclass

from pki.errors import ErrorCode, InvalidInput

_SEQUENCE = 0x30
_INTEGER = 0x02
_BIT_STRING = 0x03
_UTC_TIME = 0x17
_GENERALIZED_TIME = 0x18
_EXTENSIONS = 0xA0  # crlExtensions [0] EXPLICIT
_NULL_PARAMETERS = (b"", b"\x05\x00")  # absent AlgorithmIdentifier parameters, or an explicit NULL


def malformed(detail: str) -> InvalidInput:
    """The error every malformed CRL gives (RFC 5280 5.1), naming what is wrong in ``detail``."""
    return InvalidInput(ErrorCode.MALFORMED_CRL, f"the CRL cannot be decoded (RFC 5280 5.1): {detail}")


@dataclass(frozen=True)
class CrlLayout:
    """Where the parts of one CertificateList lie in its DER (offsets in octets, ends exclusive)."""

    tbs_start: int  # the TBSCertList element (tag and length included): the signed octets
    tbs_end: int
    algorithm: bytes  # the outer signatureAlgorithm element (the one verifiers check the signature by)
    signature: bytes  # the signature value (the BIT STRING's octets, no unused bits)
    entries_start: int  # the contents of revokedCertificates (empty span when the CRL lists none)
    entries_end: int
    entries_element: int  # where the revokedCertificates element (tag and length) starts
    tbs_contents: int  # where the TBSCertList's contents start

    def without_entries(self, der: bytes) -> bytes:
        """``der`` with an empty revokedCertificates: every other octet as it is (the signature no longer
        verifies). For decoding the header with a general decoder at a cost independent of the entries."""
        if self.entries_end == self.entries_element:
            return der
        tbs = der[self.tbs_contents : self.entries_element] + der[self.entries_end : self.tbs_end]
        body = _element(_SEQUENCE, tbs) + der[self.tbs_end :]
        return _element(_SEQUENCE, body)


def _tlv(der: bytes, position: int, end: int) -> tuple[int, int, int]:
    """(tag, contents start, contents end) of the DER element at ``position``, which must end by ``end``.

    Single-octet tags and definite lengths of at most four octets in their shortest form only.
    Raises InvalidInput(``malformed_crl``).
    """
    if position + 2 > end:
        raise malformed("an element is truncated")
    tag = der[position]
    if tag & 0x1F == 0x1F:
        raise malformed("multi-octet tags are not used in a CRL")
    first = der[position + 1]
    start = position + 2
    if first < 0x80:
        size = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or start + count > end:
            raise malformed("a length is indefinite, too long or truncated")
        size = int.from_bytes(der[start : start + count], "big")
        if size < 0x80 or size >> (8 * (count - 1)) == 0:
            raise malformed("a length is not in its shortest form (DER)")
        start += count
    if start + size > end:
        raise malformed("an element runs past its enclosing element")
    return tag, start, start + size


def read_layout(der: bytes) -> CrlLayout:
    """The layout of the CertificateList ``der``: SEQUENCE { tbsCertList, signatureAlgorithm, signature }.

    The TBSCertList's fields are checked for order and tags (version, signature, issuer, thisUpdate,
    nextUpdate, revokedCertificates, crlExtensions); their values are read elsewhere
    (:func:`verifier.revocation.crl_header.read_crl_header`). The signatureAlgorithm inside the TBS and the
    outer one must be identical (RFC 5280 5.1.1.2), except that the real NCA's GOST CRLs write the outer one
    with an explicit NULL parameter and the inner one without any: those two mean the same and are
    accepted. Raises InvalidInput(``malformed_crl``).
    """
    tag, start, end = _tlv(der, 0, len(der))
    if tag != _SEQUENCE or end != len(der):
        raise malformed("not a single SEQUENCE")
    tag, tbs_start, tbs_end = _tlv(der, start, end)
    tbs_element = start
    if tag != _SEQUENCE:
        raise malformed("the TBSCertList is not a SEQUENCE")
    tag, _, alg_end = _tlv(der, tbs_end, end)
    if tag != _SEQUENCE:
        raise malformed("the signatureAlgorithm is not a SEQUENCE")
    tag, sig_start, sig_end = _tlv(der, alg_end, end)
    if tag != _BIT_STRING or sig_end != end or sig_start == sig_end or der[sig_start] != 0:
        raise malformed("the signature is not a BIT STRING of whole octets ending the CRL")
    outer_algorithm = der[tbs_end:alg_end]
    entries_element, entries_start, entries_end, inner_algorithm = _tbs_fields(der, tbs_start, tbs_end)
    if inner_algorithm != outer_algorithm and not _same_algorithm(inner_algorithm, outer_algorithm):
        raise malformed("the signature algorithms inside and outside the TBSCertList differ")
    return CrlLayout(
        tbs_start=tbs_element,
        tbs_end=tbs_end,
        algorithm=outer_algorithm,
        signature=der[sig_start + 1 : sig_end],
        entries_start=entries_start,
        entries_end=entries_end,
        entries_element=entries_element,
        tbs_contents=tbs_start,
    )


def _tbs_fields(der: bytes, start: int, end: int) -> tuple[int, int, int, bytes]:
    """(revokedCertificates element start, contents start, end; inner signature AlgorithmIdentifier) of
    the TBSCertList whose contents are ``der[start:end]`` (the three offsets equal when it has none)."""
    position = start
    tag, _, field_end = _tlv(der, position, end)
    if tag == _INTEGER:  # version (v2) is OPTIONAL
        position = field_end
        tag, _, field_end = _tlv(der, position, end)
    if tag != _SEQUENCE:
        raise malformed("the TBSCertList's signature field is not a SEQUENCE")
    algorithm = der[position:field_end]
    tag, _, position = _tlv(der, field_end, end)
    if tag != _SEQUENCE:
        raise malformed("the issuer is not a Name")
    tag, _, position = _tlv(der, position, end)
    if tag not in (_UTC_TIME, _GENERALIZED_TIME):
        raise malformed("thisUpdate is not a Time")
    entries = (position, position, position)
    if position < end and der[position] in (_UTC_TIME, _GENERALIZED_TIME):
        _, _, position = _tlv(der, position, end)  # nextUpdate
    if position < end and der[position] == _SEQUENCE:
        element = position
        _, entries_start, position = _tlv(der, position, end)
        entries = (element, entries_start, position)
    if position < end:
        tag, _, position = _tlv(der, position, end)
        if tag != _EXTENSIONS:
            raise malformed("an unexpected field follows the revoked certificates")
    if position != end:
        raise malformed("trailing octets in the TBSCertList")
    return entries[0], entries[1], entries[2], algorithm


def _element(tag: int, contents: bytes) -> bytes:
    """A DER element: ``tag``, the definite length of ``contents`` in its shortest form, ``contents``."""
    size = len(contents)
    if size < 0x80:
        return bytes((tag, size)) + contents
    octets = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes((tag, 0x80 | len(octets))) + octets + contents


def _same_algorithm(inner: bytes, outer: bytes) -> bool:
    """Whether two AlgorithmIdentifiers name the same OID with absent-or-NULL parameters each."""
    parts = []
    for element in (inner, outer):
        _, start, end = _tlv(element, 0, len(element))
        tag, _, oid_end = _tlv(element, start, end)
        if tag != 0x06:
            return False
        parts.append((element[start:oid_end], element[oid_end:end]))
    (inner_oid, inner_parameters), (outer_oid, outer_parameters) = parts
    return (
        inner_oid == outer_oid
        and inner_parameters in _NULL_PARAMETERS
        and outer_parameters in _NULL_PARAMETERS
    )


BUCKET_SHIFT = 56  # scan_entries groups keys by their top 8 bits


def scan_entries(der: bytes, start: int, end: int, high_mask: int) -> list[list[int]]:
    """One key per entry of revokedCertificates (contents ``der[start:end]``), grouped by its top 8 bits.

    Each key is ``hash(serial octets) & high_mask | offset``: the upper bits a hash of the entry's
    serialNumber contents (its minimal two's complement octets), the lower bits (those ``high_mask``
    clears, enough for any offset in ``der``) the offset of the entry. Group ``g`` holds, in CRL order,
    the keys whose top 8 bits are ``g``: sorting the 256 groups one by one and concatenating them sorts
    all keys, in steps short enough not to hold up other threads (one sort of a million ints holds the
    interpreter for half a second). Each entry is checked to be a SEQUENCE { INTEGER (minimal, 1..126
    octets), Time [, SEQUENCE] } filling its length exactly; the time and the extensions are decoded only
    when the entry is read (:func:`entry_at`).

    One pass, O(entries) time; one int per entry. Raises InvalidInput(``malformed_crl``).
    """
    try:
        return _scan(der, start, end, high_mask)
    except IndexError:
        raise malformed("an entry is truncated") from None


def _scan(der: bytes, start: int, end: int, high_mask: int) -> list[list[int]]:
    # The per-entry path is written out by hand (no helper calls): a million entries in about half a
    # second of CPU. Every index read below lies before ``end`` or raises IndexError past the buffer.
    groups: list[list[int]] = [[] for _ in range(256)]
    position = start
    while position < end:
        length = der[position + 1]
        if der[position] != _SEQUENCE:
            raise malformed("an entry is not a SEQUENCE")
        if length < 0x80:
            serial_tag = position + 2
        elif length == 0x81:
            length = der[position + 2]
            serial_tag = position + 3
            if length < 0x80:
                raise malformed("an entry length is not in its shortest form (DER)")
        elif length == 0x82:
            length = (der[position + 2] << 8) | der[position + 3]
            serial_tag = position + 4
            if length < 0x100:
                raise malformed("an entry length is not in its shortest form (DER)")
        else:
            raise malformed("an entry is too long")
        following = serial_tag + length
        if following > end or der[serial_tag] != _INTEGER:
            raise malformed("an entry runs past revokedCertificates or has no INTEGER serial")
        size = der[serial_tag + 1]
        serial = serial_tag + 2
        time = serial + size
        if size == 0 or size >= 0x80:
            raise malformed("a serial number is empty or too long")
        if size > 1:
            lead, second = der[serial], der[serial + 1]
            if (lead == 0 and second < 0x80) or (lead == 0xFF and second >= 0x80):
                raise malformed("a serial number is not in its minimal encoding (DER)")
        time_tag = der[time]
        extensions = time + 2 + der[time + 1]
        if (time_tag != _UTC_TIME and time_tag != _GENERALIZED_TIME) or extensions > following:
            raise malformed("an entry's revocationDate is not a Time inside the entry")
        if extensions != following:
            extensions_length = der[extensions + 1]
            if extensions_length < 0x80:
                extensions_end = extensions + 2 + extensions_length
            elif extensions_length == 0x81 and der[extensions + 2] >= 0x80:
                extensions_end = extensions + 3 + der[extensions + 2]
            elif extensions_length == 0x82 and der[extensions + 2]:
                extensions_end = extensions + 4 + ((der[extensions + 2] << 8) | der[extensions + 3])
            else:
                extensions_end = -1
            if der[extensions] != _SEQUENCE or extensions_end != following:
                raise malformed("an entry's extensions are not one SEQUENCE filling the entry")
        key = hash(der[serial:time]) & high_mask | position
        groups[key >> BUCKET_SHIFT].append(key)
        position = following
    return groups


def entry_at(der: bytes, offset: int) -> tuple[bytes, bytes]:
    """(serial number contents, whole entry element) of the entry starting at ``offset`` in ``der``.

    Raises InvalidInput(``malformed_crl``).
    """
    _, start, end = _tlv(der, offset, len(der))
    tag, serial_start, serial_end = _tlv(der, start, end)
    if tag != _INTEGER:
        raise malformed("an entry has no INTEGER serial")
    return der[serial_start:serial_end], der[offset:end]


def serial_octets(serial: int) -> bytes:
    """The contents octets of the DER INTEGER ``serial`` (minimal two's complement, X.690 8.3)."""
    return serial.to_bytes(((serial if serial >= 0 else ~serial).bit_length() + 8) // 8, "big", signed=True)
