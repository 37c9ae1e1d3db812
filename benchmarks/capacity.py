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
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from local.paths import SOURCE_DIRS  # noqa: E402  (the one list of import roots)

for _path in SOURCE_DIRS:
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

from benchmarks.capacity_meter import Tally  # noqa: E402
from benchmarks.capacity_model import hot_partition, load_prices, priced  # noqa: E402
from benchmarks.capacity_scale import run_scale, scale_in_fresh_process  # noqa: E402
from benchmarks.capacity_story import run_operations  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "capacity.json"
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
