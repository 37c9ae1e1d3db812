"""The 3 km search: the rate card gives fee and duration, the geo index gives the nearest.

Searches are counted per account before anything is read (``sevamitra.edge.ratelimit``): distances
are shown rounded, but many searches from chosen points would still map where professionals are.
"""

from __future__ import annotations

from match.models import MatchOut, MatchResult
from match.settings import match_settings
from sevamitra.data import geo_index, rate_limits
from sevamitra.domain import geo, ratecard
from sevamitra.domain.types import LatLng
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import DependencyFailed, Throttled
from sevamitra.edge.ratelimit import RateLimit
from sevamitra.platform.clock import Clock, utc_now
from sevamitra.platform.observability import logger

SEARCH_SCOPE = "match"
"""The rate-limit scope of ``GET /match`` (the first part of its counter's key)."""


def search(
    caller: Caller,
    service_id: str,
    point: LatLng,
    limit: int,
    *,
    now: Clock | None = None,
    rate_limit: RateLimit | None = None,
) -> MatchOut:
    """``find_nearest`` for ``caller``, once their search is within their allowance (429
    ``throttled`` with ``Retry-After`` beyond it)."""
    admit(caller, now=now, rate_limit=rate_limit)
    return find_nearest(service_id, point, limit)


def admit(caller: Caller, *, now: Clock | None = None, rate_limit: RateLimit | None = None) -> None:
    """Count the caller's search. The counter failing does not stop the search (it fails open;
    docs/decisions.md); the counter's own throttling is 429 like any DynamoDB throttling."""
    moment = (now or utc_now)()
    try:
        refused = rate_limits.take(
            SEARCH_SCOPE,
            caller.sub,
            rate_limit or match_settings().search_rate_limit,
            int(moment.timestamp()),
        )
    except DependencyFailed:
        logger.warning("search counter unavailable: searching without the rate limit")
        return
    if refused is not None:
        logger.info("search rate limit reached", extra={"retry_after_s": refused.retry_after_s})
        raise Throttled(
            message="Too many searches from this account. Try again later.",
            retry_after_s=refused.retry_after_s,
        )


def find_nearest(service_id: str, point: LatLng, limit: int) -> MatchOut:
    """The nearest eligible professionals within 3 km, ordered by the exact distance (ties by id);
    each shows its distance rounded (``geo.shown_distance_m``) and never where they are."""
    service = ratecard.get_service(service_id)
    found = geo_index.nearest(service_id, point.lat, point.lng, limit)
    beyond = None
    if not found:
        # Nobody within 3 km: say how far the nearest one is (up to 25 km), so a village knows
        # whether to wait, widen its plans or set an alert (POST /match/alerts).
        distance = geo_index.nearest_distance_within(service_id, point.lat, point.lng)
        beyond = None if distance is None else geo.beyond_km_m(distance)
    return MatchOut(
        radius_m=geo.SEARCH_RADIUS_M,
        nearest_beyond_m=beyond,
        results=[
            MatchResult(
                professional_id=item.professional_id,
                name=item.name,
                distance_m=geo.shown_distance_m(item.distance_m),
                rating=item.rating,
                fee_paise=service.fee_paise,
                duration_minutes=service.duration_minutes,
            )
            for item in found
        ],
    )
