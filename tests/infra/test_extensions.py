"""Scheduled jobs and workflow steps declared later (``SCHEDULED_JOBS``, ``WORKFLOW_ENTRIES``), and
the verification state machine slot, with fake entries."""

from __future__ import annotations

import pytest
from aws_cdk import aws_stepfunctions as sfn

from infra.nag import acknowledge
from sevamitra.routes import Entry, Function, ScheduledJob

# A stand-in job (not the real book-expiry, which has its own row in ENTRY_ACCESS).
EXPIRY = ScheduledJob(Entry(Function.BOOK, "sweep"), every_minutes=5)
STEPS = Entry(Function.VERIFY, "steps")


def _add_state_machine(stack) -> None:
    machine = sfn.StateMachine(
        stack,
        "FakeVerification",
        definition_body=sfn.DefinitionBody.from_chainable(sfn.Pass(stack, "Done")),
    )
    for rule in ("AwsSolutions-SF1", "AwsSolutions-SF2"):
        acknowledge(machine, rule, "test double of the verification workflow")
    stack.functions.allow_verification_start(machine)
    stack.fake_state_machine = machine


@pytest.fixture(scope="module")
def extended(synthesize):
    return synthesize(
        "dev", customize=_add_state_machine, scheduled_jobs=(EXPIRY,), workflow_entries=(STEPS,)
    )


def _function(synth, name: str) -> tuple[str, dict]:
    (match,) = [
        (key, res["Properties"])
        for key, res in synth.of_type("AWS::Lambda::Function").items()
        if res["Properties"]["FunctionName"] == f"sevamitra-dev-{name}"
    ]
    return match


def test_without_scheduled_jobs_there_are_no_rules_or_queues(synthesize):
    bare = synthesize("dev", scheduled_jobs=())
    assert bare.of_type("AWS::Events::Rule") == {}
    assert bare.of_type("AWS::SQS::Queue") == {}


def test_entries_are_functions_from_their_functions_asset_with_their_own_handler(extended):
    _, expiry = _function(extended, "book-sweep")
    _, steps = _function(extended, "verify-steps")
    _, book = _function(extended, "book")
    assert expiry["Handler"] == "book.sweep.lambda_handler"
    assert steps["Handler"] == "verify.steps.lambda_handler"
    assert expiry["Code"] == book["Code"]
    assert expiry["Runtime"] == "python3.13"
    assert expiry["Architectures"] == ["arm64"]
    assert expiry["TracingConfig"] == {"Mode": "Active"}


def test_a_scheduled_job_fires_its_function_with_retries_and_a_dead_letter_queue(extended):
    expiry_id, _ = _function(extended, "book-sweep")
    (rule,) = extended.of_type("AWS::Events::Rule").values()
    (queue_id,) = extended.of_type("AWS::SQS::Queue")
    assert rule["Properties"]["ScheduleExpression"] == "rate(5 minutes)"
    (target,) = rule["Properties"]["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": [expiry_id, "Arn"]}
    assert target["RetryPolicy"]["MaximumRetryAttempts"] == 2
    assert target["DeadLetterConfig"]["Arn"] == {"Fn::GetAtt": [queue_id, "Arn"]}
    queue = extended.resources[queue_id]["Properties"]
    assert queue["SqsManagedSseEnabled"] is True


def test_the_dead_letter_queue_has_an_alarm(extended):
    (queue_id,) = extended.of_type("AWS::SQS::Queue")
    alarms = [
        alarm["Properties"]
        for alarm in extended.of_type("AWS::CloudWatch::Alarm").values()
        if alarm["Properties"]["Namespace"] == "AWS/SQS"
    ]
    assert [alarm["Dimensions"][0]["Value"] for alarm in alarms] == [{"Fn::GetAtt": [queue_id, "QueueName"]}]


def test_a_scheduled_entry_without_its_own_row_gets_its_functions_access(extended):
    book_role = extended.logical_id(extended.stack.api_functions[Function.BOOK].role)
    expiry_role = extended.logical_id(extended.stack.functions.entry(EXPIRY.entry).role)

    def statements(role_id: str) -> list:
        return [
            statement
            for res in extended.of_type("AWS::IAM::Policy").values()
            if {"Ref": role_id} in res["Properties"]["Roles"]
            for statement in res["Properties"]["PolicyDocument"]["Statement"]
            if "Sid" in statement
        ]

    assert statements(expiry_role) == statements(book_role)


def test_only_functions_that_start_verification_get_the_state_machine(extended):
    machine_ref = {"Ref": extended.logical_id(extended.stack.fake_state_machine)}
    starters = {}
    for key, res in extended.of_type("AWS::IAM::Policy").items():
        for statement in res["Properties"]["PolicyDocument"]["Statement"]:
            if statement["Action"] == "states:StartExecution":
                assert statement["Resource"] == machine_ref
                starters[key] = res["Properties"]["Roles"]
    register = extended.stack.api_functions[Function.REGISTER]
    assert list(starters.values()) == [[{"Ref": extended.logical_id(register.role)}]]
    _, props = _function(extended, "register")
    assert props["Environment"]["Variables"]["VERIFICATION_STATE_MACHINE_ARN"] == machine_ref
    _, match = _function(extended, "match")
    assert "VERIFICATION_STATE_MACHINE_ARN" not in match["Environment"]["Variables"]


def test_schedules_and_entries_add_no_unacknowledged_cdk_nag_finding(extended):
    assert extended.nag_violations() == []


def test_booking_expiry_fires_every_minute_at_its_function_with_a_dead_letter_queue(dev):
    expiry_id, expiry = _function(dev, "book-expiry")
    assert expiry["Handler"] == "book.expiry.lambda_handler"
    (rule,) = dev.of_type("AWS::Events::Rule").values()
    (queue_id,) = dev.of_type("AWS::SQS::Queue")
    assert rule["Properties"]["ScheduleExpression"] == "rate(1 minute)"
    assert rule["Properties"]["State"] == "ENABLED"
    (target,) = rule["Properties"]["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": [expiry_id, "Arn"]}
    assert target["DeadLetterConfig"]["Arn"] == {"Fn::GetAtt": [queue_id, "Arn"]}
    permissions = [
        res["Properties"]
        for res in dev.of_type("AWS::Lambda::Permission").values()
        if res["Properties"]["FunctionName"] == {"Fn::GetAtt": [expiry_id, "Arn"]}
    ]
    assert [p["Principal"] for p in permissions] == ["events.amazonaws.com"]
