"""NCANode issue #225 end to end: a document signed and time-stamped by our National CA verifies a year
later, after the signer's certificate expired, through ``/cms/verify``, ``/api/v1/signatures/verify`` and,
as a PAdES B-T PDF, ``/pdf/verify`` (past signature validation, ETSI EN 319 102-1 5.6.2.4); the same
signature without a time stamp does not. Runs on an app of its own (its own database and clock): the
session's clock must not jump a year.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from api.app import create_app
from api.config import Settings
from api.database import dispose
from api.services import Services, build_services
from bench.bench_documents import one_page_pdf
from ca_sim.fixtures import make_csr
from ca_sim.issuance import Application
from ca_sim.profiles import CertificateKind
from pki import oids
from pki.calendar import iso_time
from pki.cms_signing import sign_cms, with_signature_time_stamps
from pki.iin import Sex, make_iin
from pki.keys import KeyType, generate_private_key
from pki.pdf import sign_pdf
from tests.api import contract
from tests.api.conftest import SettableClock
from tests.conftest import SESSION_AT
from tests.databases import database_url

DATA = "Қазақстан: a contract signed in time".encode()


@dataclasses.dataclass(frozen=True)
class Signed:
    client: FlaskClient
    clock: SettableClock
    stamped: str  # base64 CMS with a signature time stamp of our TSA at SESSION_AT
    plain: str  # the same signer, no time stamp
    pdf: str  # base64 PDF signed by the same signer at SESSION_AT, PAdES B-T
    expired_at: dt.datetime


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Signed]:
    home = tmp_path_factory.mktemp("past-validation")
    settings = Settings(
        home=home, database_url=database_url(home / "kzpki.db"), ca_passphrase=b"past", key_algorithm="ecdsa"
    )
    clock = SettableClock(SESSION_AT)
    services: Services = build_services(settings, clock)
    key = generate_private_key(KeyType.P256)
    born = dt.date(1990, 9, 3)
    application = Application(
        kind=CertificateKind.INDIVIDUAL_SIGN,
        iin=make_iin(born, Sex.FEMALE, 4103),
        surname="ТЕСТОВА",
        name="ДИНАРА",
        birth_date=born,
        sex=Sex.FEMALE,
        csr=make_csr(key),
    )
    certificate = services.issuer.issue(application, SESSION_AT).certificate
    nca = services.hierarchy.authorities["nca"].certificate
    plain = sign_cms(DATA, key, certificate, signing_time=SESSION_AT, extra_certificates=[nca])
    stamper = services.tsa.stamper(oids.TSA_GOST2015_POLICY, SESSION_AT)
    stamped = with_signature_time_stamps(plain, stamper)
    pdf = sign_pdf(one_page_pdf(), key, certificate, at=SESSION_AT, stamp=stamper)
    app = create_app(settings, clock=clock, services=services)
    contract.install(app)
    texts = (base64.b64encode(v).decode() for v in (stamped, plain, pdf))
    yield Signed(app.test_client(), clock, *texts, certificate.not_valid_after_utc)
    assert not contract.take_violations(app)
    dispose(services.sessionmaker)


def test_ncanode_225_a_time_stamped_signature_stays_valid_after_the_signer_expired(signed: Signed) -> None:
    signed.clock.at = signed.expired_at + dt.timedelta(days=30)
    answer = signed.client.post("/cms/verify", json={"cms": signed.stamped}).get_json()
    assert answer["valid"] is True, answer["message"]
    (signer,) = answer["signers"]
    assert signer["certificates"][0]["valid"] is True and signer["tsp"]["policy"] == oids.TSA_GOST2015_POLICY
    verdict = signed.client.post("/api/v1/signatures/verify", json={"cms": signed.stamped}).get_json()
    assert verdict["indication"] == "TOTAL_PASSED", verdict["reasons"]
    assert verdict["signers"][0]["validated_at"] == iso_time(SESSION_AT)
    assert [w["code"] for w in verdict["warnings"]] == ["validated_as_of_time_stamp"]
    pdf = signed.client.post("/pdf/verify", json={"pdf": signed.pdf}).get_json()
    assert pdf["valid"] is True and pdf["signers"][0]["valid"] is True, pdf["message"]


def test_ncanode_225_without_a_time_stamp_the_expired_signer_is_invalid(signed: Signed) -> None:
    signed.clock.at = max(signed.clock.at, signed.expired_at + dt.timedelta(days=30))
    answer = signed.client.post("/cms/verify", json={"cms": signed.plain}).get_json()
    assert answer["valid"] is False and "certificate_expired" in answer["message"]
    verdict = signed.client.post("/api/v1/signatures/verify", json={"cms": signed.plain}).get_json()
    assert verdict["reasons"] == ["certificate_expired"] and verdict["signers"][0]["validated_at"] is None
