"""Issuance in the console: a certificate for an individual from their PKCS#10 request (EDS-14, EDS-14-1).

The operator types the applicant's identity from the identity document and pastes the request the
applicant's own software made (the applicant keeps the key; a key the CA generates is issued through the
API, which returns its PKCS#12 once). The review step shows what the certificate will say, the key of the
request and the issuing CA; confirming calls the same :meth:`ca_sim.issuance.Issuer.issue` the API
calls, so the same rules refuse the same applications (under age, an IIN whose checksum or birth date is
wrong, a court order, a weak key, no proof of possession), each as a refusal page with its code, and the
issuance is audited with the operator's name. Only an operator of the issuing CA (``issue`` on it) sees
the form.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import redirect, request, url_for
from werkzeug.wrappers import Response

from api.auth import services
from api.console import form_fields, guard
from api.console.certificate_fields import key_text
from api.console.confirmation import two_step
from api.console.web import blueprint
from ca_sim.certstore import serial_to_hex
from ca_sim.issuance import Application, load_csr, profile_for
from ca_sim.operators import TEST_MODE_ROLES, Action
from ca_sim.profiles import CertificateKind
from pki.errors import ErrorCode, InvalidInput
from pki.iin import Sex

# The individuals' kinds (EDS-14: identity, no organisation), all issued by one CA (tests check it).
KINDS = (
    CertificateKind.INDIVIDUAL_AUTH,
    CertificateKind.INDIVIDUAL_SIGN,
    CertificateKind.INDIVIDUAL_SINGLE_KEY,
)
ISSUING_CA = profile_for(KINDS[0]).issuer
_MAX_NAME = 200
_REQUIRED = ("surname", "name")  # EDS-14-1 (1): the names the identity document must give
MAX_CSR_CHARS = 16 * 1024  # a PEM request of an RSA-4096 key is about 1.7 kB


@dataclass(frozen=True)
class _Posted:
    """The posted application, read and its request decoded (the issuer checks everything again)."""

    application: Application
    csr_pem: str
    key: str


@blueprint.route("/certificates/new", methods=["GET", "POST"])
def issue() -> Response | str:
    """GET: the form; POST ``step=review``: what the certificate will say; POST ``step=confirm``: issue it
    and show its page (303). Refusals (InvalidInput, Refused, Forbidden) are refusal pages with their codes;
    nothing is issued before the confirmation."""
    guard.authorize(Action.LOOKUP_OWNER)  # the certificate's page follows (a tester issues through the API)
    guard.authorize(Action.ISSUE, ISSUING_CA)

    def perform(posted: _Posted) -> Response:
        ctx = services()
        operator = guard.current_operator()
        issued = ctx.issuer.issue(
            posted.application,
            ctx.clock(),
            requested_by=operator.name,
            # as the API: a tester's certificate carries the test policy production verification refuses
            test_certificate=operator.role in TEST_MODE_ROLES,
        )
        serial = serial_to_hex(issued.certificate.serial_number)
        return redirect(url_for("console.certificate", ca_id=issued.ca_id, serial=serial, done="issue"), 303)

    return two_step(
        "console/issue.html",
        _posted,
        perform,
        kinds=[k.value for k in KINDS],
        sexes=[x.value for x in Sex],
        ca_id=ISSUING_CA,
    )


def _posted() -> _Posted:
    """The application of the posted form. Raises InvalidInput for a field that cannot be read."""
    form = request.form
    kind = form_fields.choice(form.get("kind", ""), KINDS, "kind")
    iin = form_fields.iin(form.get("iin", ""))
    birth_date = form_fields.kz_date(form.get("birth_date", "").strip(), "birth_date", earliest_year=1900)
    sex = form_fields.choice(form.get("sex", ""), tuple(Sex), "sex")
    names = {
        key: form_fields.text(
            form.get(key, ""), key, max_length=_MAX_NAME, required=key in ("surname", "name")
        )
        for key in ("surname", "name", "patronymic", "email")
    }
    csr_pem = form.get("csr", "").strip()
    if len(csr_pem) > MAX_CSR_CHARS:
        raise InvalidInput(ErrorCode.MALFORMED_CSR, "csr: too long for a PKCS#10 request", field="csr")
    csr = load_csr(csr_pem.encode("utf-8"))  # decoded here so the review can show its key
    application = Application(
        kind=kind,
        iin=iin,
        surname=names["surname"].upper(),
        name=names["name"].upper(),
        patronymic=names["patronymic"].upper(),
        birth_date=birth_date,
        sex=sex,
        email=names["email"] or None,
        csr=csr_pem.encode("utf-8"),
    )
    return _Posted(application, csr_pem, key_text(csr))
