"""``POST /igrs/callback``: IGRS tells us what became of an escalated grievance.

No Cognito token: ``X-Seva-Signature`` over the raw body with IGRS's own shared key (not the
police key), checked before routing and validation (``igrs_signature``), so an unsigned request is
401 whatever its body. A repeated callback is answered 200; a disposed grievance is final (a later
status for it is 409 ``already_disposed``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from complaint.igrs import igrs_key
from complaint.models import IgrsCallbackIn, IgrsCallbackOut
from sevamitra.data import complaints as repo
from sevamitra.data import igrs as igrs_repo
from sevamitra.domain.events import igrs_status
from sevamitra.edge import signing
from sevamitra.edge.api import header, raw_body
from sevamitra.edge.errors import Conflict, NotFound
from sevamitra.platform import bus
from sevamitra.platform.clock import Clock, iso, utc_now
from sevamitra.platform.observability import logger

CALLBACK_RESOURCE = "/igrs/callback"


def igrs_signature(event: Mapping[str, Any], *, clock: Clock = utc_now) -> None:
    """401 ``invalid_signature`` unless the callback's raw body is signed with IGRS's key."""
    if event.get("resource") != CALLBACK_RESOURCE:
        return
    signing.verify(header(event, signing.HEADER), raw_body(event), igrs_key(), int(clock().timestamp()))


def record_callback(callback: IgrsCallbackIn, *, clock: Clock = utc_now) -> IgrsCallbackOut:
    complaint_id = igrs_repo.complaint_of(callback.igrs_reference)
    if complaint_id is None:
        raise NotFound("unknown_reference", f"No grievance with IGRS reference {callback.igrs_reference!r}.")
    complaint = repo.load_complaint(complaint_id)
    answer = IgrsCallbackOut(
        igrs_reference=callback.igrs_reference, complaint_id=complaint.id, status=callback.status
    )
    escalation = complaint.escalation or {}
    if escalation.get("status") == igrs_repo.DISPOSED:
        if callback.status == igrs_repo.DISPOSED:
            return answer
        raise Conflict("already_disposed")
    now = iso(clock())
    # Both sides hear a changed status (a repeated one is news to nobody).
    changed = escalation.get("status") != callback.status
    events = [igrs_status(complaint, callback.status, callback.remarks, now)] if changed else []
    if not igrs_repo.record_status(complaint, callback.status, callback.remarks, now, events):
        # Disposed by a callback that just won: a repeat is fine, anything else is a conflict.
        if callback.status == igrs_repo.DISPOSED:
            return answer
        raise Conflict("already_disposed")
    bus.emit(events)
    logger.info("IGRS status recorded", extra={"complaint_id": complaint.id, "igrs_status": callback.status})
    return answer
