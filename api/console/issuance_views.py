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

import datetime as dt
from dataclasses import dataclass

from flask import redirect, request, url_for
from werkzeug.wrappers import Response

from api.auth import services
from api.console import guard
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
    guard.authorize(Action.ISSUE, ISSUING_CA)

    def perform(posted: _Posted) -> Response:
        ctx = services()
        operator = guard.current_operator()
        issued = ctx.issuer.issue(
            posted.application,
            ctx.clock(),
            requested_by=operator.name,
            test_certificate=operator.role
            in TEST_MODE_ROLES,  # as the API: refused by production verification
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
    kind = form.get("kind", "")
    if kind not in {k.value for k in KINDS}:
        raise InvalidInput(ErrorCode.INVALID_VALUE, "choose a kind of certificate", field="kind")
    iin = form.get("iin", "").strip()
    if not (len(iin) == 12 and iin.isdigit()):
        raise InvalidInput(ErrorCode.INVALID_IIN, "an IIN is 12 digits", field="iin")
    birth_date = _birth_date(form.get("birth_date", "").strip())
    sex = form.get("sex", "")
    if sex not in {x.value for x in Sex}:
        raise InvalidInput(ErrorCode.INVALID_VALUE, "choose the sex on the identity document", field="sex")
    names = {key: form.get(key, "").strip() for key in ("surname", "name", "patronymic", "email")}
    for key, value in names.items():
        if len(value) > _MAX_NAME:
            raise InvalidInput(ErrorCode.INVALID_VALUE, f"at most {_MAX_NAME} characters", field=key)
    csr_pem = form.get("csr", "").strip()
    if len(csr_pem) > MAX_CSR_CHARS:
        raise InvalidInput(ErrorCode.MALFORMED_CSR, "csr: too long for a PKCS#10 request", field="csr")
    csr = load_csr(csr_pem.encode("utf-8"))  # decoded here so the review can show its key
    application = Application(
        kind=CertificateKind(kind),
        iin=iin,
        surname=names["surname"].upper(),
        name=names["name"].upper(),
        patronymic=names["patronymic"].upper(),
        birth_date=birth_date,
        sex=Sex(sex),
        email=names["email"] or None,
        csr=csr_pem.encode("utf-8"),
    )
    return _Posted(application, csr_pem, key_text(csr))


def _birth_date(text: str) -> dt.date:
    """A ``date`` input's value (YYYY-MM-DD, years 1900-2999). Raises InvalidInput ``invalid_datetime``."""
    try:
        day = dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None or not 1900 <= day.year < 3000:
        raise InvalidInput(ErrorCode.INVALID_DATETIME, "a date, e.g. 1990-04-12", field="birth_date")
    return day
