"""Geo math and the 3 km nearest-first search plan. Pure: no AWS, the reader is passed in.

Distance: great-circle (haversine) on a sphere of radius ``EARTH_RADIUS_M``, the IUGG mean earth
radius. It is the one constant every distance in the project uses (matching, booking's 3 km check,
tests, the benchmark's brute force).

Index layout (see docs/decisions.md, "Geo index"):

* Every entry sits in partition ``<service>#<H3 cell at PARTITION_RES>`` and sorts by
  ``<its res-15 H3 cell as 15 hex chars>#<professional id>``.
* H3 stores a cell as 64 bits: mode, resolution, base cell, then one 3-bit digit per resolution
  (0..6, unused = 7). With the resolution fixed at 15, the hex strings sort like the integers, and
  every res-15 descendant of a cell ``C`` at resolution ``r`` has the same leading bits, so they
  form ONE contiguous ``BETWEEN`` range of sort keys.
* Reading base 7 through the digits gives a gap-free "code" per res-15 cell; a cell at resolution
  ``r`` owns the code interval ``[p * 7**(15-r), (p+1) * 7**(15-r))``. A set of covering cells is a
  sorted union of intervals, and each maximal run is one Query.

Exactness: a point's res-15 cell descends from a cell ``C`` only if the point lies within
``DESCENDANT_REACH * circumradius(C)`` of ``C``'s centre (H3's aperture-7 children sit
``sqrt(3)`` child-edges from the parent centre; the geometric series gives 1.052; measured at most
1.048 over UP; 1.15 leaves a margin for projection distortion). So
``distance(q, centre(C)) - reach(C)`` is a lower bound on the distance of anything indexed under
``C``: covering every cell whose bound is ``<= r`` reads everything within ``r``, and results are
then filtered by their true distance.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any, NamedTuple

EARTH_RADIUS_M = 6_371_008.8
"""Mean earth radius (IUGG), metres: the only earth radius used anywhere in Seva Mitra."""

SEARCH_RADIUS_M = 3_000
BEYOND_RADIUS_M = 25_000
"""How far an empty search looks for the nearest professional beyond the 3 km promise
(``GET /match``'s ``nearest_beyond_m``): it answers a village "help is 9 km away", not a map."""
SHOWN_DISTANCE_STEP_M = 100
"""Distances shown to callers are rounded to this step: an exact distance from three search points
pins a professional's stored location (trilateration). Ordering and the 3 km cut use the exact one."""
FINE_RES = 15
PARTITION_RES = 3
"""Partition cells: res 3 (about 12,400 km², edge ~69 km), so a 3 km search rarely spans two."""

DESCENDANT_REACH = 1.15
_DIGITS = 15
_CELL_MODE = 1 << 59


@cache
def _h3() -> Any:
    """h3's integer API, imported on first use: only a search or an index write computes cells,
    and the import is about 15 ms of a cold start that most requests of most functions would
    otherwise pay for nothing (complaints, verification, documents)."""
    import h3.api.basic_int

    return h3.api.basic_int


@cache
def _res15_area_m2() -> float:
    return float(_h3().average_hexagon_area(FINE_RES, "m^2"))


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine, ``EARTH_RADIUS_M``)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lng2 - lng1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def shown_distance_m(distance: float) -> int:
    """``distance`` as a response shows it: to the nearest ``SHOWN_DISTANCE_STEP_M`` (halves up),
    so 1,249 m shows 1,200 and 1,251 m shows 1,300. Only for display: never order or filter by it."""
    step = SHOWN_DISTANCE_STEP_M
    return math.floor(distance / step + 0.5) * step


def beyond_km_m(distance: float) -> int:
    """``distance`` rounded UP to the next whole kilometre, in metres (3,001 m -> 4,000; 4,000 ->
    4,000): a hint of how far help is, coarser than ``shown_distance_m`` because it is beyond the
    promise and must not pin anyone's location."""
    return math.ceil(distance / 1000) * 1000


# --- cells, codes and sort keys --------------------------------------------------------------


def fine_cell(lat: float, lng: float) -> int:
    return int(_h3().latlng_to_cell(lat, lng, FINE_RES))


def cell_at(lat: float, lng: float, res: int) -> int:
    """The H3 cell at ``res`` holding (lat, lng)."""
    return int(_h3().latlng_to_cell(lat, lng, res))


def cell_hex(cell: int) -> str:
    """A res-15 cell as exactly 15 lowercase hex digits (H3's own string form)."""
    return f"{cell:015x}"


def partition_cell(cell: int) -> int:
    return int(_h3().cell_to_parent(cell, PARTITION_RES))


def partition_key(service_id: str, partition: int) -> str:
    return f"{service_id}#{partition:015x}"


def sort_key(cell: int, professional_id: str) -> str:
    return f"{cell_hex(cell)}#{professional_id}"


def cell_code_interval(cell: int) -> tuple[int, int]:
    """The inclusive code interval of all res-15 descendants of ``cell``."""
    res = (cell >> 52) & 0xF
    prefix = (cell >> 45) & 0x7F
    for k in range(1, res + 1):
        prefix = prefix * 7 + ((cell >> (3 * (_DIGITS - k))) & 7)
    span = 7 ** (_DIGITS - res)
    return prefix * span, (prefix + 1) * span - 1


def code_of_fine_cell(cell: int) -> int:
    return cell_code_interval(cell)[0]


def cell_of_code(code: int, res: int = FINE_RES) -> int:
    """The cell at ``res`` whose interval contains ``code`` (unused digits 7, as H3 does)."""
    prefix = code // 7 ** (_DIGITS - res)
    digits = []
    for _ in range(res):
        prefix, digit = divmod(prefix, 7)
        digits.append(digit)
    cell = _CELL_MODE | (res << 52) | (prefix << 45)
    for k in range(1, _DIGITS + 1):
        digit = digits[res - k] if k <= res else 7
        cell |= digit << (3 * (_DIGITS - k))
    return cell


def code_of_sort_key(sk: str) -> int:
    return code_of_fine_cell(int(sk[:15], 16))


class KeyRange(NamedTuple):
    """One Query: a partition key and an inclusive sort-key ``BETWEEN``."""

    partition: int
    lo_code: int
    hi_code: int

    def pk(self, service_id: str) -> str:
        return partition_key(service_id, self.partition)

    @property
    def sk_low(self) -> str:
        return cell_hex(cell_of_code(self.lo_code))

    @property
    def sk_high(self) -> str:
        # "~" sorts after "#<id>", so every entry of the last cell is included.
        return cell_hex(cell_of_code(self.hi_code)) + "~"


# --- covering a disk -------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _centre_and_reach(cell: int) -> tuple[float, float, float]:
    lat, lng = _h3().cell_to_latlng(cell)
    circumradius = max(distance_m(lat, lng, blat, blng) for blat, blng in _h3().cell_to_boundary(cell))
    return lat, lng, DESCENDANT_REACH * circumradius


def cell_lower_bound_m(lat: float, lng: float, cell: int) -> float:
    """No entry indexed under ``cell`` is closer to (lat, lng) than this."""
    clat, clng, reach = _centre_and_reach(cell)
    return max(0.0, distance_m(lat, lng, clat, clng) - reach)


def covering_resolution(radius_m: float) -> int:
    """The finest resolution whose cells are still large next to the radius (few runs): cell
    edge at most about half the radius."""
    for res in range(5, FINE_RES + 1):
        if _h3().average_hexagon_edge_length(res, "m") * 2 <= radius_m:
            return res
    return FINE_RES


def covering_cells(lat: float, lng: float, radius_m: float, res: int) -> list[int]:
    """Every cell at ``res`` under which an entry within ``radius_m`` could be indexed."""
    origin = _h3().latlng_to_cell(lat, lng, res)
    olat, olng, reach = _centre_and_reach(origin)
    spacing = min(
        distance_m(olat, olng, *_h3().cell_to_latlng(n)) for n in _h3().grid_ring(origin, 1) if n != origin
    )
    # A cell k rings away has its centre at least k * spacing * sqrt(3)/2 away; pad generously.
    k = math.ceil((radius_m + 2 * reach) / (spacing * 0.8)) + 1
    return [c for c in _h3().grid_disk(origin, k) if cell_lower_bound_m(lat, lng, c) <= radius_m]


def merge_intervals(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(intervals):
        if merged and lo <= merged[-1][1] + 1:
            if hi > merged[-1][1]:
                merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged


def subtract_intervals(
    intervals: Sequence[tuple[int, int]], removed: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """``intervals`` minus ``removed``; both sorted, merged, inclusive."""
    out: list[tuple[int, int]] = []
    j = 0
    for lo, hi in intervals:
        cur = lo
        while j < len(removed) and removed[j][1] < cur:
            j += 1
        k = j
        while k < len(removed) and removed[k][0] <= hi:
            if removed[k][0] > cur:
                out.append((cur, removed[k][0] - 1))
            cur = max(cur, removed[k][1] + 1)
            k += 1
        if cur <= hi:
            out.append((cur, hi))
    return out


def split_by_partition(intervals: Iterable[tuple[int, int]]) -> dict[int, list[tuple[int, int]]]:
    """Intervals grouped by partition cell (an interval never crosses one: pk differs)."""
    span = 7 ** (_DIGITS - PARTITION_RES)
    out: dict[int, list[tuple[int, int]]] = {}
    for lo, hi in intervals:
        while lo <= hi:
            end = min(hi, (lo // span + 1) * span - 1)
            out.setdefault(cell_of_code(lo, PARTITION_RES), []).append((lo, end))
            lo = end + 1
    return out


def covering_intervals(lat: float, lng: float, radius_m: float, res: int) -> list[tuple[int, int]]:
    return merge_intervals(cell_code_interval(c) for c in covering_cells(lat, lng, radius_m, res))


# --- the nearest-first search ----------------------------------------------------------------


class Entry(NamedTuple):
    """What a search needs from an index entry; ``payload`` is carried through untouched."""

    sk: str
    professional_id: str
    lat: float
    lng: float
    payload: object = None


class Hit(NamedTuple):
    entry: Entry
    distance: float

    @property
    def distance_m(self) -> int:
        """Whole metres, rounded half to even; ordering uses the exact float."""
        return round(self.distance)


class SearchPolicy(NamedTuple):
    """Tuning of the nearest-first expansion (see docs/decisions.md, "Geo search plan")."""

    # The probe: one Query for the point's ancestor cell at ``probe_res``, capped at
    # ``probe_factor * limit`` entries. In the country it reads the whole cell; in a city it
    # measures the local density either way.
    probe_res: int = 6
    probe_factor: float = 2.5
    # The probe starts at the point's ancestor at this resolution (within the probe cell), so a
    # capped read measures the density next to the point: a res-9 cell (edge ~170 m) is where a
    # dense core's nearest 20 are; starting at res 7 (edge ~1.2 km) read up to 50 entries as far
    # as 1.2 km away and tripled a search's reads from 16,000 to 1,000,000 professionals.
    probe_start_res: int = 9
    # Then expand to the radius expected to hold ``target_factor * limit`` at the measured density.
    target_factor: float = 1.5
    # A Query under 4 KB costs the capacity of reading about this many entries; coverings and gap
    # bridging are chosen to minimise ``query_cost * queries + expected items``.
    query_cost: float = 20.0
    # The smallest disk an expansion covers. In a dense core (8,000 per service per km²) the
    # nearest 20 are within about 30 m: a larger floor reads hundreds that cannot be in the answer.
    min_band_m: float = 10.0


class Page(NamedTuple):
    """What one (possibly paginated) Query read; ``complete`` is False when it stopped at a limit."""

    entries: list[Entry]
    complete: bool = True


Reader = Callable[[KeyRange, "int | None"], Page]
"""Reads one key range, all of it (``None``) or at most that many entries, in sort-key order."""


@dataclass
class SearchTrace:
    """What a search read: for tests and the benchmark's sanity checks."""

    radii: list[float] = field(default_factory=list)
    ranges: list[KeyRange] = field(default_factory=list)
    items_read: int = 0


def _rank(hit: Hit) -> tuple[float, str]:
    return hit.distance, hit.entry.professional_id


class _Search:
    def __init__(self, lat: float, lng: float, radius_m: float, read: Reader, trace: SearchTrace):
        self.lat, self.lng, self.radius_m = lat, lng, radius_m
        self._read = read
        self.trace = trace
        self.hits: dict[str, Hit] = {}
        self.codes: list[int] = []  # sorted codes of every entry read
        self.done: list[tuple[int, int]] = []  # merged code intervals read
        self.units_read = 0

    def read(self, ranges: list[KeyRange], limit: int | None = None) -> None:
        for key_range in ranges:
            self.trace.ranges.append(key_range)
            page = self._read(key_range, limit)
            last = key_range.lo_code - 1
            for entry in page.entries:
                self.trace.items_read += 1
                last = code_of_sort_key(entry.sk)
                insort(self.codes, last)
                d = distance_m(self.lat, self.lng, entry.lat, entry.lng)
                if d <= self.radius_m:
                    self.hits[entry.professional_id] = Hit(entry, d)
            # A capped read is complete only below the last cell it reached (that cell may hold
            # more entries); re-reading it later is harmless, hits are keyed by professional.
            hi = key_range.hi_code if page.complete else last - 1
            if hi >= key_range.lo_code:
                self.units_read += hi - key_range.lo_code + 1
                self.done = merge_intervals([*self.done, (key_range.lo_code, hi)])

    def density(self) -> float:
        """Entries per code unit (res-15 cell) read so far, smoothed so an empty read is not 0."""
        return (len(self.codes) + 1) / max(self.units_read, 1)

    def plan(
        self, intervals: list[tuple[int, int]], density: float, query_cost: float
    ) -> tuple[float, list[KeyRange]]:
        """The Queries reading ``intervals`` (minus what is read), bridging gaps that cost less
        than a Query, and their expected cost in items."""
        ranges: list[KeyRange] = []
        cost = 0.0
        for partition, parts in sorted(split_by_partition(intervals).items()):
            merged: list[tuple[int, int]] = []
            for lo, hi in subtract_intervals(parts, self.done):
                if merged:
                    gap = self._expected_items(merged[-1][1] + 1, lo - 1, density)
                    if gap <= query_cost:
                        merged[-1] = (merged[-1][0], hi)
                        cost += gap
                        continue
                merged.append((lo, hi))
            for lo, hi in merged:
                cost += query_cost + density * (hi - lo + 1)
                ranges.append(KeyRange(partition, lo, hi))
        return cost, ranges

    def _expected_items(self, lo: int, hi: int, density: float) -> float:
        unread = sum(b - a + 1 for a, b in subtract_intervals([(lo, hi)], self.done))
        known = bisect_right(self.codes, hi) - bisect_left(self.codes, lo)
        return density * unread + known

    def safe_radius(self, res: int, reach_m: float) -> float:
        """Nothing unread is closer than this: the least lower bound of the cells at ``res``
        (within ``reach_m``) not read completely."""
        origin = _h3().latlng_to_cell(self.lat, self.lng, res)
        olat, olng, cell_reach = _centre_and_reach(origin)
        spacing = min(distance_m(olat, olng, *_h3().cell_to_latlng(n)) for n in _h3().grid_ring(origin, 1))
        k = math.ceil((reach_m + 2 * cell_reach) / (spacing * 0.8)) + 2
        best = math.inf
        for cell in _h3().grid_disk(origin, k):
            lo, hi = cell_code_interval(cell)
            if not subtract_intervals([(lo, hi)], self.done):
                continue
            best = min(best, cell_lower_bound_m(self.lat, self.lng, cell))
        return min(best, reach_m)

    def kth_distance(self, limit: int) -> float:
        """The distance of the ``limit``-th nearest hit read so far (``inf`` if fewer): the true
        answer is never farther, so covering this disk always finishes the search."""
        if len(self.hits) < limit:
            return math.inf
        return sorted(hit.distance for hit in self.hits.values())[limit - 1]

    def answered(self, safe_m: float, limit: int) -> list[Hit] | None:
        ranked = sorted(self.hits.values(), key=_rank)
        if safe_m >= self.radius_m or (len(ranked) >= limit and ranked[limit - 1].distance <= safe_m):
            return ranked[:limit]
        return None


def nearest(
    lat: float,
    lng: float,
    limit: int,
    read: Reader,
    *,
    radius_m: float = SEARCH_RADIUS_M,
    policy: SearchPolicy | None = None,
    trace: SearchTrace | None = None,
) -> list[Hit]:
    """The ``limit`` entries nearest to (lat, lng) within ``radius_m``, nearest first, ties by
    professional id: exactly the brute-force answer.

    1. Probe: one capped Query for the point's ancestor cell at the probe resolution: a density
       measurement that, where entries are sparse, already reads everything near the point.
    2. Expand: cover the disk expected to hold ``target_factor * limit`` entries at the measured
       density (or the whole radius), minus what was read, with the cheapest covering; never
       beyond the ``limit``-th nearest hit read so far (the answer cannot be farther).
    Stop as soon as ``limit`` hits are no farther than the nearest possible unread entry."""
    policy = policy or SearchPolicy()
    search = _Search(lat, lng, radius_m, read, trace if trace is not None else SearchTrace())
    probe = _h3().cell_to_parent(fine_cell(lat, lng), policy.probe_res)
    lo = cell_code_interval(_h3().cell_to_parent(fine_cell(lat, lng), policy.probe_start_res))[0]
    hi = cell_code_interval(probe)[1]
    search.read([KeyRange(cell_of_code(lo, PARTITION_RES), lo, hi)], math.ceil(policy.probe_factor * limit))
    safe = search.safe_radius(policy.probe_res + 2, min(radius_m, 2 * _centre_and_reach(probe)[2]))
    search.trace.radii.append(safe)
    while (answer := search.answered(safe, limit)) is None:
        density = search.density()
        wanted = math.sqrt(policy.target_factor * limit / density * _res15_area_m2() / math.pi)
        band = min(radius_m, max(wanted, safe * 1.5, policy.min_band_m), search.kth_distance(limit))
        base_res = covering_resolution(band)
        options = [
            search.plan(covering_intervals(lat, lng, band, res), density, policy.query_cost)
            for res in range(max(PARTITION_RES + 1, base_res - 2), base_res + 1)
        ]
        search.read(min(options, key=lambda option: option[0])[1])
        safe = band
        search.trace.radii.append(safe)
    return answer


def brute_force(
    lat: float, lng: float, limit: int, entries: Iterable[Entry], radius_m: float = SEARCH_RADIUS_M
) -> list[Hit]:
    """The reference answer: every entry's distance, filtered and sorted the same way."""
    hits = [Hit(e, distance_m(lat, lng, e.lat, e.lng)) for e in entries]
    return sorted((h for h in hits if h.distance <= radius_m), key=_rank)[:limit]
