"""Subject names (nca-profile.md, EDS-15) and key (de)serialisation helpers."""

from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from pki import oids
from pki.errors import InvalidInput
from pki.keys import (
    KeyType,
    generate_private_key,
    load_certificate,
    load_pkcs12,
    load_private_key,
    private_key_to_pkcs8_pem,
)
from pki.names import Organization, Person, build_subject, name_attributes, parse_subject
from tests.data_paths import INTEROP_RSA

PERSON = Person(surname="ҚҰРМАНҒАЛИЕВ", name="ӘЛІХАН", patronymic="НҰРЛАНҰЛЫ", iin="900101300011")


def test_eds15_individual_subject_by_oid() -> None:
    name = build_subject(PERSON)
    pairs = dict(name_attributes(name))
    assert pairs[oids.COMMON_NAME] == "ҚҰРМАНҒАЛИЕВ ӘЛІХАН"
    assert pairs[oids.SURNAME] == "ҚҰРМАНҒАЛИЕВ"
    assert pairs[oids.SERIAL_NUMBER] == "IIN900101300011"
    assert pairs[oids.GIVEN_NAME] == "НҰРЛАНҰЛЫ"  # the patronymic, as the NCA does
    assert pairs[oids.COUNTRY] == "KZ"
    assert oids.ORGANIZATION not in pairs


def test_eds15_subject_strings_are_utf8() -> None:
    der = build_subject(PERSON).public_bytes()
    assert "ӘЛІХАН".encode() in der
    assert b"\x0c" in der  # UTF8String tag


def test_eds15_employee_subject_carries_bin_in_ou() -> None:
    name = build_subject(PERSON, Organization(name='ТОО "ҚАЗАҚ"', bin="940140000385"))
    info = parse_subject(name_attributes(name))
    assert info.bin == "940140000385" and info.organization == 'ТОО "ҚАЗАҚ"'


def test_eds15_long_cyrillic_common_name_is_bounded_by_characters_not_bytes() -> None:
    person = Person(
        surname="ӘБДІҚАДЫРҰЛЫ-НҰРСҰЛТАНОВА", name="ГҮЛЖАНАТ-АЙГЕРІМ", patronymic="", iin="900101400018"
    )
    cn = f"{person.surname} {person.name}"
    assert len(cn.encode()) > 64 >= len(cn)
    assert dict(name_attributes(build_subject(person)))[oids.COMMON_NAME] == cn
    with pytest.raises(ValueError, match="name_too_long"):
        build_subject(Person(surname="Ә" * 40, name="Б" * 30, patronymic="", iin="900101400018"))


def test_parse_subject_round_trip_and_first_name_from_cn() -> None:
    info = parse_subject(name_attributes(build_subject(PERSON)))
    assert (info.surname, info.name, info.patronymic, info.iin) == (
        "ҚҰРМАНҒАЛИЕВ",
        "ӘЛІХАН",
        "НҰРЛАНҰЛЫ",
        "900101300011",
    )
    assert info.bin is None


def test_parse_subject_ignores_serial_number_without_iin_prefix() -> None:
    info = parse_subject([(oids.SERIAL_NUMBER, "12345"), (oids.COMMON_NAME, "X")])
    assert info.iin is None and info.name == "X"


def test_parse_subject_reads_real_nca_certificate() -> None:
    cert = load_certificate((INTEROP_RSA / "individual_valid_sign_2004_rsa_auth.cer").read_bytes())
    info = parse_subject(name_attributes(cert.subject))
    assert info.iin == "123456789011"
    assert info.country == "KZ"


@pytest.mark.parametrize("key_type", [KeyType.P256, KeyType.RSA2048])
def test_pkcs8_round_trip_with_password(key_type: KeyType) -> None:
    key = generate_private_key(key_type)
    pem = private_key_to_pkcs8_pem(key, b"s3cret")
    assert b"ENCRYPTED PRIVATE KEY" in pem
    loaded = load_private_key(pem, b"s3cret")
    assert isinstance(loaded, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey))
    assert loaded.public_key().public_numbers() == key.public_key().public_numbers()


def test_wrong_key_password_is_a_clear_error() -> None:
    pem = private_key_to_pkcs8_pem(generate_private_key(KeyType.P256), b"right")
    with pytest.raises(InvalidInput) as err:
        load_private_key(pem, b"wrong")
    assert err.value.code == "bad_password"


def test_garbage_key_is_malformed() -> None:
    with pytest.raises(InvalidInput) as err:
        load_private_key(b"\x30\x03\x02\x01")
    assert err.value.code == "malformed_key"


def test_garbage_certificate_is_malformed() -> None:
    with pytest.raises(InvalidInput) as err:
        load_certificate(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    assert err.value.code == "malformed_certificate"


def test_real_nca_pkcs12_opens_and_wrong_password_is_refused() -> None:
    path = INTEROP_RSA / "individual_valid_sign_2004_rsa.p12"
    key, cert, _ = load_pkcs12(path.read_bytes(), b"Qwerty12")
    assert isinstance(cert, x509.Certificate)
    assert key.public_key().public_numbers() == cert.public_key().public_numbers()  # type: ignore[union-attr]
    with pytest.raises(InvalidInput) as err:
        load_pkcs12(path.read_bytes(), b"nope")
    assert err.value.code == "bad_password"
