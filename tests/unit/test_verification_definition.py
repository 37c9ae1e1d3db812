"""The verification state machine definition: every task retries and catches, the police waits
time out into escalation, and the placeholders are exactly what the stacks substitute."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra.verification_workflow import (
    ASL_PATH,
    TIMEOUT_PLACEHOLDER,
    function_arn_placeholder,
    placeholders,
    render,
    substitutions,
)
from sevamitra.edge.routes import VERIFY_STEPS, WORKFLOW_ENTRIES

ARN = "arn:aws:lambda:ap-south-1:123456789012:function:sevamitra-dev-verify-steps"


def _states() -> dict[str, Any]:
    return json.loads(ASL_PATH.read_text())["States"]


def test_definition_is_valid_json_before_and_after_substitution() -> None:
    rendered = json.loads(render(substitutions({VERIFY_STEPS: ARN}, 604800)))
    assert "${" not in json.dumps(rendered)
    assert rendered["States"]["CheckDocuments"]["Parameters"]["FunctionName"] == ARN
    configure = rendered["States"]["Configure"]["Parameters"]
    assert configure["police_timeout_s.$"] == "States.StringToJson('604800')"


def test_placeholders_are_the_workflow_functions_and_the_timeout() -> None:
    expected = {function_arn_placeholder(entry) for entry in WORKFLOW_ENTRIES} | {TIMEOUT_PLACEHOLDER}
    assert placeholders() == expected
    assert function_arn_placeholder(VERIFY_STEPS) == "VerifyStepsFunctionArn"


def test_every_task_retries_transient_errors_and_catches_everything() -> None:
    for name, state in _states().items():
        if state["Type"] != "Task":
            continue
        retried = {error for retrier in state["Retry"] for error in retrier["ErrorEquals"]}
        assert "Lambda.ServiceException" in retried or "States.ALL" in retried, name
        assert "Lambda.TooManyRequestsException" in retried or "States.ALL" in retried, name
        caught = {error for catcher in state["Catch"] for error in catcher["ErrorEquals"]}
        assert "States.ALL" in caught, name


def test_failure_handling_is_where_every_step_failure_goes() -> None:
    states = _states()
    for name, state in states.items():
        if state["Type"] == "Task" and name != "HandleFailure":
            catch_all = next(c for c in state["Catch"] if "States.ALL" in c["ErrorEquals"])
            assert catch_all["Next"] == "HandleFailure", name
    assert states[states["HandleFailure"]["Next"]]["Type"] == "Fail"


@pytest.mark.parametrize("name", ["RequestPolice", "AwaitAnswer"])
def test_police_waits_time_out_into_escalation_and_wait_again(name: str) -> None:
    states = _states()
    state = states[name]
    assert state["Resource"] == "arn:aws:states:::lambda:invoke.waitForTaskToken"
    assert state["TimeoutSecondsPath"] == "$.police_timeout_s"
    assert state["Parameters"]["Payload"]["task_token.$"] == "$$.Task.Token"
    assert state["Parameters"]["Payload"]["request_id.$"] == "$.request_id"
    timeout = next(c for c in state["Catch"] if c["ErrorEquals"] == ["States.Timeout"])
    assert timeout["Next"] == "Escalate"
    assert states["Escalate"]["Next"] == "AwaitAnswer"
    # A timeout is an answer that did not come, not a transient error: never retried.
    retried = {error for retrier in state["Retry"] for error in retrier["ErrorEquals"]}
    assert not retried & {"States.Timeout", "States.ALL"}


def test_every_transition_targets_a_state() -> None:
    states = _states()
    targets = {state["Next"] for state in states.values() if "Next" in state}
    targets |= {c["Next"] for state in states.values() for c in state.get("Catch", [])}
    targets |= {c["Next"] for state in states.values() for c in state.get("Choices", [])}
    targets |= {state["Default"] for state in states.values() if "Default" in state}
    assert targets <= set(states)


def test_substitutions_refuse_a_missing_function_or_a_zero_timeout() -> None:
    with pytest.raises(ValueError, match="verify-steps"):
        substitutions({}, 60)
    with pytest.raises(ValueError, match="at least 1"):
        substitutions({VERIFY_STEPS: ARN}, 0)
