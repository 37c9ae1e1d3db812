"""The service area is Uttar Pradesh's own boundary (data/service_area.json), not a rectangle.

Real coordinates: the contract's places inside UP, and places just across each border (in Delhi,
Haryana, Uttarakhand, Madhya Pradesh, Rajasthan, Bihar, Jharkhand and Nepal) that the old
lat 23.8..30.5 / lng 77.0..84.7 box admitted. Each is at least 2 km from the boundary, twice the
boundary's accuracy (about 1 km, measured by ``python -m local.service_area``)."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from pydantic import ValidationError

from sevamitra.domain import service_area
from sevamitra.domain.service_area import Area
from sevamitra.domain.types import UP_LAT_RANGE, UP_LNG_RANGE, LatLng, in_service_area

INSIDE = {
    "Lucknow, Hazratganj": (26.8467, 80.9462),
    "Noida, Sector 18": (28.5706, 77.3261),
    "Ghaziabad": (28.6692, 77.4538),
    "Agra, Taj Mahal": (27.1751, 78.0421),
    "Jhansi": (25.4484, 78.5685),
    "Lalitpur": (24.6879, 78.4127),
    "Sonbhadra, Robertsganj": (24.6886, 83.0680),
    "Ballia": (25.7584, 84.1487),
    "Saharanpur": (29.9680, 77.5552),
    "Shravasti, Bhinga": (27.7066, 81.9328),
    "Varanasi, Dashashwamedh Ghat": (25.3069, 83.0104),
    "Gorakhpur": (26.7606, 83.3732),
    "Mathura": (27.4924, 77.6737),
    "Prayagraj, Sangam": (25.4246, 81.8851),
}
OUTSIDE = {
    "Delhi, Connaught Place": (28.6315, 77.2167),
    "East Delhi, Mayur Vihar Phase 1 (by the Noida border)": (28.6040, 77.2890),
    "East Delhi, Preet Vihar": (28.6415, 77.2950),
    "Gurugram (Haryana)": (28.4595, 77.0266),
    "Faridabad (Haryana)": (28.4089, 77.3178),
    "Dehradun (Uttarakhand)": (30.3165, 78.0322),
    "Haridwar (Uttarakhand)": (29.9457, 78.1642),
    "Gwalior (Madhya Pradesh)": (26.2183, 78.1828),
    "Datia (Madhya Pradesh)": (25.6653, 78.4609),
    "Rewa (Madhya Pradesh)": (24.5362, 81.3037),
    "Bharatpur (Rajasthan)": (27.2152, 77.4938),
    "Patna (Bihar)": (25.5941, 85.1376),
    "Buxar (Bihar)": (25.5647, 83.9777),
    "Garhwa (Jharkhand)": (24.1600, 83.8000),
    "Nepalgunj (Nepal)": (28.0500, 81.6167),
    "Kathmandu (Nepal)": (27.7172, 85.3240),
}


@pytest.mark.parametrize("place", INSIDE)
def test_places_in_uttar_pradesh_are_in_the_service_area(place: str) -> None:
    lat, lng = INSIDE[place]
    assert in_service_area(lat, lng)
    assert LatLng(lat=lat, lng=lng).lat == lat


@pytest.mark.parametrize("place", OUTSIDE)
def test_places_across_the_border_are_out_of_service_area(place: str) -> None:
    lat, lng = OUTSIDE[place]
    assert not in_service_area(lat, lng)
    with pytest.raises(ValidationError) as caught:
        LatLng(lat=lat, lng=lng)
    assert [e["type"] for e in caught.value.errors()] == ["out_of_service_area"]


def test_the_old_rectangle_admitted_every_outside_place_near_it() -> None:
    """What this replaces: each place above but Kathmandu and Patna was inside the old box."""
    in_box = [
        p
        for p, (lat, lng) in OUTSIDE.items()
        if UP_LAT_RANGE[0] <= lat <= UP_LAT_RANGE[1] and UP_LNG_RANGE[0] <= lng <= UP_LNG_RANGE[1]
    ]
    assert len(in_box) == len(OUTSIDE) - 2


def test_the_boundary_lies_within_the_box_the_api_documents() -> None:
    area = service_area.uttar_pradesh()
    assert UP_LAT_RANGE[0] <= area.min_lat < area.max_lat <= UP_LAT_RANGE[1]
    assert UP_LNG_RANGE[0] <= area.min_lng < area.max_lng <= UP_LNG_RANGE[1]


def test_the_shipped_boundary_records_its_source_licence_and_accuracy() -> None:
    document = json.loads(
        (resources.files("sevamitra.domain") / "service_area.json").read_text(encoding="utf-8")
    )
    assert "Survey of India" in document["source"]["attribution"]
    assert "GODL-India" in document["source"]["licence"]
    assert document["simplification"]["max_deviation_m"] <= 150
    assert document["accuracy"]["distance_to_source_district_boundaries_m"]["p99"] <= 1_000
    outer = [r for r in document["rings"] if r["role"] == "outer"]
    assert 240_000 < sum(r["area_km2"] for r in outer) < 245_000  # UP: 240,928 km2
    assert all(r["lnglat"][:2] == r["lnglat"][-2:] for r in document["rings"])


# --- the point-in-area rule on shapes small enough to check by hand -------------------------------

SQUARE = [0.0, 0.0, 10.0, 0.0, 10.0, 10.0, 0.0, 10.0, 0.0, 0.0]  # lng, lat pairs
HOLE = [4.0, 4.0, 6.0, 4.0, 6.0, 6.0, 4.0, 6.0, 4.0, 4.0]
ISLAND = [20.0, 2.0, 22.0, 2.0, 21.0, 8.0, 20.0, 2.0]


@pytest.mark.parametrize(
    ("lat", "lng", "inside"),
    [
        (1, 1, True),
        (5, 5, False),  # in the hole: an enclave of another state
        (5, 3, True),
        (4, 9.99, True),  # on the same latitude as the hole's bottom edge and a vertex
        (6, 3.99, True),  # on the latitude of the hole's top edge, west of it
        (3, 21, True),  # the exclave
        (3, 15, False),  # between the two (inside the bounding box)
        (9, 21.9, False),
        (-1, 5, False),
        (11, 5, False),
        (5, -0.5, False),
        (9.999, 5, True),  # the last latitude band
    ],
)
def test_even_odd_rule_over_outer_rings_holes_and_exclaves(lat: float, lng: float, inside: bool) -> None:
    # (A point exactly on the boundary may go either way: the boundary is only good to ~1 km.)
    area = Area.of([SQUARE, HOLE, ISLAND])
    assert area.contains(lat, lng) is inside


def test_a_ray_through_a_vertex_counts_one_crossing() -> None:
    diamond = [5.0, 0.0, 10.0, 5.0, 5.0, 10.0, 0.0, 5.0, 5.0, 0.0]
    area = Area.of([diamond])
    assert area.contains(5.0, 1.0)  # the ray eastwards passes the vertex (10, 5)
    assert not area.contains(5.0, 10.5)
    assert not area.contains(0.5, 9.5)
