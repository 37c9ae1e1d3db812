"""What the service-area check costs: the first check's load (JSON read + latitude bands), in a
fresh interpreter, and the cost of one check, over points spread across the bounding box and
points within 5 km of the boundary (the slow case: more edges in a band, no early answer).

    python benchmarks/service_area_bench.py [--runs 21] [--points 20000] [--out ...json]

Fresh-interpreter times on a shared machine are noisy: the minimum is the cost, the median what a
busy machine adds.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "layers/common/python"), str(ROOT)]

from sevamitra.domain import service_area  # noqa: E402

# What every handler has loaded before it (pydantic, json, dataclasses, pathlib), so the import
# time is this module's own.
_PROBE = (
    "import json, dataclasses, functools, pathlib, pydantic, time; "
    "t = time.perf_counter(); from sevamitra.domain import service_area; "
    "i = time.perf_counter(); service_area.contains(26.85, 80.95); e = time.perf_counter(); "
    "print((i - t) * 1000, (e - i) * 1000)"
)


def load_ms(runs: int) -> tuple[list[float], list[float]]:
    """(import ms, first-check ms) in each of ``runs`` fresh interpreters: the module's own import
    cost (beside what a handler has already imported) and the first check's load."""
    imports, firsts = [], []
    env = {"PYTHONPATH": str(ROOT / "layers/common/python"), "PYTHONDONTWRITEBYTECODE": "1"}
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True, env=env
        ).stdout.split()
        imports.append(float(out[0]))
        firsts.append(float(out[1]))
    return imports, firsts


def near_boundary(rng: random.Random, count: int) -> list[tuple[float, float]]:
    area = service_area.uttar_pradesh()
    edges = [edge for band in area.bands for edge in band]
    points = []
    for _ in range(count):
        low, high, lng_at_low, slope = rng.choice(edges)
        lat = rng.uniform(low, high)
        points.append(
            (lat + rng.uniform(-0.045, 0.045), lng_at_low + (lat - low) * slope + rng.uniform(-0.05, 0.05))
        )
    return points


def per_check_us(points: list[tuple[float, float]]) -> float:
    contains = service_area.contains
    contains(*points[0])
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for lat, lng in points:
            contains(lat, lng)
        best = min(best, (time.perf_counter() - start) / len(points) * 1e6)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--points", type=int, default=20_000)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/service_area.json")
    args = parser.parse_args()
    rng = random.Random(1)
    area = service_area.uttar_pradesh()
    box = [
        (rng.uniform(area.min_lat, area.max_lat), rng.uniform(area.min_lng, area.max_lng))
        for _ in range(args.points)
    ]
    imports, firsts = load_ms(args.runs)
    result = {
        "python": sys.version.split()[0],
        "edge_entries_in_bands": sum(len(band) for band in area.bands),
        "bands": len(area.bands),
        "max_edges_in_a_band": max(len(band) for band in area.bands),
        "runs": args.runs,
        "import_ms": {"median": round(statistics.median(imports), 2), "min": round(min(imports), 2)},
        "first_check_ms": {"median": round(statistics.median(firsts), 2), "min": round(min(firsts), 2)},
        "check_us": {
            "across_the_box": round(per_check_us(box), 2),
            "within_5_km_of_the_boundary": round(per_check_us(near_boundary(rng, args.points)), 2),
        },
    }
    for name, key in (("import (marginal)", "import_ms"), ("first check (JSON, bands)", "first_check_ms")):
        shown = result[key]
        print(f"{name:<40} median {shown['median']:>6} ms, min {shown['min']:>6} ms")
    for name, value in result["check_us"].items():
        print(f"{'one check, ' + name.replace('_', ' '):<40} {value:>8} us")
    bands = f"{result['edge_entries_in_bands']} / {result['bands']} / {result['max_edges_in_a_band']}"
    print(f"{'edge entries / bands / max in a band':<40} {bands}")
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
