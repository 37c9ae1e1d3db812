"""Capacity and cost: what each operation and a whole booking cost in DynamoDB units, Lambda
invocations, state transitions, events and SMS; what that costs in rupees; how a search's reads
grow with the population; and the busiest partition key at Uttar Pradesh's peak hour.

    python benchmarks/capacity.py [--seed 1] [--out benchmarks/results/capacity.json]

``operations`` and ``per_booking``: the project's own handlers run in-process on moto, as the
integration tests run them (``local.dispatch``: the API Gateway proxy events, the verification
state machine executing for real, domain events through the bus's rule and queue to ``notify``,
SMS into the local outbox), metered by ``benchmarks.capacity_meter`` (DynamoDB units from the
real item sizes, and the rest counted where it happens). Prices are data:
``benchmarks/prices.json`` (ap-south-1 list prices, their date and source, the INR rate).

``scale``: the match benchmark's dense-core searches (``benchmarks/match_bench.py``: the same
population model, loader, Query counter and moto speed shim) at 16,000 professionals (all seeded)
and at 1,000,000. For the million only the index entries within ``--core-radius`` metres of a
search point are seeded; the same searches are then repeated with twice that radius seeded, and
the run fails unless both give identical answers and items read (so no search looked beyond
what was seeded), and unless every answer equals a brute-force sort of the whole million.

``hot_partition``: the busiest key spaces' units per second at the state's peak hour, from the
measured per-operation units and the assumptions in ``HOT_PARTITION_ASSUMPTIONS``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for _path in (
    "functions/jobs",
    "functions/notify",
    "functions/verify",
    "functions/complaint",
    "functions/book",
    "functions/match",
    "functions/register",
    "layers/common/python",
    "",
):
    if str(ROOT / _path) not in sys.path:
        sys.path.insert(0, str(ROOT / _path))

for _name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
    os.environ.pop(_name, None)
_STAGE = "capacity"
for _key, _value in {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "ap-south-1",
    "AWS_REGION": "ap-south-1",
    "STAGE": _STAGE,
    "TABLE_PREFIX": f"sevamitra-{_STAGE}-",
    "DOCUMENTS_BUCKET": f"sevamitra-{_STAGE}-documents",
    "EVENT_BUS_NAME": f"sevamitra-{_STAGE}",
    "IDENTITY_KEY_SECRET_ARN": f"sevamitra-{_STAGE}/identity-key",
    "POLICE_SECRET_ARN": f"sevamitra-{_STAGE}/police-callback",
    "CURSOR_KEY_SECRET_ARN": f"sevamitra-{_STAGE}/cursor-key",
    "VERIFICATION_STATE_MACHINE_ARN": (
        f"arn:aws:states:ap-south-1:123456789012:stateMachine:sevamitra-{_STAGE}-verification"
    ),
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_SERVICE_NAME": "sevamitra",
    "POWERTOOLS_METRICS_NAMESPACE": "SevaMitra",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
    "POWERTOOLS_METRICS_DISABLED": "true",
    "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
}.items():
    os.environ.setdefault(_key, _value)

from benchmarks.capacity_meter import Meter, Tally  # noqa: E402

PRICES = ROOT / "benchmarks" / "prices.json"
RESULTS = ROOT / "benchmarks" / "results" / "capacity.json"
SERVICE = "electrician_fan_installation"
LUCKNOW = (26.8467, 80.9462)
POLICE_KEY = "capacity-police-key"
IDENTITY_KEY = "capacity-identity-key"
MOTO_CONFIG: Any = {"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}
API_OPERATIONS = (
    "match",
    "create_booking",
    "accept",
    "start",
    "complete",
    "rating",
    "payment",
    "register",
    "documents",
    "submit",
    "police_callback",
    "complaint",
    "resolve",
)
STORY = ("match", "create_booking", "accept", "start", "complete", "rating", "payment")
TARGET_COST_INR = 0.05
TARGET_SMS = 3
TARGET_DENSE_GROWTH = 1.5

# The state's peak hour, for the busiest partition keys. Each figure is a planning assumption,
# deliberately on the high side for a state of about 240 million people; change them here.
HOT_PARTITION_ASSUMPTIONS: dict[str, Any] = {
    "registered_professionals": 1_000_000,
    "bookings_per_day": 1_000_000,
    "searches_per_booking": 3,
    "availability_updates_per_professional_per_day": 4,
    "busiest_city_share": 0.12,
    "busiest_service_share_in_city": 0.25,
    "peak_hour_share_of_day": 0.12,
    "notes": [
        "The busiest city lies in one resolution-3 H3 cell (about 12,000 km2), so each of its "
        "services is one geo partition key (service#cell): all of that city's searches for the "
        "service and all its availability and findability changes land on that key.",
        "Outbox, awaiting-acceptance and other sparse status indexes are keyed by one constant "
        "per shard: every event or booking in the state lands on that key.",
        "DynamoDB's per-partition-key limits are 3,000 read and 1,000 write units per second, "
        "for a table and for each global secondary index alike; a throttled index write "
        "throttles the table write that caused it.",
    ],
}
PARTITION_LIMIT = {"rcu": 3000.0, "wcu": 1000.0}


# --- the local stack in this process ---------------------------------------------------------


class Stack:
    """Handlers in-process on moto, called as API Gateway calls them, metered by ``meter``."""

    def __init__(self, meter: Meter) -> None:
        from local.events import EventPump
        from local.lambdas import install_lambda_router
        from local.provision import provision
        from sevamitra.platform.settings import settings

        self.meter = meter
        self.config = settings()
        install_lambda_router(self.config.resource_prefix)
        self.resources = provision(
            self.config, police_key=POLICE_KEY, identity_key=IDENTITY_KEY, user_pool=False
        )
        self.pump = EventPump(self.resources.notify_queue_url, self.config.aws_region)
        self.notify = Tally()

    def call(
        self,
        method: str,
        path: str,
        *,
        sub: str | None = None,
        groups: tuple[str, ...] = (),
        body: Any = None,
        query: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        from local.dispatch import invoke
        from local.proxy_events import match_route, rest_event

        matched = match_route(method, path)
        assert matched, f"no route {method} {path}"
        claims: dict[str, Any] | None = None
        if sub is not None:
            claims = {"sub": sub, "cognito:username": sub, "token_use": "id"}
            if groups:
                claims["cognito:groups"] = list(groups)
        self.meter.charge(api_requests=1)
        response = invoke(
            matched[0].function,
            rest_event(method, path, body=body, query=query, headers=headers, claims=claims),
        )
        text = response.get("body")
        return int(response["statusCode"]), json.loads(text) if text else None

    def deliver(self) -> Tally:
        """Run notify on every event waiting in its queue, as the event source mapping would."""
        with self.meter.window(self.notify), self.meter.window() as delivered:
            while self.pump.drain_once():
                pass
        return delivered

    def stored(self, logical: str, key: dict[str, Any]) -> dict[str, Any] | None:
        """An item read from moto's backend directly: not metered (the benchmark's own look)."""
        from sevamitra.data.models import table_name

        return self.meter.stored(table_name(logical), key)

    def state_transitions(self) -> int:
        import boto3

        sfn = boto3.client("stepfunctions", region_name=self.config.aws_region)
        total = 0
        for execution in sfn.list_executions(stateMachineArn=self.config.verification_state_machine_arn)[
            "executions"
        ]:
            events = sfn.get_execution_history(executionArn=execution["executionArn"], maxResults=1000)[
                "events"
            ]
            total += sum(1 for e in events if e["type"].endswith("StateEntered"))
        return total


def _wait(what: str, probe: Callable[[], Any], timeout_s: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.02)
    raise TimeoutError(f"waited {timeout_s:g} s for {what}")


class Operations:
    """Runs the story once, measuring each operation in its own window."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.rows: dict[str, dict[str, Any] | None] = {}
        self.notes: dict[str, str] = {}

    def measure(
        self, name: str, method: str, path: str, expect: int | tuple[int, ...], **kwargs: Any
    ) -> tuple[int, Any]:
        expected = (expect,) if isinstance(expect, int) else expect
        with self.stack.meter.window() as tally:
            status, body = self.stack.call(method, path, **kwargs)
        assert status in expected, f"{name}: {method} {path} -> {status} {body}"
        delivered = self.stack.deliver()
        tally.sms += delivered.sms
        self.rows[name] = {
            **tally.figures(),
            "details": {**tally.details(), **_spaces(tally), "status": status},
        }
        return status, body

    def measure_flow(self, name: str, action: Callable[[], Any], settle: Callable[[], Any]) -> Any:
        """An operation whose work continues after the answer (the verification workflow): the
        window stays open until ``settle`` says the work is done."""
        before = self.stack.state_transitions()
        with self.stack.meter.window() as tally:
            answer = action()
            _wait(f"{name} to settle", settle)
        tally.state_transitions += self.stack.state_transitions() - before
        delivered = self.stack.deliver()
        tally.sms += delivered.sms
        self.rows[name] = {**tally.figures(), "details": {**tally.details(), **_spaces(tally)}}
        return answer


def run_operations(seed: int, background: int) -> dict[str, Any]:
    from moto import mock_aws

    from local.client import SAMPLE_PDF
    from sevamitra.data.models import table_name
    from sevamitra.domain.types import verhoeff_check_digit
    from sevamitra.edge import signing
    from sevamitra.platform.settings import settings

    meter = Meter(os.environ["AWS_REGION"], settings().table_prefix)
    story = Tally()
    with mock_aws(config=MOTO_CONFIG), meter.installed():
        stack = Stack(meter)
        ops = Operations(stack)
        _seed_background(seed, background)
        point = {"lat": LUCKNOW[0], "lng": LUCKNOW[1]}
        pro_sub, citizen, officer = "capacity-pro", "capacity-citizen", "capacity-officer"
        aadhaar_body = "23456789012"

        # Becoming a professional: register, a document, submit, the police's answer.
        _, registered = ops.measure(
            "register",
            "POST",
            "/professionals",
            201,
            sub=pro_sub,
            body={
                "name": "Capacity Electrician",
                "mobile": "9876512345",
                "aadhaar": aadhaar_body + verhoeff_check_digit(aadhaar_body),
                "services": [SERVICE],
                "location": point,
                "district": "Lucknow",
                "qualification": {"kind": "none"},
            },
        )
        pid = registered["id"]
        _, document = ops.measure(
            "documents",
            "POST",
            f"/professionals/{pid}/documents",
            201,
            sub=pro_sub,
            body={"kind": "id_proof", "content_type": "application/pdf", "size_bytes": len(SAMPLE_PDF)},
        )
        _store_upload(document["upload"]["fields"], SAMPLE_PDF)

        def professional() -> dict[str, Any]:
            return stack.stored("professionals", {"id": {"S": pid}}) or {}

        def police_request() -> str | None:
            item = professional()
            request = item.get("verification", {}).get("M", {}).get("request_id", {}).get("S")
            if item.get("status", {}).get("S") != "police_pending" or not request:
                return None
            stored = stack.stored("verifications", {"request_id": {"S": request}}) or {}
            return request if "task_token" in stored else None

        ops.measure_flow(
            "submit",
            lambda: _expect(stack.call("POST", f"/professionals/{pid}/submit", sub=pro_sub), 202),
            police_request,
        )
        request_id = police_request()
        raw = json.dumps({"request_id": request_id, "result": "clear"})
        signature = signing.sign(POLICE_KEY.encode(), int(time.time()), raw.encode())
        ops.measure_flow(
            "police_callback",
            lambda: _expect(
                stack.call("POST", "/verification/callback", body=raw, headers={signing.HEADER: signature}),
                200,
            ),
            lambda: professional().get("status", {}).get("S") == "verified" and _executions_done(stack),
        )
        ops.measure(
            "availability",
            "PUT",
            f"/professionals/{pid}/availability",
            200,
            sub=pro_sub,
            body={"online": True, "location": point},
        )

        # One booking, the whole story, with its notifications.
        with meter.window(story):
            query = {"service": SERVICE, "lat": str(point["lat"]), "lng": str(point["lng"])}
            _, found = ops.measure("match", "GET", "/match", 200, sub=citizen, query=query)
            assert pid in [r["professional_id"] for r in found["results"]], (
                "the story's professional is not found"
            )
            _, booking = ops.measure(
                "create_booking",
                "POST",
                "/bookings",
                201,
                sub=citizen,
                body={"service_id": SERVICE, "location": point, "professional_id": pid},
            )
            bid, fee = booking["id"], booking["fee_paise"]
            ops.measure("accept", "POST", f"/bookings/{bid}/accept", 200, sub=pro_sub, body={})
            ops.measure(
                "start",
                "POST",
                f"/bookings/{bid}/start",
                200,
                sub=pro_sub,
                body={"start_code": booking["start_code"]},
            )
            ops.measure(
                "complete",
                "POST",
                f"/bookings/{bid}/complete",
                200,
                sub=pro_sub,
                body={"amount_collected_paise": fee},
            )
            ops.measure("rating", "POST", f"/bookings/{bid}/rating", 201, sub=citizen, body={"stars": 5})
            if _has_route("POST", f"/bookings/{bid}/payment"):
                ops.measure(
                    "payment",
                    "POST",
                    f"/bookings/{bid}/payment",
                    201,
                    sub=citizen,
                    body={"amount_paid_paise": fee},
                )
            else:
                ops.rows["payment"] = None
                ops.notes["payment"] = (
                    "POST /bookings/{id}/payment does not exist on this branch yet; re-run after merge"
                )

        # A complaint about it, the professional's side, and an officer's decision.
        _, complaint = ops.measure(
            "complaint",
            "POST",
            "/complaints",
            201,
            sub=citizen,
            body={"booking_id": bid, "kind": "quality", "description": "The fan wobbles after the visit."},
        )
        cid = complaint["id"]
        if _has_route("POST", f"/complaints/{cid}/response"):
            ops.measure(
                "complaint_response",
                "POST",
                f"/complaints/{cid}/response",
                201,
                sub=pro_sub,
                body={"text": "I balanced it; I can come again."},
            )
        status, _ = ops.measure(
            "resolve",
            "POST",
            f"/complaints/{cid}/resolve",
            (200, 409),
            sub=officer,
            groups=("officers",),
            body={"decision": "dismissed", "remarks": "Resolved by a free revisit."},
        )
        if status != 200:
            ops.notes["resolve"] = (
                f"resolve answered {status}: measured as refused, re-run after the four-eyes merge"
            )

        sweeps = _run_sweeps(stack)
        notify_events = sum(row["events"] for row in ops.rows.values() if row) + sum(
            s["events"] for s in sweeps.values()
        )
    moto_agreement = _agreement(story)
    return {
        "operations": ops.rows,
        "notes": ops.notes,
        "sweeps": sweeps,
        "notify": {"events": notify_events, "tally": stack.notify},
        "story": story,
        "moto_agreement": moto_agreement,
        "table": table_name("x").removesuffix("x"),
    }


def _spaces(tally: Tally) -> dict[str, Any]:
    return {
        "by_key_space": {k: [round(r, 2), round(w, 2)] for k, (r, w) in sorted(tally.by_key_space.items())}
    }


def _expect(answer: tuple[int, Any], status: int) -> Any:
    assert answer[0] == status, answer
    return answer[1]


def _has_route(method: str, path: str) -> bool:
    from local.proxy_events import match_route

    return match_route(method, path) is not None


def _executions_done(stack: Stack) -> bool:
    import boto3

    sfn = boto3.client("stepfunctions", region_name=stack.config.aws_region)
    running = sfn.list_executions(
        stateMachineArn=stack.config.verification_state_machine_arn, statusFilter="RUNNING"
    )["executions"]
    return not running


def _store_upload(fields: dict[str, str], body: bytes) -> None:
    import boto3

    from sevamitra.platform.settings import settings

    boto3.client("s3", region_name=settings().aws_region).put_object(
        Bucket=settings().documents_bucket,
        Key=fields["key"],
        Body=body,
        ContentType=fields["Content-Type"],
        ServerSideEncryption=fields["x-amz-server-side-encryption"],  # type: ignore[arg-type]
    )


def _seed_background(seed: int, count: int) -> None:
    """Other professionals' index entries around Lucknow, so that the story's search reads what
    a city search reads (the project's own bulk loader; not metered as an operation)."""
    from benchmarks.match_bench import subjects
    from benchmarks.population import population
    from sevamitra.data import geo_index

    geo_index.bulk_load(subjects(population(seed, count)))


def _run_sweeps(stack: Stack) -> dict[str, dict[str, Any]]:
    from datetime import UTC, datetime

    from local.lambdas import run_entry
    from local.scheduler import scheduled_event
    from sevamitra.edge.routes import SCHEDULED_JOBS

    rows = {}
    for job in SCHEDULED_JOBS:
        with stack.meter.window() as tally:
            run_entry(
                job.entry,
                scheduled_event(
                    job, stack.config.aws_region, stack.config.resource_prefix, datetime.now(UTC)
                ),
            )
        tally.sms += stack.deliver().sms
        rows[job.entry.name] = {
            **tally.figures(),
            "every_minutes": job.every_minutes,
            "details": {**tally.details(), **_spaces(tally)},
        }
    return rows


def _agreement(tally: Tally) -> dict[str, Any]:
    """Where moto answered ReturnConsumedCapacity, how often its figure equals ours, by operation."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for operation, ours, theirs in tally.reported:
        counts[operation][0] += 1
        counts[operation][1] += int(math.isclose(ours, theirs))
    return {op: {"reported": n, "equal": eq} for op, (n, eq) in sorted(counts.items())}


# --- money -----------------------------------------------------------------------------------


def load_prices(path: Path = PRICES) -> dict[str, Any]:
    return dict(json.loads(path.read_text(encoding="utf-8")))


def cost_usd(
    tally: Tally, prices: dict[str, Any], memory_mb: int, *, with_sms: bool = True
) -> dict[str, float]:
    """Each priced item's cost in US dollars for ``tally`` (``prices.json``'s per-unit figures)."""
    p = prices["usd"]
    gb_seconds = tally.lambda_ms / 1000 * memory_mb / 1024
    parts = {
        "dynamodb_reads": tally.rcu * p["dynamodb_read_request_unit"],
        "dynamodb_writes": (tally.wcu + tally.index_wcu) * p["dynamodb_write_request_unit"],
        "lambda_requests": tally.lambda_invocations * p["lambda_request"],
        "lambda_compute": gb_seconds * p["lambda_arm64_gb_second"],
        "api_gateway": tally.api_requests * p["api_gateway_rest_request"],
        "eventbridge": tally.events * p["eventbridge_custom_event"],
        # EventBridge's delivery to the notify queue is one SendMessage per event.
        "sqs": (tally.sqs_requests + tally.events) * p["sqs_request"],
        "step_functions": tally.state_transitions * p["step_functions_state_transition"],
        "kms": tally.kms_requests * p["kms_request"],
    }
    if with_sms:
        parts["sms"] = tally.sms * p["sms_india"]
    return parts


def priced(tally: Tally, prices: dict[str, Any], memory_mb: int) -> dict[str, Any]:
    rate = prices["inr_per_usd"]
    full = cost_usd(tally, prices, memory_mb)
    without = cost_usd(tally, prices, memory_mb, with_sms=False)
    return {
        "cost_inr": round(sum(full.values()) * rate, 4),
        "cost_inr_without_sms": round(sum(without.values()) * rate, 4),
        "cost_inr_by_item": {name: round(value * rate, 5) for name, value in full.items()},
    }


# --- scale: a dense search's reads at 16,000 and 1,000,000 professionals ---------------------


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
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="sevamitra-capacity-") as scratch:
        out = Path(scratch) / "scale.json"
        command = [sys.executable, __file__, "--scale-only", str(out), "--seed", str(args.seed)]
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
        "the centre of its resolution-7 cell (where the capped density probe starts) are seeded, "
        "then twice that, and so on until two successive radii give every search the "
        "same items read, queries and answer (so no search looked beyond the smaller); every "
        "answer equals a brute-force distance sort of the whole population"
    )
    return result


# --- the busiest partition keys ----------------------------------------------------------------


def hot_partition(operations: dict[str, Any], story: Tally, scale: dict[str, Any]) -> dict[str, Any]:
    a = HOT_PARTITION_ASSUMPTIONS
    peak_bookings_s = a["bookings_per_day"] * a["peak_hour_share_of_day"] / 3600
    peak_availability_s = (
        a["registered_professionals"]
        * a["availability_updates_per_professional_per_day"]
        * a["peak_hour_share_of_day"]
        / 3600
    )
    city_service = a["busiest_city_share"] * a["busiest_service_share_in_city"]
    dense_rcu = scale["dense_rcu_mean"][-1]
    availability = operations["availability"]["details"]["by_key_space"]
    spaces = story.by_key_space
    geo_write_per_booking = spaces.get("geo", [0, 0])[1]
    geo_write_per_availability = availability.get("geo", [0, 0])[1]
    keys = {
        "geo service#cell (busiest city, busiest service)": {
            "rcu_per_s": peak_bookings_s * a["searches_per_booking"] * city_service * dense_rcu,
            "wcu_per_s": (
                peak_availability_s * geo_write_per_availability + peak_bookings_s * geo_write_per_booking
            )
            * city_service,
        },
    }
    # Sparse indexes keyed by one value per shard: the whole state's traffic on each shard's key.
    for space, (_, wcu) in sorted(spaces.items()):
        if "/" not in space or not _constant_keyed(space):
            continue
        shards = _shards(space)
        keys[f"{space} (one key per shard, {shards} shard{'s' if shards > 1 else ''})"] = {
            "rcu_per_s": 0.0,
            "wcu_per_s": peak_bookings_s * wcu / shards,
        }
    rows = {}
    for name, load in keys.items():
        headroom = min(
            PARTITION_LIMIT["rcu"] / (10 * load["rcu_per_s"]) if load["rcu_per_s"] else math.inf,
            PARTITION_LIMIT["wcu"] / (10 * load["wcu_per_s"]) if load["wcu_per_s"] else math.inf,
        )
        rows[name] = {
            "rcu_per_s": round(load["rcu_per_s"], 2),
            "wcu_per_s": round(load["wcu_per_s"], 2),
            "headroom_at_10x": round(headroom, 2),
        }
    busiest = min(rows, key=lambda k: rows[k]["headroom_at_10x"])
    return {
        "assumptions": a,
        "peak_bookings_per_s": round(peak_bookings_s, 2),
        "peak_searches_per_s": round(peak_bookings_s * a["searches_per_booking"], 2),
        "peak_availability_updates_per_s": round(peak_availability_s, 2),
        "limits_per_partition_key": PARTITION_LIMIT,
        "keys": rows,
        "busiest_key": busiest,
        "headroom_at_10x_up_peak": rows[busiest]["headroom_at_10x"],
        "holds": rows[busiest]["headroom_at_10x"] >= 1,
    }


# Sparse indexes whose hash key is one constant (or one of a few shard values).
_CONSTANT_KEYED = {
    "outbox/pending",
    "bookings/awaiting_accept",
    "complaints/open_by_due",
    "verifications/pending",
    "engagements/ending",
}


def _constant_keyed(space: str) -> bool:
    return space in _CONSTANT_KEYED


def _shards(space: str) -> int:
    if space == "outbox/pending":
        from sevamitra.data import outbox

        return int(getattr(outbox, "PENDING_SHARDS", 1))
    return 1


# --- putting it together ---------------------------------------------------------------------


def build(args: argparse.Namespace) -> dict[str, Any]:
    from infra import constants

    prices = load_prices()
    memory = constants.API_MEMORY_MB
    started = time.perf_counter()
    measured = run_operations(args.seed, args.background)
    operations_s = time.perf_counter() - started
    notify_tally: Tally = measured["notify"]["tally"]
    events = max(measured["notify"]["events"], 1)
    operations: dict[str, Any] = {}
    for name in API_OPERATIONS:
        operations[name] = measured["operations"].get(name)
    for name, row in measured["operations"].items():
        if name not in operations:
            operations[name] = row
    for name, row in measured["sweeps"].items():
        operations[f"sweep:{name}"] = row
    notify_figures = notify_tally.figures()
    operations["notify_per_event"] = {
        key: round(value / events, 3) if isinstance(value, int | float) else value
        for key, value in notify_figures.items()
    }
    operations["notify_per_event"]["events_measured"] = events
    story: Tally = measured["story"]
    per_booking = {
        **story.figures(),
        "details": story.details(),
        **priced(story, prices, memory),
        "operations": list(STORY),
        "missing": [name for name in STORY if measured["operations"].get(name) is None],
    }
    per_booking["target_cost_inr_without_sms"] = TARGET_COST_INR
    per_booking["target_sms"] = TARGET_SMS
    per_booking["targets_met"] = (
        per_booking["cost_inr_without_sms"] <= TARGET_COST_INR and story.sms <= TARGET_SMS
    )
    started = time.perf_counter()
    scale = scale_in_fresh_process(args)
    scale_s = time.perf_counter() - started
    hot = hot_partition(operations, story, scale)
    return {
        "params": {
            "seed": args.seed,
            "background_professionals": args.background,
            "lambda_memory_mb": memory,
            "operations_seconds": round(operations_s, 1),
            "scale_seconds": round(scale_s, 1),
        },
        "prices": {k: prices[k] for k in ("as_of", "region", "inr_per_usd", "source")},
        "operations": operations,
        "notes": measured["notes"],
        "moto_consumed_capacity_agreement": measured["moto_agreement"],
        "per_booking": per_booking,
        "scale": scale,
        "hot_partition": hot,
    }


def table(result: dict[str, Any]) -> str:
    lines = [f"{'operation':<28}{'rcu':>8}{'wcu':>8}{'lambda':>8}{'states':>8}{'events':>8}{'sms':>6}"]
    for name, row in result["operations"].items():
        if row is None:
            lines.append(f"{name:<28}{'missing: ' + result['notes'].get(name, ''):>50}")
            continue
        lines.append(
            f"{name:<28}{row['rcu']:>8}{row['wcu']:>8}{row['lambda_invocations']:>8}"
            f"{row['state_transitions']:>8}{row['events']:>8}{row['sms']:>6}"
        )
    b = result["per_booking"]
    lines.append(
        f"{'per booking':<28}{b['rcu']:>8}{b['wcu']:>8}{b['lambda_invocations']:>8}"
        f"{b['state_transitions']:>8}{b['events']:>8}{b['sms']:>6}"
    )
    lines.append(
        f"cost per booking: Rs {b['cost_inr']} with SMS, Rs {b['cost_inr_without_sms']} without "
        f"(target <= Rs {TARGET_COST_INR}, <= {TARGET_SMS} SMS: {'met' if b['targets_met'] else 'NOT met'})"
    )
    s = result["scale"]
    lines.append(
        f"dense items read per search: {s['dense_items_read_mean']} at {s['professionals']} professionals "
        f"(x{s['growth']}, target <= x{s['target_growth']}: {'met' if s['target_met'] else 'NOT met'})"
    )
    h = result["hot_partition"]
    for name, row in h["keys"].items():
        lines.append(
            f"  {name:<70} {row['rcu_per_s']:>8} rcu/s {row['wcu_per_s']:>8} wcu/s  x{row['headroom_at_10x']}"
        )
    lines.append(
        f"headroom at 10x the state's peak: {h['headroom_at_10x_up_peak']} ({h['busiest_key']}; "
        f"{'holds' if h['holds'] else 'does NOT hold'})"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--background", type=int, default=2000, help="professionals around the story")
    parser.add_argument(
        "--searches", type=int, default=12, help="searches per area (the dense ones are used)"
    )
    parser.add_argument("--core-radius", type=float, default=250.0, help="metres seeded around 1M searches")
    parser.add_argument("--scale-sizes", type=int, nargs=2, default=[16_000, 1_000_000])
    parser.add_argument("--scale-only", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.scale_only:
        scale = run_scale(args.seed, args.searches, 20, args.core_radius, tuple(args.scale_sizes))
        args.scale_only.write_text(json.dumps(scale), encoding="utf-8")
        return 0
    result = build(args)
    print(table(result))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
