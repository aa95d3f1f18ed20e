"""The UNIS login policy as data: a frozen dataclass, each field citing the rule it implements (rules.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from unis.accounts import Role


@dataclass(frozen=True)
class LoginPolicy:
    """What a login must satisfy on top of the verifier's verdict (purpose ``login``).

    Durations are :class:`datetime.timedelta`; ages and certificate ages are whole calendar years on
    Kazakhstan's dates (KZ-TIME), counted with :func:`pki.iin.age_at` and
    :func:`pki.calendar.years_elapsed` (29 Feb -> 1 Mar). The EDS-14
    age limit is not here: it has one source, the verifier's ``VerificationPolicy.min_age_years``, and
    the login requires the verdict's passed ``age`` check.
    """

    # UNIS-12: a certificate issued (notBefore) more than this many calendar years before the login is
    # refused and the account blocked with reason ``eds_not_reissued``; the year runs through the
    # anniversary of notBefore's Kazakh date (KZ-TIME) and is over the next day.
    max_certificate_age_years: int = 1
    # UNIS-2025-bio: roles whose login needs a passed biometric attestation.
    biometric_roles: frozenset[Role] = frozenset({Role.NOTARY})
    # UNIS-2025-bio: an attestation older than this (checked_at to the login time) is stale.
    biometric_max_age: dt.timedelta = dt.timedelta(minutes=5)
    # UNIS-2025-bio: tolerated clock skew for an attestation dated slightly after the login time.
    biometric_clock_skew: dt.timedelta = dt.timedelta(seconds=30)
    # UNIS-11: fail closed. The verdict must carry a PASSED revocation check (OCSP, or a CRL within its
    # nextUpdate); a missing, skipped or unknown one refuses the login with ``revocation_unknown``.
    require_revocation_evidence: bool = True
    # UNIS-9/10: a challenge lives this long and is consumed once.
    challenge_ttl: dt.timedelta = dt.timedelta(minutes=5)
