"""EDS-21: the PKCS#12 around a key the CA generates needs a password of at least 8 characters, of two kinds
at least, without the applicant's IIN (ca_sim/pkcs12_password.py); a weaker one is refused before any key
is made, with ``weak_password`` naming the field."""

from __future__ import annotations

import pytest

from ca_sim.pkcs12_password import PKCS12_PASSWORD_POLICY
from pki import keys
from pki.errors import InvalidInput
from tests.ca_sim.issuance_support import AT, CaEnv, application, make_env

IIN = application().iin


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> CaEnv:
    return make_env(tmp_path_factory.mktemp("pkcs12-password"))


@pytest.mark.parametrize(
    "password",
    ["x", "pw", "S3cret!", "12345678", "password", "AAAAAAAAAAAA", "!!!!????####", f"Pw{IIN}"],
)
def test_eds21_weak_pkcs12_passwords_are_refused(password: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        PKCS12_PASSWORD_POLICY.check(password.encode(), IIN)
    assert caught.value.code == "weak_password" and caught.value.data["field"] == "pkcs12_password"


@pytest.mark.parametrize(
    "password", ["Qwerty12", "a long passphrase", "correct horse battery staple", "Ұлттық-2026"]
)
def test_eds21_pkcs12_passwords_meeting_the_policy_pass(password: str) -> None:
    PKCS12_PASSWORD_POLICY.check(password.encode(), IIN)


def test_eds21_issuance_with_a_weak_pkcs12_password_is_refused_and_nothing_issued(env: CaEnv) -> None:
    before = env.audit.verify_chain().entries
    weak = application(serial=950, csr=None, generate_key=keys.KeyType.P256, pkcs12_password=b"1234567")
    with pytest.raises(InvalidInput) as caught:
        env.issuer.issue(weak, AT)
    assert caught.value.code == "weak_password"
    assert env.audit.verify_chain().entries == before + 1  # the refusal, audited; no certificate
