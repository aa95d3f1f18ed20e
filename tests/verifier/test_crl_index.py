"""The compact CRL index (issue 16) against a naive dictionary of decoded entries, and the DER walker.

The naive reference decodes every entry with asn1crypto and keeps, per serial, its first entry; the
compact index must give the same answer for every listed serial and for serials near them, whatever the
serials look like (20 octets, negative, zero, octet boundaries, duplicates, hash-prefix collisions), and
anything that is not a DER CRL must give InvalidInput(malformed_crl) and nothing else.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from asn1crypto import crl as asn1_crl
from cryptography import x509
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import verifier.revocation.crl_header as crl_header_module
from ca_sim import der
from ca_sim.crl_entry import encode_crl_entry
from pki.errors import ErrorCode, InvalidInput
from tests.verifier.conftest import T0, MiniPki
from tests.verifier.crl_material import assemble_crl, raw_entry
from verifier.revocation.crl_der import read_layout, serial_octets
from verifier.revocation.crl_header import read_crl_header
from verifier.revocation.crl_index import CrlEntry, CrlIndex

R = x509.ReasonFlags
REASONS = [R.unspecified, R.key_compromise, R.superseded, R.certificate_hold, R.remove_from_crl]
DAY = dt.timedelta(days=1)


def _index(der_bytes: bytes) -> CrlIndex:
    return CrlIndex.build(read_crl_header(der_bytes), der_bytes)


def _naive(der_bytes: bytes) -> dict[int, CrlEntry]:
    """Every entry decoded by asn1crypto; the first one wins for a serial listed twice."""
    table: dict[int, CrlEntry] = {}
    for entry in asn1_crl.CertificateList.load(der_bytes)["tbs_cert_list"]["revoked_certificates"]:
        reason = entry.crl_reason_value
        invalidity = entry.invalidity_date_value
        table.setdefault(
            entry["user_certificate"].native,
            CrlEntry(
                entry["revocation_date"].native,
                "unspecified" if reason is None else reason.native,
                None if invalidity is None else invalidity.native,
            ),
        )
    return table


def _serials(rng: random.Random, count: int) -> list[int]:
    """Serials of every shape: 20-octet random, small, zero, negative, around octet boundaries."""
    shapes = [
        lambda: rng.getrandbits(159) | 1 << 152,  # the NCA's 20-octet serials
        lambda: rng.getrandbits(rng.randrange(1, 160)),
        lambda: -rng.getrandbits(rng.randrange(1, 150)) - 1,  # negative (RFC 5280 forbids; CAs did it)
        lambda: (1 << (8 * rng.randrange(1, 20))) + rng.choice([-1, 0, 1]),  # 0x7f../0x80.. boundaries
        lambda: 0,
    ]
    return [rng.choice(shapes)() for _ in range(count)]


def _entries(rng: random.Random, serials: list[int]) -> list[bytes]:
    return [
        encode_crl_entry(
            serial,
            T0 - dt.timedelta(seconds=rng.randrange(10**8)),
            rng.choice(REASONS),
            T0 - 2 * DAY if rng.random() < 0.2 else None,
        )
        for serial in serials
    ]


def _agrees(index: CrlIndex, naive: dict[int, CrlEntry], probes: list[int]) -> None:
    for serial in probes:
        assert index.lookup(serial) == naive.get(serial), serial


def test_compact_index_matches_the_naive_index_on_random_and_adversarial_serials(pki: MiniPki) -> None:
    rng = random.Random(16)
    serials = _serials(rng, 4000)
    serials += rng.sample(serials, 300)  # duplicates, listed later with other times and reasons
    crl = assemble_crl(pki.nca, _entries(rng, serials))
    index, naive = _index(crl), _naive(crl)
    assert index.size == len(serials) and len(naive) == len(set(serials))
    near = [s + d for s in serials[:500] for d in (-1, 1)] + [-s for s in serials[:500]]
    _agrees(index, naive, serials + near + _serials(rng, 2000))


def test_duplicate_serial_is_read_from_its_first_entry(pki: MiniPki) -> None:
    first = encode_crl_entry(77, T0 - 3 * DAY, R.key_compromise, None)
    later = encode_crl_entry(77, T0 - DAY, R.certificate_hold, None)
    entry = _index(assemble_crl(pki.nca, [first, later])).lookup(77)
    assert entry == CrlEntry(T0 - 3 * DAY, "key_compromise")


def test_hash_prefix_collisions_are_resolved_by_the_exact_serial(pki: MiniPki) -> None:
    """With only 4 hash bits left, most serials share a prefix: each lookup must compare serials exactly."""
    rng = random.Random(5)
    serials = _serials(rng, 600)
    crl = assemble_crl(pki.nca, _entries(rng, serials))
    index = CrlIndex.build(read_crl_header(crl), crl, offset_bits=60)
    assert index.offset_bits == 60
    _agrees(index, _naive(crl), serials + [s + 1 for s in serials] + _serials(rng, 300))


def test_reason_and_invalidity_date_are_read_on_a_hit(pki: MiniPki) -> None:
    entry = encode_crl_entry(5, T0 - DAY, R.cessation_of_operation, T0 - 4 * DAY)
    assert _index(assemble_crl(pki.nca, [entry])).lookup(5) == CrlEntry(
        T0 - DAY, "cessation_of_operation", T0 - 4 * DAY
    )


def test_rfc5280_5_3_unknown_critical_entry_extension_is_refused_on_lookup(pki: MiniPki) -> None:
    unknown = der.sequence(der.extension(der.object_identifier("1.2.3.4"), True, der.integer(1)))
    crl = assemble_crl(pki.nca, [raw_entry(b"\x09", extensions=unknown), raw_entry(b"\x0a")])
    index = _index(crl)
    with pytest.raises(InvalidInput) as error:
        index.lookup(9)
    assert error.value.code is ErrorCode.CRL_ENTRY
    assert index.lookup(10) is not None and index.lookup(11) is None


def test_empty_crl_lists_nothing(pki: MiniPki) -> None:
    index = _index(assemble_crl(pki.nca, []))
    assert index.size == 0 and index.lookup(0) is None and index.lookup(1 << 150) is None


@pytest.mark.parametrize(
    "octets",
    [b"", b"\x00\x01", b"\x00\x00\x80", b"\xff\x80", b"\xff\xff\x01"],
    ids=["empty", "zero-padded", "zero-padded-twice", "ff-padded-negative", "ff-padded-twice"],
)
def test_serial_numbers_not_in_minimal_der_make_the_crl_malformed(pki: MiniPki, octets: bytes) -> None:
    crl = assemble_crl(pki.nca, [raw_entry(b"\x05"), raw_entry(octets)])
    with pytest.raises(InvalidInput) as error:
        _index(crl)
    assert error.value.code is ErrorCode.MALFORMED_CRL


@pytest.mark.parametrize(
    "entry",
    [
        b"\x31\x03\x02\x01\x05",  # a SET, not a SEQUENCE
        der.sequence(der.tlv(0x02, b"\x05")),  # no revocationDate
        der.sequence(der.tlv(0x02, b"\x05"), der.tlv(0x04, b"2603")),  # not a Time
        der.sequence(der.tlv(0x02, b"\x05"), der.time(T0), b"\x05\x00"),  # extensions not a SEQUENCE
        der.sequence(der.tlv(0x02, b"\x05"), der.time(T0), b"\x30\x00\x30\x00"),  # two trailing elements
        b"\x30\x81\x10" + der.tlv(0x02, b"\x05") + der.time(T0)[:-2],  # length not in its shortest form
        b"\x30\x84\x00\x00\x00\x10",  # too long
    ],
)
def test_malformed_entries_make_the_crl_malformed(pki: MiniPki, entry: bytes) -> None:
    crl = assemble_crl(pki.nca, [raw_entry(b"\x05"), entry])
    with pytest.raises(InvalidInput) as error:
        _index(crl)
    assert error.value.code is ErrorCode.MALFORMED_CRL


@pytest.mark.parametrize("serial", [0, 1, 127, 128, 255, 256, -1, -128, -129, 1 << 159, -(1 << 159)])
def test_serial_octets_are_the_minimal_der_integer(serial: int) -> None:
    assert der.integer(serial)[2:] == serial_octets(serial)


def test_gost_crl_with_null_outer_parameters_is_read() -> None:
    """The real NCA's GOST CRL: the outer signatureAlgorithm has an explicit NULL, the inner none."""
    from tests.data_paths import INTEROP_GOST

    crls = sorted(INTEROP_GOST.glob("*.crl"))
    assert crls
    for path in crls:
        layout = read_layout(path.read_bytes())
        assert layout.entries_end >= layout.entries_start


def test_header_read_without_the_entries_is_the_header_of_the_whole_crl(
    pki: MiniPki, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.data_paths import CONFORMANCE, INTEROP

    rng = random.Random(8)
    crls = [path.read_bytes() for path in sorted(CONFORMANCE.rglob("*.crl")) + sorted(INTEROP.rglob("*.crl"))]
    crls.append(assemble_crl(pki.nca, _entries(rng, _serials(rng, 50)), number=9, base=8, freshest=True))
    assert len(crls) > 100
    headers = [read_crl_header(crl) for crl in crls]
    monkeypatch.setattr(crl_header_module, "_header_der", lambda der: der)
    assert headers == [read_crl_header(crl) for crl in crls]


def test_signature_algorithms_that_differ_make_the_crl_malformed(pki: MiniPki) -> None:
    crl = assemble_crl(pki.nca, [raw_entry(b"\x05")])
    layout = read_layout(crl)
    other = der.sequence(der.object_identifier("1.2.840.10045.4.3.3"))  # ecdsa-with-SHA384
    assert len(other) == len(layout.algorithm)
    forged = crl[: layout.tbs_end] + other + crl[layout.tbs_end + len(layout.algorithm) :]
    with pytest.raises(InvalidInput) as error:
        read_layout(forged)
    assert error.value.code is ErrorCode.MALFORMED_CRL


@st.composite
def _mutants(draw: st.DrawFn, crl: bytes) -> bytes:
    data = bytearray(crl)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        spot = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[spot] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[spot:]
        elif kind == "insert":
            data[spot:spot] = draw(st.binary(min_size=1, max_size=3))
        elif data:
            del data[spot]
        if not data:
            break
    return bytes(data)


_SAMPLE: list[bytes] = []


def _sample_crl(pki: MiniPki) -> bytes:
    if not _SAMPLE:
        rng = random.Random(3)
        _SAMPLE.append(assemble_crl(pki.nca, _entries(rng, _serials(rng, 12))))
    return _SAMPLE[0]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_crls_give_malformed_crl_or_an_index_never_another_exception(
    pki: MiniPki, data: st.DataObject
) -> None:
    mutant = data.draw(_mutants(_sample_crl(pki)))
    try:
        index = CrlIndex.build(read_crl_header(mutant), mutant)
    except InvalidInput as error:
        assert error.code is ErrorCode.MALFORMED_CRL
        return
    for serial in [*data.draw(st.lists(st.integers(-(1 << 160), 1 << 160), max_size=5)), 0, 1]:
        try:
            index.lookup(serial)
        except InvalidInput as error:
            assert error.code in (ErrorCode.MALFORMED_CRL, ErrorCode.CRL_ENTRY)
