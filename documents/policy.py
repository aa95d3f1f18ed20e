"""The document service's policy: a frozen value whose fields cite the rules they implement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pki import oids


@dataclass(frozen=True)
class DocumentPolicy:
    """What the document service decides by. Construct once; share between threads.

    ``state_body_cas`` are the SHA-256 fingerprints (lower-case hex) of the state-bodies CAs' certificates:
    a certificate they issued with a policy under ``civil_servant_policy_arc`` is a civil servant's.
    ``state_organisation_bins`` are the BINs of the state organisations authorised to sign documents with a
    legal entity's certificate (item 8: "authorized state bodies and organizations").
    """

    state_body_cas: frozenset[str]  # DD-8: the gov CA (nca-profile.md: the state-bodies CA)
    state_organisation_bins: frozenset[str] = frozenset()  # DD-8: authorised state organisations
    civil_servant_policy_arc: str = oids.POLICY_GOV_ARC  # nca-profile.md: the gov CA's user policies
    token_bytes: int = 32  # DD-14: 256 random bits per grant, unguessable
    max_title_chars: int = 500  # a document's title, as shown on the shared page
    max_fields: int = 200  # a document's fields, as shown on the shared page
    max_grant_term: dt.timedelta = dt.timedelta(days=366 * 10)  # DD-14: a temporary grant ends in time

    def __post_init__(self) -> None:
        if not self.state_body_cas:
            raise ValueError("a document policy needs the state-bodies CA (DD-8)")
        if self.token_bytes < 16:
            raise ValueError("grant tokens need at least 128 random bits (DD-14)")
