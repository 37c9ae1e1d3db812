"""Cold start cost: the import time of each function's handler module in a fresh interpreter,
next to ``import boto3`` measured in the same run (the floor every Python Lambda pays).

    python benchmarks/cold_start.py [--runs 15] [--python current|runtime|PATH] [--out ...json]

It measures under the Lambda runtime's Python (CPython 3.13, ``--python runtime``, the default
when one is installed): in a virtualenv built once under ``build/bench-python`` with exactly
pyproject's runtime dependencies (the layer's) and boto3 (the runtime's), which needs PyPI the
first time. ``--python current`` measures under the interpreter running this script.

The code is laid out as Lambda runs it: each function's package alone first on the path (as in
``/var/task``: source and ``unchecked-hash`` bytecode, as ``make layer`` builds the function
assets), then the shared package compiled to ``unchecked-hash`` bytecode (as ``make layer`` ships
it in ``/opt/python``), then the installed
third-party packages (bytecode from pip, as in the layer); nothing can write bytecode, as on
Lambda's read-only file system. Every handler import is paired with an ``import boto3`` run just
before or after it (alternating), so the machine's drift cancels out of the ratio; a handler's
ratio is the median over ``--runs`` pairs of fresh interpreters, its time the median of its runs.
Target (issue 21): every handler <= 1.5x ``import boto3``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "layers/common/python"), str(ROOT)]

from infra.layer import (  # noqa: E402
    PYTHON_VERSION,
    LayerBuildError,
    build_functions,
    copy_shared_package,
    runtime_dependencies,
    runtime_python,
)
from sevamitra.edge.routes import SCHEDULED_JOBS, WORKFLOW_ENTRIES, Function  # noqa: E402

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
    "PYTHONDONTWRITEBYTECODE": "1",
}
_PROBE = "import time; t = time.perf_counter(); import {module}; print((time.perf_counter() - t) * 1000)"


BENCH_VENV = ROOT / "build" / "bench-python"
TARGET_RATIO = 1.5


def runtime_environment(venv: Path = BENCH_VENV) -> str:
    """A CPython 3.13 virtualenv with the layer's dependencies and boto3; built on first use."""
    python = venv / "bin" / "python"
    wanted = "\n".join(sorted([*runtime_dependencies(), "boto3"]))
    stamp = venv / "requirements.txt"
    if not (python.exists() and stamp.exists() and stamp.read_text() == wanted):
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([runtime_python(), "-m", "venv", str(venv)], check=True)
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, *wanted.splitlines()], check=True)
        stamp.write_text(wanted)
    return str(python)


def interpreter(choice: str) -> str:
    if choice == "current":
        return sys.executable
    if choice != "runtime":
        return choice
    try:
        return runtime_environment()
    except (LayerBuildError, subprocess.CalledProcessError) as missing:
        print(f"no CPython {PYTHON_VERSION} environment ({missing}); measuring under {sys.executable}")
        return sys.executable


def deployment(into: Path, python: str) -> dict[str, Path]:
    """Lay the code out in ``into`` as Lambda does; returns each function's ``/var/task``."""
    layer = into / "opt" / "python"
    layer.mkdir(parents=True)
    compiled = copy_shared_package(layer)
    # The layer's bytecode, compiled as `make layer` does.
    subprocess.run(
        [python, "-m", "compileall", "-q", "--invalidation-mode", "unchecked-hash", str(compiled)],
        check=True,
    )
    # The functions' own code, compiled as `make layer` builds their assets.
    built = build_functions(into / "task", python)
    return {function.value: built[function.value] for function in Function}


def import_ms(python: str, module: str, task: Path) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POWERTOOLS_", "PYTHON"))}
    env.update(LAMBDA_ENV, PYTHONPATH=os.pathsep.join([str(task), str(task.parents[1] / "opt" / "python")]))
    out = subprocess.run(
        [python, "-X", "frozen_modules=on", "-c", _PROBE.format(module=module)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=task,
    )
    return float(out.stdout.strip().splitlines()[-1])


def modules() -> dict[str, str]:
    found = {f.value: f"{f.value}.handler" for f in Function}
    for entry in [*WORKFLOW_ENTRIES, *(job.entry for job in SCHEDULED_JOBS)]:
        found[entry.name] = entry.handler.rsplit(".", 1)[0]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--python", default="runtime", help="runtime (default), current, or a path")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/cold_start.json")
    args = parser.parse_args()

    targets = modules()
    boto3_samples: list[float] = []
    handler_samples: dict[str, list[float]] = {name: [] for name in targets}
    ratios: dict[str, list[float]] = {name: [] for name in targets}
    python = interpreter(args.python)
    version = subprocess.run(
        [python, "-c", "import sys; print(sys.version.split()[0])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="sevamitra-cold-start-") as scratch:
        tasks = deployment(Path(scratch), python)
        for run in range(args.runs):
            for name, module in targets.items():
                task = tasks[module.split(".")[0]]
                # Each handler next to its own boto3 import, in alternating order, so that the
                # machine's drift over a run cancels out of the ratio.
                pair = [("boto3", task), (module, task)]
                first, second = pair if run % 2 == 0 else pair[::-1]
                timed = {first[0]: import_ms(python, *first), second[0]: import_ms(python, *second)}
                boto3_samples.append(timed["boto3"])
                handler_samples[name].append(timed[module])
                ratios[name].append(timed[module] / timed["boto3"])

    boto3_ms = statistics.median(boto3_samples)
    rows: dict[str, dict[str, float | str]] = {
        name: {
            "module": module,
            "median_ms": round(statistics.median(handler_samples[name]), 1),
            "ratio_to_boto3": round(statistics.median(ratios[name]), 2),
        }
        for name, module in targets.items()
    }
    print(f"Python {version}, {args.runs} runs")
    print(f"{'function':<20} {'module':<24} {'median ms':>10} {'x boto3':>8}")
    print(f"{'(import boto3)':<20} {'boto3':<24} {boto3_ms:>10.1f} {1.0:>8.2f}")
    for name, row in rows.items():
        print(f"{name:<20} {row['module']:<24} {row['median_ms']:>10.1f} {row['ratio_to_boto3']:>8.2f}")
    result = {
        "runs": args.runs,
        "python": version,
        "layout": "function source first on the path; shared package as unchecked-hash bytecode; no writes",
        "boto3_median_ms": round(boto3_ms, 1),
        "target_ratio": TARGET_RATIO,
        "functions": rows,
        "all_within_target": all(float(row["ratio_to_boto3"]) <= TARGET_RATIO for row in rows.values()),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
