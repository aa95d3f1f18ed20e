"""Property tests: for random revoke/hold/release/time sequences the registry follows a reference model, and
CRLs (full + delta) and OCSP built at each time T agree with the registry's status at T (EDS-18); CRL numbers
never go backwards.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ReasonFlags
from cryptography.x509 import ocsp as x509_ocsp
from cryptography.x509.oid import CRLEntryExtensionOID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ca_sim.crl import CrlPublisher
from ca_sim.crl_ledger import CrlKind
from ca_sim.grounds import Ground
from ca_sim.ocsp import OcspResponder
from ca_sim.revocation_periods import CertState
from pki.errors import Conflict
from tests.ca_sim.revocation_support import T0, issue_leaf, make_pki

LEAVES = 4
OPERATIONS = ("revoke", "key_compromise", "hold", "release", "tick")


@dataclass(frozen=True)
class Model:
    """The reference status of one certificate: None (good) or (reason, revocation time)."""

    reason: ReasonFlags | None = None
    revocation_time: dt.datetime | None = None


def _apply(model: Model, operation: str, at: dt.datetime) -> Model | None:
    """The model after ``operation`` at ``at``; None when the registry must refuse it (Conflict)."""
    held = model.reason is ReasonFlags.certificate_hold
    revoked = model.reason is not None and not held
    if operation == "hold":
        return None if model.reason is not None else Model(ReasonFlags.certificate_hold, at)
    if operation == "release":
        return Model() if held else None
    if operation == "revoke":
        return None if revoked else Model(ReasonFlags.superseded, at)
    # key_compromise: also raises an earlier revocation's reason, keeping its time
    if model.reason is ReasonFlags.key_compromise:
        return None
    return Model(ReasonFlags.key_compromise, model.revocation_time if revoked else at)


_GROUNDS = {"revoke": Ground.NAME_CHANGE, "key_compromise": Ground.KEY_COMPROMISE, "hold": Ground.HOLD}

steps = st.lists(
    st.tuples(st.sampled_from(OPERATIONS), st.integers(0, LEAVES - 1), st.integers(1, 600)),
    min_size=1,
    max_size=12,
)


def _crl_reason(entry: x509.RevokedCertificate) -> ReasonFlags:
    try:
        return entry.extensions.get_extension_for_oid(CRLEntryExtensionOID.CRL_REASON).value.reason
    except x509.ExtensionNotFound:
        return ReasonFlags.unspecified


def _crl_number(crl: x509.CertificateRevocationList) -> int:
    return crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=steps)
def test_eds18_crl_and_ocsp_agree_with_registry_at_every_time(steps: list[tuple[str, int, int]]) -> None:
    with tempfile.TemporaryDirectory() as home:
        pki = make_pki(Path(home) / "pki")
        nca = pki.hierarchy.get("nca")
        leaves = [issue_leaf(pki, at=T0) for _ in range(LEAVES)]
        publisher = CrlPublisher(pki.hierarchy.authorities, pki.registry, Path(home) / "crl")
        responder = OcspResponder(pki.hierarchy, pki.registry)
        models = [Model() for _ in leaves]
        history: list[tuple[dt.datetime, list[Model]]] = []
        last_numbers = (0, 0)
        at = T0
        for operation, index, minutes in steps:
            at += dt.timedelta(minutes=minutes)
            serial = leaves[index].serial_number
            if operation != "tick":
                expected = _apply(models[index], operation, at)
                try:
                    if operation == "release":
                        pki.registry.release("nca", serial, at, "op", "doc")
                    else:
                        pki.registry.revoke("nca", serial, _GROUNDS[operation], at, "op", "doc")
                except Conflict:
                    assert expected is None, (operation, models[index])
                else:
                    assert expected is not None, (operation, models[index])
                    models[index] = expected
            history.append((at, list(models)))

            # the registry at T
            for leaf, model in zip(leaves, models, strict=True):
                status = pki.registry.status("nca", leaf.serial_number, at)
                assert (status.reason, status.revocation_time) == (model.reason, model.revocation_time)

            # CRLs at T: the full CRL (possibly older) with the delta applied on top
            full = x509.load_der_x509_crl(publisher.current("nca", CrlKind.FULL, at).der)
            delta = x509.load_der_x509_crl(publisher.current("nca", CrlKind.DELTA, at).der)
            assert full.is_signature_valid(nca.certificate.public_key())
            assert delta.is_signature_valid(nca.certificate.public_key())
            listed = {e.serial_number: (_crl_reason(e), e.revocation_date_utc) for e in full}
            for entry in delta:
                if _crl_reason(entry) is ReasonFlags.remove_from_crl:
                    listed.pop(entry.serial_number, None)
                else:
                    listed[entry.serial_number] = (_crl_reason(entry), entry.revocation_date_utc)
            expected_listed = {
                leaf.serial_number: (model.reason, model.revocation_time)
                for leaf, model in zip(leaves, models, strict=True)
                if model.reason is not None
            }
            assert listed == expected_listed

            # CRL numbers: one increasing sequence, the delta above its base
            base = delta.extensions.get_extension_for_class(x509.DeltaCRLIndicator).value.crl_number
            numbers = (_crl_number(full), _crl_number(delta))
            assert base == numbers[0] < numbers[1]
            assert numbers[0] >= last_numbers[0] and numbers[1] >= last_numbers[1]
            last_numbers = numbers

            # OCSP at T (served from the pre-signed cache when nothing changed)
            for leaf, model in zip(leaves, models, strict=True):
                request = (
                    x509_ocsp.OCSPRequestBuilder()
                    .add_certificate(leaf, nca.certificate, hashes.SHA256())
                    .build()
                )
                response = x509_ocsp.load_der_ocsp_response(
                    responder.respond(request.public_bytes(Encoding.DER), at)
                )
                if model.reason is None:
                    assert response.certificate_status is x509_ocsp.OCSPCertStatus.GOOD
                else:
                    assert response.certificate_status is x509_ocsp.OCSPCertStatus.REVOKED
                    assert response.revocation_time_utc == model.revocation_time
                    expected_reason = None if model.reason is ReasonFlags.unspecified else model.reason
                    assert response.revocation_reason == expected_reason

        # status at any earlier time T is what it was then
        for then, snapshot in history:
            for leaf, model in zip(leaves, snapshot, strict=True):
                status = pki.registry.status("nca", leaf.serial_number, then)
                assert status.reason == model.reason
                assert (status.state is CertState.GOOD) == (model.reason is None)
