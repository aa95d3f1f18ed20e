"""One catalogue of error codes: raise sites name ErrorCode members; GostError is in the hierarchy."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from pki.errors import ErrorCode, GostError, InvalidInput, KzPkiError
from pki.gost import GostPublicKey

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = ("pki", "ca_sim", "verifier", "unis", "documents", "api")
_ERROR_CLASSES = {"KzPkiError", "InvalidInput", "Unauthenticated", "Forbidden", "NotFound", "Conflict"}
_ERROR_CLASSES |= {"Refused", "UnsupportedAlgorithm", "GostError", "Gone"}


def _literal_codes(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        first = node.args[0]
        if name in _ERROR_CLASSES and isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {first.value}")
    return found


def test_raise_sites_name_codes_from_the_catalogue() -> None:
    literals = [
        hit
        for package in PRODUCTION
        for path in sorted((ROOT / package).rglob("*.py"))
        for hit in _literal_codes(path)
    ]
    assert literals == []


def test_codes_are_unique_snake_case_wire_values() -> None:
    values = [code.value for code in ErrorCode]
    assert len(values) == len(set(values))
    assert all(re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", value) for value in values)
    assert all(code.value == code.name.lower() for code in ErrorCode)


def test_gost_error_is_an_invalid_input_and_still_a_value_error() -> None:
    with pytest.raises(GostError) as info:
        GostPublicKey.from_spki_der(b"\x30\x00")
    assert isinstance(info.value, InvalidInput)
    assert isinstance(info.value, KzPkiError)
    assert isinstance(info.value, ValueError)
    assert info.value.code == ErrorCode.MALFORMED_KEY
    assert repr(info.value).startswith("GostError(code='malformed_key', message=")
