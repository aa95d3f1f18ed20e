"""Size bounds published in the request schemas. The body as a whole is capped by ``max_body_bytes``
(413 beyond it); these bound single fields so the documented schema says what a client may send."""

from __future__ import annotations

MAX_DOCUMENT_CHARS = 4 * 1024 * 1024  # base64 CMS / XML text: never reached below the body limit
MAX_CERTIFICATE_CHARS = 128 * 1024
MAX_CSR_CHARS = 128 * 1024
MAX_BIOMETRIC_CHARS = 96 * 1024  # 64 KiB of DER in base64
