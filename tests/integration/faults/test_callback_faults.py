"""The police callback with a fault at each of its AWS calls (the police key from Secrets Manager,
the request look-up, Step Functions' SendTaskSuccess, recording the answer), on the real
verification workflow: the police system gets 503 (429 when DynamoDB throttles) with the workflow
still waiting and nothing recorded, or 200 with the answer taken; the retried callback gets 200,
and the professional is decided exactly once."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from local.lambdas import install_lambda_router, uninstall_lambda_router
from local.provision import LocalResources, cached_client, create_verification_workflow
from sevamitra.data.verifications import get_request
from sevamitra.platform.settings import settings
from tests.integration import verification_support as verification
from tests.integration.conftest import Api, ApiResponse
from tests.integration.faults.conftest import Faults, forget_keys, serial, stored_violations


@pytest.fixture
def workflow(aws: LocalResources) -> Iterator[str]:
    """The real verification state machine, beside the package's stand-in."""
    install_lambda_router(settings().resource_prefix)
    try:
        yield create_verification_workflow(settings(), name=f"faults-verification-{serial()}")
    finally:
        sfn = cached_client("stepfunctions", settings().aws_region)
        for machine in sfn.list_state_machines()["stateMachines"]:
            for run in sfn.list_executions(
                stateMachineArn=machine["stateMachineArn"], statusFilter="RUNNING"
            )["executions"]:
                sfn.stop_execution(executionArn=run["executionArn"])
        uninstall_lambda_router()


def _waiting(workflow: str) -> tuple[str, str, str]:
    """A professional whose workflow waits for the police: (id, execution, request id)."""
    pid = f"pro_cb{serial()}"
    return pid, *verification.waiting_for_police(pid, state_machine_arn=workflow)


def _answer(api: Api, request_id: str) -> ApiResponse:
    return verification.callback(api, json.dumps({"request_id": request_id, "result": "clear"}))


@pytest.mark.parametrize("throttle", [False, True], ids=["error", "throttled"])
def test_a_fault_at_any_step_of_the_callback_is_retry_safe(
    api: Api, faults: Faults, workflow: str, throttle: bool
) -> None:
    pid, execution, request_id = _waiting(workflow)
    forget_keys()
    with faults.recording() as recorder:
        assert _answer(api, request_id).status == 200
    verification.finished(execution)
    steps = recorder.calls
    assert {"secretsmanager:GetSecretValue", "stepfunctions:SendTaskSuccess", "dynamodb:UpdateItem"} <= set(
        steps
    )

    problems: list[str] = []
    for index, step in enumerate(steps):
        if throttle and not step.startswith("dynamodb:"):
            continue
        pid, execution, request_id = _waiting(workflow)
        forget_keys()
        where = f"callback: {'throttled' if throttle else 'failed'} call {index + 1}/{len(steps)} {step}"
        with faults.failing(index, throttle=throttle) as injector:
            faulted = _answer(api, request_id)
        assert injector.fired == step, f"{where}: the calls changed ({injector.calls})"
        allowed = (200, 429 if throttle and step.startswith("dynamodb:") else 503)
        if faulted.status not in allowed:
            problems.append(f"{where}: answered {faulted.status} {faulted.body}, expected one of {allowed}")
        if faulted.status != 200:
            request = get_request(request_id)
            taken = request is None or request.result is not None
            if taken or verification.professional(pid).status != "police_pending":
                problems.append(f"{where}: answered {faulted.status} but the answer was taken")
        retried = _answer(api, request_id)
        if retried.status != 200:
            problems.append(f"{where}: the retry answered {retried.status} {retried.body}")
        outcome = verification.finished(execution)
        ended = verification.professional(pid).status
        if outcome != "SUCCEEDED" or ended != "verified":
            problems.append(f"{where}: the workflow ended {ended}")
        decisions = [stage for stage, _ in verification.stages(pid) if stage == "decision"]
        if len(decisions) != 1:
            problems.append(f"{where}: {len(decisions)} decisions")
        problems += [f"{where}: {p}" for p in stored_violations()]
    assert not problems, "\n".join(problems)
