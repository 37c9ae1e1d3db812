"""A synthetic Uttar Pradesh-like population of professionals and search points, seeded.

A dense city core (Lucknow), district towns and sparse villages spread over the whole state, so
searches cross H3 partition and base-cell boundaries."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from sevamitra.domain.geo import EARTH_RADIUS_M

LUCKNOW = (26.8467, 80.9462)
TOWNS = (
    (27.5680, 80.6790),  # Sitapur
    (26.9270, 81.1830),  # Barabanki
    (26.2300, 81.2330),  # Rae Bareli
    (26.5480, 80.4870),  # Unnao
    (27.3970, 80.1310),  # Hardoi
    (26.2640, 82.0730),  # Sultanpur
    (26.7730, 82.1440),  # Ayodhya
    (27.1330, 81.9620),  # Gonda
    (27.5740, 81.5950),  # Bahraich
    (26.8150, 82.7630),  # Basti
    (25.4480, 78.5680),  # Jhansi
    (26.7850, 79.0150),  # Etawah
)
SERVICES = ("electrician_fan_installation", "plumber_tap_leak_repair", "beautician_haircut_at_home")
UP_BOX = ((24.0, 30.3), (77.2, 84.5))


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    lat: float
    lng: float
    services: tuple[str, ...]
    rating_sum: int
    rating_count: int


@dataclass(frozen=True)
class Search:
    area: str
    service: str
    lat: float
    lng: float


def offset(lat: float, lng: float, north_m: float, east_m: float) -> tuple[float, float]:
    dlat = math.degrees(north_m / EARTH_RADIUS_M)
    dlng = math.degrees(east_m / (EARTH_RADIUS_M * math.cos(math.radians(lat))))
    return lat + dlat, lng + dlng


def _around(rng: random.Random, centre: tuple[float, float], radius_m: float) -> tuple[float, float]:
    r = radius_m * math.sqrt(rng.random())
    theta = rng.uniform(0, 2 * math.pi)
    return offset(centre[0], centre[1], r * math.cos(theta), r * math.sin(theta))


def _gauss(rng: random.Random, centre: tuple[float, float], sigma_m: float) -> tuple[float, float]:
    return offset(centre[0], centre[1], rng.gauss(0, sigma_m), rng.gauss(0, sigma_m))


def villages(seed: int, count: int = 1500) -> list[tuple[float, float]]:
    rng = random.Random(seed * 7919 + 1)
    return [(rng.uniform(*UP_BOX[0]), rng.uniform(*UP_BOX[1])) for _ in range(count)]


def population(seed: int, professionals: int) -> list[Person]:
    """70% in the Lucknow core, 18% in towns, 12% in villages; one or two services each."""
    rng = random.Random(seed)
    village_points = villages(seed)
    people = []
    for i in range(professionals):
        share = i / professionals
        if share < 0.70:
            lat, lng = _around(rng, LUCKNOW, 5_000) if rng.random() < 0.5 else _gauss(rng, LUCKNOW, 2_000)
        elif share < 0.88:
            lat, lng = _gauss(rng, rng.choice(TOWNS), 1_500)
        else:
            lat, lng = _around(rng, rng.choice(village_points), 800)
        services = tuple(sorted(rng.sample(SERVICES, rng.choice((1, 1, 2)))))
        count = rng.choice((0, 0, 1, 3, 8))
        people.append(
            Person(
                id=f"pro_{seed}_{i:06d}",
                name=f"Professional {i}",
                lat=round(lat, 7),
                lng=round(lng, 7),
                services=services,
                rating_sum=sum(rng.randint(3, 5) for _ in range(count)),
                rating_count=count,
            )
        )
    return people


def searches(seed: int, per_area: int) -> list[Search]:
    rng = random.Random(seed + 104729)
    village_points = villages(seed)
    out = []
    for _ in range(per_area):
        out.append(Search("dense", rng.choice(SERVICES), *_around(rng, LUCKNOW, 2_500)))
    for _ in range(per_area):
        out.append(Search("town", rng.choice(SERVICES), *_around(rng, rng.choice(TOWNS), 2_000)))
    for i in range(per_area):
        # Half near a village, half anywhere in the state (empty fields, partition edges).
        if i % 2:
            point = _around(rng, rng.choice(village_points), 2_000)
        else:
            point = (rng.uniform(*UP_BOX[0]), rng.uniform(*UP_BOX[1]))
        out.append(Search("rural", rng.choice(SERVICES), *point))
    return out
