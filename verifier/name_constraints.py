"""RFC 5280 name constraints (4.2.1.10, 6.1.3 b-c, 6.1.4 g) of every name form, over a whole path.

pyhanko-certvalidator 0.33 handles DNS, email, URI and directory names only: IP-address constraints
raise ``NotImplementedError``, an otherName constraint raises ``TypeError`` while its subtrees are
built, and malformed names or constraints are taken at face value. The verifier therefore evaluates
name constraints here, for the fast path and the full path alike, and shows pyhanko-certvalidator
certificates whose name constraints are hidden (:mod:`verifier.pkix`).

Rules, where RFC 5280 leaves a choice, follow what the strict validators do (pyca/cryptography, Go):

- constraints of the trust anchor apply as well (its certificate is the anchor's information);
- the constraints of a certificate apply to every later certificate, self-issued intermediates
  excepted, the last certificate included (6.1.3 b-c); an end-entity certificate may not carry them;
- a name of a constrained form must lie in a permitted subtree of every certificate that permits
  that form, and in no excluded subtree; the subject DN counts as a directoryName, and without a
  subjectAltName the subject's emailAddress attributes count as rfc822Names;
- a malformed name or constraint (a DNS name with an empty label or a leading period, a wildcard
  constraint, an address with two "@", an IP name that is not 4 or 16 octets, a non-contiguous
  IP mask, minimum/maximum other than 0/absent) refuses the path;
- a wildcard dNSName ``*.d`` stands for every name one label under ``d``: it is excluded when any of
  them may be, and permitted only when all of them are (CVE-2025-61727);
- otherName, registeredID: the same type-id with an identical value is "within"; for an excluded
  otherName of the same type-id the name cannot be shown outside it, so the path is refused.

Names times subtrees count against :data:`MAX_COMPARISONS` (quadratic blow-up, limbo's nc-dos cases).
"""

from __future__ import annotations

import ipaddress
import re
import urllib.parse
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509
from cryptography import x509

from pki.names import subject_of

MAX_COMPARISONS = 1 << 16  # names x subtrees per path; far above any real PKI, far below nc-dos

_LABEL = re.compile(r"^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$")
_EMAIL_OID = "1.2.840.113549.1.9.1"


class NameConstraintViolation(Exception):
    """A path fails its name constraints; the message says which name and which certificate."""


@dataclass(frozen=True)
class _Name:
    form: str  # dns | email | uri | ip | dirname | other | rid
    value: object  # str, ip_address, tuple of RDN keys, (type_id, value bytes)
    text: str


@dataclass(frozen=True)
class _Subtree:
    form: str
    value: object
    text: str


def check_path(path: Sequence[tuple[asn1_x509.Certificate, x509.Certificate]], *, ends_in_leaf: bool) -> None:
    """Check the name constraints of ``path`` (trust anchor first, the certificate validated last).

    Each element is the certificate parsed by asn1crypto and by ``cryptography``; ``ends_in_leaf``
    says whether the last one is the end entity (else a CA validated on its own). Raises
    :class:`NameConstraintViolation` when a name lies outside the constraints, a constraint or name is
    malformed, an end-entity certificate carries name constraints, or the comparison budget runs out.
    """
    budget = [MAX_COMPARISONS]
    permitted: list[tuple[str, dict[str, list[_Subtree]]]] = []  # per constraining CA: form -> subtrees
    excluded: list[tuple[str, _Subtree]] = []
    last = len(path) - 1 if ends_in_leaf else len(path)
    for index, (asn1, crypto) in enumerate(path):
        if index > 0 and (index == last or not asn1.self_issued) and (permitted or excluded):
            _check_names(asn1, crypto, permitted, excluded, budget, index == last)
        constraints = _constraints_of(crypto)
        if constraints is None:
            continue
        if index == last and index > 0:
            raise NameConstraintViolation(
                "an end-entity certificate may not carry name constraints (RFC 5280 4.2.1.10)"
            )
        who = _display(subject_of(crypto))
        if constraints.permitted_subtrees:
            forms: dict[str, list[_Subtree]] = {}
            for general_name in constraints.permitted_subtrees:
                subtree = _subtree(general_name)
                forms.setdefault(subtree.form, []).append(subtree)
            permitted.append((who, forms))
        excluded.extend((who, _subtree(g)) for g in constraints.excluded_subtrees or ())


def _constraints_of(crypto: x509.Certificate) -> x509.NameConstraints | None:
    try:
        extension = crypto.extensions.get_extension_for_class(x509.NameConstraints)
    except x509.ExtensionNotFound:
        return None
    except (ValueError, TypeError) as exc:
        raise NameConstraintViolation(f"a certificate extension cannot be decoded: {exc}") from None
    if not extension.critical:
        raise NameConstraintViolation("name constraints must be marked critical (RFC 5280 4.2.1.10)")
    value = extension.value
    if not value.permitted_subtrees and not value.excluded_subtrees:
        raise NameConstraintViolation("empty name constraints (RFC 5280 4.2.1.10)")
    return value


def _check_names(
    asn1: asn1_x509.Certificate,
    crypto: x509.Certificate,
    permitted: list[tuple[str, dict[str, list[_Subtree]]]],
    excluded: list[tuple[str, _Subtree]],
    budget: list[int],
    is_leaf: bool,
) -> None:
    who = "the end-entity certificate" if is_leaf else f"the CA certificate '{_display(subject_of(crypto))}'"
    names = list(_names_of(asn1, crypto))
    # Budget by the product, as OpenSSL does: every subject attribute counts as a name to check.
    subtree_count = len(excluded) + sum(len(t) for _, forms in permitted for t in forms.values())
    budget[0] -= (len(names) + len(subject_of(crypto))) * subtree_count
    if budget[0] < 0:
        raise NameConstraintViolation(
            f"name constraint processing exceeds its budget of {MAX_COMPARISONS} comparisons"
        )
    for name in names:
        for constrainer, subtree in excluded:
            if subtree.form == name.form and _excluded(subtree, name):
                raise NameConstraintViolation(
                    f"the name {name.text} of {who} is excluded by the name constraints of '{constrainer}'"
                )
        for constrainer, forms in permitted:
            subtrees = forms.get(name.form)
            if subtrees is None:
                continue
            if not any(_within(s, name) for s in subtrees):
                raise NameConstraintViolation(
                    f"the name {name.text} of {who} is outside the permitted names of '{constrainer}'"
                )


# --- names of a certificate --------------------------------------------------------------------


def _names_of(asn1: asn1_x509.Certificate, crypto: x509.Certificate) -> Iterator[_Name]:
    subject = asn1.subject
    if len(subject.chosen):
        yield _Name("dirname", _rdn_keys(subject), f"'{_display(subject_of(crypto))}'")
    try:
        san = crypto.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        for attribute in subject_of(crypto).get_attributes_for_oid(x509.ObjectIdentifier(_EMAIL_OID)):
            yield _email(str(attribute.value))
        return
    except (ValueError, TypeError) as exc:
        raise NameConstraintViolation(f"the subjectAltName cannot be decoded: {exc}") from None
    for general_name in san:
        yield _name(general_name)


def _name(general_name: x509.GeneralName) -> _Name:
    if isinstance(general_name, x509.DNSName):
        value = general_name.value
        wildcard = value.startswith("*.")
        if not _valid_dns(value[2:] if wildcard else value):
            raise NameConstraintViolation(f"the dNSName {value!r} is malformed")
        return _Name("dns", value.lower(), f"dNSName {value!r}")
    if isinstance(general_name, x509.RFC822Name):
        return _email(general_name.value)
    if isinstance(general_name, x509.UniformResourceIdentifier):
        host = urllib.parse.urlsplit(general_name.value).hostname
        if not host or not _valid_dns(host) or _is_ip(host):
            raise NameConstraintViolation(f"the URI {general_name.value!r} names no host to constrain")
        return _Name("uri", host.lower(), f"URI {general_name.value!r}")
    if isinstance(general_name, x509.IPAddress):
        address = general_name.value
        if not isinstance(address, ipaddress.IPv4Address | ipaddress.IPv6Address):
            raise NameConstraintViolation(f"the iPAddress {address} is not a single address")
        return _Name("ip", address, f"iPAddress {address}")
    if isinstance(general_name, x509.DirectoryName):
        name = asn1_x509.Name.load(general_name.value.public_bytes())
        return _Name("dirname", _rdn_keys(name), f"directoryName '{_display(general_name.value)}'")
    if isinstance(general_name, x509.OtherName):
        type_id = general_name.type_id.dotted_string
        return _Name("other", (type_id, general_name.value), f"otherName {type_id}")
    if isinstance(general_name, x509.RegisteredID):
        rid = general_name.value.dotted_string
        return _Name("rid", rid, f"registeredID {rid}")
    raise NameConstraintViolation(f"unsupported name form {type(general_name).__name__}")


def _email(value: str) -> _Name:
    local, at, domain = value.rpartition("@")
    if not at or not local or "@" in local or not _valid_dns(domain):
        raise NameConstraintViolation(f"the rfc822Name {value!r} is malformed")
    return _Name("email", (local, domain.lower()), f"rfc822Name {value!r}")


def _display(name: x509.Name) -> str:
    text = name.rfc4514_string()
    return text if len(text) <= 120 else text[:117] + "..."


def _rdn_keys(name: asn1_x509.Name) -> tuple[str, ...]:
    return tuple(str(rdn.hashable) for rdn in name.chosen)


def _valid_dns(value: str) -> bool:
    labels = value.rstrip(".").split(".") if value.endswith(".") and value != "." else value.split(".")
    return bool(value) and all(_LABEL.match(label) for label in labels)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


# --- subtrees ---------------------------------------------------------------------------------


def _subtree(general_name: x509.GeneralName) -> _Subtree:
    if isinstance(general_name, x509.DNSName):
        value = general_name.value
        if not _valid_dns(value):
            raise NameConstraintViolation(f"the dNSName constraint {value!r} is malformed")
        return _Subtree("dns", value.lower(), value)
    if isinstance(general_name, x509.RFC822Name):
        value = general_name.value
        local, at, host = value.rpartition("@")
        bare = host[1:] if host.startswith(".") and not at else host
        if (at and (not local or "@" in local)) or not _valid_dns(bare):
            raise NameConstraintViolation(f"the rfc822Name constraint {value!r} is malformed")
        return _Subtree("email", (local if at else None, host.lower()), value)
    if isinstance(general_name, x509.UniformResourceIdentifier):
        value = general_name.value
        if not _valid_dns(value[1:] if value.startswith(".") else value):
            raise NameConstraintViolation(f"the URI constraint {value!r} is malformed")
        return _Subtree("uri", value.lower(), value)
    if isinstance(general_name, x509.IPAddress):
        network = general_name.value
        if not isinstance(network, ipaddress.IPv4Network | ipaddress.IPv6Network):
            raise NameConstraintViolation(f"the iPAddress constraint {network} is not a network")
        return _Subtree("ip", network, str(network))
    if isinstance(general_name, x509.DirectoryName):
        name = asn1_x509.Name.load(general_name.value.public_bytes())
        return _Subtree("dirname", _rdn_keys(name), _display(general_name.value))
    if isinstance(general_name, x509.OtherName):
        return _Subtree(
            "other", (general_name.type_id.dotted_string, general_name.value), str(general_name.type_id)
        )
    if isinstance(general_name, x509.RegisteredID):
        return _Subtree("rid", general_name.value.dotted_string, general_name.value.dotted_string)
    raise NameConstraintViolation(f"unsupported name constraint form {type(general_name).__name__}")


def _within(subtree: _Subtree, name: _Name) -> bool:
    """True if every name ``name`` can stand for lies in ``subtree`` (for permitted subtrees)."""
    if name.form == "dns":
        assert isinstance(name.value, str) and isinstance(subtree.value, str)
        value = name.value[2:] if name.value.startswith("*.") else name.value
        return _dns_in(value, subtree.value)
    return _matches(subtree, name)


def _excluded(subtree: _Subtree, name: _Name) -> bool:
    """True if some name ``name`` can stand for lies in ``subtree`` (for excluded subtrees)."""
    if name.form == "dns":
        assert isinstance(name.value, str) and isinstance(subtree.value, str)
        if name.value.startswith("*."):
            parent = name.value[2:]
            base = subtree.value.rstrip(".")
            # some one-label child of parent lies in base: base is parent's ancestor-or-self or its child
            return _dns_in(parent, base) or base.partition(".")[2] == parent
        return _dns_in(name.value, subtree.value)
    if name.form == "other":
        assert isinstance(name.value, tuple) and isinstance(subtree.value, tuple)
        return name.value[0] == subtree.value[0]  # the value's syntax is unknown: cannot show it is outside
    return _matches(subtree, name)


def _matches(subtree: _Subtree, name: _Name) -> bool:
    if name.form == "email":
        assert isinstance(name.value, tuple) and isinstance(subtree.value, tuple)
        local, domain = name.value
        base_local, base_host = subtree.value
        if base_local is not None:
            return bool(local == base_local and domain == base_host)
        return _host_in(domain, base_host)
    if name.form == "uri":
        assert isinstance(name.value, str) and isinstance(subtree.value, str)
        return _host_in(name.value, subtree.value)
    if name.form == "ip":
        assert isinstance(subtree.value, ipaddress.IPv4Network | ipaddress.IPv6Network)
        assert isinstance(name.value, ipaddress.IPv4Address | ipaddress.IPv6Address)
        return name.value.version == subtree.value.version and name.value in subtree.value
    if name.form == "dirname":
        assert isinstance(name.value, tuple) and isinstance(subtree.value, tuple)
        return name.value[: len(subtree.value)] == subtree.value
    return bool(name.value == subtree.value)


def _dns_in(name: str, base: str) -> bool:
    """RFC 5280 4.2.1.10: ``name`` is ``base`` with zero or more labels added on the left."""
    name, base = name.rstrip("."), base.rstrip(".")
    return name == base or name.endswith("." + base)


def _host_in(host: str, base: str) -> bool:
    """Email / URI host constraints: ``.domain`` means any host below it, otherwise that host only."""
    if base.startswith("."):
        return host.endswith(base)
    return host == base
