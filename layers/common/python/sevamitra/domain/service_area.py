"""Is a point in Uttar Pradesh? Its real boundary (``data/service_area.json``, the Survey of
India's outline; docs/decisions.md, "The service area is Uttar Pradesh's own boundary").

Pure Python and cheap: the polygon (about 1,200 vertices, 23 KB of JSON) is read on the first
check, not at import, and its edges are bucketed into latitude bands; a check is a bounding-box
test, then an even-odd crossing count over the few edges of one band (see ``benchmarks`` in
docs/decisions.md for the measured cost).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

BANDS = 256

# (lat_low, lat_high, lng at lat_low, d(lng)/d(lat)) of one non-horizontal edge
_Edge = tuple[float, float, float, float]


@dataclass(frozen=True)
class Area:
    """Rings (outer boundaries and enclaves alike) under the even-odd rule, banded by latitude."""

    min_lng: float
    min_lat: float
    max_lng: float
    max_lat: float
    band_height: float
    bands: tuple[tuple[_Edge, ...], ...]

    @classmethod
    def of(cls, rings: list[list[float]]) -> Area:
        lngs = [ring[i] for ring in rings for i in range(0, len(ring), 2)]
        lats = [ring[i] for ring in rings for i in range(1, len(ring), 2)]
        min_lat, max_lat = min(lats), max(lats)
        band_height = (max_lat - min_lat) / BANDS
        bands: list[list[_Edge]] = [[] for _ in range(BANDS)]
        for ring in rings:
            points = list(zip(ring[0::2], ring[1::2], strict=True))
            for (lng1, lat1), (lng2, lat2) in zip(points, points[1:] + points[:1], strict=True):
                if lat1 == lat2:
                    continue  # a horizontal edge never crosses a horizontal ray
                if lat1 > lat2:
                    lng1, lat1, lng2, lat2 = lng2, lat2, lng1, lat1
                edge = (lat1, lat2, lng1, (lng2 - lng1) / (lat2 - lat1))
                first = min(BANDS - 1, int((lat1 - min_lat) / band_height))
                last = min(BANDS - 1, int((lat2 - min_lat) / band_height))
                for band in range(first, last + 1):
                    bands[band].append(edge)
        return cls(min(lngs), min_lat, max(lngs), max_lat, band_height, tuple(map(tuple, bands)))

    def contains(self, lat: float, lng: float) -> bool:
        if not (self.min_lat <= lat <= self.max_lat and self.min_lng <= lng <= self.max_lng):
            return False
        band = self.bands[min(BANDS - 1, int((lat - self.min_lat) / self.band_height))]
        inside = False
        for low, high, lng_at_low, slope in band:
            # Half-open in latitude, so a ray through a shared vertex counts one crossing.
            if low <= lat < high and lng < lng_at_low + (lat - low) * slope:
                inside = not inside
        return inside


# Beside this module in the layer (a link to data/ in the repository). Read as a plain file: the
# first use of importlib.resources costs ~10 ms, and this check runs on the first request of every
# function that takes a location.
_DOCUMENT = Path(__file__).with_name("service_area.json")


@cache
def uttar_pradesh() -> Area:
    document = json.loads(_DOCUMENT.read_text(encoding="utf-8"))
    return Area.of([ring["lnglat"] for ring in document["rings"]])


def contains(lat: float, lng: float) -> bool:
    """True when (lat, lng) is in Uttar Pradesh, to the accuracy of the shipped boundary."""
    return uttar_pradesh().contains(lat, lng)
