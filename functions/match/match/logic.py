"""The 3 km search: the rate card gives fee and duration, the geo index gives the nearest."""

from __future__ import annotations

from match.models import MatchOut, MatchResult
from sevamitra.data import geo_index
from sevamitra.domain import geo, ratecard
from sevamitra.domain.types import LatLng


def find_nearest(service_id: str, point: LatLng, limit: int) -> MatchOut:
    service = ratecard.get_service(service_id)
    found = geo_index.nearest(service_id, point.lat, point.lng, limit)
    return MatchOut(
        radius_m=geo.SEARCH_RADIUS_M,
        results=[
            MatchResult(
                professional_id=item.professional_id,
                name=item.name,
                distance_m=item.distance_m,
                rating=item.rating,
                fee_paise=service.fee_paise,
                duration_minutes=service.duration_minutes,
            )
            for item in found
        ],
    )
