"""GET /match must not disclose where a professional is: distances are shown to the nearest 100 m
(ordering and the 3 km cut stay exact), and no match or booking response carries the stored
location. Three searches from different points once pinned a professional to 0.5 m."""

from __future__ import annotations

import json
import math
from typing import Any

from local.provision import LocalResources
from sevamitra.domain import geo
from tests.integration.conftest import Api, claims_for
from tests.integration.geo_seed import LUCKNOW, SERVICE, offset, seed_professional

CITIZEN = claims_for("citizen-privacy")


def _results(api: Api, point: tuple[float, float], claims: dict[str, Any] = CITIZEN) -> list[dict[str, Any]]:
    response = api(
        "GET",
        "/match",
        claims=claims,
        query={"service": SERVICE, "lat": repr(point[0]), "lng": repr(point[1]), "limit": "50"},
    )
    assert response.status == 200, response.body
    return list(response.body["results"])


def test_distances_are_shown_to_the_nearest_100_m(api: Api, aws: LocalResources) -> None:
    seed_professional("pro_near", *offset(*LUCKNOW, 1_249, 0))
    seed_professional("pro_far", *offset(*LUCKNOW, 0, 1_251))

    shown = {r["professional_id"]: r["distance_m"] for r in _results(api, LUCKNOW)}

    assert shown == {"pro_near": 1_200, "pro_far": 1_300}


def test_order_stays_by_true_distance_when_two_show_the_same_value(api: Api, aws: LocalResources) -> None:
    # pro_a sorts first by id but is 30 m farther: both show 1,200 m.
    seed_professional("pro_a", *offset(*LUCKNOW, 1_240, 0))
    seed_professional("pro_b", *offset(*LUCKNOW, 0, -1_210))

    results = _results(api, LUCKNOW)

    assert [(r["professional_id"], r["distance_m"]) for r in results] == [("pro_b", 1_200), ("pro_a", 1_200)]


def test_the_3_km_cut_stays_exact(api: Api, aws: LocalResources) -> None:
    # Both would show 3,000 m; only the one truly within 3 km is a result.
    seed_professional("pro_in", *offset(*LUCKNOW, 2_990, 0))
    seed_professional("pro_out", *offset(*LUCKNOW, 0, 3_010))

    assert [(r["professional_id"], r["distance_m"]) for r in _results(api, LUCKNOW)] == [("pro_in", 3_000)]


def _consistent_offsets(
    searches: list[tuple[tuple[float, float], int]], around: tuple[float, float], span_m: int, step_m: int
) -> list[tuple[int, int]]:
    """(north, east) offsets in metres from ``around``, on a grid within ``span_m``, at which the
    shown distance from every search point is what that search answered: everywhere an attacker
    must still consider the professional to be."""
    region = []
    for north in range(-span_m, span_m + 1, step_m):
        for east in range(-span_m, span_m + 1, step_m):
            candidate = offset(*around, north, east)
            if all(
                geo.shown_distance_m(geo.distance_m(*point, *candidate)) == shown for point, shown in searches
            ):
                region.append((north, east))
    return region


def test_three_searches_cannot_pin_a_professional_better_than_about_50_m(
    api: Api, aws: LocalResources
) -> None:
    """The attack from the report: three searches around a professional, then trilateration.
    Every location consistent with the three answers is a candidate; they must spread at least
    50 m each way and include places 50 m from the truth (exact metres left one 2 m grid point)."""
    home = offset(*LUCKNOW, 137, -262)  # the stored location the attacker is after
    seed_professional("pro_target", *home)
    points = [offset(*LUCKNOW, 1_000, 0), offset(*LUCKNOW, -600, 900), offset(*LUCKNOW, -700, -800)]

    searches = []
    for point in points:
        [found] = [r for r in _results(api, point) if r["professional_id"] == "pro_target"]
        searches.append((point, found["distance_m"]))
    region = _consistent_offsets(searches, home, span_m=150, step_m=2)

    assert (0, 0) in region
    norths, easts = [n for n, _ in region], [e for _, e in region]
    assert max(norths) - min(norths) >= 50
    assert max(easts) - min(easts) >= 50
    assert max(math.hypot(n, e) for n, e in region) >= 50


def _numbers(value: Any) -> list[float]:
    if isinstance(value, dict):
        return [n for v in value.values() for n in _numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in _numbers(v)]
    return [float(value)] if isinstance(value, int | float) and not isinstance(value, bool) else []


def test_no_match_or_booking_response_carries_the_stored_location(api: Api, aws: LocalResources) -> None:
    where = offset(*LUCKNOW, 431, 377)
    seed_professional("pro_1", *where)
    pro = claims_for("sub-pro_1")
    body = {
        "service_id": SERVICE,
        "location": {"lat": LUCKNOW[0], "lng": LUCKNOW[1]},
        "professional_id": "pro_1",
    }

    responses = [
        api(
            "GET",
            "/match",
            claims=CITIZEN,
            query={"service": SERVICE, "lat": str(LUCKNOW[0]), "lng": str(LUCKNOW[1])},
        )
    ]
    created = api("POST", "/bookings", claims=CITIZEN, body=body)
    booking_id = created.body["id"]
    responses += [
        created,
        api("GET", f"/bookings/{booking_id}", claims=CITIZEN),
        api("GET", f"/bookings/{booking_id}", claims=pro),
        api("POST", f"/bookings/{booking_id}/accept", claims=pro, body={}),
        api("POST", f"/bookings/{booking_id}/cancel", claims=CITIZEN, body={}),
    ]

    assert [r.status for r in responses] == [200, 201, 200, 200, 200, 200]
    for response in responses:
        text = json.dumps(response.body)
        for number in _numbers(response.body):
            assert abs(number - where[0]) > 1e-4, (number, text)
            assert abs(number - where[1]) > 1e-4, (number, text)
