"""``PUT /professionals/{id}/availability``: a verified professional goes online or offline, or
moves; their geo index entries move with them in the same transaction.

Request/response models live here with their logic (not in ``models.py``) so this route stays
independent of the registration routes."""

from __future__ import annotations

from pydantic import ConfigDict, StrictBool

from sevamitra.data import availability, match_alerts, snapshots
from sevamitra.data.geo_index import IndexSubject
from sevamitra.domain import access
from sevamitra.domain.professionals import ProfessionalStatus, eligible
from sevamitra.domain.types import LatLng, Model
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import Conflict, DependencyFailed, Forbidden, NotFound, Throttled
from sevamitra.platform import bus
from sevamitra.platform.clock import Clock, iso, utc_now
from sevamitra.platform.observability import logger

MAX_ATTEMPTS = 3


class AvailabilityIn(Model):
    model_config = ConfigDict(extra="forbid")

    online: StrictBool
    location: LatLng | None = None


class AvailabilityOut(Model):
    professional_id: str
    online: bool
    location: LatLng
    findable: bool  # online, verified and not on an active booking: /match can return them


def set_availability(
    professional_id: str,
    caller: Caller,
    request: AvailabilityIn,
    *,
    now: Clock = utc_now,
) -> AvailabilityOut:
    for _ in range(MAX_ATTEMPTS):
        current = snapshots.professional(professional_id)
        if current is None:
            raise NotFound()
        if not access.may_set_availability(caller, current):
            raise Forbidden(message="Only the professional (or who registered them) may change this.")
        if current.status == ProfessionalStatus.BANNED:
            raise Forbidden("banned")
        if current.status != ProfessionalStatus.VERIFIED:
            raise Conflict("invalid_transition", "Availability can be set once police verification is clear.")
        location = request.location or LatLng(lat=current.lat, lng=current.lng)
        at = iso(now())
        after = availability.commit(
            current, online=request.online, lat=location.lat, lng=location.lng, updated_at=at
        )
        if after is not None:
            announce_to_alerts(current.subject, after.subject, at)
            return AvailabilityOut(
                professional_id=professional_id,
                online=after.online,
                location=location,
                findable=eligible(after),
            )
    raise Conflict(message="The professional changed at the same time; retry.")


def announce_to_alerts(before: IndexSubject, after: IndexSubject, at: str) -> None:
    """Fire the match alerts near a professional who just became findable. The availability
    change is committed: a failure here is logged, not answered (alerts are a courtesy, and an
    alert not fired now fires for the next professional who comes online near it)."""
    try:
        bus.emit(match_alerts.on_findable(before, after, at))
    except (DependencyFailed, Throttled):
        logger.warning("match alerts not checked", extra={"professional_id": after.id})
