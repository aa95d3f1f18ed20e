"""EDS-21 at the API: a CA-generated key's PKCS#12 password below the policy is a 400 problem
``weak_password`` naming the field, and no certificate is issued."""

from __future__ import annotations

import datetime as dt

from pki.iin import Sex, make_iin, parse_iin
from tests.api.conftest import bearer
from tests.api.support import assert_problem


def test_eds21_a_weak_pkcs12_password_is_a_400_weak_password(client, tokens):
    iin = make_iin(dt.date(1986, 5, 6), Sex.FEMALE, 4545)
    application = {
        "kind": "individual_auth",
        "iin": iin,
        "surname": "ЖАҢАБАЕВА",
        "name": "ТЕСТ",
        "birth_date": parse_iin(iin).birth_date.isoformat(),
        "sex": parse_iin(iin).sex.value,
        "generate_key": "p256",
        "pkcs12_password": "zqzqzq",
    }
    refused = client.post("/api/v1/ca/applications", json=application, headers=bearer(tokens["nca_operator"]))
    problem = assert_problem(refused, 400, "weak_password")
    assert "pkcs12_password" in problem["detail"]
    assert "zqzqzq" not in refused.get_data(as_text=True)  # the password is never echoed
