"""Committing an officer's decision on a complaint: one transaction with its audit entries, and
for an upheld overcharge the ban (``bans.add_ban``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from sevamitra.data import audit, bans, geo_index, outbox
from sevamitra.data.complaints import add_decision
from sevamitra.data.errors import dependency_errors
from sevamitra.domain.audit import AuditEntry
from sevamitra.domain.complaints import Complaint
from sevamitra.domain.events import DomainEvent


def commit(
    complaint: Complaint,
    decision: dict[str, Any],
    entries: Sequence[AuditEntry],
    ban: bans.BanTarget | None = None,
    events: Sequence[DomainEvent] = (),
) -> bool:
    """True when committed; False when a condition failed (the complaint was decided or escalated,
    the professional changed, another writer took the audit ``seq``): nothing was written and
    the caller re-reads and judges again."""
    with dependency_errors("Recording the decision"):
        try:
            with TransactWrite(connection=geo_index.connection()) as tx:
                if ban is not None:
                    bans.add_ban(tx, complaint, decision, ban)
                else:
                    add_decision(tx, complaint, decision)
                for entry in entries:
                    audit.add_entry(tx, entry)
                outbox.add_events(tx, events, str(decision["at"]))
        except TransactWriteError as exc:
            if exc.cause_response_code == "TransactionCanceledException" and any(
                reason is not None and reason.code in ("ConditionalCheckFailed", "TransactionConflict")
                for reason in exc.cancellation_reasons
            ):
                return False
            raise
    return True
