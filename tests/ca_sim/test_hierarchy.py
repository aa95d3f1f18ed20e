"""The CA hierarchy: CA certificates per nca-profile.md, keys encrypted at rest (EDS-21), idempotent and
race-safe creation, delegated OCSP responders and their renewal, the signing seam."""

from __future__ import annotations

import datetime as dt
import subprocess
import threading
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import ca_sim.fixtures  # noqa: F401  (all ca_sim tables registered)
from api.database import dispose, open_database
from ca_sim import profiles
from ca_sim.certificates import CertificateMinter, IssuerKey
from ca_sim.certstore import CertificateStore
from ca_sim.hierarchy import CA_IDS, Hierarchy, load_or_create_hierarchy
from ca_sim.keystore import StoredKey
from ca_sim.signing import assemble_certificate, signer_for
from pki import keys, oids
from pki.errors import Conflict, InvalidInput, NotFound
from pki.names import common_name_attribute, subject_of
from tests.databases import database_url

T0 = dt.datetime(2024, 1, 15, 9, 0, tzinfo=dt.UTC)
PASSPHRASE = b"hierarchy tests"
BASE = "http://127.0.0.1:8080"


def _database(path: Path) -> sessionmaker[Session]:
    return open_database(database_url(path))


@pytest.fixture(scope="module")
def ecdsa(tmp_path_factory: pytest.TempPathFactory) -> tuple[sessionmaker[Session], Hierarchy]:
    sm = _database(tmp_path_factory.mktemp("ecdsa") / "kzpki.db")
    return sm, load_or_create_hierarchy(sm, PASSPHRASE, BASE, T0, "ecdsa")


def _common_name(certificate: x509.Certificate) -> str:
    value = subject_of(certificate).get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value
    assert isinstance(value, str)
    return value


def test_ca_names_are_kazakh_and_marked_simulated(ca_hierarchy: Hierarchy) -> None:
    names = {ca_id: _common_name(ca_hierarchy.get(ca_id).certificate) for ca_id in CA_IDS}
    assert names == {
        "root": "НЕГІЗГІ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) (SIM)",
        "gov": "МЕМЛЕКЕТТІК ОРГАНДАРДЫҢ КУӘЛАНДЫРУШЫ ОРТАЛЫҒЫ (RSA) (SIM)",
        "nca": "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) (SIM)",
    }


def test_ca_certificates_follow_the_nca_profile(ca_hierarchy: Hierarchy) -> None:
    root = ca_hierarchy.root.certificate
    root.verify_directly_issued_by(root)
    assert root.not_valid_after_utc.year - root.not_valid_before_utc.year == 10
    for ca_id in CA_IDS:
        certificate = ca_hierarchy.get(ca_id).certificate
        basic = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
        assert basic.critical and basic.value.ca
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage)
        assert usage.critical and usage.value.key_cert_sign and usage.value.crl_sign
        assert not usage.value.digital_signature
        policies = certificate.extensions.get_extension_for_class(x509.CertificatePolicies).value
        assert [(p.policy_identifier.dotted_string, p.policy_qualifiers) for p in policies] == [
            (oids.POLICY_NCA_CA, [f"{BASE}/cps"])
        ]
        ski = certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        aki = certificate.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
        assert aki.key_identifier == ca_hierarchy.root.key_identifier
        assert ski.digest == ca_hierarchy.get(ca_id).key_identifier
    for ca_id in ("gov", "nca"):
        certificate = ca_hierarchy.get(ca_id).certificate
        certificate.verify_directly_issued_by(root)
        assert certificate.not_valid_after_utc.year - certificate.not_valid_before_utc.year == 7
        assert certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.path_length == 0
        aia = certificate.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
        assert (AuthorityInformationAccessOID.CA_ISSUERS, f"{BASE}/cert/root_rsa.cer") in [
            (d.access_method, d.access_location.value) for d in aia
        ]
        crl = certificate.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
        assert [n.value for n in crl[0].full_name or []] == [f"{BASE}/crl/root_rsa.crl"]
        delta = certificate.extensions.get_extension_for_class(x509.FreshestCRL).value
        assert [n.value for n in delta[0].full_name or []] == [f"{BASE}/crl/root_d_rsa.crl"]


def test_ca_urls_use_the_real_layout(ca_hierarchy: Hierarchy) -> None:
    urls = ca_hierarchy.get("nca").urls
    assert (urls.cert_url, urls.crl_url, urls.delta_crl_url, urls.ocsp_url) == (
        f"{BASE}/cert/nca_rsa.cer",
        f"{BASE}/crl/nca_rsa.crl",
        f"{BASE}/crl/nca_d_rsa.crl",
        f"{BASE}/ocsp/",
    )


def test_hierarchy_chain_passes_openssl_verify(ca_hierarchy: Hierarchy, tmp_path: Path) -> None:
    root = tmp_path / "root.pem"
    root.write_bytes(keys.certificate_pem(ca_hierarchy.root.certificate))
    at = str(int((ca_hierarchy.root.certificate.not_valid_before_utc + dt.timedelta(days=1)).timestamp()))
    for ca_id in ("gov", "nca"):
        ca = tmp_path / f"{ca_id}.pem"
        ca.write_bytes(keys.certificate_pem(ca_hierarchy.get(ca_id).certificate))
        result = subprocess.run(
            ["openssl", "verify", "-attime", at, "-CAfile", str(root), str(ca)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_unknown_ca_is_not_found(ca_hierarchy: Hierarchy) -> None:
    with pytest.raises(NotFound) as caught:
        ca_hierarchy.get("kuc")
    assert caught.value.code == "unknown_ca"


def test_hierarchy_is_idempotent(ecdsa: tuple[sessionmaker[Session], Hierarchy]) -> None:
    sm, first = ecdsa
    again = load_or_create_hierarchy(sm, PASSPHRASE, BASE, T0 + dt.timedelta(days=400), "ecdsa")
    for ca_id in CA_IDS:
        assert again.get(ca_id).certificate == first.get(ca_id).certificate
        assert again.ocsp_responder(ca_id).certificate == first.ocsp_responder(ca_id).certificate
    with sm() as session:
        assert len(session.scalars(select(StoredKey).where(StoredKey.purpose == "ca")).all()) == 3


def test_eds21_wrong_passphrase_is_refused(ecdsa: tuple[sessionmaker[Session], Hierarchy]) -> None:
    sm, _ = ecdsa
    with pytest.raises(InvalidInput) as caught:
        load_or_create_hierarchy(sm, b"not the passphrase", BASE, T0, "ecdsa")
    assert caught.value.code == "bad_passphrase"
    with pytest.raises(InvalidInput) as caught:
        load_or_create_hierarchy(sm, b"", BASE, T0, "ecdsa")
    assert caught.value.code == "empty_passphrase"


def test_another_algorithm_than_the_stored_one_is_a_conflict(
    ecdsa: tuple[sessionmaker[Session], Hierarchy],
) -> None:
    sm, _ = ecdsa
    with pytest.raises(Conflict) as caught:
        load_or_create_hierarchy(sm, PASSPHRASE, BASE, T0, "rsa")
    assert caught.value.code == "hierarchy_algorithm_mismatch"


def test_ecdsa_hierarchy_uses_ecdsa_urls_and_signatures(
    ecdsa: tuple[sessionmaker[Session], Hierarchy],
) -> None:
    _, hierarchy = ecdsa
    nca = hierarchy.get("nca")
    assert nca.urls.crl_url == f"{BASE}/crl/nca_ecdsa.crl"
    assert nca.certificate.signature_algorithm_oid.dotted_string == oids.ECDSA_WITH_SHA256
    assert "(ECDSA) (SIM)" in _common_name(nca.certificate)


# warnings.catch_warnings (pki.names.subject_of) is not thread-safe: a worker may see
# cryptography's byte-length warning for the long Cyrillic CA names. It is noise, not a failure.
@pytest.mark.filterwarnings("ignore:Attribute's length must be:UserWarning")
def test_concurrent_creation_yields_one_hierarchy(tmp_path: Path) -> None:
    path = tmp_path / "kzpki.db"
    _database(path)  # tables exist before the "workers" start
    results: list[Hierarchy] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def worker() -> None:
        sm = _database(path)  # each worker has its own engine, as gunicorn workers do
        barrier.wait()
        try:
            results.append(load_or_create_hierarchy(sm, PASSPHRASE, BASE, T0, "ecdsa"))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len({h.root.certificate for h in results}) == 1
    with _database(path)() as session:
        assert len(session.scalars(select(StoredKey).where(StoredKey.purpose == "ca")).all()) == 3


def test_ocsp_responders_are_delegated_per_rfc6960(ca_hierarchy: Hierarchy) -> None:
    for ca_id in CA_IDS:
        responder = ca_hierarchy.ocsp_responder(ca_id)
        certificate = responder.certificate
        certificate.verify_directly_issued_by(ca_hierarchy.get(ca_id).certificate)
        eku = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        assert list(eku) == [ExtendedKeyUsageOID.OCSP_SIGNING]
        certificate.extensions.get_extension_for_class(x509.OCSPNoCheck)
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage)
        assert usage.critical and usage.value.digital_signature and not usage.value.key_cert_sign
        assert responder.private_key.public_key() == certificate.public_key()
        assert certificate.not_valid_after_utc - certificate.not_valid_before_utc == dt.timedelta(days=30)


def test_ocsp_responder_is_renewed_before_it_expires(tmp_path: Path) -> None:
    sm = _database(tmp_path / "kzpki.db")
    worker_a = load_or_create_hierarchy(sm, PASSPHRASE, BASE, T0, "ecdsa")
    worker_b = load_or_create_hierarchy(sm, PASSPHRASE, BASE, T0, "ecdsa")
    first = worker_a.ocsp_responder("nca")
    assert worker_a.ensure_ocsp_responder("nca", T0 + dt.timedelta(days=22)) is first  # 8 days left
    renewed = worker_a.ensure_ocsp_responder("nca", T0 + dt.timedelta(days=24))  # 6 days left
    assert renewed.generation == first.generation + 1
    assert renewed.certificate.not_valid_before_utc == T0 + dt.timedelta(days=24)
    # the other worker picks up the renewed responder instead of issuing one more
    assert (
        worker_b.ensure_ocsp_responder("nca", T0 + dt.timedelta(days=25)).certificate == renewed.certificate
    )
    registered = CertificateStore(sm).get("nca", renewed.certificate.serial_number)
    assert registered.kind == "ocsp_responder"
    dispose(sm)


def test_subordinate_ca_certificates_are_registered_as_issued_by_root(
    ca_hierarchy: Hierarchy, ca_sessionmaker: sessionmaker[Session]
) -> None:
    store = CertificateStore(ca_sessionmaker)
    for ca_id in ("gov", "nca"):
        entry = store.get("root", ca_hierarchy.get(ca_id).certificate.serial_number)
        assert (entry.kind, entry.iin) == ("ca", None)


def test_generic_signing_path_equals_the_native_one(tmp_path: Path) -> None:
    """The algorithm-neutral path (the GOST seam) yields the same TBS and a certificate OpenSSL verifies."""
    for key_type in (keys.KeyType.RSA2048, keys.KeyType.P256):
        key = keys.generate_private_key(key_type)
        name = x509.Name([common_name_attribute("ТЕСТ ТҮБІР КУӘЛАНДЫРУШЫ ОРТАЛЫҒЫ (SIM)")])
        key_id = x509.SubjectKeyIdentifier.from_public_key(key.public_key()).digest
        issuer = IssuerKey(name, key, key_id, profiles.build_ca_urls(BASE, "root", "rsa"), f"{BASE}/cps")
        minter = CertificateMinter(issuer)
        native = minter.mint(
            profiles.ROOT_CA, name, key.public_key(), T0, T0 + dt.timedelta(days=1), serial=7
        )
        builder = (
            x509.CertificateBuilder()
            .issuer_name(name)
            .subject_name(name)
            .public_key(key.public_key())
            .serial_number(7)
            .not_valid_before(T0)
            .not_valid_after(T0 + dt.timedelta(days=1))
        )
        for extension in native.extensions:
            builder = builder.add_extension(extension.value, extension.critical)
        generic = assemble_certificate(builder, signer_for(key))
        assert generic.tbs_certificate_bytes == native.tbs_certificate_bytes
        assert generic.signature_algorithm_oid == native.signature_algorithm_oid
        generic.verify_directly_issued_by(generic)
        pem = tmp_path / f"{key_type.value}.pem"
        pem.write_bytes(keys.certificate_pem(generic))
        at = str(int((T0 + dt.timedelta(hours=1)).timestamp()))
        result = subprocess.run(
            ["openssl", "verify", "-attime", at, "-CAfile", str(pem), str(pem)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_kzpki_ca_init_creates_then_loads_the_hierarchy(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from api.cli import cli

    env = {
        "KZPKI_HOME": str(tmp_path),
        "KZPKI_DATABASE_URL": database_url(tmp_path / "kzpki.db"),
        "KZPKI_CA_PASSPHRASE": "cli test",
        "KZPKI_KEY_ALGORITHM": "ecdsa",
    }
    first = CliRunner(env=env).invoke(cli, ["ca", "init"])
    assert first.exit_code == 0, first.output
    lines = first.output.splitlines()
    assert [line.split()[0] for line in lines] == list(CA_IDS)
    root = keys.load_certificate((tmp_path / "ca" / "root.pem").read_bytes())
    assert root.signature_algorithm_oid.dotted_string == oids.ECDSA_WITH_SHA256
    again = CliRunner(env=env).invoke(cli, ["ca", "init"])
    assert again.output == first.output  # loaded, not created again
    wrong = CliRunner(env={**env, "KZPKI_CA_PASSPHRASE": "other"}).invoke(cli, ["ca", "init"])
    assert wrong.exit_code != 0 and "bad_passphrase" in wrong.output
