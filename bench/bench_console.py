"""The operators' console with a large register: `python -m bench.bench_console [--certificates N]`.

Fills a fresh SQLite register with N (default 100,000) certificates, bulk-inserted through SQLAlchemy
Core (the rows a real register holds: CA, serial, IIN, kind, name, validity, issue time, DER; 2% of them
revoked and 0.5% on hold, with their revocation periods), plus a few issued through the CA for real, then
times the console's main pages through Flask's test client, signed in as an operator: the search form,
a search by each filter (serial, IIN, name prefix, CA, each status, a month of issue dates, no filter and
a deep page), a certificate page and the CRL page. Each page: the median of 3 runs
(``bench.timing.median_of``, ``KZPKI_BENCH_RUNS``) of its wall-clock milliseconds with the load average,
and the median of its CPU (``time.process_time``) milliseconds (the machine is shared: CPU time is the
steadier figure). Every search also writes its audit entry, as in production. Never asserts: it prints.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ReasonFlags
from flask.testing import FlaskClient
from sqlalchemy import insert, update

from api.app import create_app
from api.config import Settings
from api.database import dispose
from api.services import Services
from bench.timing import median_of
from ca_sim.certificates import new_serial
from ca_sim.certstore import CertificateRecord, serial_to_hex
from ca_sim.crl_entry import encode_crl_entry
from ca_sim.grounds import Ground
from ca_sim.issuance import Application
from ca_sim.operators import Role
from ca_sim.profiles import CertificateKind
from ca_sim.revocation_periods import Revocation
from pki.calendar import kz_date
from pki.iin import Sex, make_iin, parse_iin
from pki.keys import KeyType
from tests.api.console_support import csrf_of, sign_in

_SURNAMES = [
    "АБДИКАРИМОВ", "АХМЕТОВ", "БЕКОВ", "ЖУМАБАЕВ", "ИВАНОВ", "КАСЫМОВ", "НУРЛАНОВ", "ОМАРОВ",
    "ПЕТРОВ", "САРСЕНОВ", "ТОКТАРОВ", "УТЕГЕНОВ", "ЕРМЕКОВ", "ДЖАКУПОВ", "СМАГУЛОВ", "ИСКАКОВ",
]  # fmt: skip
_NAMES = ["АЙГУЛЬ", "АСЕЛЬ", "БАУЫРЖАН", "ДАНИЯР", "ЕРЛАН", "ЖАННА", "МАРАТ", "САУЛЕ", "ТИМУР"]


def _fill(services: Services, count: int, now: dt.datetime, template_der: bytes) -> dict[str, Any]:
    """Bulk-insert ``count`` certificates issued over the three years before ``now`` (ids in issue order),
    2% revoked and 0.5% on hold; return a few of them to search for."""
    rng = random.Random(14)
    issued = sorted(now - dt.timedelta(seconds=rng.randrange(3 * 365 * 86400)) for _ in range(count))
    certificates, periods = [], []
    picked: dict[str, Any] = {}
    for n, at in enumerate(issued):
        serial = new_serial()
        birth = dt.date(1950 + rng.randrange(55), 1 + rng.randrange(12), 1 + rng.randrange(28))
        iin = make_iin(birth, Sex.MALE if n % 2 else Sex.FEMALE, 1000 + rng.randrange(8999))
        ca_id = "gov" if n % 10 == 0 else "nca"
        certificates.append(
            {
                "ca_id": ca_id,
                "serial": serial_to_hex(serial),
                "iin": iin,
                "kind": CertificateKind.INDIVIDUAL_AUTH.value,
                "subject_cn": f"{rng.choice(_SURNAMES)} {rng.choice(_NAMES)}",
                "not_before": at,
                "not_after": at + dt.timedelta(days=365),
                "issued_at": at,
                "der": template_der,
            }
        )
        if n % 40 == 1 or n % 200 == 3:
            reason = ReasonFlags.certificate_hold if n % 200 == 3 else ReasonFlags.superseded
            revoked = min(at + dt.timedelta(days=30), now - dt.timedelta(minutes=1))
            periods.append(
                {
                    "ca_id": ca_id,
                    "serial": serial_to_hex(serial),
                    "ground": Ground.HOLD.value if reason is ReasonFlags.certificate_hold else "name_change",
                    "reason": reason.value,
                    "revocation_time": revoked.replace(microsecond=0),
                    "requested_by": "bench",
                    "document_ref": "bench",
                    "effective_from": revoked,
                    "started_version": 1,
                    "entry_der": encode_crl_entry(serial, revoked, reason, None),
                }
            )
        if n == count // 2:
            picked = {"serial": serial_to_hex(serial), "iin": iin, "ca_id": ca_id}
    with services.sessionmaker.begin() as session:
        for start in range(0, len(certificates), 20_000):
            session.execute(insert(CertificateRecord), certificates[start : start + 20_000])
        session.execute(insert(Revocation), periods)
    picked["month"] = kz_date(issued[count // 2])
    return picked


def _timed(label: str, action: Callable[[], Any]) -> None:
    """Time the page ``action`` fetches (after one warm-up): :func:`bench.timing.median_of` of its
    wall-clock milliseconds (the summary line), then the median of its CPU milliseconds."""
    action()
    cpus: list[float] = []

    def measure() -> float:
        wall, cpu = time.perf_counter(), time.process_time()
        response = action()
        elapsed = (time.perf_counter() - wall) * 1000
        cpus.append((time.process_time() - cpu) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{label}: {response.status_code} {response.get_data(as_text=True)[:300]}")
        return elapsed

    median_of(f"console {label}", "ms", measure)
    print(f"  {label}: CPU {statistics.median(cpus):.1f} ms (median)", flush=True)


def _search(client: FlaskClient, csrf: str, **filters: str) -> Callable[[], Any]:
    return lambda: client.post("/console/certificates", data={"csrf_token": csrf, **filters})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--certificates", type=int, default=100_000)
    count = parser.parse_args().certificates
    with tempfile.TemporaryDirectory(prefix="kzpki-bench-console-") as folder:
        home = Path(folder)
        settings = Settings(
            home=home,
            database_url=f"sqlite:///{home / 'kzpki.db'}",
            ca_passphrase=b"bench passphrase",
            key_algorithm="ecdsa",
        )
        app = create_app(settings)
        services: Services = app.extensions["kzpki"]
        now = services.clock()
        iin = make_iin(dt.date(1985, 5, 5), Sex.MALE, 4242)
        person = parse_iin(iin)
        real = services.issuer.issue(
            Application(
                kind=CertificateKind.INDIVIDUAL_AUTH,
                iin=iin,
                surname="ЭТАЛОНОВ",
                name="БЕНЧ",
                birth_date=person.birth_date,
                sex=person.sex,
                generate_key=KeyType.P256,
                pkcs12_password=b"Bench-pass-1",
            ),
            now,
            requested_by="bench",
        )
        started = time.perf_counter()
        picked = _fill(
            services, count, now - dt.timedelta(hours=1), real.certificate.public_bytes(Encoding.DER)
        )
        print(f"filled {count:,} certificates in {time.perf_counter() - started:.1f} s")
        services.crls.publish(services.clock())
        _, token = services.operators.add("bench-operator", Role.OPERATOR, ["nca", "gov"], now, "bench")
        client = app.test_client()
        assert sign_in(client, token).status_code == 303
        csrf = csrf_of(client.get("/console/certificates"))
        month = picked["month"]
        first = month.replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        serial = format(real.certificate.serial_number, "x")
        pages: list[tuple[str, Callable[[], Any]]] = [
            ("search form (GET)", lambda: client.get("/console/certificates")),
            ("search: no filter", _search(client, csrf)),
            ("search: serial", _search(client, csrf, serial=picked["serial"])),
            ("search: IIN", _search(client, csrf, iin=picked["iin"])),
            ("search: name prefix", _search(client, csrf, name="ИСКАК")),
            ("search: CA gov", _search(client, csrf, ca="gov")),
            ("search: status good", _search(client, csrf, status="good")),
            ("search: status revoked", _search(client, csrf, status="revoked")),
            ("search: status on_hold", _search(client, csrf, status="on_hold")),
            (
                f"search: issued {first}..{last}",
                _search(client, csrf, issued_from=first.isoformat(), issued_to=last.isoformat()),
            ),
            ("search: page 100", _search(client, csrf, page="100")),
            ("certificate page", lambda: client.get(f"/console/certificates/nca/{serial}")),
            ("CRL page", lambda: client.get("/console/crls")),
        ]
        for label, action in pages:
            _timed(label, action)
        # The worst case of a status filter: no certificate matches, so the whole register is read in issue
        # order (every hold ended an hour ago, directly in the table: a bench set-up step).
        with services.sessionmaker.begin() as session:
            session.execute(
                update(Revocation)
                .where(Revocation.reason == ReasonFlags.certificate_hold.value)
                .values(effective_until=now - dt.timedelta(hours=1), end_action="released")
            )
        _timed("search: status on_hold, none in force (worst case)", _search(client, csrf, status="on_hold"))
        dispose(services.sessionmaker)


if __name__ == "__main__":
    main()
