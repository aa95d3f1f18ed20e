"""The fixtures generator: manifest schema, files, OpenSSL acceptance, subjects, registry state, and that the
broken scenarios can only come from the lenient path."""

from __future__ import annotations

import datetime as dt
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.x509 import ReasonFlags
from cryptography.x509.oid import ExtendedKeyUsageOID
from sqlalchemy.orm import Session, sessionmaker

from api.config import Settings
from ca_sim.audit import AuditLog, derive_head_key
from ca_sim.fixtures import make_csr
from ca_sim.hierarchy import Hierarchy
from ca_sim.issuance import Application, Issuer
from ca_sim.registry import RevocationRegistry
from ca_sim.revocation_periods import CertState
from ca_sim.scenarios import build_scenarios
from pki import keys
from pki.calendar import kz_date
from pki.errors import Refused
from pki.iin import has_valid_checksum, parse_iin
from pki.reasons import Reason
from tests.conftest import FixtureSet

SCENARIOS = [
    "individual_auth_rsa",
    "individual_sign_rsa",
    "individual_single_key",
    "individual_auth_ecdsa",
    "kazakh_letters_name",
    "under_16_today",
    "exactly_16_today",
    "turns_16_tomorrow",
    "bad_iin_checksum",
    "token_issued_over_a_year_ago",
    "expired",
    "not_yet_valid",
    "revoked_key_compromise",
    "revoked_name_change",
    "on_hold",
    "legal_first_head",
    "legal_employee_auth",
    "civil_servant_gov",
    "foreign_root",
    "notary_biometric",
    "account_suspended",
    "account_blocked",
    "account_terminated",
    "no_account",
]
EXPECTED = {
    "individual_auth_rsa": ("accepted", None),
    "individual_sign_rsa": ("refused", "wrong_key_usage"),
    "individual_single_key": ("accepted", None),
    "individual_auth_ecdsa": ("accepted", None),
    "kazakh_letters_name": ("accepted", None),
    "under_16_today": ("refused", "under_age"),
    "exactly_16_today": ("accepted", None),
    "turns_16_tomorrow": ("refused", "under_age"),
    "bad_iin_checksum": ("refused", "invalid_iin"),
    "token_issued_over_a_year_ago": ("refused", "eds_not_reissued"),
    "expired": ("refused", "certificate_expired"),
    "not_yet_valid": ("refused", "certificate_not_yet_valid"),
    "revoked_key_compromise": ("refused", "revoked"),
    "revoked_name_change": ("refused", "revoked"),
    "on_hold": ("refused", "on_hold"),
    "legal_first_head": ("refused", "not_individual"),
    "legal_employee_auth": ("refused", "not_individual"),
    "civil_servant_gov": ("refused", "not_individual"),
    "foreign_root": ("refused", "untrusted_root"),
    "notary_biometric": ("accepted", None),
    "account_suspended": ("refused", "account_suspended"),
    "account_blocked": ("refused", "account_blocked"),
    "account_terminated": ("refused", "account_terminated"),
    "no_account": ("refused", "account_not_found"),
}
NOT_VALID_AT_GENERATION = {"expired", "not_yet_valid", "foreign_root"}


def _at(fixtures: FixtureSet) -> dt.datetime:
    return dt.datetime.fromisoformat(fixtures.manifest["generated_at"])


def _scenario(fixtures: FixtureSet, name: str) -> dict[str, Any]:
    return next(s for s in fixtures.manifest["scenarios"] if s["name"] == name)


def _certificate(fixtures: FixtureSet, name: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(
        (fixtures.path / _scenario(fixtures, name)["files"]["cert_pem"]).read_bytes()
    )


def _openssl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["openssl", *args], capture_output=True, text=True, check=False)


def test_manifest_schema(fixture_dir: FixtureSet) -> None:
    manifest = fixture_dir.manifest
    assert set(manifest) >= {"generated_at", "ca", "scenarios", "biometric_service"}
    assert dt.datetime.fromisoformat(manifest["generated_at"]).tzinfo is not None
    assert manifest["ca"] == {"root": "ca/root.pem", "gov": "ca/gov.pem", "nca": "ca/nca.pem"}
    assert [s["name"] for s in manifest["scenarios"]] == SCENARIOS
    reasons = {r.value for r in Reason}
    for scenario in manifest["scenarios"]:
        assert set(scenario) >= {"name", "description", "kind", "ca_id", "iin", "files", "account"}
        assert set(scenario) >= {"needs_biometric", "expected"}
        assert scenario["description"]
        assert scenario["ca_id"] in {"root", "gov", "nca", "foreign"}
        assert len(scenario["iin"]) == 12 and scenario["iin"].isdigit()
        assert set(scenario["files"]) == {
            "cert_pem",
            "cert_der",
            "key_pem",
            "p12",
            "p12_password",
            "chain_pem",
        }
        for key, path in scenario["files"].items():
            if key != "p12_password":
                assert (fixture_dir.path / path).is_file(), path
        expected = scenario["expected"]
        assert (expected["decision"], expected["reason"]) == EXPECTED[scenario["name"]]
        assert expected["reason"] is None or expected["reason"] in reasons
        account = scenario["account"]
        if scenario["name"] == "no_account":
            assert account is None
        else:
            assert account["role"] in {"notary", "chamber_employee", "justice_employee"}
            assert account["status"] in {"active", "suspended", "blocked", "terminated"}
            assert (account["role"] == "notary") == (scenario["name"] == "notary_biometric")
            if not scenario["name"].startswith("account_"):
                assert account["status"] == "active"
        assert scenario["needs_biometric"] == (scenario["name"] == "notary_biometric")
    assert len({s["iin"] for s in manifest["scenarios"]}) == len(SCENARIOS)  # one person per scenario
    for path in manifest["ca"].values():
        assert (fixture_dir.path / path).is_file()


def test_rfc3161_2_3_the_manifest_s_tsa_certificate_passes_openssl_verify_for_time_stamping(
    fixture_dir: FixtureSet,
) -> None:
    assert fixture_dir.manifest["tsa"] == "ca/tsa.pem"
    ca = fixture_dir.path / "ca"
    attime = str(int(_at(fixture_dir).timestamp()))
    command = ["verify", "-attime", attime, "-purpose", "timestampsign", "-CAfile", str(ca / "root.pem"),
               "-untrusted", str(ca / "nca.pem"), str(ca / "tsa.pem")]  # fmt: skip
    checked = _openssl(*command)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_every_valid_chain_passes_openssl_verify(fixture_dir: FixtureSet) -> None:
    attime = str(int(_at(fixture_dir).timestamp()))
    root = str(fixture_dir.path / "ca" / "root.pem")
    for scenario in fixture_dir.manifest["scenarios"]:
        files = scenario["files"]
        intermediate = fixture_dir.path / "ca" / f"{scenario['ca_id']}.pem"
        leaf = str(fixture_dir.path / files["cert_pem"])
        if scenario["ca_id"] == "foreign":
            assert _openssl("verify", "-attime", attime, "-CAfile", root, leaf).returncode != 0
            foreign = str(fixture_dir.path / fixture_dir.manifest["foreign_ca"])
            assert _openssl("verify", "-attime", attime, "-CAfile", foreign, leaf).returncode == 0
            continue
        result = _openssl("verify", "-attime", attime, "-CAfile", root, "-untrusted", str(intermediate), leaf)
        if scenario["name"] in NOT_VALID_AT_GENERATION:
            assert result.returncode != 0
            assert (
                "expired" in result.stdout + result.stderr or "not yet valid" in result.stdout + result.stderr
            )
        else:
            assert result.returncode == 0, scenario["name"] + result.stdout + result.stderr
        chained = _openssl(
            "verify",
            "-attime",
            attime,
            "-CAfile",
            root,
            "-untrusted",
            str(fixture_dir.path / files["chain_pem"]),
            leaf,
        )
        assert (chained.returncode == 0) == (scenario["name"] not in NOT_VALID_AT_GENERATION)


def test_openssl_shows_the_nca_subject_layout(fixture_dir: FixtureSet) -> None:
    scenario = _scenario(fixture_dir, "kazakh_letters_name")
    result = _openssl(
        "x509", "-in", str(fixture_dir.path / scenario["files"]["cert_pem"]), "-noout", "-text",
        "-nameopt", "utf8,sep_multiline,lname",
    )  # fmt: skip
    assert result.returncode == 0
    subject = result.stdout.split("Subject:", 1)[1].split("Subject Public Key Info", 1)[0]
    assert [line.strip() for line in subject.strip().splitlines()] == [
        "commonName=ӨМІРҒАЛИЕВА ӘЙГҮЛ-ЖАҢЫЛ",
        "surname=ӨМІРҒАЛИЕВА",
        f"serialNumber=IIN{scenario['iin']}",
        "countryName=KZ",
        "givenName=ШАҺМҰРАТҚЫЗЫ",
    ]
    assert set("ӘҒҚҢӨҰҮҺІ") <= set(subject)


def test_legal_entity_subject_has_organisation_and_bin(fixture_dir: FixtureSet) -> None:
    scenario = _scenario(fixture_dir, "legal_first_head")
    result = _openssl(
        "x509", "-in", str(fixture_dir.path / scenario["files"]["cert_pem"]), "-noout", "-subject",
        "-nameopt", "utf8,sep_comma_plus_space,lname",
    )  # fmt: skip
    assert 'organizationName=ТОО "ҚАЗАҚ НОТАРИАТ СЕРВИС" (SIM)' in result.stdout
    assert "organizationalUnitName=BIN940140000385" in result.stdout
    assert f"serialNumber=IIN{scenario['iin']}" in result.stdout


def test_keys_match_certificates_and_pkcs12_opens_with_the_stated_password(fixture_dir: FixtureSet) -> None:
    for scenario in fixture_dir.manifest["scenarios"]:
        files = scenario["files"]
        key = keys.load_private_key((fixture_dir.path / files["key_pem"]).read_bytes())
        certificate = keys.load_certificate((fixture_dir.path / files["cert_der"]).read_bytes())
        assert key.public_key() == certificate.public_key()
        p12_key, p12_certificate, chain = keys.load_pkcs12(
            (fixture_dir.path / files["p12"]).read_bytes(), files["p12_password"].encode()
        )
        assert p12_certificate == certificate and p12_key.public_key() == key.public_key()
        assert chain == x509.load_pem_x509_certificates((fixture_dir.path / files["chain_pem"]).read_bytes())
        assert scenario["serial"] == format(certificate.serial_number, "x")


def test_private_keys_and_pkcs12_files_are_the_owners_alone(fixture_dir: FixtureSet) -> None:
    """Test keys still sign logins that the service accepts: only their owner may read them (0600)."""
    credentials = [s["files"] for s in fixture_dir.manifest["scenarios"]]
    credentials.append(fixture_dir.manifest["biometric_service"]["files"])
    for files in credentials:
        for name in ("key_pem", "p12"):
            assert stat.S_IMODE((fixture_dir.path / files[name]).stat().st_mode) == 0o600, files[name]


def test_scenarios_have_the_properties_their_names_say(fixture_dir: FixtureSet) -> None:
    at = _at(fixture_dir)
    today = kz_date(at)  # the scenarios are aged on Kazakhstan's date (KZ-TIME)
    for name in ("under_16_today", "turns_16_tomorrow"):
        assert parse_iin(_scenario(fixture_dir, name)["iin"]).age_on(today) == 15
    assert (
        parse_iin(_scenario(fixture_dir, "turns_16_tomorrow")["iin"]).age_on(today + dt.timedelta(days=1))
        == 16
    )
    assert parse_iin(_scenario(fixture_dir, "exactly_16_today")["iin"]).age_on(today) == 16
    assert not has_valid_checksum(_scenario(fixture_dir, "bad_iin_checksum")["iin"])
    token = _certificate(fixture_dir, "token_issued_over_a_year_ago")
    assert token.not_valid_before_utc < at.replace(year=at.year - 1)
    assert token.not_valid_after_utc - token.not_valid_before_utc > dt.timedelta(days=3 * 365)
    assert token.not_valid_after_utc > at
    assert _certificate(fixture_dir, "expired").not_valid_after_utc < at
    assert _certificate(fixture_dir, "not_yet_valid").not_valid_before_utc > at
    ecdsa = _certificate(fixture_dir, "individual_auth_ecdsa").public_key()
    assert keys.KeyType.P256.value == "p256" and ecdsa.curve.name == "secp256r1"  # type: ignore[union-attr]
    sign = _certificate(fixture_dir, "individual_sign_rsa")
    assert not sign.extensions.get_extension_for_class(x509.KeyUsage).value.key_encipherment
    assert _scenario(fixture_dir, "civil_servant_gov")["ca_id"] == "gov"


def test_revoked_and_on_hold_scenarios_are_in_the_registry(
    fixture_dir: FixtureSet, ca_sessionmaker: sessionmaker[Session]
) -> None:
    registry = RevocationRegistry(ca_sessionmaker)
    at = _at(fixture_dir)
    expected = {
        "revoked_key_compromise": ReasonFlags.key_compromise,
        "revoked_name_change": ReasonFlags.superseded,
        "on_hold": ReasonFlags.certificate_hold,
    }
    for name, reason in expected.items():
        status = registry.status("nca", int(_scenario(fixture_dir, name)["serial"], 16), at)
        assert (status.state, status.reason) == (CertState.REVOKED, reason)
    assert registry.status(
        "nca", int(_scenario(fixture_dir, "individual_auth_rsa")["serial"], 16), at
    ).state is (CertState.GOOD)


def test_biometric_service_credentials(fixture_dir: FixtureSet) -> None:
    service = fixture_dir.manifest["biometric_service"]
    assert service["ca_id"] == "nca"
    files = service["files"]
    certificate = keys.load_certificate((fixture_dir.path / files["cert_pem"]).read_bytes())
    key = keys.load_private_key((fixture_dir.path / files["key_pem"]).read_bytes())
    assert key.public_key() == certificate.public_key()
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and not usage.key_encipherment and not usage.content_commitment
    eku = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.CLIENT_AUTH not in eku
    attime = str(int(_at(fixture_dir).timestamp()))
    root, chain = str(fixture_dir.path / "ca" / "root.pem"), str(fixture_dir.path / files["chain_pem"])
    assert (
        _openssl(
            "verify",
            "-attime",
            attime,
            "-CAfile",
            root,
            "-untrusted",
            chain,
            str(fixture_dir.path / files["cert_pem"]),
        ).returncode
        == 0
    )


@pytest.mark.parametrize("name", ["under_16_today", "turns_16_tomorrow", "bad_iin_checksum"])
def test_broken_scenarios_are_refused_by_normal_issuance(
    fixture_dir: FixtureSet,
    ca_hierarchy: Hierarchy,
    ca_sessionmaker: sessionmaker[Session],
    ca_settings: Settings,
    name: str,
) -> None:
    at = _at(fixture_dir)
    scenario = next(s for s in build_scenarios(at) if s.name == name)
    assert scenario.lenient is not None
    audit = AuditLog(ca_sessionmaker, derive_head_key(ca_settings.ca_passphrase))
    issuer = Issuer(ca_hierarchy, ca_sessionmaker, audit)
    owner = scenario.owner
    application = Application(
        kind=scenario.kind,
        iin=_scenario(fixture_dir, name)["iin"],
        surname=owner.surname,
        name=owner.name,
        patronymic=owner.patronymic,
        birth_date=owner.birth_date,
        sex=owner.sex,
        csr=make_csr(keys.generate_private_key(keys.KeyType.P256)),
    )
    with pytest.raises(Refused) as caught:
        issuer.issue(application, at)
    assert caught.value.code == {"bad_iin_checksum": "false_information"}.get(name, "under_age")


def test_fixtures_refuse_a_time_outside_the_hierarchy(
    ca_settings: Settings, ca_hierarchy: Hierarchy, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from api.cli import cli

    env = {
        "KZPKI_HOME": str(ca_settings.home),
        "KZPKI_DATABASE_URL": ca_settings.database_url,
        "KZPKI_CA_PASSPHRASE": ca_settings.ca_passphrase.decode(),
    }
    before = ca_hierarchy.root.certificate.not_valid_before_utc - dt.timedelta(days=1)
    result = CliRunner(env=env).invoke(cli, ["fixtures", "--out", str(tmp_path), "--at", before.isoformat()])
    assert result.exit_code != 0
    assert "hierarchy_not_valid_at" in result.output
    assert not (tmp_path / "manifest.json").exists()
