"""Match cost benchmark: the project's geo index against the naive res-7 k-ring, on moto.

Loads a synthetic UP population through the project's own index-writing code
(``geo_index.bulk_load``) and, into a table of its own, the baseline layout
(``pk = <service>#<res-7 cell>``). Every search runs through the project's match code
(``geo_index.nearest``) and the baseline's "read every item of every res-7 cell of the 3 km disk".
DynamoDB Query calls and items read are counted by botocore ``before-call``/``after-call`` hooks on
every client any code creates (pynamodb builds its own), from the responses' ``ScannedCount``:
nothing is self-reported. Every answer is compared with a brute-force distance sort.

For rural points it also measures ``nearest_beyond_m`` (what ``GET /match`` adds to an empty
answer: the nearest professional within 25 km): the extra Queries and items of
``geo_index.nearest_distance_within`` at every rural point (as if its 3 km answer were empty) and
at the points whose answer really was empty, each checked against a brute-force 25 km search.

    make bench
    python benchmarks/match_bench.py --seed 1 --professionals 24000 --searches 100 --limit 20
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT / "layers/common/python", ROOT):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "ap-south-1")
os.environ.setdefault("AWS_REGION", "ap-south-1")
os.environ.setdefault("TABLE_PREFIX", "sevamitra-bench-")
os.environ.pop("AWS_ENDPOINT_URL", None)

import boto3  # noqa: E402
import botocore.session  # noqa: E402
import h3.api.basic_int as h3i  # noqa: E402
from moto import mock_aws  # noqa: E402

from benchmarks.population import Person, Search, population, searches  # noqa: E402
from sevamitra.data import geo_index  # noqa: E402
from sevamitra.data.geo_index import IndexSubject  # noqa: E402
from sevamitra.data.models import table_name  # noqa: E402
from sevamitra.data.schema import TABLES  # noqa: E402
from sevamitra.domain import geo  # noqa: E402

BASELINE_RES = 7
AREAS = ("dense", "town", "rural")


class QueryCounter:
    """Counts DynamoDB Query calls and the items each one read, from the wire."""

    def __init__(self) -> None:
        self.queries = 0
        self.items = 0

    def before(self, **_: Any) -> None:
        self.queries += 1

    def after(self, parsed: dict[str, Any], **_: Any) -> None:
        self.items += int(parsed.get("ScannedCount", parsed.get("Count", 0)))

    def take(self) -> tuple[int, int]:
        taken = (self.queries, self.items)
        self.queries = self.items = 0
        return taken


@contextmanager
def hooked(counter: QueryCounter) -> Iterator[None]:
    """Register the counter on every botocore client created while active (boto3's and the one
    pynamodb creates from its own botocore session)."""
    original = botocore.session.Session.create_client

    def create_client(self: botocore.session.Session, *args: Any, **kwargs: Any) -> Any:
        client = original(self, *args, **kwargs)
        client.meta.events.register("before-call.dynamodb.Query", counter.before)
        client.meta.events.register("after-call.dynamodb.Query", counter.after)
        return client

    botocore.session.Session.create_client = create_client  # type: ignore[method-assign]
    try:
        yield
    finally:
        botocore.session.Session.create_client = original  # type: ignore[method-assign]


@contextmanager
def moto_partition_reads() -> Iterator[None]:
    """A speed shim for moto 5.2.5, whose ``Table.query`` sorts EVERY item of the table on every
    Query and then walks the whole partition computing each item's size (a benchmark with tens
    of thousands of entries would take an hour). While active, a table Query hands moto's own
    query code only the items of its partition key (sorted by sort key once per partition size)
    and, for a string ``BETWEEN``, only those inside the range: the items moto would have
    returned anyway, in the same order. What the Query returns and its ``ScannedCount`` (moto
    counts only items matching the key condition) are unchanged; only the wasted work is
    skipped."""
    from moto.dynamodb.models.table import Table

    original = Table.query
    cache: dict[tuple[int, Any], tuple[int, list[Any], list[Any]]] = {}

    def query(
        self: Any, hash_key: Any, range_comparison: Any, range_objs: Any, *args: Any, **kwargs: Any
    ) -> Any:
        conditions = kwargs.get("hash_key_conditions") or []
        value = hash_key if hash_key is not None else (conditions[0][1] if len(conditions) == 1 else None)
        index_name = kwargs.get("index_name", args[4] if len(args) > 4 else None)
        if index_name or value is None or not self.range_key_attr:
            return original(self, hash_key, range_comparison, range_objs, *args, **kwargs)
        partition = self.items.get(value, {})
        key = (id(self), value)
        if key not in cache or cache[key][0] != len(partition):
            ordered = sorted(partition.values(), key=lambda item: item.range_key)
            cache[key] = (len(partition), ordered, [item.range_key.value for item in ordered])
        _, items, keys = cache[key]
        if range_comparison == "BETWEEN" and all(obj.type == "S" for obj in range_objs):
            items = items[bisect_left(keys, range_objs[0].value) : bisect_right(keys, range_objs[1].value)]
        self.all_items = lambda: items
        try:
            return original(self, hash_key, range_comparison, range_objs, *args, **kwargs)
        finally:
            del self.all_items

    Table.query = query  # type: ignore[method-assign]
    try:
        yield
    finally:
        Table.query = original  # type: ignore[method-assign]


def subjects(people: list[Person]) -> list[IndexSubject]:
    return [
        IndexSubject(
            id=p.id,
            name=p.name,
            services=p.services,
            lat=p.lat,
            lng=p.lng,
            status="verified",
            online=True,
            rating_sum=p.rating_sum,
            rating_count=p.rating_count,
        )
        for p in people
    ]


# --- the baseline: every item of every res-7 cell of the disk --------------------------------


def baseline_table() -> str:
    return table_name("geo-baseline")


def create_tables(region: str) -> None:
    client = boto3.client("dynamodb", region_name=region)
    for spec in TABLES:
        if spec.logical_name == "geo":
            client.create_table(**spec.create_table_params(table_name(spec.logical_name)))
    client.create_table(
        TableName=baseline_table(),
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
    )


def load_baseline(people: list[Person], region: str) -> None:
    table = boto3.resource("dynamodb", region_name=region).Table(baseline_table())
    with table.batch_writer() as batch:
        for p in people:
            cell = h3i.latlng_to_cell(p.lat, p.lng, BASELINE_RES)
            for service in p.services:
                batch.put_item(
                    Item={
                        "pk": f"{service}#{cell:015x}",
                        "sk": p.id,
                        "lat": Decimal(str(p.lat)),
                        "lng": Decimal(str(p.lng)),
                        "name": p.name,
                    }
                )


def baseline_cells(lat: float, lng: float) -> list[int]:
    """The res-7 cells that intersect the 3 km disk (a point lies inside its own res-7 hexagon,
    so within the circumradius of its centre; 5% margin)."""
    origin = h3i.latlng_to_cell(lat, lng, BASELINE_RES)
    cells = []
    for cell in h3i.grid_disk(origin, 3):
        clat, clng = h3i.cell_to_latlng(cell)
        circumradius = max(geo.distance_m(clat, clng, *corner) for corner in h3i.cell_to_boundary(cell))
        if geo.distance_m(lat, lng, clat, clng) - 1.05 * circumradius <= geo.SEARCH_RADIUS_M:
            cells.append(cell)
    return cells


def baseline_search(client: Any, service: str, lat: float, lng: float, limit: int) -> list[str]:
    entries = []
    for cell in baseline_cells(lat, lng):
        kwargs: dict[str, Any] = {
            "TableName": baseline_table(),
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": f"{service}#{cell:015x}"}},
            "ProjectionExpression": "sk, lat, lng",
        }
        while True:
            page = client.query(**kwargs)
            for item in page["Items"]:
                pid = item["sk"]["S"]
                entries.append(geo.Entry("", pid, float(item["lat"]["N"]), float(item["lng"]["N"])))
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return [h.entry.professional_id for h in geo.brute_force(lat, lng, limit, entries)]


# --- running ---------------------------------------------------------------------------------


def p95(values: list[int]) -> float:
    ordered = sorted(values)
    return float(ordered[max(0, round(0.95 * len(ordered)) - 1)])


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    queries = [r["queries"] for r in rows]
    items = [r["items"] for r in rows]
    return {
        "exact": sum(r["exact"] for r in rows) / len(rows),
        "queries_mean": round(statistics.mean(queries), 2),
        "queries_p95": p95(queries),
        "queries_max": max(queries),
        "items_read_mean": round(statistics.mean(items), 1),
        "items_read_p95": p95(items),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    region = os.environ["AWS_REGION"]
    people = population(args.seed, args.professionals)
    plan = searches(args.seed, args.searches)
    counter = QueryCounter()
    by_service: dict[str, list[geo.Entry]] = defaultdict(list)
    for p in people:
        for service in p.services:
            by_service[service].append(geo.Entry("", p.id, p.lat, p.lng))
    rows: dict[str, dict[str, list[dict[str, Any]]]] = {a: {"project": [], "baseline": []} for a in AREAS}
    found: dict[str, list[int]] = defaultdict(list)
    within: dict[str, list[int]] = defaultdict(list)
    beyond_rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    with mock_aws(), hooked(counter), moto_partition_reads():
        create_tables(region)
        loaded = geo_index.bulk_load(subjects(people))
        load_baseline(people, region)
        load_s = time.perf_counter() - started
        client = boto3.client("dynamodb", region_name=region)
        counter.take()
        for search in plan:
            in_radius = geo.brute_force(search.lat, search.lng, 10**9, by_service[search.service])
            expected = [h.entry.professional_id for h in in_radius[: args.limit]]
            found[search.area].append(len(expected))
            within[search.area].append(len(in_radius))
            for design, runner in (("project", project_runner), ("baseline", baseline_runner(client))):
                answer = runner(search, args.limit)
                queries, items = counter.take()
                rows[search.area][design].append(
                    {"exact": answer == expected, "queries": queries, "items": items}
                )
            if search.area == "rural":
                beyond_rows.append(measure_beyond(search, by_service[search.service], counter, not expected))
    elapsed = time.perf_counter() - started
    result: dict[str, Any] = {
        "params": {
            "seed": args.seed,
            "professionals": args.professionals,
            "index_entries": loaded,
            "searches_per_area": args.searches,
            "limit": args.limit,
            "radius_m": geo.SEARCH_RADIUS_M,
            "partition_res": geo.PARTITION_RES,
            "baseline_res": BASELINE_RES,
            "policy": geo.SearchPolicy()._asdict(),
            "load_seconds": round(load_s, 1),
            "total_seconds": round(elapsed, 1),
        },
        "areas": {},
    }
    for area in AREAS:
        project, baseline = summarise(rows[area]["project"]), summarise(rows[area]["baseline"])
        result["areas"][area] = {
            "results_mean": round(statistics.mean(found[area]), 1),
            "within_3km_mean": round(statistics.mean(within[area]), 1),
            "project": project,
            "baseline": baseline,
            "items_read_ratio": round(baseline["items_read_mean"] / max(project["items_read_mean"], 1e-9), 1),
        }
    result["nearest_beyond"] = summarise_beyond(beyond_rows)
    return result


def measure_beyond(
    search: Search, entries: list[geo.Entry], counter: QueryCounter, empty: bool
) -> dict[str, Any]:
    """The extra cost of ``nearest_beyond_m`` at one point, and whether it is the brute-force one."""
    distance = geo_index.nearest_distance_within(search.service, search.lat, search.lng)
    queries, items = counter.take()
    reference = geo.brute_force(search.lat, search.lng, 1, entries, radius_m=geo.BEYOND_RADIUS_M)
    expected = reference[0].distance if reference else None
    return {
        "exact": distance == expected,
        "queries": queries,
        "items": items,
        "empty": empty,
        "found": distance is not None,
    }


def summarise_beyond(rows: list[dict[str, Any]]) -> dict[str, Any]:
    empty = [r for r in rows if r["empty"]]
    return {
        "radius_m": geo.BEYOND_RADIUS_M,
        "rural_points": len(rows),
        "empty_points": len(empty),
        "found_within_25km": sum(r["found"] for r in rows),
        "all_rural": summarise(rows),
        "empty_only": summarise(empty) if empty else None,
    }


def project_runner(search: Search, limit: int) -> list[str]:
    return [n.professional_id for n in geo_index.nearest(search.service, search.lat, search.lng, limit)]


def baseline_runner(client: Any) -> Callable[[Search, int], list[str]]:
    def run_baseline(search: Search, limit: int) -> list[str]:
        return baseline_search(client, search.service, search.lat, search.lng, limit)

    return run_baseline


def table(result: dict[str, Any]) -> str:
    lines = [
        f"{'area':<6} {'design':<9} {'exact':>6} {'Q mean':>7} {'Q p95':>6} {'Q max':>6} "
        f"{'items mean':>11} {'items p95':>10} {'found':>6}",
    ]
    for area, data in result["areas"].items():
        for design in ("project", "baseline"):
            d = data[design]
            lines.append(
                f"{area:<6} {design:<9} {d['exact']:>6.0%} {d['queries_mean']:>7.2f} "
                f"{d['queries_p95']:>6.0f} {d['queries_max']:>6} {d['items_read_mean']:>11.1f} "
                f"{d['items_read_p95']:>10.0f} "
                f"{data['results_mean']:>6.1f}"
            )
        lines.append(
            f"{'':<6} {data['within_3km_mean']:.0f} entries within 3 km on average; "
            f"the baseline reads {data['items_read_ratio']}x the items"
        )
    beyond = result["nearest_beyond"]
    lines.append(
        f"nearest_beyond_m (25 km) extra cost at rural points, {beyond['found_within_25km']} of "
        f"{beyond['rural_points']} found someone:"
    )
    for label, key in (("rural", "all_rural"), ("empty", "empty_only")):
        d = beyond[key]
        if d is None:
            continue
        lines.append(
            f"{label:<6} {'beyond':<9} {d['exact']:>6.0%} {d['queries_mean']:>7.2f} "
            f"{d['queries_p95']:>6.0f} {d['queries_max']:>6} {d['items_read_mean']:>11.1f} "
            f"{d['items_read_p95']:>10.0f} {beyond['empty_points'] if label == 'empty' else '':>6}"
        )
    p = result["params"]
    lines.append(
        f"{p['professionals']} professionals, {p['index_entries']} entries, "
        f"{p['searches_per_area']} searches per area, limit {p['limit']}, seed {p['seed']}; "
        f"{p['total_seconds']} s"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--professionals", type=int, default=16_000)
    parser.add_argument("--searches", type=int, default=40, help="searches per area")
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/match.json")
    args = parser.parse_args(argv)
    result = run(args)
    print(table(result))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
