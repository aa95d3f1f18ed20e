"""The NCA's names are longer than X.520's 64 (UTF-8 bytes, as ``cryptography`` counts): the genuine test
NCA GOST CA is "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022" (69 bytes), its root's 71. ``cryptography``
warns each time it parses such a name; we read names inside ``pki.names.long_names_accepted`` only, so a
login or a verification prints nothing. Proven here under ``warnings.simplefilter("error")`` (any warning
fails), and for the whole suite by pyproject's filter turning that one warning into an error."""

from __future__ import annotations

import datetime as dt
import warnings

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from pki.keys import certificate_der, load_certificate
from pki.names import issuer_of, long_names_accepted, subject_of
from tests.data_paths import INTEROP_GOST
from verifier import InProcessRevocationSource, Purpose, VerificationPolicy, Verifier
from verifier.certificate import Cert
from verifier.certificate_summary import summarize

CA = INTEROP_GOST / "nca_gost2022_test.cer"
ROOT = INTEROP_GOST / "root_test_gost_2022.cer"
LEAF = INTEROP_GOST / "individual_valid.cer"


def _der(path) -> bytes:
    """The certificate at ``path`` (PEM or DER) as DER, its names not parsed."""
    return certificate_der(load_certificate(path.read_bytes()))


def test_the_real_nca_names_are_long_enough_for_cryptography_to_warn():
    with pytest.warns(UserWarning, match="Attribute's length must be"):
        x509.load_der_x509_certificate(_der(CA)).subject


def test_x520_long_names_parse_without_any_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        crypto = x509.load_der_x509_certificate(_der(CA))
        common_name = subject_of(crypto).get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
        issuer_name = issuer_of(crypto).get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
        assert (len(str(common_name).encode()), len(str(issuer_name).encode())) == (69, 71)
        cert = Cert.load(_der(LEAF))
        assert "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022" in summarize(cert).issuer
        assert cert.subject_attributes and cert.display_name and cert.extensions


def test_x520_a_verification_through_long_named_cas_prints_no_warning():
    leaf = x509.load_der_x509_certificate(_der(LEAF))
    at = leaf.not_valid_before_utc + dt.timedelta(days=1)
    policy = VerificationPolicy(
        trust_anchors=(_der(ROOT),), intermediates=(_der(CA),), purpose=Purpose.DOCUMENT, test_pki=True
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        verdict = Verifier(policy, InProcessRevocationSource()).inspect_certificate(_der(LEAF), at=at)
    assert verdict.signers[0].certificate.issuer.endswith("TEST 2022")


def test_the_scope_silences_that_message_only():
    with long_names_accepted(), pytest.warns(UserWarning, match="another warning"):
        x509.load_der_x509_certificate(_der(ROOT)).subject
        warnings.warn("another warning", UserWarning, stacklevel=1)
