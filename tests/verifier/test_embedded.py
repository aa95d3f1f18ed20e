"""verifier.embedded: certificates inside a signature interned by DER, bounded, copies that share no
asn1crypto tree, and an undecodable certificate still no candidate."""

from __future__ import annotations

import pytest
from asn1crypto import core
from asn1crypto import x509 as asn1_x509

from pki.cms import embedded_certificate_ders, load_signed_data
from pki.cms_signing import sign_cms
from pki.reasons import Reason
from tests.verifier.conftest import T0, MiniPki
from verifier import Indication, embedded
from verifier.memo import Memo

NONCE = b"\x05" * 32


@pytest.fixture(autouse=True)
def _fresh_intern(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedded, "_INTERNED", Memo(2))


def _embedded_der(pki: MiniPki) -> bytes:
    leaf = pki.leaf()
    der = sign_cms(NONCE, leaf.key, leaf.cert, signing_time=T0)
    (certificate,) = embedded_certificate_ders(load_signed_data(der))
    assert certificate == leaf.der
    return certificate


def test_the_same_der_gives_the_values_computed_once(pki: MiniPki) -> None:
    der = _embedded_der(pki)
    first = embedded.embedded_cert(der)
    assert first is not None
    subject = first.subject_der
    again = embedded.embedded_cert(bytes(der))
    assert again == first and again is not first
    assert again.__dict__["subject_der"] is subject  # carried over, not parsed again


def test_a_copy_shares_no_asn1crypto_tree(pki: MiniPki) -> None:
    der = _embedded_der(pki)
    first = embedded.embedded_cert(der)
    assert first is not None and "asn1" in first.__dict__  # parsed by Cert.decodes
    copy = embedded.embedded_cert(der)
    assert copy is not None
    assert not any(isinstance(v, core.Asn1Value) for v in copy.__dict__.values())
    assert copy.asn1 is not first.asn1 and copy.asn1.dump() == first.asn1.dump()


def test_the_intern_is_bounded_in_entries_and_in_size(pki: MiniPki) -> None:
    for _ in range(4):
        assert embedded.embedded_cert(_embedded_der(pki)) is not None
    assert len(embedded._INTERNED) == 2
    embedded._INTERNED.cache_clear()
    der = _embedded_der(pki)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(embedded, "INTERNED_BYTES", len(der) - 1)
        assert embedded.embedded_cert(der) is not None
    assert len(embedded._INTERNED) == 0


def _undecodable_subject(leaf_der: bytes) -> bytes:
    """``leaf_der`` with the first RDN of its subject tagged OCTET STRING instead of SET (same length)."""
    subject = asn1_x509.Certificate.load(leaf_der)["tbs_certificate"]["subject"].dump()
    at = leaf_der.index(subject) + len(subject) - len(asn1_x509.Name.load(subject).contents)
    assert leaf_der[at] == 0x31
    return leaf_der[:at] + b"\x04" + leaf_der[at + 1 :]


def test_an_undecodable_embedded_certificate_is_no_candidate_on_every_login(pki: MiniPki) -> None:
    leaf = pki.leaf()
    der = sign_cms(NONCE, leaf.key, leaf.cert, signing_time=T0)
    broken = der.replace(leaf.der, _undecodable_subject(leaf.der))
    assert broken != der
    verifier = pki.verifier(crls=[pki.crl()])
    for _ in range(2):
        assert embedded.embedded_cert(_undecodable_subject(leaf.der)) is None
        verdict = verifier.verify_cms(broken, at=T0)
        assert verdict.indication is Indication.INDETERMINATE
        assert Reason.SIGNER_CERTIFICATE_MISSING in verdict.reasons
    assert verifier.verify_cms(der, at=T0).indication is Indication.TOTAL_PASSED
