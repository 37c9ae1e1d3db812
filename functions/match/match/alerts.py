"""``POST /match/alerts``: a standing wish to hear when an eligible professional offering a
service comes online within 3 km (``sevamitra.data.match_alerts``: stored by H3 cell, fired once,
deleted by TTL after it expires)."""

from __future__ import annotations

from datetime import timedelta

from pydantic import ConfigDict, Field

from sevamitra.data import match_alerts
from sevamitra.domain import ratecard
from sevamitra.domain.types import LatLng, Model, ServiceId
from sevamitra.edge.auth import Caller
from sevamitra.platform.clock import Clock, IdFactory, iso, new_id, utc_now

MAX_HOURS = 72


class AlertIn(Model):
    model_config = ConfigDict(extra="forbid")

    service_id: ServiceId
    location: LatLng
    hours: int = Field(ge=1, le=MAX_HOURS, description="How long the alert stands (1 to 72 hours)")


class AlertOut(Model):
    id: str
    expires_at: str


def create_alert(
    caller: Caller, request: AlertIn, *, now: Clock = utc_now, ids: IdFactory = new_id
) -> AlertOut:
    """Store the caller's alert (404 ``unknown_service`` for a service not on the rate card)."""
    ratecard.get_service(request.service_id)
    moment = now()
    expires = moment + timedelta(hours=request.hours)
    alert = match_alerts.MatchAlert(
        id=ids("alr"),
        owner_sub=caller.sub,
        service_id=request.service_id,
        lat=request.location.lat,
        lng=request.location.lng,
        created_at=iso(moment),
        expires_at=iso(expires),
        expires_epoch=int(expires.timestamp()),
    )
    match_alerts.put(alert)
    return AlertOut(id=alert.id, expires_at=alert.expires_at)
