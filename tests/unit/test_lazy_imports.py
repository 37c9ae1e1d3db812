"""What a cold start leaves for first use (docs/decisions.md, "Cold starts: Powertools' catch-all
packages load on demand"): Powertools' catch-all package ``__init__``s and the ONDC action models.
Each probe runs in a fresh interpreter, as a Lambda cold start does. The time is measured by
benchmarks/cold_start.py; tests/unit/test_handler_imports.py guards the import graph."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from local.paths import pythonpath
from sevamitra.platform.powertools import EXPORTS


def _run(probe: str) -> object:
    env = {
        **os.environ,
        "PYTHONPATH": pythonpath(),
        "AWS_REGION": "ap-south-1",
        "AWS_DEFAULT_REGION": "ap-south-1",
    }
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(probe)], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_each_deferred_name_is_the_object_the_real_package_exports() -> None:
    # Without sevamitra.platform.powertools: the packages' own __init__s run.
    probe = f"""
        import importlib, json
        exports = {json.dumps({package: dict(names) for package, names in EXPORTS.items()})}
        wrong = []
        for package, names in exports.items():
            real = importlib.import_module(package)
            for name, submodule in names.items():
                defining = importlib.import_module(package + "." + submodule)
                if getattr(real, name) is not getattr(defining, name):
                    wrong.append(package + "." + name)
        print(json.dumps(wrong))
    """
    assert _run(probe) == []


def test_after_a_handler_import_every_name_of_the_packages_still_imports() -> None:
    probe = """
        import json, sys
        import register.handler
        later = ("aws_lambda_powertools.event_handler.appsync",
                 "aws_lambda_powertools.event_handler.openapi.merge",
                 "aws_lambda_powertools.utilities.data_classes.s3_batch_operation_event")
        deferred = [name for name in later if name in sys.modules]
        from aws_lambda_powertools.event_handler import APIGatewayRestResolver, AppSyncResolver, content_types
        from aws_lambda_powertools.event_handler.api_gateway import APIGatewayRestResolver as Direct
        from aws_lambda_powertools.utilities.data_classes import CodePipelineJobEvent, S3Event
        from aws_lambda_powertools.event_handler.openapi import OpenAPIMerge
        import aws_lambda_powertools.event_handler as package
        print(json.dumps({
            "deferred_before": deferred,
            "same_resolver": APIGatewayRestResolver is Direct,
            "names": [AppSyncResolver.__name__, CodePipelineJobEvent.__name__, S3Event.__name__,
                      content_types.APPLICATION_JSON],
            "all": sorted(package.__all__)[:3],
            "merge": OpenAPIMerge.__name__,
        }))
    """
    assert _run(probe) == {
        "deferred_before": [],
        "same_resolver": True,
        "names": ["AppSyncResolver", "CodePipelineJobEvent", "S3Event", "application/json"],
        "all": ["ALBResolver", "APIGatewayHttpResolver", "APIGatewayRestResolver"],
        "merge": "OpenAPIMerge",
    }


def test_an_ondc_handler_import_builds_no_action_model() -> None:
    # The models build on a request's first use (defer_build), each action its own.
    probe = """
        import json
        import ondc.handler
        from ondc import models
        names = ("Context", "SearchIn", "ConfirmIn", "IssueIn", "BecknRatingIn")
        print(json.dumps(sorted(name for name in names if getattr(models, name).__pydantic_complete__)))
    """
    assert _run(probe) == []
