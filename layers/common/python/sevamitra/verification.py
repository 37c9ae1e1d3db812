"""The professional's ``verification`` map, shared by registration (which starts the workflow)
and the verification workflow (which moves it on).

Shape: ``{"stage": <current stage>, "history": [{"stage", "at", "outcome"?, ...}], ...}``.
Every stage appends one history entry; ``GET /professionals/{id}`` shows the map.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sevamitra.clock import iso


class Stage(StrEnum):
    SUBMITTED = "submitted"  # registration's submit, workflow started
    DOCUMENT_CHECK = "document_check"  # outcome passed | failed
    POLICE_REQUESTED = "police_requested"
    ESCALATED = "escalated"  # the police did not answer in time; still waiting
    POLICE_ANSWERED = "police_answered"  # outcome clear | adverse
    DECISION = "decision"  # outcome verified | rejected
    VERIFICATION_FAILED = "verification_failed"  # a step failed; outcome is the error name


class Status(StrEnum):
    """The professional statuses the workflow reads and writes (API.md)."""

    PENDING_DOCUMENTS = "pending_documents"
    VERIFICATION_PENDING = "verification_pending"
    POLICE_PENDING = "police_pending"
    VERIFIED = "verified"
    REJECTED = "rejected"
    BANNED = "banned"


def history_entry(stage: Stage, at: datetime, outcome: str | None = None, **extra: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"stage": stage.value, "at": iso(at)}
    if outcome is not None:
        entry["outcome"] = outcome
    entry.update(extra)
    return entry


def submitted(previous: dict[str, Any] | None, at: datetime) -> dict[str, Any]:
    """The ``verification`` map registration writes on submit (with status
    ``verification_pending``): earlier attempts' history is kept, the stage starts over."""
    history = list((previous or {}).get("history") or [])
    return {"stage": Stage.SUBMITTED.value, "history": [*history, history_entry(Stage.SUBMITTED, at)]}
