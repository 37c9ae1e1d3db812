"""The audit trail: append-only, hash-chained decisions about a professional.

Each entry records who decided (an officer's sub, ``system`` or ``police``), when, what
(``verified``, ``rejected``, ``complaint_upheld``, ``complaint_dismissed``, ``banned``) and on
which evidence (request id, case references, complaint id, remarks). Entries of one subject are
numbered 1, 2, 3...; each carries ``prev_hash`` (the previous entry's ``hash``, or ``GENESIS`` for
the first) and its own ``hash``: SHA-256 over the canonical JSON of every other field. Editing,
reordering or removing an entry in the middle breaks the chain at that entry; ``verify_chain``
says where. (Truncating the newest entries leaves a valid shorter chain: anchoring the head
elsewhere would be the next step.)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from enum import StrEnum
from typing import Any, NamedTuple

from pydantic import ConfigDict

from sevamitra.domain.types import Model

GENESIS = "0" * 64
SYSTEM = "system"
POLICE = "police"


class AuditAction(StrEnum):
    VERIFIED = "verified"
    REJECTED = "rejected"
    COMPLAINT_UPHELD = "complaint_upheld"
    COMPLAINT_DISMISSED = "complaint_dismissed"
    BANNED = "banned"
    # Separation of duties (docs/decisions.md): the upheld overcharge suspends, a second officer
    # bans, the professional may appeal once and an appellate officer decides.
    SUSPENDED = "suspended"
    APPEAL_FILED = "appeal_filed"
    APPEAL_UPHELD = "appeal_upheld"
    APPEAL_OVERTURNED = "appeal_overturned"
    REINSTATED = "reinstated"
    CLAIM_CODE_SENT = "claim_code_sent"
    CLAIMED = "claimed"
    CLAIM_LOCKED = "claim_locked"


class AuditEntry(Model):
    model_config = ConfigDict(frozen=True)

    subject: str
    seq: int
    at: str
    actor: str
    action: str
    evidence: dict[str, Any]
    prev_hash: str
    hash: str

    def body(self) -> dict[str, Any]:
        """Everything the hash covers: all fields but ``hash`` itself."""
        return self.model_dump(mode="json", exclude={"hash"})


def canonical_json(value: Any) -> str:
    """Sorted keys, no whitespace, UTF-8 text: the same bytes for the same content everywhere."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(body: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def make_entry(
    *,
    subject: str,
    seq: int,
    at: str,
    actor: str,
    action: AuditAction | str,
    evidence: dict[str, Any],
    prev_hash: str,
) -> AuditEntry:
    """The entry following one whose hash is ``prev_hash`` (``GENESIS`` for ``seq`` 1)."""
    body = {
        "subject": subject,
        "seq": seq,
        "at": at,
        "actor": actor,
        "action": str(action),
        "evidence": evidence,
        "prev_hash": prev_hash,
    }
    return AuditEntry(**body, hash=entry_hash(body))


def next_entry(
    head: AuditEntry | None,
    *,
    subject: str,
    at: str,
    actor: str,
    action: AuditAction | str,
    evidence: dict[str, Any],
) -> AuditEntry:
    """The entry that goes after ``head`` (the newest entry, or None for an empty trail)."""
    return make_entry(
        subject=subject,
        seq=head.seq + 1 if head else 1,
        at=at,
        actor=actor,
        action=action,
        evidence=evidence,
        prev_hash=head.hash if head else GENESIS,
    )


class ChainCheck(NamedTuple):
    valid: bool
    broken_at: int | None = None


def verify_chain(entries: Iterable[AuditEntry]) -> ChainCheck:
    """Walk the entries in ``seq`` order: numbering must run 1, 2, 3..., each ``prev_hash`` must be
    the previous ``hash`` and each ``hash`` must match the entry's content. ``broken_at`` is the
    first ``seq`` where one of those fails (for a gap: the first number after it)."""
    previous_hash = GENESIS
    expected_seq = 1
    for entry in sorted(entries, key=lambda e: e.seq):
        if (
            entry.seq != expected_seq
            or entry.prev_hash != previous_hash
            or entry_hash(entry.body()) != entry.hash
        ):
            return ChainCheck(False, entry.seq)
        previous_hash = entry.hash
        expected_seq += 1
    return ChainCheck(True)
