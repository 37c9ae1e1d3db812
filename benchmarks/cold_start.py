"""Cold start cost: the import time of each function's handler module in a fresh interpreter,
next to ``import boto3`` measured in the same run (the floor every Python Lambda pays).

    python benchmarks/cold_start.py [--runs 7] [--out benchmarks/results/cold_start.json]

Runs are interleaved (boto3, then each handler, repeated) so machine noise hits all alike; the
figure per module is the median of ``--runs`` fresh interpreters. Target (issue 8): every
handler <= 2x ``import boto3``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "layers/common/python"), str(ROOT)]

from local.paths import pythonpath  # noqa: E402
from sevamitra.routes import SCHEDULED_JOBS, WORKFLOW_ENTRIES, Function  # noqa: E402

PYTHONPATH = pythonpath()
# What a deployed function's environment holds (infra/constructs/functions.py), minus endpoints.
LAMBDA_ENV = {
    "AWS_REGION": "ap-south-1",
    "AWS_DEFAULT_REGION": "ap-south-1",
    "STAGE": "bench",
    "TABLE_PREFIX": "sevamitra-bench-",
    "POWERTOOLS_SERVICE_NAME": "sevamitra",
    "POWERTOOLS_METRICS_NAMESPACE": "SevaMitra",
    "POWERTOOLS_LOG_LEVEL": "INFO",
    "PYDANTIC_DISABLE_PLUGINS": "__all__",
}
_PROBE = "import time; t = time.perf_counter(); import {module}; print((time.perf_counter() - t) * 1000)"


def import_ms(module: str) -> float:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("POWERTOOLS_")}, **LAMBDA_ENV}
    env["PYTHONPATH"] = PYTHONPATH
    out = subprocess.run(
        [sys.executable, "-X", "frozen_modules=on", "-c", _PROBE.format(module=module)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    return float(out.stdout.strip().splitlines()[-1])


def modules() -> dict[str, str]:
    found = {f.value: f"{f.value}.handler" for f in Function}
    for entry in [*WORKFLOW_ENTRIES, *(job.entry for job in SCHEDULED_JOBS)]:
        found[entry.name] = entry.handler.rsplit(".", 1)[0]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/cold_start.json")
    args = parser.parse_args()

    targets = modules()
    samples: dict[str, list[float]] = {"boto3": [], **{name: [] for name in targets}}
    for _ in range(args.runs):
        samples["boto3"].append(import_ms("boto3"))
        for name, module in targets.items():
            samples[name].append(import_ms(module))

    boto3_ms = statistics.median(samples["boto3"])
    rows: dict[str, dict[str, float | str]] = {
        name: {
            "module": module,
            "median_ms": round(statistics.median(samples[name]), 1),
            "ratio_to_boto3": round(statistics.median(samples[name]) / boto3_ms, 2),
        }
        for name, module in targets.items()
    }
    print(f"{'function':<20} {'module':<24} {'median ms':>10} {'x boto3':>8}")
    print(f"{'(import boto3)':<20} {'boto3':<24} {boto3_ms:>10.1f} {1.0:>8.2f}")
    for name, row in rows.items():
        print(f"{name:<20} {row['module']:<24} {row['median_ms']:>10.1f} {row['ratio_to_boto3']:>8.2f}")
    result = {
        "runs": args.runs,
        "python": sys.version.split()[0],
        "boto3_median_ms": round(boto3_ms, 1),
        "target_ratio": 2.0,
        "functions": rows,
        "all_within_target": all(float(row["ratio_to_boto3"]) <= 2.0 for row in rows.values()),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
