"""The law's grounds for revoking or suspending a certificate and the RFC 5280 reason each one means.

Grounds (EDS-18 via rules.md): unreliable information (1-1) and a court decision (5) -> privilegeWithdrawn;
the owner's death (2) -> cessationOfOperation; change of surname/name/patronymic (2-1) -> superseded;
change/reorganisation/liquidation of the legal entity (2-2) -> affiliationChanged; agreement of CA and
owner (4) -> unspecified or the owner's stated reason; key compromise (EDS-17, UNIS-11) -> keyCompromise;
suspension -> certificateHold. Data only: the register (``ca_sim.registry``) applies them.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from cryptography.x509 import ReasonFlags

__all__ = ["AGREEMENT_STATED_REASONS", "GROUND_REASONS", "Ground"]


class Ground(StrEnum):
    """Why a certificate is revoked or suspended. The value is the wire name (API, CLI, audit)."""

    UNRELIABLE_INFORMATION = "unreliable_information"  # EDS-18 1-1
    OWNER_DEATH = "owner_death"  # EDS-18 2
    NAME_CHANGE = "name_change"  # EDS-18 2-1
    LEGAL_ENTITY_CHANGE = "legal_entity_change"  # EDS-18 2-2
    AGREEMENT = "agreement"  # EDS-18 4
    COURT_DECISION = "court_decision"  # EDS-18 5
    KEY_COMPROMISE = "key_compromise"  # EDS-17, UNIS-11
    HOLD = "hold"  # suspension (certificateHold), lifted by release


# rules.md EDS-18 "we decide": the RFC 5280 reason of each ground.
GROUND_REASONS: Mapping[Ground, ReasonFlags] = MappingProxyType(
    {
        Ground.UNRELIABLE_INFORMATION: ReasonFlags.privilege_withdrawn,
        Ground.OWNER_DEATH: ReasonFlags.cessation_of_operation,
        Ground.NAME_CHANGE: ReasonFlags.superseded,
        Ground.LEGAL_ENTITY_CHANGE: ReasonFlags.affiliation_changed,
        Ground.AGREEMENT: ReasonFlags.unspecified,
        Ground.COURT_DECISION: ReasonFlags.privilege_withdrawn,
        Ground.KEY_COMPROMISE: ReasonFlags.key_compromise,
        Ground.HOLD: ReasonFlags.certificate_hold,
    }
)

# EDS-18 4: on revocation by agreement the owner may state a reason; these are the ones an owner can state.
AGREEMENT_STATED_REASONS = frozenset(
    {
        ReasonFlags.unspecified,
        ReasonFlags.key_compromise,
        ReasonFlags.affiliation_changed,
        ReasonFlags.superseded,
        ReasonFlags.cessation_of_operation,
        ReasonFlags.privilege_withdrawn,
    }
)
