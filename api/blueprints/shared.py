"""The third party's page behind an Open Access URL or QR code (DD-14): no account, HTML.

It shows the document, who signed it (their IIN masked: PD-22) and two verdicts: the one made when the
document was submitted (signing time) and one made now, so a later revocation of the signer's
certificate is visible. An unknown link is a 404 page, an expired or withdrawn grant a 410 page; neither
shows anything of the document. Every opening is recorded for the owner (``documents.service``).
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, render_template_string, request
from werkzeug.exceptions import NotFound as NoRoute

from api.auth import services
from api.operations import Media, operation
from api.problems import http_problem
from documents.service import SharedDocument
from pki.calendar import iso_time
from pki.errors import Gone, NotFound
from pki.iin import mask
from verifier import Indication

blueprint = Blueprint("shared", __name__)
SHARE_PATH = "/d/"  # a grant's URL is the public base URL, this and the token
TAG = "Documents"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,128}$")
PAGE = Media("text/html", "The document, its signers and its verdicts")
REFUSAL = Media("text/html", "A page saying the link gives no access (unknown, expired or revoked)")

_STYLE = """body{font-family:sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
.passed{color:#060}.failed{color:#a00}.notice{background:#fff4d6;padding:.6rem;border:1px solid #e0c060}"""

_DOCUMENT = """<!doctype html>
<html lang="kk"><head><meta charset="utf-8"><title>{{ content_title }}</title>
<style>{{ style }}</style></head>
<body>
<h1>{{ content_title }}</h1>
{% if content %}
<p>Owner: {{ content.owner_name or "" }} (IIN {{ owner_iin }}){% if content.document_type %};
 type: {{ content.document_type }}{% endif %}</p>
<table>{% for name, value in fields %}<tr><th>{{ name }}</th><td>{{ value }}</td></tr>{% endfor %}</table>
{% else %}
<p class="failed">The stored signature no longer yields the document; see the current verdict.</p>
{% endif %}
<h2>Signed by</h2>
<ul>{% for s in signers %}<li>{{ s.name or "" }}, {{ s.organisation }} (BIN {{ s.bin }}){% if s.iin_masked %},
 IIN {{ s.iin_masked }}{% endif %}: certificate {{ s.certificate_serial }}
 issued by {{ s.certificate_issuer }}</li>{% endfor %}</ul>
<h2>Verification</h2>
<table>
<tr><th>when the document was signed ({{ signed_at }})</th>
<td class="{{ 'passed' if signed_passed else 'failed' }}">{{ signed_indication }}</td></tr>
<tr><th>now ({{ viewed_at }})</th>
<td class="{{ 'passed' if current_passed else 'failed' }}">{{ current_indication }}
{% if current_reasons %}: {{ current_reasons }}{% endif %}</td></tr>
</table>
{% if revoked_since %}<p class="notice">The signer's certificate was revoked after the document was signed.
The signature was valid when it was made ({{ signed_at }}); it is not valid now.</p>{% endif %}
<p><small>This view is recorded; the document's owner can see when it was opened.</small></p>
</body></html>"""

_REFUSED = """<!doctype html>
<html lang="kk"><head><meta charset="utf-8"><title>{{ heading }}</title><style>{{ style }}</style></head>
<body><h1>{{ heading }}</h1><p>{{ message }}</p></body></html>"""


@blueprint.get(SHARE_PATH + "<token>")
@operation(
    tag=TAG,
    summary="A shared document (Open Access URL)",
    responses={200: PAGE, 404: REFUSAL, 410: REFUSAL},
)
def shared_document(token: str) -> Response:
    """DD-14: whoever holds the URL sees the document, its signers and its verdict at signing time and now;
    an unknown link is 404, an expired or revoked grant 410 (a page saying so, not the document)."""
    ctx = services()
    if not _TOKEN.match(token):
        return _no_such_document()
    try:
        shared = ctx.documents.open(token, ctx.clock())
    except NotFound:
        return _no_such_document()
    except Gone as exc:
        return _refused(410, "Access has ended", exc.message + ".")
    return _page(_render(shared), 200)


@blueprint.app_errorhandler(NoRoute)
def unknown_path(error: NoRoute) -> Response:
    """DD-14: a path under SHARE_PATH that is no share link (``/d/``, a mangled token with ``/`` in it)
    is the same HTML 404 page as an unknown token: a third party never gets JSON. Any other unknown path
    is the usual problem+json (api.problems.http_problem)."""
    if request.path.startswith(SHARE_PATH):
        return _no_such_document()
    return http_problem(error)


def _render(shared: SharedDocument) -> str:
    document, content, current = shared.document, shared.content, shared.current
    signed = document.verdict
    return render_template_string(
        _DOCUMENT,
        style=_STYLE,
        content=content,
        content_title=document.title if content is None else content.title,
        owner_iin=mask(document.owner_iin),
        fields=() if content is None else content.public_fields(),
        signers=document.signers,
        signed_at=iso_time(document.submitted_at),
        signed_indication=signed["indication"],
        signed_passed=signed["indication"] == Indication.TOTAL_PASSED.value,
        viewed_at=iso_time(shared.viewed_at),
        current_indication=current.indication.value,
        current_passed=current.passed,
        current_reasons=", ".join(r.value for r in current.reasons),
        revoked_since=shared.revoked_since_signing,
    )


def _no_such_document() -> Response:
    return _refused(404, "No such document", "This link gives access to no document.")


def _refused(status: int, heading: str, message: str) -> Response:
    return _page(render_template_string(_REFUSED, style=_STYLE, heading=heading, message=message), status)


def _page(html: str, status: int) -> Response:
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
