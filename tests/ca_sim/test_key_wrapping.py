"""EDS-21: CA and OCSP-responder keys at rest, sealed under a PBKDF2-HMAC-SHA256 (600,000 iterations) key and
AES-256-GCM; keys an older release stored (PBES2, 2,048 iterations) re-wrapped when the hierarchy loads.

The envelope is opened here independently of ``ca_sim.keywrap``: ``hashlib.pbkdf2_hmac`` derives the key,
``openssl pkey`` reads the PKCS#8 inside."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from asn1crypto import algos
from asn1crypto import keys as asn1_keys
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

import ca_sim.fixtures  # noqa: F401  (all ca_sim tables registered)
from api.database import dispose, open_database
from ca_sim.hierarchy import CA_IDS, Hierarchy, load_or_create_hierarchy
from ca_sim.keystore import KeyPurpose, KeyStore, StoredKey
from ca_sim.keywrap import PBKDF2_ITERATIONS, WrappedKey, WrappingKey, is_current, key_label, open_private_key
from pki import gost, oids
from pki.errors import InvalidInput
from tests.databases import database_url

T0 = dt.datetime(2024, 1, 15, 9, 0, tzinfo=dt.UTC)
PASSPHRASE = b"key wrapping tests"
BASE = "http://127.0.0.1:8080"
Store = tuple[sessionmaker[Session], Hierarchy]


def _open(path: Path) -> sessionmaker[Session]:
    return open_database(database_url(path))


def _rows(sm: sessionmaker[Session]) -> list[StoredKey]:
    with sm() as session:
        return list(session.scalars(select(StoredKey).order_by(StoredKey.id)))


def _set_blob(sm: sessionmaker[Session], row_id: int, blob: bytes) -> None:
    with sm.begin() as session:
        session.execute(update(StoredKey).where(StoredKey.id == row_id).values(encrypted_key=blob))


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Store]:
    """A new P-256 hierarchy in its own database, for a test that changes its stored keys."""
    sm = _open(tmp_path / "kzpki.db")
    try:
        yield sm, load_or_create_hierarchy(sm, PASSPHRASE, BASE, T0, "ecdsa")
    finally:
        dispose(sm)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    sm = _open(tmp_path_factory.mktemp("wrapping") / "kzpki.db")
    return sm, load_or_create_hierarchy(sm, PASSPHRASE, BASE, T0, "ecdsa")


def test_eds21_keys_sealed_with_pbkdf2_600000_and_aes_gcm_opened_independently(
    store: Store, tmp_path: Path
) -> None:
    sm, hierarchy = store
    rows = _rows(sm)
    assert {(r.ca_id, r.purpose) for r in rows} == {(c, p) for c in CA_IDS for p in ("ca", "ocsp")}
    salts = set()
    for row in rows:
        envelope = WrappedKey.load(row.encrypted_key)
        kdf = envelope["kdf"]
        params = kdf["parameters"]
        assert kdf["algorithm"].native == "pbkdf2"
        assert params["prf"]["algorithm"].native == "sha256"
        assert params["iteration_count"].native >= 600_000
        assert params["key_length"].native == 32
        assert envelope["aead"].dotted == "2.16.840.1.101.3.4.1.46"  # id-aes256-GCM
        salt = params["salt"].native
        salts.add(salt)
        kek = hashlib.pbkdf2_hmac("sha256", PASSPHRASE, salt, params["iteration_count"].native, 32)
        label = f"ca_keys/{row.ca_id}/{row.purpose}/{row.generation}".encode()
        pkcs8 = AESGCM(kek).decrypt(envelope["nonce"].native, envelope["ciphertext"].native, label)
        der = tmp_path / f"{row.ca_id}-{row.purpose}.der"
        der.write_bytes(pkcs8)
        shown = subprocess.run(
            ["openssl", "pkey", "-inform", "DER", "-in", str(der), "-pubout"],
            capture_output=True,
            text=True,
            check=True,
        )
        key = serialization.load_der_private_key(pkcs8, None)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        public_pem = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        assert shown.stdout.encode() == public_pem
        secret = key.private_numbers().private_value.to_bytes(32, "big")
        assert pkcs8 not in row.encrypted_key and secret not in row.encrypted_key
    assert len(salts) == 1  # one salt per store: one derivation opens every key
    assert hierarchy.root.private_key.public_key() == hierarchy.root.certificate.public_key()


def test_eds21_a_sealed_key_moved_to_another_row_does_not_open(fresh: Store) -> None:
    sm, _ = fresh
    by_ca = {r.ca_id: r for r in _rows(sm) if r.purpose == KeyPurpose.CA}
    _set_blob(sm, by_ca["nca"].id, by_ca["gov"].encrypted_key)
    with pytest.raises(InvalidInput) as caught:
        load_or_create_hierarchy(sm, PASSPHRASE, BASE, T0, "ecdsa")
    assert caught.value.code == "bad_passphrase"


def _same_ec_key(key: object, other: object) -> ec.EllipticCurvePrivateKey:
    assert isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(other, ec.EllipticCurvePrivateKey)
    assert key.private_numbers() == other.private_numbers()
    return key


def _old_release_blob(key: ec.EllipticCurvePrivateKey) -> bytes:
    """What the release before this change stored: cryptography's BestAvailableEncryption PKCS#8."""
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(PASSPHRASE),
    )


def test_eds21_old_release_keys_are_rewrapped_on_load_and_still_sign(fresh: Store) -> None:
    sm, created = fresh
    for row in _rows(sm):
        key = row.private_key(PASSPHRASE)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        _set_blob(sm, row.id, _old_release_blob(key))
    old = _rows(sm)
    for row in old:
        info = asn1_keys.EncryptedPrivateKeyInfo.load(row.encrypted_key)
        kdf = info["encryption_algorithm"]["parameters"]["key_derivation_func"]["parameters"]
        assert kdf["iteration_count"].native == 2048  # the old cost
        assert not is_current(row.encrypted_key)

    upgraded = load_or_create_hierarchy(sm, PASSPHRASE, BASE, T0, "ecdsa")

    rows = _rows(sm)
    assert all(is_current(row.encrypted_key) for row in rows)
    assert {r.id for r in rows} == {r.id for r in old}
    for ca_id in CA_IDS:
        key = _same_ec_key(upgraded.get(ca_id).private_key, created.get(ca_id).private_key)
        signature = key.sign(b"still usable", ec.ECDSA(hashes.SHA256()))
        public = upgraded.get(ca_id).certificate.public_key()
        assert isinstance(public, ec.EllipticCurvePublicKey)
        public.verify(signature, b"still usable", ec.ECDSA(hashes.SHA256()))
    assert KeyStore(sm).upgrade_wrapping(PASSPHRASE) == 0  # done once


def test_eds21_envelope_below_todays_cost_is_rewrapped(fresh: Store) -> None:
    sm, _ = fresh
    weak = WrappingKey.derive(PASSPHRASE, os.urandom(16), 1000)  # a test-built weaker envelope
    row = next(r for r in _rows(sm) if r.ca_id == "root" and r.purpose == KeyPurpose.OCSP)
    _set_blob(sm, row.id, weak.seal(row.private_key(PASSPHRASE), row.label))
    assert KeyStore(sm).upgrade_wrapping(PASSPHRASE) == 1
    again = next(r for r in _rows(sm) if r.id == row.id)
    params = WrappedKey.load(again.encrypted_key)["kdf"]["parameters"]
    assert params["iteration_count"].native == PBKDF2_ITERATIONS
    _same_ec_key(again.private_key(PASSPHRASE), row.private_key(PASSPHRASE))


def test_eds21_a_wrong_passphrase_changes_nothing_on_upgrade(fresh: Store) -> None:
    sm, _ = fresh
    row = _rows(sm)[0]
    key = row.private_key(PASSPHRASE)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    _set_blob(sm, row.id, _old_release_blob(key))
    with pytest.raises(InvalidInput) as caught:
        load_or_create_hierarchy(sm, b"not the passphrase", BASE, T0, "ecdsa")
    assert caught.value.code == "bad_passphrase"
    assert not is_current(_rows(sm)[0].encrypted_key)


def _old_release_gost_blob(pkcs8: bytes) -> bytes:
    """The old release's GOST envelope: PBES2, PBKDF2-HMAC-SHA256 2,048, AES-256-CBC."""
    salt, iv = os.urandom(16), os.urandom(16)
    key = hashlib.pbkdf2_hmac("sha256", PASSPHRASE, salt, 2048, 32)
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(padder.update(pkcs8) + padder.finalize()) + encryptor.finalize()
    return asn1_keys.EncryptedPrivateKeyInfo(
        {
            "encryption_algorithm": {
                "algorithm": "pbes2",
                "parameters": {
                    "key_derivation_func": {
                        "algorithm": "pbkdf2",
                        "parameters": {
                            "salt": algos.Pbkdf2Salt(name="specified", value=salt),
                            "iteration_count": 2048,
                            "prf": {"algorithm": "sha256", "parameters": None},
                        },
                    },
                    "encryption_scheme": {"algorithm": "aes256_cbc", "parameters": iv},
                },
            },
            "encrypted_data": ciphertext,
        }
    ).dump()


def test_eds21_old_release_gost_key_opens_and_reseals() -> None:
    key = gost.GostPrivateKey.generate(oids.KZ_GOST2015_512_KEY)
    label = key_label("nca", KeyPurpose.CA, 1)
    old = _old_release_gost_blob(key.to_pkcs8_der())
    assert not is_current(old)
    opened = open_private_key(old, PASSPHRASE, label)
    assert opened == key
    sealed = WrappingKey.create(PASSPHRASE).seal(opened, label)
    assert is_current(sealed)
    assert open_private_key(sealed, PASSPHRASE, label) == key
    with pytest.raises(InvalidInput) as caught:
        open_private_key(old, b"wrong", label)
    assert caught.value.code == "bad_passphrase"


def test_eds21_envelope_naming_an_absurd_cost_is_malformed() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    label = key_label("root", KeyPurpose.CA, 1)
    envelope = WrappedKey.load(WrappingKey.create(PASSPHRASE).seal(key, label))
    params = envelope["kdf"]["parameters"]
    params["iteration_count"] = 10**12
    with pytest.raises(InvalidInput) as caught:
        open_private_key(envelope.dump(force=True), PASSPHRASE, label)
    assert caught.value.code == "malformed_key"
    with pytest.raises(InvalidInput) as caught:
        open_private_key(b"\x30\x03\x02\x01\x00", PASSPHRASE, label)
    assert caught.value.code == "malformed_key"


def test_eds21_empty_passphrase_never_seals() -> None:
    with pytest.raises(InvalidInput) as caught:
        WrappingKey.create(b"")
    assert caught.value.code == "empty_passphrase"
