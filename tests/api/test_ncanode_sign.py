"""NCANode's signing endpoints (/cms/sign, /cms/sign/add, /xml/sign, /wsse/sign, /pdf/sign) with PKCS#12
keys: what we sign is judged by our verifier, by ``openssl cms -verify`` (RSA CMS, and the CMS of a PDF
signature over its byte range), by signxml (XML) and by xmlsec through zeep (WS-Security); the signature
time stamps of withTsp by ``openssl ts -verify``.

GOST-2015-512 signing with the genuine NCA test key is in tests/api/test_ncanode_compat.py (it needs the
NCA test hierarchy as trust anchor)."""

from __future__ import annotations

import base64
import hashlib
import subprocess

import pytest
import signxml
from asn1crypto import cms as asn1_cms
from lxml import etree
from zeep.exceptions import SignatureVerificationFailed
from zeep.wsse.signature import verify_envelope

from bench.bench_documents import one_page_pdf as blank_pdf
from pki.pdf import read_signatures
from tests.api.conftest import scenarios

DATA = "Қазақстан: a contract".encode()
XML = "<doc>\n  <item>Қазақ</item>\n</doc>"


def _signer(fixture_dir, name="individual_sign_rsa"):
    files = scenarios(fixture_dir)[name]["files"]
    p12 = (fixture_dir.path / files["p12"]).read_bytes()
    return {"key": base64.b64encode(p12).decode(), "password": files["p12_password"]}, files


def _openssl_verify(tmp_path, fixture_dir, files, der, data=None):
    (tmp_path / "s.der").write_bytes(der)
    command = ["openssl", "cms", "-verify", "-inform", "DER", "-in", str(tmp_path / "s.der"),
               "-CAfile", str(fixture_dir.path / files["chain_pem"]), "-purpose", "any",
               "-out", str(tmp_path / "out")]  # fmt: skip
    if data is not None:
        (tmp_path / "data").write_bytes(data)
        command += ["-content", str(tmp_path / "data"), "-binary"]
    result = subprocess.run(command, capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode()
    return (tmp_path / "out").read_bytes()


def test_cms_sign_attached_rsa_verifies_with_openssl_and_our_verifier(client, fixture_dir, tmp_path):
    signer, files = _signer(fixture_dir)
    response = client.post("/cms/sign", json={"data": base64.b64encode(DATA).decode(), "signers": [signer]})
    assert response.status_code == 200
    answer = response.get_json()
    assert (
        set(answer) == {"status", "message", "cms"} and answer["status"] == 200 and answer["message"] == "OK"
    )
    der = base64.b64decode(answer["cms"])
    assert _openssl_verify(tmp_path, fixture_dir, files, der) == DATA
    verdict = client.post("/api/v1/signatures/verify", json={"cms": answer["cms"]}).get_json()
    assert verdict["indication"] == "TOTAL_PASSED", verdict["reasons"]
    nca = client.post("/cms/verify", json={"cms": answer["cms"]}).get_json()
    assert nca["valid"] is True and nca["message"] == "OK"
    extracted = client.post("/cms/extract", json={"cms": answer["cms"]}).get_json()
    assert base64.b64decode(extracted["data"]) == DATA


def test_cms_sign_detached_then_co_sign(client, fixture_dir, tmp_path):
    first, files = _signer(fixture_dir)
    second, _ = _signer(fixture_dir, "individual_single_key")
    data = base64.b64encode(DATA).decode()
    signed = client.post("/cms/sign", json={"data": data, "signers": [first], "detached": True}).get_json()
    der = base64.b64decode(signed["cms"])
    assert asn1_cms.ContentInfo.load(der)["content"]["encap_content_info"]["content"].native is None
    _openssl_verify(tmp_path, fixture_dir, files, der, DATA)
    body = {"cms": signed["cms"], "data": data, "signers": [second], "detached": True}
    added = client.post("/cms/sign/add", json=body).get_json()
    co_signed = base64.b64decode(added["cms"])
    signer_infos = asn1_cms.ContentInfo.load(co_signed)["content"]["signer_infos"]
    original = asn1_cms.ContentInfo.load(der)["content"]["signer_infos"][0]
    assert len(signer_infos) == 2 and original.dump() in {s.dump() for s in signer_infos}  # kept as it was
    _openssl_verify(tmp_path, fixture_dir, files, co_signed, DATA)
    nca = client.post("/cms/verify", json={"cms": added["cms"], "data": data}).get_json()
    assert nca["valid"] is True, nca["message"]
    assert len(nca["signers"]) == 2


def _time_stamp(signer_info):
    """The one signature time-stamp token of ``signer_info`` (DER), or None."""
    unsigned = [] if signer_info["unsigned_attrs"].native is None else signer_info["unsigned_attrs"]
    tokens = [v for a in unsigned if a["type"].native == "signature_time_stamp_token" for v in a["values"]]
    assert len(tokens) <= 1
    return tokens[0].dump() if tokens else None


def _ts_verify(tmp_path, fixture_dir, token, signature):
    """``openssl ts -verify`` of ``token`` over ``signature`` (the stamped signature value)."""
    (tmp_path / "token.der").write_bytes(token)
    (tmp_path / "signature").write_bytes(signature)
    ca = fixture_dir.path / "ca"
    command = ["openssl", "ts", "-verify", "-token_in", "-in", str(tmp_path / "token.der"),
               "-data", str(tmp_path / "signature"), "-CAfile", str(ca / "root.pem"),
               "-untrusted", str(ca / "nca.pem")]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "Verification: OK" in result.stdout, result.stdout + result.stderr


def test_rfc3161_cms_sign_with_tsp_time_stamps_the_signature_and_openssl_verifies_it(
    client, fixture_dir, tmp_path
):
    signer, files = _signer(fixture_dir)
    data = base64.b64encode(DATA).decode()
    body = {"data": data, "signers": [signer], "withTsp": True, "tsaPolicy": "TSA_GOSTGT_POLICY"}
    answer = client.post("/cms/sign", json=body).get_json()
    der = base64.b64decode(answer["cms"])
    assert _openssl_verify(tmp_path, fixture_dir, files, der) == DATA  # the unsigned attribute breaks nothing
    (signer_info,) = asn1_cms.ContentInfo.load(der)["content"]["signer_infos"]
    signature = signer_info["signature"].native
    _ts_verify(tmp_path, fixture_dir, _time_stamp(signer_info), signature)
    (nca,) = client.post("/cms/verify", json={"cms": answer["cms"]}).get_json()["signers"]
    assert nca["tsp"]["policy"] == "1.2.398.3.3.2.6.2" and nca["tsp"]["tspHashAlgorithm"] == "SHA256"
    assert nca["tsp"]["hash"] == hashlib.sha256(signature).hexdigest()
    native = client.post("/api/v1/signatures/verify", json={"cms": answer["cms"]}).get_json()
    assert native["indication"] == "TOTAL_PASSED" and native["warnings"] == []
    stamp = native["signers"][0]["signature_timestamp"]
    assert stamp["policy"] == "1.2.398.3.3.2.6.2" and stamp["imprint"] == nca["tsp"]["hash"]


def test_rfc3161_cms_sign_add_with_tsp_stamps_the_new_signer_only(client, fixture_dir, tmp_path):
    first, _ = _signer(fixture_dir)
    second, _ = _signer(fixture_dir, "individual_single_key")
    data = base64.b64encode(DATA).decode()
    signed = client.post("/cms/sign", json={"data": data, "signers": [first]}).get_json()
    body = {"cms": signed["cms"], "signers": [second], "withTsp": True}
    added = base64.b64decode(client.post("/cms/sign/add", json=body).get_json()["cms"])
    original = asn1_cms.ContentInfo.load(base64.b64decode(signed["cms"]))["content"]["signer_infos"][0]
    signer_infos = list(asn1_cms.ContentInfo.load(added)["content"]["signer_infos"])
    (kept,) = [s for s in signer_infos if s.dump() == original.dump()]  # byte for byte, no time stamp
    (new,) = [s for s in signer_infos if s.dump() != original.dump()]
    assert _time_stamp(kept) is None
    _ts_verify(tmp_path, fixture_dir, _time_stamp(new), new["signature"].native)
    nca = client.post("/cms/verify", json={"cms": base64.b64encode(added).decode()}).get_json()
    assert nca["valid"] is True
    stamps = [s["tsp"] for s in nca["signers"]]
    assert [s["policy"] for s in stamps if s] == ["1.2.398.3.3.2.6.4"] and stamps.count(None) == 1


def test_rfc3161_a_signature_time_stamp_that_does_not_verify_is_warned_and_not_shown(client, fixture_dir):
    signer, _ = _signer(fixture_dir)
    body = {"data": base64.b64encode(DATA).decode(), "signers": [signer], "withTsp": True}
    der = base64.b64decode(client.post("/cms/sign", json=body).get_json()["cms"])
    (signer_info,) = asn1_cms.ContentInfo.load(der)["content"]["signer_infos"]
    token = asn1_cms.ContentInfo.load(_time_stamp(signer_info))
    token_signature = token["content"]["signer_infos"][0]["signature"].native
    assert der.count(token_signature) == 1
    broken = der.replace(token_signature, token_signature[:-1] + bytes([token_signature[-1] ^ 1]))
    cms = base64.b64encode(broken).decode()
    (nca,) = client.post("/cms/verify", json={"cms": cms}).get_json()["signers"]
    assert nca["tsp"] is None  # NCANode shows a time stamp only once it is validated
    native = client.post("/api/v1/signatures/verify", json={"cms": cms}).get_json()
    assert native["indication"] == "TOTAL_PASSED"  # the signature is judged as of now without it
    assert native["signers"][0]["signature_timestamp"] is None
    assert [w["code"] for w in native["warnings"]] == ["signature_timestamp_not_verified"]


def test_cms_sign_without_data_and_add_without_cms_are_400(client, fixture_dir):
    signer, _ = _signer(fixture_dir)
    assert client.post("/cms/sign", json={"signers": [signer]}).get_json()["details"] == "missing_field"
    assert client.post("/cms/sign/add", json={"signers": [signer]}).get_json()["details"] == "missing_field"


def test_xml_sign_rsa_verifies_with_signxml_and_our_verifier(client, fixture_dir):
    signer, files = _signer(fixture_dir)
    response = client.post("/xml/sign", json={"xml": XML, "signers": [signer]})
    assert response.status_code == 200
    signed = response.get_json()["xml"]
    certificate = (fixture_dir.path / files["cert_pem"]).read_text()
    result = signxml.XMLVerifier().verify(signed.encode(), x509_cert=certificate)
    assert etree.tostring(result.signed_xml, method="c14n") == etree.tostring(
        etree.fromstring(XML), method="c14n"
    )
    nca = client.post("/xml/verify", json={"xml": signed}).get_json()
    assert nca["valid"] is True, nca["message"]


def test_xml_sign_clear_signatures_and_trim(client, fixture_dir):
    signer, _ = _signer(fixture_dir)
    once = client.post("/xml/sign", json={"xml": XML, "signers": [signer]}).get_json()["xml"]
    body = {"xml": once, "signers": [signer], "clearSignatures": True, "trimXml": True}
    again = client.post("/xml/sign", json=body).get_json()["xml"]
    root = etree.fromstring(again.encode())
    assert len(root.findall("{http://www.w3.org/2000/09/xmldsig#}Signature")) == 1
    assert root.text is None  # the whitespace between elements is gone
    assert client.post("/xml/verify", json={"xml": again}).get_json()["valid"] is True


def test_signing_with_a_wrong_password_is_ncanodes_message_with_a_400(client, fixture_dir):
    signer, _ = _signer(fixture_dir)
    response = client.post(
        "/cms/sign", json={"data": "dGVzdA==", "signers": [{**signer, "password": "nope"}]}
    )
    assert response.status_code == 400
    assert response.get_json() == {
        "status": 400,
        "message": "signers[0]: Key reading error: Password incorrect.",
        "details": "bad_password",
    }


def test_x509_verify_a_raw_signature_with_the_certificates_algorithm(client, fixture_dir):
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    from pki.keys import load_private_key

    _, files = _signer(fixture_dir)
    key = load_private_key((fixture_dir.path / files["key_pem"]).read_bytes())
    certificate = (fixture_dir.path / files["cert_pem"]).read_text()
    signature = key.sign("данные".encode(), padding.PKCS1v15(), hashes.SHA256())
    body = {"certificate": certificate, "signature": base64.b64encode(signature).decode(), "data": "данные"}
    answer = client.post("/x509/verify", json=body).get_json()
    assert answer["valid"] is True, answer["message"]
    assert answer["signers"][0]["signAlg"] == "SHA256withRSA"
    tampered = client.post("/x509/verify", json={**body, "data": "другие"}).get_json()
    assert tampered["valid"] is False and "(signature_invalid)" in tampered["message"]


ENVELOPE = (
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">\n'
    '  <soap:Body><order xmlns="urn:example">Қазақ</order></soap:Body>\n</soap:Envelope>'
)


def test_wsse_sign_rsa_verifies_with_xmlsec_and_our_verifier(client, fixture_dir):
    signer, files = _signer(fixture_dir)
    response = client.post("/wsse/sign", json={"xml": ENVELOPE, **signer})
    assert response.status_code == 200
    answer = response.get_json()
    assert set(answer) == {"status", "message", "xml"} and answer["status"] == 200
    signed = answer["xml"].encode()
    certificate = str(fixture_dir.path / files["cert_pem"])
    verify_envelope(etree.fromstring(signed), certificate)  # xmlsec: raises when it does not verify
    nca = client.post("/wsse/verify", json={"xml": answer["xml"]}).get_json()
    assert nca["valid"] is True and nca["message"] == "OK"
    (certificate_info,) = nca["signers"]
    assert certificate_info["valid"] is True and certificate_info["signAlg"] == "SHA256withRSA"
    verdict = client.post("/api/v1/signatures/verify", json={"soap": answer["xml"]}).get_json()
    assert verdict["kind"] == "wsse" and verdict["indication"] == "TOTAL_PASSED", verdict["reasons"]

    altered = answer["xml"].replace("Қазақ", "Mallory")
    with pytest.raises(SignatureVerificationFailed):
        verify_envelope(etree.fromstring(altered.encode()), certificate)
    refused = client.post("/wsse/verify", json={"xml": altered}).get_json()
    assert refused["valid"] is False and "content_mismatch" in refused["message"]


def test_wsse_sign_trims_and_refuses_what_it_cannot_sign(client, fixture_dir):
    signer, _ = _signer(fixture_dir)
    trimmed = client.post("/wsse/sign", json={"xml": ENVELOPE, "trimXml": True, **signer}).get_json()["xml"]
    assert etree.fromstring(trimmed.encode()).text is None
    for xml, code in (
        ("<doc/>", "not_soap_envelope"),
        (trimmed, "already_signed"),
        ("<soap", "malformed_signature"),
    ):
        response = client.post("/wsse/sign", json={"xml": xml, **signer})
        assert response.status_code == 400 and response.get_json()["details"] == code
    wrong = client.post("/wsse/sign", json={"xml": ENVELOPE, **signer, "password": "nope"})
    assert wrong.status_code == 400
    assert wrong.get_json() == {
        "status": 400,
        "message": "Key reading error: Password incorrect.",
        "details": "bad_password",
    }


def test_wsse_verify_an_unsigned_envelope_is_invalid_without_signers(client):
    answer = client.post("/wsse/verify", json={"xml": ENVELOPE}).get_json()
    assert answer["valid"] is False and answer["signers"] == []
    assert "no_signers" in answer["message"]
    both = client.post("/api/v1/signatures/verify", json={"soap": ENVELOPE, "xml": "<a/>"})
    assert both.status_code == 400 and both.get_json()["code"] == "invalid_value"
    hostile = client.post("/api/v1/signatures/verify", json={"soap": '<!DOCTYPE a [<!ENTITY e "x">]><a/>'})
    assert hostile.status_code == 400 and hostile.get_json()["code"] == "xml_forbidden"


def test_pdf_sign_two_signers_verify_with_openssl_and_our_verifier(client, fixture_dir, tmp_path):
    first, files = _signer(fixture_dir)
    second, _ = _signer(fixture_dir, "individual_single_key")
    body = {
        "pdf": base64.b64encode(blank_pdf()).decode(),
        "signers": [{"signer": first, "reason": "Келісемін", "location": "Астана"}, {"signer": second}],
    }
    response = client.post("/pdf/sign", json=body)
    assert response.status_code == 200, response.get_json()
    signed = base64.b64decode(response.get_json()["pdf"])
    signatures = read_signatures(signed)
    assert len(signatures) == 2
    for signature in signatures:
        _openssl_verify(tmp_path, fixture_dir, files, signature.cms, signature.signed_bytes)
    answer = client.post("/pdf/verify", json={"pdf": response.get_json()["pdf"]}).get_json()
    assert answer["valid"] is True and answer["message"] == "OK", answer["message"]
    one, two = answer["signers"]
    assert (one["reason"], one["location"], two["reason"]) == ("Келісемін", "Астана", None)
    assert (
        one["signatureAlgorithm"] == "ETSI.CAdES.detached"
        and one["digestAlgorithm"] == "2.16.840.1.101.3.4.2.1"
    )
    assert one["valid"] and one["certificate"]["valid"] and one["signDate"]
    native = client.post("/api/v1/pdf/verify", json={"pdf": response.get_json()["pdf"]}).get_json()
    assert [(s["field_name"], s["coverage"], s["later_changes"]) for s in native["signatures"]] == [
        ("Signature1", "whole_revision", "signatures_and_forms"),
        ("Signature2", "whole_file", "none"),
    ]
    assert all(s["verdict"]["indication"] == "TOTAL_PASSED" for s in native["signatures"])
    assert native["signatures"][0]["verdict"]["checks"][0]["id"] == "coverage"

    altered = signed.replace(b"/MediaBox [ 0 0 595 842 ]", b"/MediaBox [ 0 0 595 843 ]", 1)
    refused = client.post("/pdf/verify", json={"pdf": base64.b64encode(altered).decode()}).get_json()
    assert refused["valid"] is False and [s["valid"] for s in refused["signers"]] == [False, False]
    assert refused["message"].startswith("kzpki: Signature1: ") and "content_mismatch" in refused["message"]


def test_pdf_verify_refusals_are_ncanodes(client, fixture_dir):
    unsigned = client.post("/pdf/verify", json={"pdf": base64.b64encode(blank_pdf()).decode()})
    assert unsigned.status_code == 404
    assert unsigned.get_json() == {
        "status": 404,
        "message": "PDF document contains no digital signatures",
        "details": "no_pdf_signatures",
    }
    garbage = client.post("/pdf/verify", json={"pdf": base64.b64encode(b"%PDF-1.7 nothing").decode()})
    assert garbage.status_code == 400 and garbage.get_json()["details"] == "malformed_pdf"
    native = client.post("/api/v1/pdf/verify", json={"pdf": base64.b64encode(b"%PDF-1.7 nothing").decode()})
    assert native.status_code == 400 and native.mimetype == "application/problem+json"
    assert native.get_json()["code"] == "malformed_pdf"
    empty = client.post("/api/v1/pdf/verify", json={"pdf": base64.b64encode(blank_pdf()).decode()})
    assert empty.status_code == 200 and empty.get_json() == {"signatures": []}


def test_rfc3161_pdf_sign_with_tsp_time_stamps_the_cms_pades_b_t(client, fixture_dir, tmp_path):
    signer, files = _signer(fixture_dir)
    body = {"pdf": base64.b64encode(blank_pdf()).decode(), "signers": [{"signer": signer}], "withTsp": True}
    response = client.post("/pdf/sign", json=body)
    assert response.status_code == 200, response.get_json()
    (signature,) = read_signatures(base64.b64decode(response.get_json()["pdf"]))
    _openssl_verify(tmp_path, fixture_dir, files, signature.cms, signature.signed_bytes)
    (signer_info,) = asn1_cms.ContentInfo.load(signature.cms)["content"]["signer_infos"]
    _ts_verify(tmp_path, fixture_dir, _time_stamp(signer_info), signer_info["signature"].native)
    native = client.post("/api/v1/pdf/verify", json={"pdf": response.get_json()["pdf"]}).get_json()
    (verdict,) = native["signatures"]
    assert verdict["verdict"]["indication"] == "TOTAL_PASSED"
    assert verdict["verdict"]["signers"][0]["signature_timestamp"]["policy"] == "1.2.398.3.3.2.6.4"
