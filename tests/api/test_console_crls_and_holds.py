"""Console (issue 14.2, 14.3): search by issue date (Kazakh dates), a hold with an end date (EDS-18) through
the console and the API alike, and the CRL page with "publish now" (EDS-18.3): numbers, times and sizes, the
same role and scope decisions as the API, CSRF, a confirmation step and an audit entry."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from cryptography import x509

from ca_sim.crl_ledger import CrlKind
from ca_sim.revocation_periods import CertState
from pki.calendar import iso_time, kz_date, kz_day_start
from pki.iin import Sex, make_iin
from tests.api.conftest import bearer
from tests.api.console_support import csrf_of, issue, session_csrf, sign_in

SEARCH = "/console/certificates"


def _refused_code(response) -> str:
    found = re.search(r'<code id="code">([a-z_]+)</code>', response.get_data(as_text=True))
    assert found, response.get_data(as_text=True)
    return found.group(1)


def _search(client, **filters) -> str:
    response = client.post(SEARCH, data={"csrf_token": session_csrf(client), **filters})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


@pytest.fixture
def operator_client(app, tokens, clock):
    client = app.test_client()
    assert sign_in(client, tokens["nca_operator"]).status_code == 303
    return client


def test_kz_time_search_by_issue_date_counts_kazakh_days(operator_client, services, tokens, clock):
    iin = make_iin(dt.date(1981, 4, 4), Sex.MALE, 3501)
    issued = issue(operator_client, tokens["nca_operator"], iin, "ДАТОВ")
    today = kz_date(clock())
    day = today.isoformat()
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assert f">{issued['serial']}</a>" in _search(operator_client, issued_from=day, issued_to=day)
    assert f">{issued['serial']}</a>" in _search(operator_client, issued_from=yesterday, name="ДАТОВ")
    assert issued["serial"] not in _search(operator_client, issued_to=yesterday, name="ДАТОВ")
    assert issued["serial"] not in _search(operator_client, issued_from=tomorrow, name="ДАТОВ")
    assert kz_day_start(today) <= clock() < kz_day_start(today + dt.timedelta(days=1))
    bad_date = {"csrf_token": session_csrf(operator_client), "issued_from": "2026-13-01"}
    bad = operator_client.post(SEARCH, data=bad_date)
    assert bad.status_code == 400 and _refused_code(bad) == "invalid_datetime"
    entry = [e for e in services.audit.entries(limit=100000) if e.action == "search_certificates"][-1]
    assert entry.details["filters"]["issued_from"] == tomorrow  # the last search that ran


def test_eds18_a_hold_with_an_end_date_through_the_console(operator_client, services, tokens, clock):
    iin = make_iin(dt.date(1982, 5, 5), Sex.FEMALE, 3502)
    issued = issue(operator_client, tokens["nca_operator"], iin, "СРОКОВА")
    path, serial = f"/console/certificates/nca/{issued['serial']}", int(issued["serial"], 16)
    end_day = kz_date(clock()) + dt.timedelta(days=1)
    form_page = operator_client.get(path + "/hold").get_data(as_text=True)
    assert 'id="hold_until"' in form_page and 'type="date"' in form_page
    form = {
        "csrf_token": session_csrf(operator_client),
        "step": "review",
        "document_ref": "order 12",
        "hold_until": end_day.isoformat(),
    }
    review = operator_client.post(path + "/hold", data=form).get_data(as_text=True)
    assert "until the date below" in review and 'id="review-hold-until"' in review
    assert not services.registry.status("nca", serial, clock()).on_hold  # nothing before confirming
    done = operator_client.post(path + "/hold", data={**form, "step": "confirm"})
    assert done.status_code == 303
    end = kz_day_start(end_day)
    status = services.registry.status("nca", serial, clock())
    assert status.on_hold and status.until == end
    page = operator_client.get(path).get_data(as_text=True)
    assert 'id="hold-until"' in page and "Suspension ends" in page
    assert services.registry.status("nca", serial, end).state is CertState.GOOD
    hold_entry = [e for e in services.audit.entries_about(iin) if e.action == "hold"][-1]
    assert dt.datetime.fromisoformat(hold_entry.details["hold_until"]) == end


def test_eds18_the_certificate_page_shows_a_hold_that_ended_by_itself(
    operator_client, services, tokens, clock
):
    iin = make_iin(dt.date(1982, 5, 6), Sex.FEMALE, 3505)
    issued = issue(operator_client, tokens["nca_operator"], iin, "КОРОТКОВА")
    serial = int(issued["serial"], 16)
    # an end a minute ahead (the console's form takes whole Kazakh days; the session clock must not pass
    # midnight in Kazakhstan: other tests' ages and calendar years depend on today's date)
    end = clock() + dt.timedelta(minutes=1)
    services.registry.hold("nca", serial, clock(), "api-nca_operator", "order 14", until=end)
    path = f"/console/certificates/nca/{issued['serial']}"
    assert 'id="hold-until"' in operator_client.get(path).get_data(as_text=True)
    clock.at += dt.timedelta(minutes=2)
    after = operator_client.get(path).get_data(as_text=True)
    assert "released at the end of the suspension (automatically)" in after
    assert 'class="status-good"' in after and 'id="hold-until"' not in after


def test_eds18_a_hold_end_not_after_today_is_refused_by_the_console(operator_client, tokens, clock):
    iin = make_iin(dt.date(1983, 6, 6), Sex.MALE, 3503)
    issued = issue(operator_client, tokens["nca_operator"], iin, "ВЧЕРАШОВ")
    path = f"/console/certificates/nca/{issued['serial']}/hold"
    form = {
        "csrf_token": session_csrf(operator_client),
        "step": "confirm",
        "document_ref": "order 13",
        "hold_until": kz_date(clock()).isoformat(),  # the start of today: already past
    }
    refused = operator_client.post(path, data=form)
    assert refused.status_code == 400 and _refused_code(refused) == "hold_end_not_after_start"


def test_api_parity_a_hold_with_an_end_date(client, services, tokens, clock):
    iin = make_iin(dt.date(1984, 7, 7), Sex.FEMALE, 3504)
    issued = issue(client, tokens["nca_operator"], iin, "АПИЕВА")
    end_day = kz_date(clock()) + dt.timedelta(days=2)
    response = client.post(
        f"/api/v1/ca/nca/certificates/{issued['serial']}/hold",
        json={"document_ref": "letter 3", "until": end_day.isoformat()},
        headers=bearer(tokens["nca_operator"]),
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] == "on_hold" and body["hold_until"] == iso_time(kz_day_start(end_day))
    past = client.post(
        f"/api/v1/ca/nca/certificates/{issued['serial']}/hold",
        json={"document_ref": "letter 4", "until": "2020-01-01"},
        headers=bearer(tokens["nca_operator"]),
    )
    assert past.status_code == 400 and past.get_json()["code"] == "hold_end_not_after_start"


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "digital signature"), ("ru", "цифровая подпись"), ("kk", "цифрлық қолтаңба")]
)
def test_the_key_usages_are_named_in_the_page_s_language(operator_client, tokens, lang, words):
    iin = make_iin(dt.date(1985, 8, 8), Sex.MALE, 3510 + len(lang) + ord(lang[0]))
    issued = issue(operator_client, tokens["nca_operator"], iin, "КЛЮЧЕВОЙ")
    page = operator_client.get(f"/console/certificates/nca/{issued['serial']}", query_string={"lang": lang})
    shown = page.get_data(as_text=True)
    assert words in shown and "digital_signature" not in shown and "key_encipherment" not in shown
    operator_client.get("/console/certificates", query_string={"lang": "en"})  # back to English


def _crl_row(page: str, ca_id: str, kind: str) -> str:
    return page.split(f'id="crl-{ca_id}-{kind}"', 1)[1].split("</tr>", 1)[0]


def test_eds18_3_the_crl_page_shows_numbers_and_publish_now_moves_them(operator_client, services, clock):
    before = services.registry.crls.publication("nca")
    page = operator_client.get("/console/crls").get_data(as_text=True)
    assert 'id="publish-nca"' in page and 'id="publish-gov"' not in page  # the operator's scope only
    if before.full is not None:
        row = _crl_row(page, "nca", "full")
        assert f'<td class="number">{before.full.crl_number}</td>' in row
        assert str(services.registry.crls.kept_sizes("nca")[before.full.crl_number]) in row
    confirm = operator_client.get("/console/crls/nca/publish")
    assert confirm.status_code == 200 and "next CRL number" in confirm.get_data(as_text=True)
    assert services.registry.crls.publication("nca") == before  # nothing before confirming
    done = operator_client.post("/console/crls/nca/publish", data={"csrf_token": csrf_of(confirm)})
    assert done.status_code == 303
    after = services.registry.crls.publication("nca")
    assert after.full is not None and after.delta is not None
    assert after.full.crl_number > (before.delta.crl_number if before.delta else 0)
    assert after.delta.crl_number == after.full.crl_number + 1
    shown = operator_client.get(done.headers["Location"]).get_data(as_text=True)
    assert 'id="done"' in shown and f'<td class="number">{after.delta.crl_number}</td>' in shown
    der = services.registry.crls.crl_der("nca", after.full.crl_number)
    number = x509.load_der_x509_crl(der).extensions.get_extension_for_class(x509.CRLNumber).value
    assert number.crl_number == after.full.crl_number
    assert f"<td>{len(der)}</td>" in _crl_row(shown, "nca", "full")
    entry = [e for e in services.audit.entries(limit=100000) if e.action == "publish_crl"][-1]
    assert entry.actor == "api-nca_operator" and entry.target == "nca"
    assert entry.details["crl_numbers"] == {
        "nca:full": after.full.crl_number,
        "nca:delta": after.delta.crl_number,
    }


def test_a_crl_publication_posted_without_its_csrf_token_publishes_nothing(operator_client, services):
    before = services.registry.crls.publication("nca")
    refused = operator_client.post("/console/crls/nca/publish", data={"csrf_token": "forged"})
    assert refused.status_code == 403 and _refused_code(refused) == "csrf_token_invalid"
    assert services.registry.crls.publication("nca") == before


@pytest.mark.parametrize(
    ("token", "ca_id", "expected"),
    [
        ("auditor", "nca", 403),
        ("tester", "nca", 403),
        ("gov_operator", "nca", 403),
        ("security_officer", "gov", 201),
        ("gov_operator", "gov", 201),
    ],
)
def test_crl_publication_is_refused_exactly_where_the_api_refuses_it(
    app, client, services, tokens, clock, token, ca_id, expected
):
    api = client.post(f"/api/v1/ca/{ca_id}/crls", headers=bearer(tokens[token]))
    assert api.status_code == expected
    console = app.test_client()
    assert sign_in(console, tokens[token]).status_code == 303
    shown = console.get(f"/console/crls/{ca_id}/publish")
    csrf = csrf_of(console.get("/console/crls"))
    before = services.registry.crls.publication(ca_id)
    posted = console.post(f"/console/crls/{ca_id}/publish", data={"csrf_token": csrf})
    if expected == 403:
        code = api.get_json()["code"]
        assert shown.status_code == 403 and _refused_code(shown) == code
        assert posted.status_code == 403 and _refused_code(posted) == code
        assert services.registry.crls.publication(ca_id) == before
        refusal = [e for e in services.audit.entries(limit=100000) if e.action == "publish_crl"][-1]
        assert refusal.outcome == "refused" and refusal.details["code"] == code
    else:
        assert shown.status_code == 200 and posted.status_code == 303
        assert services.registry.crls.publication(ca_id).full.crl_number > before.full.crl_number
        entry = [e for e in services.audit.entries(limit=100000) if e.action == "publish_crl"][-1]
        assert entry.outcome == "success" and entry.actor == f"api-{token}"


def test_the_api_publication_is_audited_too(client, services, tokens, clock):
    response = client.post("/api/v1/ca/nca/crls", headers=bearer(tokens["nca_operator"]))
    assert response.status_code == 201
    numbers = {f"nca:{c['kind']}": c["crl_number"] for c in response.get_json()["crls"]}
    entry = [e for e in services.audit.entries(limit=100000) if e.action == "publish_crl"][-1]
    assert entry.details["crl_numbers"] == numbers and entry.actor == "api-nca_operator"
    assert set(numbers) == {f"nca:{kind.value}" for kind in CrlKind}
