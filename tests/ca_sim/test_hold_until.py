"""EDS-18 suspension with an end date: the hold ends by itself at its end date, as of time (no write), in the
status, the history, OCSP (cache and nextUpdate) and the delta CRL (removeFromCRL, nextUpdate); a release or
revocation before it ends the hold early."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ReasonFlags
from cryptography.x509 import ocsp as x509_ocsp

from ca_sim.crl import CrlPublisher
from ca_sim.crl_ledger import CrlKind
from ca_sim.grounds import Ground
from ca_sim.ocsp import OcspResponder
from ca_sim.revocation_periods import CertState
from pki.errors import ErrorCode, InvalidInput
from tests.ca_sim.revocation_support import T0, Pki

H = dt.timedelta(hours=1)
S = dt.timedelta(seconds=1)


def _hold(pki: Pki, leaf: x509.Certificate, at: dt.datetime, until: dt.datetime | None):
    return pki.registry.hold("nca", leaf.serial_number, at, "op-nca", "letter 7", until=until)


def _status(pki: Pki, leaf: x509.Certificate, at: dt.datetime):
    return pki.registry.status("nca", leaf.serial_number, at)


def test_eds18_a_hold_with_an_end_date_is_good_again_from_then_as_of_time(pki: Pki, leaf) -> None:
    held = _hold(pki, leaf, T0 + H, T0 + 5 * H)
    assert held.on_hold and held.until == T0 + 5 * H
    during = _status(pki, leaf, T0 + 5 * H - S)
    assert during.on_hold and during.until == T0 + 5 * H
    assert _status(pki, leaf, T0 + 5 * H).state is CertState.GOOD
    assert _status(pki, leaf, T0 + H - S).state is CertState.GOOD
    (period,) = pki.registry.views.certificate_history("nca", format(leaf.serial_number, "x"))
    assert (period.effective_until, period.end_action, period.scheduled_until) == (
        T0 + 5 * H,
        None,
        T0 + 5 * H,
    )
    assert not period.ended_by_itself(T0 + 5 * H - S) and period.ended_by_itself(T0 + 5 * H)
    public = pki.registry.views.lookup("nca", leaf.serial_number, T0 + 2 * H)
    assert public.status == "on_hold" and public.hold_until == T0 + 5 * H


def test_eds18_a_hold_end_not_after_the_hold_is_refused(pki: Pki, leaf) -> None:
    with pytest.raises(InvalidInput) as refused:
        _hold(pki, leaf, T0 + H, T0 + H)
    assert refused.value.code is ErrorCode.HOLD_END_NOT_AFTER_START
    with pytest.raises(InvalidInput) as revocation:
        pki.registry.revoke(
            "nca", leaf.serial_number, Ground.OWNER_DEATH, T0 + H, "op", "d", hold_until=T0 + 2 * H
        )
    assert revocation.value.code is ErrorCode.INVALID_VALUE
    assert _status(pki, leaf, T0 + 2 * H).state is CertState.GOOD


def test_eds18_a_release_before_the_end_date_ends_the_hold_early(pki: Pki, leaf) -> None:
    _hold(pki, leaf, T0 + H, T0 + 5 * H)
    pki.registry.release("nca", leaf.serial_number, T0 + 2 * H, "op-nca", "letter 8")
    assert _status(pki, leaf, T0 + 2 * H).state is CertState.GOOD
    (period,) = pki.registry.views.certificate_history("nca", format(leaf.serial_number, "x"))
    assert (period.effective_until, period.end_action, period.ended_by) == (T0 + 2 * H, "released", "op-nca")
    assert period.scheduled_until == T0 + 5 * H and not period.ended_by_itself(T0 + 9 * H)
    assert _hold(pki, leaf, T0 + 3 * H, None).on_hold  # a new hold, no conflict with the old end date


def test_eds18_a_revocation_before_the_end_date_is_for_good(pki: Pki, leaf) -> None:
    _hold(pki, leaf, T0 + H, T0 + 5 * H)
    pki.registry.revoke("nca", leaf.serial_number, Ground.KEY_COMPROMISE, T0 + 2 * H, "op-nca", "stmt")
    after = _status(pki, leaf, T0 + 6 * H)
    assert after.state is CertState.REVOKED and after.reason is ReasonFlags.key_compromise


def test_eds18_after_its_end_date_a_certificate_may_be_held_again(pki: Pki, leaf) -> None:
    _hold(pki, leaf, T0 + H, T0 + 2 * H)
    again = _hold(pki, leaf, T0 + 3 * H, None)
    assert again.on_hold and again.until is None
    assert _status(pki, leaf, T0 + 2 * H + 30 * dt.timedelta(minutes=1)).state is CertState.GOOD


def _ocsp(responder: OcspResponder, pki: Pki, leaf: x509.Certificate, at: dt.datetime):
    issuer = pki.hierarchy.get("nca").certificate
    request = x509_ocsp.OCSPRequestBuilder().add_certificate(leaf, issuer, hashes.SHA1()).build()
    return x509_ocsp.load_der_ocsp_response(responder.respond(request.public_bytes(Encoding.DER), at))


def test_ocsp_answers_good_from_the_end_date_even_from_its_cache(pki: Pki, leaf) -> None:
    end = T0 + 2 * H
    _hold(pki, leaf, T0 + H, end)
    responder = OcspResponder(pki.hierarchy, pki.registry)
    before = _ocsp(responder, pki, leaf, end - 2 * dt.timedelta(minutes=1))  # cached for up to 5 minutes
    assert before.certificate_status is x509_ocsp.OCSPCertStatus.REVOKED
    assert before.revocation_reason is ReasonFlags.certificate_hold
    assert before.next_update_utc == end  # no answer may be used past the end of the hold
    after = _ocsp(responder, pki, leaf, end + dt.timedelta(minutes=1))
    assert after.certificate_status is x509_ocsp.OCSPCertStatus.GOOD


def test_rfc5280_the_first_delta_after_the_end_date_lists_remove_from_crl(pki: Pki, leaf) -> None:
    end = T0 + 3 * H
    _hold(pki, leaf, T0 + H, end)
    publisher = CrlPublisher(pki.hierarchy.authorities, pki.registry, pki.home / "crl")
    published = {i.record.kind: i for i in publisher.publish(T0 + H + dt.timedelta(minutes=5), ["nca"])}
    full = x509.load_der_x509_crl(published[CrlKind.FULL].der)
    assert full.get_revoked_certificate_by_serial_number(leaf.serial_number) is not None
    assert published[CrlKind.DELTA].record.next_update == end  # announced: the next delta comes then
    served = publisher.current("nca", CrlKind.DELTA, end + dt.timedelta(minutes=1))
    assert served.record.crl_number > published[CrlKind.DELTA].record.crl_number  # due: the hold ended
    entry = x509.load_der_x509_crl(served.der).get_revoked_certificate_by_serial_number(leaf.serial_number)
    assert entry is not None and entry.revocation_date_utc == end
    reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
    assert reason is ReasonFlags.remove_from_crl
