"""DD-8: whether a document's signer is an authorised state body, and what a page may show of them.

A signer is a state body's when either

- its certificate was issued by a state-bodies CA (``DocumentPolicy.state_body_cas``, by fingerprint) with
  a civil servant's policy (``civil_servant_policy_arc``) and names its state body (organisation and BIN):
  a civil servant; or
- it is a legal entity's certificate whose BIN is an authorised state organisation's
  (``DocumentPolicy.state_organisation_bins``).

An individual's certificate, or a legal entity that is not an authorised state organisation, is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from documents.policy import DocumentPolicy
from pki.errors import ErrorCode, Refused
from pki.iin import mask
from verifier.identity import LEGAL_ENTITY
from verifier.verdict import SignerReport


class SignerKind(StrEnum):
    CIVIL_SERVANT = "civil_servant"  # a state-bodies CA certificate naming the state body
    STATE_ORGANISATION = "state_organisation"  # a legal entity's certificate, BIN authorised


@dataclass(frozen=True)
class StateBodySigner:
    """Who signed, as a third party may see it (the signer's IIN masked: PD-22)."""

    kind: SignerKind
    organisation: str
    bin: str
    name: str | None
    iin_masked: str | None
    certificate_serial: str
    certificate_issuer: str

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "organisation": self.organisation,
            "bin": self.bin,
            "name": self.name,
            "iin_masked": self.iin_masked,
            "certificate_serial": self.certificate_serial,
            "certificate_issuer": self.certificate_issuer,
        }

    @staticmethod
    def from_json(value: dict[str, Any]) -> StateBodySigner:
        return StateBodySigner(
            kind=SignerKind(value["kind"]),
            organisation=value["organisation"],
            bin=value["bin"],
            name=value["name"],
            iin_masked=value["iin_masked"],
            certificate_serial=value["certificate_serial"],
            certificate_issuer=value["certificate_issuer"],
        )


def state_body_signer(report: SignerReport, policy: DocumentPolicy) -> StateBodySigner:
    """The state body ``report`` (a signer of a verdict that passed) signed for.

    Raises :class:`Refused` (``not_state_body``, DD-8) for an individual's certificate, a legal entity that
    is not an authorised state organisation, or a state-bodies CA certificate that names no state body."""
    identity, certificate = report.identity, report.certificate
    if identity is None or certificate is None:
        raise Refused(ErrorCode.NOT_STATE_BODY, "the signer's certificate cannot be read (DD-8)")
    issuer = report.chain[0] if report.chain else None
    from_state_ca = issuer is not None and issuer.sha256.lower() in policy.state_body_cas
    civil_servant = from_state_ca and any(
        p == policy.civil_servant_policy_arc or p.startswith(policy.civil_servant_policy_arc + ".")
        for p in certificate.policies
    )
    if civil_servant:
        kind = SignerKind.CIVIL_SERVANT
    elif identity.kind == LEGAL_ENTITY and identity.bin in policy.state_organisation_bins:
        kind = SignerKind.STATE_ORGANISATION
    elif identity.kind == LEGAL_ENTITY:
        raise Refused(
            ErrorCode.NOT_STATE_BODY,
            "the signer is a legal entity that is not an authorised state organisation (DD-8)",
        )
    else:
        raise Refused(
            ErrorCode.NOT_STATE_BODY,
            "the document is signed with an individual's certificate, not a state body's (DD-8)",
        )
    if not identity.organization or not identity.bin:
        raise Refused(ErrorCode.NOT_STATE_BODY, "the signer's certificate names no state body and BIN (DD-8)")
    name = identity.common_name or " ".join(p for p in (identity.surname, identity.name) if p) or None
    return StateBodySigner(
        kind=kind,
        organisation=identity.organization,
        bin=identity.bin,
        name=name,
        iin_masked=None if identity.iin is None else mask(identity.iin),
        certificate_serial=certificate.serial,
        certificate_issuer=certificate.issuer,
    )
