"""What a run measured, per operation: throughput, p50/p99 latency, the status histogram and the
errors (any 5xx); the bookings and complaints it made; the invariants' verdict. As JSON
(``benchmarks/results/load.json``) and as the table ``make load`` prints."""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

from benchmarks.loadtest import LoadConfig
from benchmarks.loadtest.traffic import OPERATIONS, Load


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def report(load: Load, elapsed_s: float, violations: list[str], config: LoadConfig) -> dict[str, Any]:
    operations = {}
    for op in OPERATIONS:
        latencies = load.stats.latencies.get(op) or []
        if not latencies:
            continue
        statuses = load.stats.statuses[op]
        operations[op] = {
            "requests": len(latencies),
            "throughput_rps": round(len(latencies) / elapsed_s, 1),
            "p50_ms": round(_percentile(latencies, 0.50) * 1000, 1),
            "p99_ms": round(_percentile(latencies, 0.99) * 1000, 1),
            "mean_ms": round(statistics.fmean(latencies) * 1000, 1),
            "statuses": {str(code): statuses[code] for code in sorted(statuses)},
            "errors": sum(n for code, n in statuses.items() if code >= 500),
        }
    everything = [x for values in load.stats.latencies.values() for x in values]
    booking_statuses = Counter(b.status for b in load.bookings.values())
    return {
        "config": {**config.__dict__},
        "elapsed_s": round(elapsed_s, 2),
        "requests": len(everything),
        "throughput_rps": round(len(everything) / elapsed_s, 1) if elapsed_s else 0.0,
        "p50_ms": round(_percentile(everything, 0.5) * 1000, 1) if everything else None,
        "p99_ms": round(_percentile(everything, 0.99) * 1000, 1) if everything else None,
        "errors": len(load.stats.errors),
        "error_samples": load.stats.errors[:20],
        "surprises": load.stats.surprises[:20],
        "operations": operations,
        "bookings_created": len(load.bookings),
        "bookings_by_last_acknowledged_status": dict(booking_statuses),
        "bookings_refused_too_many_open_requests": load.refused_for_open_requests,
        "bookings_assigned_outside_the_load": load.assigned_outside_the_load,
        "declines_reoffered": load.reoffered,
        "complaints_opened": len(load.complaints),
        "invariants": {"checked": INVARIANTS_CHECKED, "violations": violations},
        "note": (
            "Local stack on loopback: each function's handler module runs one invocation at a time "
            "(per-module lock in local/dispatch.py); different functions, workflow steps and "
            "scheduled jobs run concurrently."
        ),
    }


INVARIANTS_CHECKED = [
    "identities: every professional holds its aadhaar/mobile/account claims; claims and bans match",
    "geo index: entries exist iff the professional is eligible; location, name and rating match",
    "bookings: valid status; at most one active booking per professional, named by active_booking_id",
    "offers: no booking offered twice to one professional; no professional holds two live offers",
    "open requests: each account's counter equals its bookings in requested",
    "acknowledged: every 201 booking stored for its professional; no acknowledged step undone",
    "complaints: decision matches status; lock exists iff one undecided complaint per booking and kind",
    "decisions: no complaint or police request decided twice; audit chains intact",
]


def table(result: dict[str, Any]) -> str:
    lines = [
        f"{'operation':<13}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'5xx':>5}  statuses",
    ]
    for op, row in result["operations"].items():
        statuses = " ".join(f"{code}:{n}" for code, n in row["statuses"].items())
        lines.append(
            f"{op:<13}{row['requests']:>9}{row['throughput_rps']:>8}{row['p50_ms']:>9}"
            f"{row['p99_ms']:>9}{row['errors']:>5}  {statuses}"
        )
    lines.append(
        f"{'all':<13}{result['requests']:>9}{result['throughput_rps']:>8}{result['p50_ms']:>9}"
        f"{result['p99_ms']:>9}{result['errors']:>5}  in {result['elapsed_s']} s"
    )
    return "\n".join(lines)


def summary(result: dict[str, Any]) -> str:
    """The table, the bookings, anything unexpected and the invariants' verdict."""
    by_status = result["bookings_by_last_acknowledged_status"]
    lines = [table(result), f"bookings: {result['bookings_created']} created, last acknowledged {by_status}"]
    lines += [f"unexpected: {surprise}" for surprise in result["surprises"]]
    violations = result["invariants"]["violations"]
    lines.append(f"invariants: {'all hold' if not violations else f'{len(violations)} VIOLATED'}")
    lines += [f"  {violation}" for violation in violations]
    return "\n".join(lines)
