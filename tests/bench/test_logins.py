"""bench.logins: the new-user benchmark empties every memo cache of the verifier's and pki's modules."""

from __future__ import annotations

from bench.logins import memo_caches
from pki import signatures
from tests.data_paths import INTEROP_RSA
from verifier import certificate, certificate_summary, embedded, identity


def test_memo_caches_finds_the_leaf_keyed_caches_without_a_list() -> None:
    clears = memo_caches()
    for memoised in (
        certificate_summary._SUMMARIES,
        certificate._ISSUED_BY,
        identity._IDENTITIES,
        embedded._INTERNED,
    ):
        assert memoised.cache_clear in clears
    assert signatures._load_public_key.cache_clear in clears


def test_memo_caches_empties_them() -> None:
    der = (INTEROP_RSA / "individual_valid_sign_2004_rsa.cer").read_bytes()
    certificate_summary.summary_of(certificate.Cert.load(der))
    assert len(certificate_summary._SUMMARIES) >= 1
    for clear in memo_caches():
        clear()
    assert len(certificate_summary._SUMMARIES) == 0
