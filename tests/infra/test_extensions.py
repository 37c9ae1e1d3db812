"""Scheduled jobs declared later (``SCHEDULED_JOBS``), with a fake entry, and workflow entries."""

from __future__ import annotations

import pytest

from sevamitra.edge.routes import Entry, Function, ScheduledJob

# A stand-in job (not the real book-expiry, which has its own row in ENTRY_ACCESS).
EXPIRY = ScheduledJob(Entry(Function.BOOK, "sweep"), every_minutes=5)
STEPS = Entry(Function.VERIFY, "steps")


@pytest.fixture(scope="module")
def extended(synthesize):
    return synthesize("dev", scheduled_jobs=(EXPIRY,), workflow_entries=(STEPS,))


def _schedule_queue_id(synth) -> str:
    return synth.logical_id(synth.stack.schedules.dead_letters)


def _function(synth, name: str) -> tuple[str, dict]:
    (match,) = [
        (key, res["Properties"])
        for key, res in synth.of_type("AWS::Lambda::Function").items()
        if res["Properties"]["FunctionName"] == f"sevamitra-dev-{name}"
    ]
    return match


def _schedule_rules(synth) -> list[dict]:
    return [
        rule["Properties"]
        for rule in synth.of_type("AWS::Events::Rule").values()
        if "ScheduleExpression" in rule["Properties"]
    ]


def test_each_scheduled_job_of_the_app_has_exactly_one_schedule_rule(dev):
    from sevamitra.edge.routes import SCHEDULED_JOBS

    rules = _schedule_rules(dev)
    assert len(rules) == len(SCHEDULED_JOBS)
    for job in SCHEDULED_JOBS:
        function_id, _ = _function(dev, job.entry.name)
        (rule,) = [r for r in rules if r["Targets"][0]["Arn"] == {"Fn::GetAtt": [function_id, "Arn"]}]
        minutes = job.every_minutes
        assert rule["ScheduleExpression"] == (f"rate({minutes} minutes)" if minutes > 1 else "rate(1 minute)")


def test_without_scheduled_jobs_there_are_no_schedule_rules_or_their_queue(synthesize):
    bare = synthesize("dev", scheduled_jobs=())
    assert _schedule_rules(bare) == []
    assert bare.stack.schedules.dead_letters is None


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
    (rule,) = _schedule_rules(extended)
    queue_id = extended.logical_id(extended.stack.schedules.dead_letters)
    assert rule["ScheduleExpression"] == "rate(5 minutes)"
    (target,) = rule["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": [expiry_id, "Arn"]}
    assert target["RetryPolicy"]["MaximumRetryAttempts"] == 2
    assert target["DeadLetterConfig"]["Arn"] == {"Fn::GetAtt": [queue_id, "Arn"]}
    queue = extended.resources[queue_id]["Properties"]
    assert queue["SqsManagedSseEnabled"] is True


def test_every_dead_letter_queue_has_an_alarm(extended):
    queue_ids = set(extended.of_type("AWS::SQS::Queue"))
    assert extended.logical_id(extended.stack.schedules.dead_letters) in queue_ids
    alarmed = [
        alarm["Properties"]["Dimensions"][0]["Value"]["Fn::GetAtt"][0]
        for alarm in extended.of_type("AWS::CloudWatch::Alarm").values()
        if alarm["Properties"]["Namespace"] == "AWS/SQS"
    ]
    assert set(alarmed) == queue_ids  # a work queue may have more than one (the ONDC backlog and age)


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


def test_schedules_and_entries_add_no_unacknowledged_cdk_nag_finding(extended):
    assert extended.nag_violations() == []


def test_booking_expiry_fires_every_minute_at_its_function_with_a_dead_letter_queue(dev):
    expiry_id, expiry = _function(dev, "book-expiry")
    assert expiry["Handler"] == "book.expiry.lambda_handler"
    target_arn = {"Fn::GetAtt": [expiry_id, "Arn"]}
    (rule,) = [r for r in _schedule_rules(dev) if r["Targets"][0]["Arn"] == target_arn]
    queue_id = dev.logical_id(dev.stack.schedules.dead_letters)
    assert rule["ScheduleExpression"] == "rate(1 minute)"
    assert rule["State"] == "ENABLED"
    (target,) = rule["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": [expiry_id, "Arn"]}
    assert target["DeadLetterConfig"]["Arn"] == {"Fn::GetAtt": [queue_id, "Arn"]}
    permissions = [
        res["Properties"]
        for res in dev.of_type("AWS::Lambda::Permission").values()
        if res["Properties"]["FunctionName"] == {"Fn::GetAtt": [expiry_id, "Arn"]}
    ]
    assert [p["Principal"] for p in permissions] == ["events.amazonaws.com"]
