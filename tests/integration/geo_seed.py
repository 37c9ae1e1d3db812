"""Seed professionals straight through the data layer (registration is another function's job):
the record in the professionals table and, through the geo index's own transaction ops, its
index entries."""

from __future__ import annotations

import math

from pynamodb.transactions import TransactWrite

from sevamitra.data import dynamo, geo_index
from sevamitra.data.geo_index import IndexSubject
from sevamitra.data.models import ProfessionalModel
from sevamitra.domain.geo import EARTH_RADIUS_M

LUCKNOW = (26.8467, 80.9462)
SERVICE = "electrician_fan_installation"
NOW = "2026-11-27T10:00:00Z"


def offset(lat: float, lng: float, north_m: float, east_m: float) -> tuple[float, float]:
    dlat = math.degrees(north_m / EARTH_RADIUS_M)
    dlng = math.degrees(east_m / (EARTH_RADIUS_M * math.cos(math.radians(lat))))
    return lat + dlat, lng + dlng


def seed_professional(
    pid: str,
    lat: float,
    lng: float,
    *,
    services: tuple[str, ...] = (SERVICE,),
    status: str = "verified",
    online: bool = True,
    active_booking_id: str | None = None,
    account_sub: str | None = None,
    registered_by: str | None = None,
    ratings: tuple[int, int] = (0, 0),
    name: str | None = None,
) -> IndexSubject:
    subject = IndexSubject(
        id=pid,
        name=name or f"Name {pid}",
        services=services,
        lat=lat,
        lng=lng,
        status=status,
        online=online,
        active_booking_id=active_booking_id,
        rating_sum=ratings[0],
        rating_count=ratings[1],
    )
    item = ProfessionalModel(
        pid,
        status=status,
        name=subject.name,
        # "" means an assisted registration: the professional has no account of their own.
        account_sub=(account_sub or None) if account_sub is not None else f"sub-{pid}",
        registered_by=registered_by or account_sub or f"sub-{pid}",
        aadhaar_hash=f"hash-a-{pid}",
        aadhaar_last4="1234",
        mobile_hash=f"hash-m-{pid}",
        mobile_last4="9876",
        services=list(services),
        lat=lat,
        lng=lng,
        district="Lucknow",
        online=online,
        active_booking_id=active_booking_id,
        rating_sum=ratings[0],
        rating_count=ratings[1],
        verification={"stage": "decided", "history": [], "submissions": 1},
        created_at=NOW,
        updated_at=NOW,
    )
    with TransactWrite(connection=dynamo.connection()) as tx:
        tx.save(item)
        geo_index.add_index_changes(tx, None, subject)
    return subject


def set_state(subject: IndexSubject, **changes: object) -> IndexSubject:
    """Change the professional's record and the index together (as bookings/bans will)."""
    after = subject._replace(**changes)
    item = ProfessionalModel.get(subject.id)
    actions = [getattr(ProfessionalModel, name).set(value) for name, value in changes.items()]
    with TransactWrite(connection=dynamo.connection()) as tx:
        tx.update(item, actions=actions)
        geo_index.add_index_changes(tx, subject, after)
    return after
