"""The build of data/service_area.json (local/service_area.py): the simplification keeps the
boundary within its tolerance, and the deviation it reports is measured, not assumed."""

from __future__ import annotations

import math
import struct

import pytest

from local import service_area as build

PLANE = build.Plane(lat0=27.0)


def _wiggly_ring() -> build.Ring:
    """A closed ring of ~0.5 degree with small bumps (~50 m) on a larger wave (~5 km)."""
    points = []
    for i in range(720):
        theta = 2 * math.pi * i / 720
        r = 0.5 + 0.045 * math.sin(7 * theta) + 0.0005 * math.sin(97 * theta)
        points.append((80.0 + r * math.cos(theta), 27.0 + r * math.sin(theta)))
    return [*points, points[0]]


def test_douglas_peucker_keeps_the_ends_and_drops_points_on_a_line() -> None:
    line = [(float(x), 0.0) for x in range(10)]
    assert build.douglas_peucker(line, 0.1) == [0, 9]
    bent = [*line, (10.0, 5.0)]
    assert build.douglas_peucker(bent, 0.1) == [0, 9, 10]


@pytest.mark.parametrize("tolerance", [50.0, 100.0, 400.0])
def test_a_simplified_ring_stays_within_its_tolerance_and_is_closed(tolerance: float) -> None:
    ring = _wiggly_ring()
    simplified = build.simplify_ring(ring, PLANE, tolerance)
    assert simplified[0] == simplified[-1]
    assert 4 <= len(simplified) < len(ring)
    deviation = build.max_deviation_m([ring], [simplified], PLANE, step=25.0)
    assert deviation <= tolerance * 1.05


def test_the_measured_deviation_sees_a_displaced_stretch() -> None:
    ring = _wiggly_ring()
    moved = [(lng + (0.01 if 100 <= i <= 110 else 0.0), lat) for i, (lng, lat) in enumerate(ring)]
    metres = 0.01 * math.radians(1) * build.EARTH_RADIUS_M * math.cos(math.radians(27.0))
    assert build.max_deviation_m([ring], [moved], PLANE, step=25.0) == pytest.approx(metres, rel=0.05)


def test_the_reader_refuses_what_is_not_flatgeobuf() -> None:
    with pytest.raises(ValueError, match="FlatGeobuf"):
        list(build.read_fgb(b"PK\x03\x04" + b"\x00" * 64))


def test_properties_are_decoded_by_column_type() -> None:
    columns = [("STATE", 11), ("CODE", 5), ("AREA", 10)]
    raw = (
        struct.pack("<HI", 0, 13) + b"UTTAR PRADESH"
        + struct.pack("<Hi", 1, 9)
        + struct.pack("<Hd", 2, 2.5)
    )  # fmt: skip
    assert build._properties(raw, columns) == {"STATE": "UTTAR PRADESH", "CODE": 9, "AREA": 2.5}


def test_the_packed_index_size_follows_the_flatgeobuf_layout() -> None:
    assert build._packed_rtree_bytes(0, 16) == 0
    assert build._packed_rtree_bytes(40, 0) == 0
    # 40 leaves -> 3 nodes -> 1 root: 44 node items of 40 bytes
    assert build._packed_rtree_bytes(40, 16) == 44 * 40
