"""WS-Security (OASIS WSS 1.1, X.509 token profile) signatures on SOAP envelopes: the shape and the signer.

What NCANode's ``/wsse/sign`` makes and what SOAP stacks of the Kazakh e-government send: a
``ds:Signature`` in the ``wsse:Security`` header (``mustUnderstand="1"``) whose references point by
``wsu:Id`` at the SOAP ``Body`` (and, when present, the ``wsu:Timestamp`` of that header or the
``wsse:BinarySecurityToken`` holding the signer's certificate), each with one exclusive C14N transform;
SignedInfo is canonicalised with exclusive C14N too, so the signature survives the envelope being
re-wrapped by an intermediary. The signer's certificate is found through ``ds:KeyInfo`` /
``wsse:SecurityTokenReference``: a ``wsse:KeyIdentifier`` of value type X509v3 (the certificate itself,
as NCANode writes it), a ``wsse:Reference`` to a ``BinarySecurityToken`` in the same header (the direct
reference most stacks write), or ``ds:X509Data``.

SOAP 1.1 and 1.2 envelopes are both accepted; the signer keeps the version it is given. Parsing goes
through :func:`pki.xmldsig.parse_xml` (no DTD, no entities, a size limit). The verifier's side is
:mod:`verifier.wsse`.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass

from cryptography import x509
from lxml import etree

from pki import gost, xmldsig
from pki.cms import digest
from pki.errors import ErrorCode, InvalidInput
from pki.keys import PrivateKey, certificate_der

SOAP11_NS = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12_NS = "http://www.w3.org/2003/05/soap-envelope"
SOAP_NAMESPACES = (SOAP11_NS, SOAP12_NS)
WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
X509V3 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"
BASE64_BINARY = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
)
WSU_ID = f"{{{WSU_NS}}}Id"
# Every attribute an XML signature library may resolve a same-document reference by: an id must be
# carried by exactly one element under any of these names, or a second element could stand in for it.
ID_ATTRIBUTES = (WSU_ID, "Id", "ID", "id")
_WSSE = f"{{{WSSE_NS}}}"
_NSMAP = {"wsse": WSSE_NS, "wsu": WSU_NS}


@dataclass(frozen=True)
class SoapEnvelope:
    """The parts of a SOAP envelope a WS-Security signature concerns. ``security`` is the
    ``wsse:Security`` header block, None when the envelope has none."""

    envelope: etree._Element
    header: etree._Element | None
    body: etree._Element
    security: etree._Element | None

    @property
    def soap_ns(self) -> str:
        return etree.QName(self.envelope).namespace or ""


def soap_envelope(tree: etree._ElementTree) -> SoapEnvelope:
    """The envelope of ``tree`` (SOAP 1.1 or 1.2).

    Raises InvalidInput(``not_soap_envelope``) when the document element is not a SOAP ``Envelope``, or
    it has not exactly one ``Body``, more than one ``Header``, or more than one ``wsse:Security`` block in
    its header (WSS 1.1 allows one per actor/role; we accept messages for one recipient only).
    """
    envelope = tree.getroot()
    soap_ns = etree.QName(envelope).namespace
    if soap_ns not in SOAP_NAMESPACES or etree.QName(envelope).localname != "Envelope":
        raise InvalidInput(
            ErrorCode.NOT_SOAP_ENVELOPE, "the document element is not a SOAP 1.1 or 1.2 Envelope"
        )
    bodies = envelope.findall(f"{{{soap_ns}}}Body")
    headers = envelope.findall(f"{{{soap_ns}}}Header")
    if len(bodies) != 1 or len(headers) > 1:
        raise InvalidInput(
            ErrorCode.NOT_SOAP_ENVELOPE,
            f"a SOAP Envelope has exactly one Body and at most one Header, this one {len(bodies)} and "
            f"{len(headers)}",
        )
    header = headers[0] if headers else None
    blocks = [] if header is None else header.findall(_WSSE + "Security")
    if len(blocks) > 1:
        raise InvalidInput(
            ErrorCode.NOT_SOAP_ENVELOPE, f"the SOAP Header has {len(blocks)} wsse:Security blocks, not one"
        )
    return SoapEnvelope(envelope, header, bodies[0], blocks[0] if blocks else None)


def elements_with_id(tree: etree._ElementTree, value: str) -> list[etree._Element]:
    """Every element of ``tree`` carrying ``value`` in one of :data:`ID_ATTRIBUTES`."""
    return [
        e for e in tree.iter() if isinstance(e.tag, str) and any(e.get(a) == value for a in ID_ATTRIBUTES)
    ]


def sign_envelope(
    document: bytes,
    private_key: PrivateKey | gost.GostPrivateKey,
    certificate: x509.Certificate,
    *,
    max_bytes: int = xmldsig.DEFAULT_MAX_XML_BYTES,
) -> bytes:
    """``document``, a SOAP envelope, with a WS-Security signature over its Body, as NCANode makes it.

    The Body gets a ``wsu:Id`` (a fresh ``id-<uuid>`` unless it has one), the envelope a Header and the
    Header a ``wsse:Security`` block (``mustUnderstand``) when missing; the signature goes into that
    block: exclusive C14N for SignedInfo and for the one reference, rsa-sha256, ecdsa-sha256 or the
    Kazakh GOST method of the key (:func:`pki.xmldsig.signing_methods`), and the certificate as a
    ``wsse:KeyIdentifier`` (X509v3, base64). Returns UTF-8 XML with a declaration.

    Raises InvalidInput: :func:`pki.xmldsig.parse_xml`'s errors, ``not_soap_envelope``
    (:func:`soap_envelope`), and ``already_signed`` when the Security block already holds a signature
    (a second one would not cover the first, and :mod:`verifier.wsse` accepts one).
    """
    tree = xmldsig.parse_xml(document, max_bytes=max_bytes)
    parts = soap_envelope(tree)
    security = parts.security if parts.security is not None else _security_block(parts)
    if security.find(f"{{{xmldsig.DS_NS}}}Signature") is not None:
        raise InvalidInput(ErrorCode.ALREADY_SIGNED, "the wsse:Security header already holds a signature")
    body = _identified(parts.body)
    body_id = body.get(WSU_ID, "")
    if len(elements_with_id(tree, body_id)) != 1:
        raise InvalidInput(
            ErrorCode.NOT_SOAP_ENVELOPE, f"the Body's id {body_id!r} is carried by another element"
        )
    method_uri, digest_uri = xmldsig.signing_methods(private_key)
    body_digest = digest(xmldsig.DIGEST_METHODS[digest_uri], xmldsig.canonicalize(body, xmldsig.EXC_C14N))

    signature = etree.SubElement(security, f"{{{xmldsig.DS_NS}}}Signature", nsmap=xmldsig.NSMAP)
    signed_info = _ds(signature, "SignedInfo")
    _ds(signed_info, "CanonicalizationMethod", Algorithm=xmldsig.EXC_C14N)
    _ds(signed_info, "SignatureMethod", Algorithm=method_uri)
    reference = _ds(signed_info, "Reference", URI=f"#{body_id}")
    _ds(_ds(reference, "Transforms"), "Transform", Algorithm=xmldsig.EXC_C14N)
    _ds(reference, "DigestMethod", Algorithm=digest_uri)
    _ds(reference, "DigestValue").text = base64.b64encode(body_digest).decode()
    signature_value = _ds(signature, "SignatureValue")
    token_reference = etree.SubElement(_ds(signature, "KeyInfo"), _WSSE + "SecurityTokenReference")
    key_identifier = etree.SubElement(
        token_reference, _WSSE + "KeyIdentifier", EncodingType=BASE64_BINARY, ValueType=X509V3
    )
    key_identifier.text = base64.b64encode(certificate_der(certificate)).decode()

    signed_bytes = xmldsig.canonicalize(signed_info, xmldsig.EXC_C14N)
    signature_value.text = base64.b64encode(xmldsig.signature_value_of(private_key, signed_bytes)).decode()
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def _identified(body: etree._Element) -> etree._Element:
    """``body`` with a ``wsu:Id`` (its own, else a fresh ``id-<uuid>``). When the utility namespace is not
    declared where the Body stands and the ``wsu`` prefix is free, the Body is rebuilt in place declaring it
    (lxml cannot add a declaration to an element), so the attribute reads ``wsu:Id`` rather than a
    generated ``ns0:Id``; its attributes, children and text are moved over unchanged."""
    if body.get(WSU_ID) is not None:
        return body
    body_id = f"id-{uuid.uuid4()}"
    parent = body.getparent()
    if parent is None or WSU_NS in body.nsmap.values() or body.nsmap.get("wsu", WSU_NS) != WSU_NS:
        body.set(WSU_ID, body_id)
        return body
    inherited = parent.nsmap
    own = {prefix: uri for prefix, uri in body.nsmap.items() if inherited.get(prefix) != uri}
    rebuilt = etree.Element(body.tag, attrib=dict(body.attrib), nsmap={**own, "wsu": WSU_NS})
    rebuilt.set(WSU_ID, body_id)
    rebuilt.text, rebuilt.tail = body.text, body.tail
    rebuilt.extend(list(body))
    parent.replace(body, rebuilt)
    return rebuilt


def _security_block(parts: SoapEnvelope) -> etree._Element:
    """A new ``wsse:Security`` block (``mustUnderstand``) in the envelope's Header, made if missing."""
    soap_ns = parts.soap_ns
    header = parts.header
    if header is None:
        header = etree.Element(f"{{{soap_ns}}}Header")
        parts.envelope.insert(0, header)
    security = etree.SubElement(header, _WSSE + "Security", nsmap=_NSMAP)
    security.set(f"{{{soap_ns}}}mustUnderstand", "1" if soap_ns == SOAP11_NS else "true")
    return security


def _ds(parent: etree._Element, name: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{xmldsig.DS_NS}}}{name}", attrib=attributes)
