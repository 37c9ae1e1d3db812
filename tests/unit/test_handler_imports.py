"""What a cold start imports (docs/decisions.md, "Cold starts"): no function loads boto3, the
Powertools idempotency utility or the X-Ray SDK, and h3 waits for the first search or index write.
The time itself is measured by benchmarks/cold_start.py; this guards the import graph."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from local.paths import pythonpath
from sevamitra.edge.routes import MESSAGE_ENTRIES, SCHEDULED_JOBS, WORKFLOW_ENTRIES, Function

HANDLERS = [
    *(f"{function.value}.handler" for function in Function),
    *(
        entry.handler.rsplit(".", 1)[0]
        for entry in [*WORKFLOW_ENTRIES, *(job.entry for job in SCHEDULED_JOBS), *MESSAGE_ENTRIES]
    ),
]
NEVER = (
    "boto3",
    "aws_lambda_powertools.utilities.idempotency",
    "aws_xray_sdk",
    "pydantic_settings",
    "h3",
    # Powertools' catch-all package __init__s (sevamitra.platform.powertools): AppSync's resolver
    # (with asyncio) and every other event class stay out of a cold start.
    "aws_lambda_powertools.event_handler.appsync",
    "aws_lambda_powertools.utilities.data_classes.code_pipeline_job_event",
    "aws_lambda_powertools.event_handler.openapi.merge",
)


@pytest.mark.parametrize("module", HANDLERS)
def test_a_handler_import_loads_none_of_what_it_does_not_need(module: str) -> None:
    probe = f"import sys, json, {module}; print(json.dumps(sorted(sys.modules)))"
    env = {
        **os.environ,
        "PYTHONPATH": pythonpath(),
        "AWS_REGION": "ap-south-1",
        "AWS_DEFAULT_REGION": "ap-south-1",
    }
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    loaded = set(json.loads(out.stdout))
    assert module in loaded
    assert sorted(name for name in NEVER if name in loaded) == []
