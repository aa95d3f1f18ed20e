"""What a digital document says: its title, its owner (the individual it is about) and its fields.

The signed content (CMS encapsulated content, or the XMLDSig-signed document without its signatures) is an
XML document of this shape, in any namespace::

    <digitalDocument>
      <type>birth_certificate</type>                 (optional, a short code)
      <title>Свидетельство о рождении</title>
      <ownerIin>850412300188</ownerIin>               (the owner: DD-9, DD-14)
      <ownerName>ТЕСТОВ АЙДАР</ownerName>             (optional)
      <field name="date_of_birth">1985-04-12</field>  (any number, in order)
    </digitalDocument>

Parsed with the hardened parser of :func:`pki.xmldsig.parse_xml` (no DTD, no entities, bounded size).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

from pki import xmldsig
from pki.errors import ErrorCode, InvalidInput
from pki.iin import mask, parse_iin
from pki.xmldsig import DS_NS

ROOT = "digitalDocument"
_TWELVE_DIGITS = re.compile(r"(?<!\d)\d{12}(?!\d)")  # an IIN or BIN standing alone in text


@dataclass(frozen=True)
class DocumentContent:
    """A parsed document. ``owner_iin`` is the full IIN: never shown to a third party (:meth:`public`)."""

    title: str
    document_type: str | None
    owner_iin: str
    owner_name: str | None
    fields: tuple[tuple[str, str], ...]

    def public_fields(self) -> tuple[tuple[str, str], ...]:
        """The fields with every standalone 12-digit number masked (PD-22: no full IIN on a shared page)."""
        return tuple((name, mask_numbers(value)) for name, value in self.fields)


def mask_numbers(text: str) -> str:
    """``text`` with every standalone 12-digit number masked to its last four digits."""
    return _TWELVE_DIGITS.sub(lambda m: mask(m.group(0)), text)


def masked_json(value: Any) -> Any:
    """``value`` (JSON data) with :func:`mask_numbers` applied to every string in it."""
    if isinstance(value, str):
        return mask_numbers(value)
    if isinstance(value, list):
        return [masked_json(v) for v in value]
    if isinstance(value, dict):
        return {k: masked_json(v) for k, v in value.items()}
    return value


def parse_content(
    data: bytes, *, test_identities: bool, max_title_chars: int, max_fields: int
) -> DocumentContent:
    """The document ``data`` says, or InvalidInput(``malformed_document``) naming what is wrong.

    ``test_identities`` (test-PKI mode) accepts an owner IIN whose check digit is wrong, as the verifier
    does for the NCA's test identities. XML that cannot be parsed safely keeps its own codes
    (``xml_forbidden``)."""
    try:
        root = xmldsig.parse_xml(data).getroot()
    except InvalidInput as exc:
        if exc.code is ErrorCode.XML_FORBIDDEN:
            raise
        raise _malformed(f"the signed content is not a digital document: {exc.message}") from None
    if etree.QName(root).localname != ROOT:
        raise _malformed(f"the signed content's root element must be {ROOT}")
    children = [c for c in root if isinstance(c.tag, str) and etree.QName(c).namespace != DS_NS]
    title = _one(children, "title", required=True)
    owner = _one(children, "ownerIin", required=True)
    assert title is not None and owner is not None
    if len(title) > max_title_chars:
        raise _malformed(f"the title is longer than {max_title_chars} characters")
    try:
        parse_iin(owner, require_checksum=not test_identities)
    except InvalidInput as exc:
        raise _malformed(f"ownerIin is not an IIN: {exc.message}") from None
    fields = tuple((c.get("name") or "", _text(c)) for c in children if etree.QName(c).localname == "field")
    if len(fields) > max_fields:
        raise _malformed(f"more than {max_fields} fields")
    return DocumentContent(
        title=title,
        document_type=_one(children, "type"),
        owner_iin=owner,
        owner_name=_one(children, "ownerName"),
        fields=fields,
    )


def _one(children: list[etree._Element], name: str, *, required: bool = False) -> str | None:
    found = [c for c in children if etree.QName(c).localname == name]
    if len(found) > 1:
        raise _malformed(f"more than one {name}")
    if not found:
        if required:
            raise _malformed(f"the document has no {name}")
        return None
    value = _text(found[0])
    if required and not value:
        raise _malformed(f"{name} is empty")
    return value


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _malformed(message: str) -> InvalidInput:
    return InvalidInput(ErrorCode.MALFORMED_DOCUMENT, message)
