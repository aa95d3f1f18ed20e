"""Large CRLs are indexed off the request path and never block a login (issue 16, UNIS-11 fail-closed).

Every CRL here is "large" (the checker's inline limit is 0), and the index builder is replaced by a test
double that waits for the test's signal, so what a login sees while a CRL is being prepared is decided
by the test, never by the machine's speed. Delta CRLs are laid over their base without rebuilding it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Callable, Iterator

import pytest
from cryptography import x509

import verifier.revocation.crl_check as crl_check_module
from pki.reasons import Reason
from tests.verifier.conftest import T0, MiniPki
from verifier import InProcessRevocationSource, Purpose, RevocationMethods, Verifier
from verifier.revocation.checker import RevocationChecker
from verifier.revocation.crl_check import CrlChecker
from verifier.verdict import Verdict

KEY_COMPROMISE = x509.ReasonFlags.key_compromise
HOLD = x509.ReasonFlags.certificate_hold
REMOVE = x509.ReasonFlags.remove_from_crl
H = dt.timedelta(hours=1)
BEING_PREPARED = "being prepared"


class SlowBuilder:
    """Stands in for crl_check's validate-and-index: each build waits for :meth:`release` (bounded)."""

    def __init__(self, original: Callable[..., object]) -> None:
        self.original = original
        self.gate = threading.Event()
        self.builds = 0
        self.fail = False
        self.checkers: list[CrlChecker] = []

    def __call__(self, *args: object) -> object:
        self.builds += 1
        assert self.gate.wait(timeout=60), "the test never released the build"
        if self.fail:
            raise RuntimeError("a defect in the builder")
        return self.original(*args)

    def release(self) -> None:
        self.gate.set()

    def hold(self) -> None:
        self.gate.clear()


@pytest.fixture
def builder(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlowBuilder]:
    double = SlowBuilder(crl_check_module._validate_and_index)
    monkeypatch.setattr(crl_check_module, "_validate_and_index", double)
    yield double
    double.release()  # never leave the background thread waiting, nor a build for the next test's double
    for checker in double.checkers:
        for future in list(checker._builds._pending.values()):
            future.result(timeout=60)


class Feed:
    """The CRLs a CA publishes now (a test replaces them as a CA publishes new ones)."""

    def __init__(self, pki: MiniPki, *crls: bytes) -> None:
        self.crls = [pki.root_crl(), *crls]

    def __call__(
        self, certificate: x509.Certificate, issuer: x509.Certificate, at: dt.datetime
    ) -> list[bytes]:
        return list(self.crls)

    def publish(self, pki: MiniPki, *crls: bytes) -> None:
        self.crls = [pki.root_crl(), *crls]


def _verifier(pki: MiniPki, feed: Feed, builder: SlowBuilder) -> Verifier:
    source = InProcessRevocationSource(crls=feed)
    verifier = Verifier(pki.policy(revocation_methods=RevocationMethods.CRL), source)
    checker = CrlChecker(source, inline_limit=0, login_wait=0.05)
    builder.checkers.append(checker)
    verifier.revocation = RevocationChecker(verifier.policy, source, crl=checker)
    return verifier


def _login(verifier: Verifier, leaf: bytes, at: dt.datetime = T0) -> Verdict:
    return verifier.inspect_certificate(leaf, at=at)


def _settled(verifier: Verifier, leaf: bytes, at: dt.datetime = T0) -> Verdict:
    """A login verdict once the CRLs it sees have been indexed (the first call starts their builds)."""
    _login(verifier, leaf, at)
    for future in list(verifier.revocation._crl._builds._pending.values()):
        future.result(timeout=60)
    return _login(verifier, leaf, at)


def _message(verdict: Verdict) -> str:
    return next(c for c in verdict.checks if c.id == "revocation").message


def test_unis11_login_without_a_previous_crl_fails_closed_while_the_crl_is_being_prepared(
    pki: MiniPki, builder: SlowBuilder
) -> None:
    leaf = pki.leaf()
    feed = Feed(pki, pki.crl(number=3))
    verifier = _verifier(pki, feed, builder)
    builder.hold()
    waiting = _login(verifier, leaf.der)
    assert not waiting.passed
    assert waiting.reasons == (Reason.REVOCATION_UNKNOWN,)
    assert BEING_PREPARED in _message(waiting)
    builder.release()
    assert _settled(verifier, leaf.der).passed
    assert builder.builds == 1  # one build for every request that asked


def test_a_document_verification_waits_for_the_new_crl(pki: MiniPki, builder: SlowBuilder) -> None:
    signer = pki.leaf("sign")
    verifier = _verifier(
        pki, Feed(pki, pki.crl([(signer.cert.serial_number, T0 - H, KEY_COMPROMISE)])), builder
    )
    builder.hold()
    threading.Timer(0.2, builder.release).start()
    verdict = verifier.for_purpose(Purpose.DOCUMENT).inspect_certificate(signer.der, at=T0)
    assert verdict.reasons == (Reason.REVOKED,)


def test_login_keeps_using_the_previous_crl_within_its_next_update_while_the_new_one_is_indexed(
    pki: MiniPki, builder: SlowBuilder
) -> None:
    leaf = pki.leaf()
    feed = Feed(pki, pki.crl(number=1))
    verifier = _verifier(pki, feed, builder)
    builder.release()
    assert _settled(verifier, leaf.der).passed  # CRL 1 indexed
    builder.hold()
    feed.publish(pki, pki.crl([(leaf.cert.serial_number, T0 - H, KEY_COMPROMISE)], number=2))
    during = _login(verifier, leaf.der)
    assert during.passed and during.signer.revocation.crl_number == 1
    builder.release()
    after = _settled(verifier, leaf.der)
    assert after.reasons == (Reason.REVOKED,) and after.signer.revocation.crl_number == 2
    assert _login(verifier, leaf.der).reasons == (Reason.REVOKED,)


def test_unis11_previous_crl_past_its_next_update_does_not_stand_in(
    pki: MiniPki, builder: SlowBuilder
) -> None:
    leaf = pki.leaf()
    old = pki.crl(number=1, this_update=T0 - 30 * H, next_update=T0 + H)
    feed = Feed(pki, old)
    verifier = _verifier(pki, feed, builder)
    builder.release()
    assert _settled(verifier, leaf.der).passed
    builder.hold()
    feed.publish(
        pki, pki.crl(number=2, this_update=T0 + 90 * dt.timedelta(minutes=1), next_update=T0 + 27 * H)
    )
    later = T0 + 2 * H  # CRL 1 expired an hour ago; CRL 2 is not indexed yet
    refused = _login(verifier, leaf.der, at=later)
    assert refused.reasons == (Reason.REVOCATION_UNKNOWN,) and BEING_PREPARED in _message(refused)
    builder.release()
    assert _settled(verifier, leaf.der, at=later).passed


def test_new_full_crl_being_prepared_keeps_the_previous_delta_over_the_previous_base(
    pki: MiniPki, builder: SlowBuilder
) -> None:
    """The new delta names the new base (not yet indexed): the old base and its delta answer together."""
    leaf = pki.leaf()
    feed = Feed(
        pki,
        pki.crl(number=10, freshest=True),
        pki.crl([(leaf.cert.serial_number, T0 - H, HOLD)], number=11, base=10),
    )
    verifier = _verifier(pki, feed, builder)
    builder.release()
    assert _settled(verifier, leaf.der).reasons == (Reason.ON_HOLD,)
    builder.hold()
    feed.publish(
        pki,
        pki.crl([(leaf.cert.serial_number, T0 - H, HOLD)], number=12, freshest=True),
        pki.crl(number=13, base=12),
    )
    during = _login(verifier, leaf.der)
    assert during.reasons == (Reason.ON_HOLD,)
    assert (during.signer.revocation.crl_number, during.signer.revocation.delta_crl_number) == (10, 11)


def test_a_failing_build_refuses_as_invalid_revocation_data_and_is_not_retried(
    pki: MiniPki, builder: SlowBuilder
) -> None:
    leaf = pki.leaf()
    verifier = _verifier(pki, Feed(pki, pki.crl(number=4)), builder)
    builder.fail = True
    builder.release()
    first = _settled(verifier, leaf.der)
    assert first.reasons == (Reason.REVOCATION_INVALID,)
    assert _login(verifier, leaf.der).reasons == (Reason.REVOCATION_INVALID,)
    assert builder.builds == 1


def test_delta_crls_are_laid_over_the_base_index_without_rebuilding_it(
    pki: MiniPki, builder: SlowBuilder
) -> None:
    leaf, other = pki.leaf(), pki.leaf()
    base = pki.crl(
        [(leaf.cert.serial_number, T0 - 5 * H, HOLD), (other.cert.serial_number, T0 - 5 * H, KEY_COMPROMISE)],
        number=20,
        freshest=True,
    )
    feed = Feed(pki, base, pki.crl(number=21, base=20))
    verifier = _verifier(pki, feed, builder)
    builder.release()
    assert _settled(verifier, leaf.der).reasons == (Reason.ON_HOLD,)
    feed.publish(pki, base, pki.crl([(leaf.cert.serial_number, T0 - 2 * H, REMOVE)], number=22, base=20))
    released = _settled(verifier, leaf.der)
    assert released.passed and released.signer.revocation.delta_crl_number == 22
    assert _settled(verifier, other.der).reasons == (Reason.REVOKED,)  # the base still answers
    feed.publish(pki, base, pki.crl([(leaf.cert.serial_number, T0 - H, KEY_COMPROMISE)], number=23, base=20))
    assert _settled(verifier, leaf.der).reasons == (Reason.REVOKED,)
    assert builder.builds == 4  # the base once, then each delta: the base index was never rebuilt


def test_at_most_two_indexes_are_kept_per_ca_and_kind(pki: MiniPki, builder: SlowBuilder) -> None:
    leaf = pki.leaf()
    feed = Feed(pki)
    verifier = _verifier(pki, feed, builder)
    builder.release()
    for number in range(1, 6):
        feed.publish(pki, pki.crl(number=number))
        assert _settled(verifier, leaf.der).signer.revocation.crl_number == number
    checker = verifier.revocation._crl
    nca = hashlib.sha256(pki.nca.der).digest()
    numbers = sorted(key[1] for key in checker._indexes if key[0].startswith(nca))
    assert numbers == [4, 5]
