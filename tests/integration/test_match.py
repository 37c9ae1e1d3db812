"""GET /match through API Gateway events: exact nearest within 3 km of eligible professionals."""

from __future__ import annotations

import math
import random

import pytest

from local.provision import LocalResources
from sevamitra.data import geo_index
from sevamitra.data.geo_index import IndexSubject
from sevamitra.domain import geo, ratecard
from sevamitra.domain.professionals import eligible
from tests.integration.conftest import Api, claims_for
from tests.integration.geo_seed import LUCKNOW, SERVICE, offset, seed_professional, set_state

CITIZEN = claims_for("citizen-1")


def match(api: Api, lat: float, lng: float, service: str = SERVICE, limit: int | None = None) -> object:
    query = {"service": service, "lat": str(lat), "lng": str(lng)}
    if limit is not None:
        query["limit"] = str(limit)
    return api("GET", "/match", claims=CITIZEN, query=query)


def brute(
    subjects: list[IndexSubject], lat: float, lng: float, limit: int, service: str = SERVICE
) -> list[str]:
    findable = [geo.Entry("", s.id, s.lat, s.lng) for s in subjects if eligible(s) and service in s.services]
    return [h.entry.professional_id for h in geo.brute_force(lat, lng, limit, findable)]


@pytest.fixture
def population(aws: LocalResources) -> list[IndexSubject]:
    """220 professionals around Lucknow, a tenth of them ineligible, indexed by the backfill path."""
    rng = random.Random(42)
    subjects = []
    for i in range(220):
        distance = 4_000 * rng.random() ** 0.5
        bearing = rng.uniform(0, 2 * math.pi)
        lat, lng = offset(*LUCKNOW, distance * math.cos(bearing), distance * math.sin(bearing))
        subjects.append(
            IndexSubject(
                id=f"pro_{i:04d}",
                name=f"Name {i}",
                services=(SERVICE,) if i % 3 else (SERVICE, "plumber_tap_leak_repair"),
                lat=lat,
                lng=lng,
                status="verified" if i % 10 else "police_pending",
                online=i % 7 != 0,
                rating_sum=i % 5 * 4,
                rating_count=i % 5,
            )
        )
    geo_index.bulk_load(subjects)
    return subjects


def test_match_equals_brute_force_at_many_points(api: Api, population: list[IndexSubject]) -> None:
    rng = random.Random(7)
    for _ in range(8):
        lat, lng = offset(*LUCKNOW, rng.uniform(-3500, 3500), rng.uniform(-3500, 3500))
        for service, limit in ((SERVICE, 20), ("plumber_tap_leak_repair", 50), (SERVICE, 1)):
            response = match(api, lat, lng, service, limit)
            assert response.status == 200
            got = [r["professional_id"] for r in response.body["results"]]
            assert got == brute(population, lat, lng, limit, service)


def test_match_result_shape_distance_and_rate_card(api: Api, population: list[IndexSubject]) -> None:
    response = match(api, *LUCKNOW)
    assert response.status == 200
    assert response.body["radius_m"] == 3000
    results = response.body["results"]
    assert len(results) == 20  # the default limit
    service = ratecard.get_service(SERVICE)
    by_id = {s.id: s for s in population}
    for result in results:
        assert set(result) == {
            "professional_id",
            "name",
            "distance_m",
            "rating",
            "fee_paise",
            "duration_minutes",
        }
        subject = by_id[result["professional_id"]]
        exact = geo.distance_m(*LUCKNOW, subject.lat, subject.lng)
        assert result["distance_m"] == geo.shown_distance_m(exact)
        assert result["distance_m"] % 100 == 0
        assert result["fee_paise"] == service.fee_paise
        assert result["duration_minutes"] == service.duration_minutes
        assert result["name"] == subject.name
        assert result["rating"] == subject.rating
    distances = [r["distance_m"] for r in results]
    assert distances == sorted(distances)


def test_rating_is_mean_stars_or_null(api: Api, aws: LocalResources) -> None:
    seed_professional("pro_rated", *offset(*LUCKNOW, 10, 0), ratings=(14, 3))
    seed_professional("pro_new", *offset(*LUCKNOW, 20, 0))
    results = match(api, *LUCKNOW).body["results"]
    assert [(r["professional_id"], r["rating"]) for r in results] == [("pro_rated", 4.7), ("pro_new", None)]


def test_limit_bounds_and_ties_by_professional_id(api: Api, aws: LocalResources) -> None:
    spot = offset(*LUCKNOW, 100, 100)
    for pid in ("pro_c", "pro_a", "pro_b"):
        seed_professional(pid, *spot)
    assert [r["professional_id"] for r in match(api, *LUCKNOW, limit=2).body["results"]] == ["pro_a", "pro_b"]
    assert match(api, *LUCKNOW, limit=0).status == 422
    assert match(api, *LUCKNOW, limit=51).status == 422
    assert len(match(api, *LUCKNOW, limit=50).body["results"]) == 3


def test_edge_of_the_radius_2999_in_3001_out(api: Api, aws: LocalResources) -> None:
    seed_professional("pro_in", *offset(*LUCKNOW, 2_999, 0))
    seed_professional("pro_out", *offset(*LUCKNOW, 0, -3_001))
    results = match(api, *LUCKNOW).body["results"]
    assert [(r["professional_id"], r["distance_m"]) for r in results] == [("pro_in", 3_000)]


@pytest.mark.parametrize(
    "state",
    [
        {"status": "police_pending"},
        {"status": "rejected"},
        {"status": "banned"},
        {"online": False},
        {"active_booking_id": "bk_1"},
    ],
    ids=["not_verified", "rejected", "banned", "offline", "busy"],
)
def test_ineligible_professionals_are_not_returned(api: Api, aws: LocalResources, state: dict) -> None:
    seed_professional("pro_ok", *offset(*LUCKNOW, 50, 0))
    seed_professional("pro_x", *offset(*LUCKNOW, 10, 0), **state)
    assert [r["professional_id"] for r in match(api, *LUCKNOW).body["results"]] == ["pro_ok"]


def test_state_changes_move_professionals_out_of_and_back_into_matching(
    api: Api, aws: LocalResources
) -> None:
    subject = seed_professional("pro_1", *offset(*LUCKNOW, 10, 0))
    busy = set_state(subject, active_booking_id="bk_1")
    assert match(api, *LUCKNOW).body["results"] == []
    free = set_state(busy, active_booking_id=None)
    assert [r["professional_id"] for r in match(api, *LUCKNOW).body["results"]] == ["pro_1"]
    set_state(free, status="banned")
    assert match(api, *LUCKNOW).body["results"] == []


def test_match_needs_a_signed_in_caller(api: Api, aws: LocalResources) -> None:
    response = api("GET", "/match", query={"service": SERVICE, "lat": "26.8", "lng": "80.9"})
    assert response.status == 401


def test_unknown_service_is_404(api: Api, aws: LocalResources) -> None:
    response = match(api, *LUCKNOW, service="astrologer_horoscope")
    assert (response.status, response.error_code) == (404, "unknown_service")


@pytest.mark.parametrize(("lat", "lng"), [(19.07, 72.87), (26.8, 90.0), (95.0, 80.0)])
def test_point_outside_uttar_pradesh_is_422(api: Api, aws: LocalResources, lat: float, lng: float) -> None:
    response = match(api, lat, lng)
    assert response.status == 422
    assert response.error_code in {"out_of_service_area", "validation_error"}
    if -90 <= lat <= 90:
        assert response.error_code == "out_of_service_area"


def test_missing_or_malformed_coordinates_are_422(api: Api, aws: LocalResources) -> None:
    assert api("GET", "/match", claims=CITIZEN, query={"service": SERVICE, "lat": "26.8"}).status == 422
    bad = api("GET", "/match", claims=CITIZEN, query={"service": SERVICE, "lat": "north", "lng": "80.9"})
    assert (bad.status, bad.error_code) == (422, "validation_error")


# --- places: districts, the real service area, search (issue 16) ---------------------------------


def test_districts_are_the_75_of_uttar_pradesh_with_english_and_hindi_names(
    api: Api, aws: LocalResources
) -> None:
    response = api("GET", "/districts")
    assert response.status == 200
    listed = response.body["districts"]
    assert len(listed) == 75
    assert all(set(d) == {"code", "name"} and set(d["name"]) == {"en", "hi"} for d in listed)
    by_code = {d["code"]: d["name"] for d in listed}
    assert by_code["lucknow"] == {"en": "Lucknow", "hi": "लखनऊ"}
    assert by_code["prayagraj"]["en"] == "Prayagraj"
    assert {"kasganj", "amethi", "shamli", "hapur", "sambhal", "ayodhya", "bhadohi"} <= set(by_code)


@pytest.mark.parametrize(
    ("place", "lat", "lng"),
    [
        ("Connaught Place, Delhi", 28.6315, 77.2167),
        ("Mayur Vihar, East Delhi", 28.6040, 77.2890),
        ("Dehradun, Uttarakhand", 30.3165, 78.0322),
        ("Gwalior, Madhya Pradesh", 26.2183, 78.1828),
        ("Buxar, Bihar", 25.5647, 83.9777),
        ("Nepalgunj, Nepal", 28.0500, 81.6167),
    ],
)
def test_match_just_across_the_border_is_422_out_of_service_area(
    api: Api, aws: LocalResources, place: str, lat: float, lng: float
) -> None:
    response = match(api, lat, lng)
    assert (response.status, response.error_code) == (422, "out_of_service_area"), place


@pytest.mark.parametrize(
    ("place", "lat", "lng"),
    [("Noida", 28.5706, 77.3261), ("Jhansi", 25.4484, 78.5685), ("Ballia", 25.7584, 84.1487)],
)
def test_match_near_the_border_inside_uttar_pradesh_is_answered(
    api: Api, aws: LocalResources, place: str, lat: float, lng: float
) -> None:
    response = match(api, lat, lng)
    assert (response.status, response.body["results"]) == (200, []), place


@pytest.mark.parametrize(
    ("q", "category"),
    [("बिजली मिस्त्री", "electrician"), ("AC", "appliance_repair"), ("maid", "aaya"), ("nal", "plumber")],
)
def test_services_search_over_http_finds_what_people_type(
    api: Api, aws: LocalResources, q: str, category: str
) -> None:
    response = api("GET", "/services", query={"q": q})
    assert response.status == 200
    assert response.body["services"]
    assert {s["category"] for s in response.body["services"]} == {category}


# --- nearest_beyond_m: how far help is when nobody is within 3 km (issue 17) ---------------------


def test_empty_result_says_the_nearest_beyond_3km_rounded_up_to_whole_km(
    api: Api, aws: LocalResources
) -> None:
    seed_professional("pro_far", *offset(*LUCKNOW, 7_050, 0))
    seed_professional("pro_farther", *offset(*LUCKNOW, 0, -12_400))
    seed_professional("pro_nearer_but_offline", *offset(*LUCKNOW, 3_500, 0), online=False)
    seed_professional(
        "pro_nearer_other_service", *offset(*LUCKNOW, 3_200, 0), services=("plumber_tap_leak_repair",)
    )
    body = match(api, *LUCKNOW).body
    assert body["results"] == []
    assert body["nearest_beyond_m"] == 8_000  # 7,050 m rounds UP, never to the nearest km


def test_just_beyond_3km_is_4km_and_a_whole_km_stays_itself(api: Api, aws: LocalResources) -> None:
    seed_professional("pro_edge", *offset(*LUCKNOW, 3_010, 0))
    assert match(api, *LUCKNOW).body["nearest_beyond_m"] == 4_000
    spot = offset(*LUCKNOW, 0, 60_000)  # a point far from pro_edge, nobody else around
    seed_professional("pro_whole", *offset(*spot, 0, 5_999.5))
    assert match(api, *spot).body["nearest_beyond_m"] == 6_000


def test_nearest_beyond_is_cut_at_25km(api: Api, aws: LocalResources) -> None:
    seed_professional("pro_25_1", *offset(*LUCKNOW, 25_100, 0))
    assert match(api, *LUCKNOW).body == {"radius_m": 3000, "results": [], "nearest_beyond_m": None}
    seed_professional("pro_24_9", *offset(*LUCKNOW, -24_900, 0))
    assert match(api, *LUCKNOW).body["nearest_beyond_m"] == 25_000


def test_nearest_beyond_is_null_when_there_are_results(api: Api, aws: LocalResources) -> None:
    seed_professional("pro_in", *offset(*LUCKNOW, 1_000, 0))
    seed_professional("pro_out", *offset(*LUCKNOW, 5_000, 0))
    body = match(api, *LUCKNOW).body
    assert [r["professional_id"] for r in body["results"]] == ["pro_in"]
    assert body["nearest_beyond_m"] is None
