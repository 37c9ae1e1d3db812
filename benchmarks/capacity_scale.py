"""The ``scale`` part of ``benchmarks/capacity.py``: a dense search's reads at 16,000 and at
1,000,000 professionals, with the match benchmark's population, loader, Query counter and moto
speed shim (``benchmarks/match_bench.py``)."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from benchmarks.capacity_meter import Meter

TARGET_DENSE_GROWTH = 1.5
SCRIPT = Path(__file__).resolve().with_name("capacity.py")


def dense_reads(
    people: list[Any], plan: list[Any], limit: int, expected: dict[int, list[str]], meter: Meter
) -> dict[str, Any]:
    from moto import mock_aws

    from benchmarks.match_bench import QueryCounter, create_tables, hooked, moto_partition_reads, subjects
    from sevamitra.data import geo_index

    counter = QueryCounter()
    rows = []
    started = time.perf_counter()
    with mock_aws(), hooked(counter), moto_partition_reads(), meter.installed():
        _fresh_clients()
        create_tables(os.environ["AWS_REGION"])
        entries = geo_index.bulk_load(subjects(people))
        loaded_s = time.perf_counter() - started
        counter.take()
        for n, search in enumerate(plan):
            with meter.window() as tally:
                answer = [
                    r.professional_id
                    for r in geo_index.nearest(search.service, search.lat, search.lng, limit)
                ]
            queries, items = counter.take()
            rows.append(
                {"exact": answer == expected[n], "queries": queries, "items": items, "rcu": tally.rcu}
            )
    return {
        "index_entries": entries,
        "load_seconds": round(loaded_s, 1),
        "rows": rows,
        "answers_exact": all(r["exact"] for r in rows),
    }


def scale_in_fresh_process(args: argparse.Namespace) -> dict[str, Any]:
    """``run_scale`` in a new interpreter: its botocore hooks must see the clients being created,
    and this process's are cached from the operations' run (and its memory is given back)."""
    with tempfile.TemporaryDirectory(prefix="sevamitra-capacity-") as scratch:
        out = Path(scratch) / "scale.json"
        command = [sys.executable, str(SCRIPT), "--scale-only", str(out), "--seed", str(args.seed)]
        command += ["--searches", str(args.searches), "--core-radius", str(args.core_radius)]
        command += ["--scale-sizes", *map(str, args.scale_sizes)]
        subprocess.run(command, check=True)
        return dict(json.loads(out.read_text(encoding="utf-8")))


def _seed_centres(plan: list[Any]) -> list[tuple[float, float]]:
    """Where a search reads: around its point, and around the centre of the point's ancestor
    cell where its capped density probe starts reading (``SearchPolicy.probe_start_res``)."""
    import h3

    from sevamitra.domain import geo

    start_res = geo.SearchPolicy().probe_start_res
    centres = []
    for search in plan:
        centres.append((search.lat, search.lng))
        centres.append(h3.cell_to_latlng(h3.latlng_to_cell(search.lat, search.lng, start_res)))
    return centres


def _same_reads(smaller: dict[str, Any], larger: dict[str, Any]) -> bool:
    """Whether seeding more around the search points changed nothing any search read."""
    return [(r["items"], r["queries"], r["exact"]) for r in smaller["rows"]] == [
        (r["items"], r["queries"], r["exact"]) for r in larger["rows"]
    ]


def _fresh_clients() -> None:
    """Forget the process's cached clients (ours and pynamodb's), so that the next ones are
    created, and so hooked, inside the current emulator."""
    from sevamitra.data import dynamo
    from sevamitra.data.models import ALL_MODELS, GeoEntryModel
    from sevamitra.platform import aws

    dynamo.connection.cache_clear()
    aws.client.cache_clear()
    aws._session.cache_clear()
    models: list[Any] = [*ALL_MODELS, GeoEntryModel]
    for model in models:
        model._connection = None


def run_scale(
    seed: int, searches: int, limit: int, core_radius_m: float, sizes: tuple[int, ...] = (16_000, 1_000_000)
) -> dict[str, Any]:
    from benchmarks.population import population
    from benchmarks.population import searches as search_plan
    from sevamitra.domain import geo

    plan = [s for s in search_plan(seed, searches) if s.area == "dense"]
    meter = Meter(os.environ["AWS_REGION"])
    result: dict[str, Any] = {
        "professionals": [],
        "dense_items_read_mean": [],
        "dense_rcu_mean": [],
        "runs": [],
    }
    for size in sizes:
        people = population(seed, size)
        by_service: dict[str, list[Any]] = defaultdict(list)
        for p in people:
            for service in p.services:
                by_service[service].append(p)
        expected = {}
        for n, search in enumerate(plan):
            near = [
                geo.Entry("", p.id, p.lat, p.lng)
                for p in by_service[search.service]
                if abs(p.lat - search.lat) < 0.03 and abs(p.lng - search.lng) < 0.035
            ]
            expected[n] = [
                h.entry.professional_id for h in geo.brute_force(search.lat, search.lng, limit, near)
            ]
        if size <= 20_000:
            runs = [("all", dense_reads(people, plan, limit, expected, meter))]
        else:
            runs = []
            radius = core_radius_m
            centres = _seed_centres(plan)
            while True:
                seeded = [
                    p for p in people if any(geo.distance_m(p.lat, p.lng, *c) <= radius for c in centres)
                ]
                what = f"within {radius:g} m of a search point or its probe's start"
                runs.append((what, dense_reads(seeded, plan, limit, expected, meter)))
                if len(runs) >= 2 and _same_reads(runs[-2][1], runs[-1][1]):
                    break
                assert len(runs) < 3, "the searches read beyond twice the seeded radius: raise --core-radius"
                radius *= 2
        _, measured = runs[-1]
        assert measured["answers_exact"], f"a search at {size} professionals is not exact"
        items = [r["items"] for r in measured["rows"]]
        result["professionals"].append(size)
        result["dense_items_read_mean"].append(round(statistics.mean(items), 1))
        result["dense_rcu_mean"].append(round(statistics.mean(r["rcu"] for r in measured["rows"]), 2))
        result["runs"].append(
            {
                "professionals": size,
                "seeded": [
                    {"what": what, "index_entries": run["index_entries"], "load_seconds": run["load_seconds"]}
                    for what, run in runs
                ],
                "searches": len(plan),
                "queries_mean": round(statistics.mean(r["queries"] for r in measured["rows"]), 2),
                "items_read_p95": sorted(items)[max(0, round(0.95 * len(items)) - 1)],
                "exact": measured["answers_exact"],
            }
        )
    first, last = result["dense_items_read_mean"]
    result["growth"] = round(last / first, 2)
    result["target_growth"] = TARGET_DENSE_GROWTH
    result["target_met"] = result["growth"] <= TARGET_DENSE_GROWTH
    result["method"] = (
        f"{len(plan)} dense-core searches (benchmarks/population.py, seed {seed}, limit {limit}); "
        f"at the larger size only the entries within {core_radius_m:g} m of a search point or of "
        f"the centre of its resolution-{geo.SearchPolicy().probe_start_res} cell (where the capped "
        "density probe starts) are seeded, "
        "then twice that, and so on until two successive radii give every search the "
        "same items read, queries and answer (so no search looked beyond the smaller); every "
        "answer equals a brute-force distance sort of the whole population"
    )
    return result
