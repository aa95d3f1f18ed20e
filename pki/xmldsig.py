"""A small XMLDSig core for enveloped signatures as NCALayer makes them: sign, canonicalise, parse safely.

Our own code (lxml C14N + :func:`pki.signatures.verify_signature`) rather than signxml, so the
Kazakh GOST algorithm URIs (``pkigovkz``) plug in as entries of :data:`SIGNATURE_METHODS` and
:data:`DIGEST_METHODS`. signxml serves the tests as the independent cross-check.

The shape signed and expected: ``<ds:Signature>`` as a child of the document element, one
``<ds:Reference URI="">`` with the enveloped-signature transform (optionally followed by a C14N
transform), ``<ds:KeyInfo><ds:X509Data><ds:X509Certificate>`` with the signer's certificate. As
XMLDSig 4.3.3.3 says, the node set of ``URI=""`` has no comments.

Several signers (NCALayer appends each new signature after the existing ones): a signature covers the
document as it was when it was made, so signature *i* in document order covers the document with
signatures *i*, *i+1*, ... removed. For the last one that is exactly the enveloped-signature transform;
the genuine NCA file with an RSA and a GOST signature verifies that way and no other.

GOST (gost.md), established on the genuine NCA file ``signed_enveloped_rsa_and_gost2015.xml`` (an
rsa-sha256 signature, then a GOST-2015-512 one): the base64-decoded ``pkigovkz`` SignatureValue is the
same r||s with little-endian halves as in CMS (the whole value reversed, the halves swapped or each half
big-endian: none verifies), signed over the C14N of SignedInfo hashed with Streebog-512; the DigestValue
is the Streebog-512 digest in the byte order :func:`pki.cms.digest` returns, not reversed. Its GOST
signature covers the document with the RSA signature in it, the RSA one the bare ``<a><b>test</b></a>``:
removing every signature before digesting fails the GOST reference, which is why the rule above is
"*i* and later", not "all".

The other Kazakh GOST URIs are taken from public Kalkan-based code, not from genuine signatures (none
exists): ``gostr34102015-gostr34112015-256`` / ``gostr34112015-256`` (NCANode's
``KalkanUtil.getSignMethodByOID``) and, for GOST 34.310-2004, ``xmldsig-more#gost34310-gost34311`` /
``#gost34311`` (the same, and Kalkan's xmldsig ``DOMSignatureMethod``). Kalkan's xmldsig hands every GOST
SignatureValue to and from its provider unchanged, as for the 512-bit method proven here, so their values
are taken in the r||s little-endian layout of their CMS signatures.

:func:`parse_xml` is the only way XML enters: no DTD, no entities, no network, no huge trees,
a size limit. It raises InvalidInput with code ``xml_forbidden`` for a DTD, entity declarations
or an oversize document, and ``malformed_signature`` for XML that is not well formed.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from asn1crypto import algos as asn1_algos
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
from lxml import etree

from pki import gost, oids
from pki.cms import digest
from pki.errors import ErrorCode, InvalidInput, UnsupportedAlgorithm
from pki.keys import PrivateKey, certificate_der

DS_NS = "http://www.w3.org/2000/09/xmldsig#"
NSMAP = {"ds": DS_NS}
DEFAULT_MAX_XML_BYTES = 1024 * 1024

C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
C14N_WITH_COMMENTS = C14N + "#WithComments"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
EXC_C14N_WITH_COMMENTS = EXC_C14N + "WithComments"
ENVELOPED_SIGNATURE = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"

# C14N algorithm URI -> (exclusive, with_comments). C14N 1.1 is not offered: lxml cannot produce it.
C14N_METHODS: dict[str, tuple[bool, bool]] = {
    C14N: (False, False),
    C14N_WITH_COMMENTS: (False, True),
    EXC_C14N: (True, False),
    EXC_C14N_WITH_COMMENTS: (True, True),
}

# Digest method URI -> digest OID (computed by pki.cms.digest).
DIGEST_METHODS: dict[str, str] = {
    oids.XMLDSIG_GOST2015_512_DIGEST: oids.KZ_STREEBOG_512,
    oids.XMLDSIG_GOST2015_256_DIGEST: oids.KZ_STREEBOG_256,
    oids.XMLDSIG_GOST2004_DIGEST: oids.KZ_GOST3411_94,
    "http://www.w3.org/2001/04/xmlenc#sha256": oids.SHA256,
    "http://www.w3.org/2001/04/xmldsig-more#sha384": oids.SHA384,
    "http://www.w3.org/2001/04/xmlenc#sha512": oids.SHA512,
}


@dataclass(frozen=True)
class SignatureMethod:
    """An XMLDSig SignatureMethod: the signature OID for :mod:`pki.signatures` and how the value is laid out.

    ``to_asn1`` turns the XML SignatureValue into what the OID's verifier expects (ECDSA: the
    raw r||s of RFC 4051 into a DER Ecdsa-Sig-Value).
    """

    signature_oid: str
    digest_oid: str
    to_asn1: Callable[[bytes], bytes] | None = None


def _ecdsa_raw_to_der(raw: bytes) -> bytes:
    if not raw or len(raw) % 2:
        raise InvalidInput(
            ErrorCode.MALFORMED_SIGNATURE, "an ECDSA SignatureValue must be r||s of equal length"
        )
    half = len(raw) // 2
    return encode_dss_signature(int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big"))


SIGNATURE_METHODS: dict[str, SignatureMethod] = {
    oids.XMLDSIG_GOST2015_512_SIGNATURE: SignatureMethod(
        oids.KZ_GOST2015_512_SIGNATURE, oids.KZ_STREEBOG_512
    ),
    oids.XMLDSIG_GOST2015_256_SIGNATURE: SignatureMethod(
        oids.KZ_GOST2015_256_SIGNATURE, oids.KZ_STREEBOG_256
    ),
    oids.XMLDSIG_GOST2004_SIGNATURE: SignatureMethod(oids.KZ_GOST2004_SIGNATURE, oids.KZ_GOST3411_94),
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256": SignatureMethod(oids.SHA256_WITH_RSA, oids.SHA256),
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384": SignatureMethod(oids.SHA384_WITH_RSA, oids.SHA384),
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512": SignatureMethod(oids.SHA512_WITH_RSA, oids.SHA512),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256": SignatureMethod(
        oids.ECDSA_WITH_SHA256, oids.SHA256, _ecdsa_raw_to_der
    ),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384": SignatureMethod(
        oids.ECDSA_WITH_SHA384, oids.SHA384, _ecdsa_raw_to_der
    ),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512": SignatureMethod(
        oids.ECDSA_WITH_SHA512, oids.SHA512, _ecdsa_raw_to_der
    ),
}
# The method each kind of key signs with.
_SIGNING_URI = {
    "rsa": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    "ec": "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
    oids.KZ_GOST2015_512_KEY: oids.XMLDSIG_GOST2015_512_SIGNATURE,
    oids.KZ_GOST2015_256_KEY: oids.XMLDSIG_GOST2015_256_SIGNATURE,
    oids.KZ_GOST2004_KEY: oids.XMLDSIG_GOST2004_SIGNATURE,
}


def parse_xml(data: bytes, *, max_bytes: int = DEFAULT_MAX_XML_BYTES) -> etree._ElementTree:
    """Parse ``data`` with a parser that cannot be abused (XXE, billion laughs, network, huge trees).

    Raises InvalidInput(``xml_forbidden``) for more than ``max_bytes`` bytes, a DOCTYPE or an
    entity, and InvalidInput(``malformed_signature``) for XML that is not well formed.
    """
    if len(data) > max_bytes:
        raise InvalidInput(
            ErrorCode.XML_FORBIDDEN, f"the XML document exceeds {max_bytes} bytes", limit=max_bytes
        )
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise InvalidInput(ErrorCode.XML_FORBIDDEN, "DTDs and entity declarations are not accepted")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser))
    except etree.XMLSyntaxError as exc:
        raise InvalidInput(ErrorCode.MALFORMED_SIGNATURE, f"the XML is not well formed: {exc.msg}") from None
    docinfo = tree.docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise InvalidInput(ErrorCode.XML_FORBIDDEN, "DTDs are not accepted")
    if any(True for _ in tree.iter(etree.Entity)):
        raise InvalidInput(ErrorCode.XML_FORBIDDEN, "entity references are not accepted")
    return tree


def canonicalize(
    node: etree._Element | etree._ElementTree, algorithm: str, prefixes: list[str] | None = None
) -> bytes:
    """``node`` canonicalised with the C14N ``algorithm`` URI.

    ``prefixes`` is exclusive C14N's InclusiveNamespaces PrefixList.

    Raises UnsupportedAlgorithm for a URI outside :data:`C14N_METHODS`.
    """
    exclusive, with_comments = _c14n_method(algorithm)
    return _c14n(node, exclusive, with_comments, prefixes)


def _c14n_method(algorithm: str) -> tuple[bool, bool]:
    """(exclusive, with comments) of the C14N ``algorithm`` URI; UnsupportedAlgorithm for another URI."""
    method = C14N_METHODS.get(algorithm)
    if method is None:
        raise UnsupportedAlgorithm(
            ErrorCode.UNSUPPORTED_ALGORITHM, f"canonicalization {algorithm} is not supported"
        )
    return method


def _c14n(
    node: etree._Element | etree._ElementTree,
    exclusive: bool,
    with_comments: bool,
    prefixes: list[str] | None,
) -> bytes:
    return etree.tostring(
        node,
        method="c14n",
        exclusive=exclusive,
        with_comments=with_comments,
        inclusive_ns_prefixes=prefixes if exclusive else None,
    )


def enveloped_document_bytes(
    signatures: Sequence[etree._Element], c14n_algorithm: str, prefixes: list[str] | None = None
) -> bytes:
    """The canonical bytes ``URI=""`` + enveloped-signature + ``c14n_algorithm`` yield, without any of
    ``signatures`` (the signature being checked and those added after it) and without comments
    (XMLDSig 4.3.3.3).

    The signature elements are taken out only while canonicalising; their tail text stays in place.
    """
    exclusive, _ = _c14n_method(c14n_algorithm)
    if any(s.getparent() is None for s in signatures):
        raise InvalidInput(
            ErrorCode.MALFORMED_SIGNATURE, "an enveloped signature cannot be the document element"
        )
    tree = signatures[0].getroottree()
    removed = [_detach(s) for s in reversed(signatures)]  # last first: earlier positions stay valid
    try:
        return _c14n(tree, exclusive, False, prefixes)
    finally:
        for signature, parent, index, tail in reversed(removed):
            _remove_text(parent, index, tail)
            parent.insert(index, signature)
            signature.tail = tail


def _detach(signature: etree._Element) -> tuple[etree._Element, etree._Element, int, str | None]:
    """Take ``signature`` out of its parent, leaving its tail text in place; what puts it back."""
    parent = signature.getparent()
    assert parent is not None
    index = parent.index(signature)
    tail = signature.tail
    signature.tail = None
    parent.remove(signature)
    _append_text(parent, index, tail)
    return signature, parent, index, tail


def sign_enveloped(
    document: bytes,
    private_key: PrivateKey | gost.GostPrivateKey,
    certificate: x509.Certificate,
    *,
    max_bytes: int = DEFAULT_MAX_XML_BYTES,
) -> bytes:
    """``document`` with an enveloped XMLDSig appended to its document element, as NCALayer makes it.

    rsa-sha256 (RSA keys, PKCS#1 v1.5), ecdsa-sha256 (EC keys) or the Kazakh GOST method of the key type
    (GOST R 34.10-2015 512/256, 34.310-2004: :data:`SIGNATURE_METHODS`) with the matching reference
    digest, inclusive C14N for SignedInfo, the enveloped-signature and C14N-with-comments transforms, the
    certificate in KeyInfo. A document that is already signed gets one more signature, covering it as it
    is (earlier signatures included). Returns UTF-8 XML with a declaration. The input goes through
    :func:`parse_xml` (same errors).
    """
    tree = parse_xml(document, max_bytes=max_bytes)
    root = tree.getroot()
    method_uri, digest_uri = signing_methods(private_key)
    reference_digest = digest(
        DIGEST_METHODS[digest_uri], etree.tostring(tree, method="c14n", with_comments=False)
    )

    signature = etree.SubElement(root, f"{{{DS_NS}}}Signature", nsmap=NSMAP)
    signature.text = "\n"
    signed_info = _child(signature, "SignedInfo")
    _child(signed_info, "CanonicalizationMethod", Algorithm=C14N)
    _child(signed_info, "SignatureMethod", Algorithm=method_uri)
    reference = _child(signed_info, "Reference", URI="")
    transforms = _child(reference, "Transforms")
    _child(transforms, "Transform", Algorithm=ENVELOPED_SIGNATURE)
    _child(transforms, "Transform", Algorithm=C14N_WITH_COMMENTS)
    _child(reference, "DigestMethod", Algorithm=digest_uri)
    _child(reference, "DigestValue").text = base64.b64encode(reference_digest).decode()
    signature_value = _child(signature, "SignatureValue")
    key_info = _child(signature, "KeyInfo")
    x509_data = _child(key_info, "X509Data")
    _child(x509_data, "X509Certificate").text = base64.b64encode(certificate_der(certificate)).decode()

    signed_bytes = canonicalize(signed_info, C14N)
    signature_value.text = base64.b64encode(signature_value_of(private_key, signed_bytes)).decode()
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def signing_methods(private_key: PrivateKey | gost.GostPrivateKey) -> tuple[str, str]:
    """The SignatureMethod and DigestMethod URIs ``private_key`` signs with: rsa-sha256 (RSA, PKCS#1
    v1.5), ecdsa-sha256 (EC) or the Kazakh GOST method of the key type, with the digest of that method."""
    method_uri = _SIGNING_URI[_key_kind(private_key)]  # every key type we can hold has its method
    digest_oid = SIGNATURE_METHODS[method_uri].digest_oid
    return method_uri, next(uri for uri, oid in DIGEST_METHODS.items() if oid == digest_oid)


def decode_base64_text(element: etree._Element | None, what: str) -> bytes:
    """The base64 content of ``element``, whitespace ignored. InvalidInput if absent or bad."""
    text = "" if element is None or element.text is None else element.text
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(ErrorCode.MALFORMED_SIGNATURE, f"{what} is not valid base64") from None


def signature_value_for(method: SignatureMethod, raw: bytes) -> bytes:
    """The SignatureValue in the layout :mod:`pki.signatures` expects for ``method``."""
    return method.to_asn1(raw) if method.to_asn1 is not None else raw


def algorithm_identifier(method: SignatureMethod) -> asn1_algos.SignedDigestAlgorithm:
    """The AlgorithmIdentifier for ``method`` (parameterless, as every offered method is)."""
    return asn1_algos.SignedDigestAlgorithm({"algorithm": method.signature_oid})


def _key_kind(key: PrivateKey | gost.GostPrivateKey) -> str:
    if isinstance(key, gost.GostPrivateKey):
        return key.key_oid
    return "rsa" if isinstance(key, rsa.RSAPrivateKey) else "ec"


def signature_value_of(key: PrivateKey | gost.GostPrivateKey, data: bytes) -> bytes:
    """The raw SignatureValue of ``data`` (canonical SignedInfo) by ``key`` under its
    :func:`signing_methods`: PKCS#1 v1.5 for RSA, r||s for ECDSA (RFC 4051), the GOST layout of gost.md."""
    if isinstance(key, gost.GostPrivateKey):
        return gost.sign(key, data)
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
    size = (key.curve.key_size + 7) // 8
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def _child(parent: etree._Element, name: str, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{DS_NS}}}{name}", attrib=attributes)
    if name in {"SignedInfo", "Reference", "Transforms", "KeyInfo", "X509Data"}:
        element.text = "\n"
    element.tail = "\n"
    return element


def _append_text(parent: etree._Element, index: int, text: str | None) -> None:
    if not text:
        return
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text


def _remove_text(parent: etree._Element, index: int, text: str | None) -> None:
    if not text:
        return
    if index == 0:
        parent.text = (parent.text or "")[: -len(text)] or None
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "")[: -len(text)] or None
