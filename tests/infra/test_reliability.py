"""Reliability in the template: every asynchronous path ends in a queue with an alarm, every alarm
reaches the (encrypted) alarm topic, the API and police escalations have alarms, and the dashboard
shows the lot. ``prod_jobs`` is prod with the scheduled jobs (a stand-in job until the real ones
are declared in ``SCHEDULED_JOBS``)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Template

from infra import constants
from infra.constants import STAGES
from infra.constructs.operations import Operations
from infra.verification_workflow import ASL_PATH
from sevamitra.edge.routes import INBOUND_SMS, SCHEDULED_JOBS, Entry, Function, ScheduledJob

JOBS = tuple(SCHEDULED_JOBS) or (ScheduledJob(Entry(Function.BOOK, "expiry"), every_minutes=5),)


@pytest.fixture(scope="module")
def prod_jobs(synthesize):
    return synthesize("prod", scheduled_jobs=JOBS)


def _function_ids(synth) -> set[str]:
    return set(synth.of_type("AWS::Lambda::Function"))


def _queue_ids(synth) -> set[str]:
    return set(synth.of_type("AWS::SQS::Queue"))


def _alarms(synth) -> list[dict[str, Any]]:
    return [res["Properties"] for res in synth.of_type("AWS::CloudWatch::Alarm").values()]


def _targets(synth) -> list[dict[str, Any]]:
    return [
        target
        for rule in synth.of_type("AWS::Events::Rule").values()
        for target in rule["Properties"]["Targets"]
    ]


@pytest.mark.parametrize("stage", ["dev", "prod_jobs"])
def test_every_eventbridge_target_retries_then_parks_events_in_a_queue(stage, request):
    synth = request.getfixturevalue(stage)
    targets = _targets(synth)
    assert targets
    for target in targets:
        queue_id = target["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0]
        assert queue_id in _queue_ids(synth), target
        assert target["RetryPolicy"]["MaximumRetryAttempts"] >= 1
        assert target["RetryPolicy"]["MaximumEventAgeInSeconds"] > 0


def test_every_asynchronously_invoked_function_has_an_on_failure_queue_and_no_lambda_retry(prod_jobs):
    invoked = {
        target["Arn"]["Fn::GetAtt"][0]
        for target in _targets(prod_jobs)
        if target["Arn"].get("Fn::GetAtt", [None])[0] in _function_ids(prod_jobs)
    }
    assert len(invoked) == len(JOBS)
    configs = {
        res["Properties"]["FunctionName"]["Ref"]: res["Properties"]
        for res in prod_jobs.of_type("AWS::Lambda::EventInvokeConfig").values()
    }
    inbound_sms = prod_jobs.logical_id(prod_jobs.stack.functions.entry(INBOUND_SMS))
    assert set(configs) == invoked | {inbound_sms}  # SNS invokes book-sms asynchronously too
    failures = prod_jobs.logical_id(prod_jobs.stack.operations.async_failures)
    for function_id in invoked:
        config = configs[function_id]
        assert config["DestinationConfig"]["OnFailure"]["Destination"] == {"Fn::GetAtt": [failures, "Arn"]}
        assert config["MaximumRetryAttempts"] == constants.ASYNC_RETRY_ATTEMPTS
        assert config["MaximumEventAgeInSeconds"] == constants.ASYNC_MAX_EVENT_AGE.to_seconds()
        assert config["Qualifier"] == "$LATEST"


def test_an_inbound_sms_is_retried_twice_then_parked_in_its_own_queue(prod_jobs):
    inbound_sms = prod_jobs.logical_id(prod_jobs.stack.functions.entry(INBOUND_SMS))
    (config,) = [
        res["Properties"]
        for res in prod_jobs.of_type("AWS::Lambda::EventInvokeConfig").values()
        if res["Properties"]["FunctionName"]["Ref"] == inbound_sms
    ]
    failures = prod_jobs.logical_id(prod_jobs.stack.messaging.inbound_failures)
    assert config["DestinationConfig"]["OnFailure"]["Destination"] == {"Fn::GetAtt": [failures, "Arn"]}
    assert config["MaximumRetryAttempts"] == constants.INBOUND_SMS_RETRY_ATTEMPTS == 2
    assert failures in _queue_ids(prod_jobs)


def test_a_scheduled_job_may_send_its_failures_to_the_queue_and_nothing_else_there(prod_jobs):
    failures = prod_jobs.logical_id(prod_jobs.stack.operations.async_failures)
    job_roles = {prod_jobs.logical_id(prod_jobs.stack.functions.entry(job.entry).role) for job in JOBS}
    senders = set()
    for policy in prod_jobs.of_type("AWS::IAM::Policy").values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            if statement["Resource"] == {"Fn::GetAtt": [failures, "Arn"]}:
                # What CDK's SqsDestination grants: send, and look the queue up.
                assert set(statement["Action"]) == {
                    "sqs:SendMessage",
                    "sqs:GetQueueAttributes",
                    "sqs:GetQueueUrl",
                }
                senders |= {role["Ref"] for role in policy["Properties"]["Roles"]}
    assert senders == job_roles


def test_prod_scheduled_jobs_run_one_at_a_time_and_nothing_else_reserves_concurrency(prod_jobs, dev):
    jobs = {prod_jobs.logical_id(prod_jobs.stack.functions.entry(job.entry)) for job in JOBS}
    for function_id, function in prod_jobs.of_type("AWS::Lambda::Function").items():
        reserved = function["Properties"].get("ReservedConcurrentExecutions")
        assert reserved == (1 if function_id in jobs else None), function_id
    assert STAGES["dev"].scheduled_reserved_concurrency is None
    for function in dev.of_type("AWS::Lambda::Function").values():
        assert "ReservedConcurrentExecutions" not in function["Properties"]
    for function in dev.of_type("AWS::Lambda::Function").values():
        assert "ProvisionedConcurrencyConfig" not in function["Properties"]


def test_the_workflow_invokes_its_steps_synchronously_so_they_need_no_async_config():
    states = json.loads(ASL_PATH.read_text())["States"]
    tasks = [state for state in states.values() if state["Type"] == "Task"]
    assert tasks
    for task in tasks:
        assert task["Resource"] in (
            "arn:aws:states:::lambda:invoke",
            "arn:aws:states:::lambda:invoke.waitForTaskToken",
        )
        assert task["Parameters"].get("InvocationType", "RequestResponse") == "RequestResponse"
        assert task.get("Catch"), task  # a failure is caught, and ends in ExecutionsFailed


@pytest.mark.parametrize("stage", ["dev", "prod_jobs"])
def test_every_queue_has_a_depth_alarm(stage, request):
    synth = request.getfixturevalue(stage)
    alarmed = {
        alarm["Dimensions"][0]["Value"]["Fn::GetAtt"][0]
        for alarm in _alarms(synth)
        if alarm.get("Namespace") == "AWS/SQS" and alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"
    }
    assert _queue_ids(synth)
    assert alarmed == _queue_ids(synth)


def test_every_function_has_an_errors_and_a_throttles_alarm(prod_jobs):
    by_function: dict[str, set[str]] = {}
    for alarm in _alarms(prod_jobs):
        if alarm.get("Namespace") == "AWS/Lambda":
            (dimension,) = alarm["Dimensions"]
            by_function.setdefault(dimension["Value"]["Ref"], set()).add(alarm["MetricName"])
    assert by_function == {function_id: {"Errors", "Throttles"} for function_id in _function_ids(prod_jobs)}


@pytest.mark.parametrize("stage", ["dev", "prod_jobs"])
def test_every_alarm_notifies_the_alarm_topic(stage, request):
    synth = request.getfixturevalue(stage)
    topic = {"Ref": synth.logical_id(synth.stack.operations.topic)}
    alarms = _alarms(synth)
    assert alarms
    for alarm in alarms:
        assert alarm["AlarmActions"] == [topic], alarm.get("AlarmDescription")


def test_the_alarm_topic_is_encrypted_with_a_key_cloudwatch_may_use_and_takes_https_only(dev):
    topic_id = dev.logical_id(dev.stack.operations.topic)
    topic = dev.resources[topic_id]
    # The other topic: inbound SMS replies (tests/infra/test_messaging.py).
    assert set(dev.of_type("AWS::SNS::Topic")) == {
        topic_id,
        dev.logical_id(dev.stack.messaging.inbound_topic),
    }
    key_id = dev.logical_id(dev.stack.keys.alarms)
    assert topic["Properties"]["KmsMasterKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
    key_policy = dev.resources[key_id]["Properties"]["KeyPolicy"]["Statement"]
    (cloudwatch,) = [s for s in key_policy if s.get("Principal") == {"Service": "cloudwatch.amazonaws.com"}]
    assert set(cloudwatch["Action"]) == {"kms:Decrypt", "kms:GenerateDataKey*"}
    (policy,) = [
        p
        for p in dev.of_type("AWS::SNS::TopicPolicy").values()
        if p["Properties"]["Topics"] == [{"Ref": topic_id}]
    ]
    (deny,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    # no alarm_email context
    assert [
        s
        for s in dev.of_type("AWS::SNS::Subscription").values()
        if s["Properties"]["TopicArn"] == {"Ref": topic_id}
    ] == []


def test_alarm_email_subscribes_the_address_to_the_topic():
    stack = Stack(App(), "Ops")
    stage = constants.stage_settings("dev", alarm_email="oncall@example.gov.in")
    Operations(stack, "Operations", stage=stage, key=kms.Key(stack, "Key", enable_key_rotation=True))
    Template.from_stack(stack).has_resource_properties(
        "AWS::SNS::Subscription", {"Protocol": "email", "Endpoint": "oncall@example.gov.in"}
    )


def test_the_api_alarms_on_its_5xx_rate_and_p99_latency(dev):
    on_api = {
        alarm["MetricName"]: alarm for alarm in _alarms(dev) if alarm.get("Namespace") == "AWS/ApiGateway"
    }
    assert set(on_api) == {"5XXError", "Latency"}
    errors, latency = on_api["5XXError"], on_api["Latency"]
    assert errors["Statistic"] == "Average"  # 5XXError averages to the share of requests
    assert errors["Threshold"] == constants.API_5XX_RATE_THRESHOLD
    assert latency["ExtendedStatistic"] == "p99"
    assert latency["Threshold"] == constants.API_P99_LATENCY_MS
    assert latency["EvaluationPeriods"] == constants.API_LATENCY_EVALUATION_PERIODS
    for alarm in (errors, latency):
        assert alarm["Dimensions"] == [{"Name": "ApiName", "Value": "sevamitra-dev-api"}]


def test_police_requests_escalated_for_want_of_an_answer_raise_an_alarm(dev):
    (alarm,) = [a for a in _alarms(dev) if a.get("MetricName") == constants.POLICE_ESCALATED_METRIC]
    assert alarm["Namespace"] == "SevaMitra"
    assert alarm["Dimensions"] == [{"Name": "service", "Value": "sevamitra"}]
    assert alarm["Statistic"] == "Sum"
    assert alarm["Threshold"] == 1


def test_the_dashboard_shows_the_api_every_function_table_execution_metric_and_queue(prod_jobs):
    (dashboard,) = prod_jobs.of_type("AWS::CloudWatch::Dashboard").values()
    assert dashboard["Properties"]["DashboardName"] == "sevamitra-prod-operations"
    body = json.dumps(dashboard["Properties"]["DashboardBody"])
    for function_id in _function_ids(prod_jobs):
        assert json.dumps({"Ref": function_id}) in body, function_id
    for table_id in prod_jobs.of_type("AWS::DynamoDB::Table"):
        assert json.dumps({"Ref": table_id}) in body, table_id
    for queue_id in _queue_ids(prod_jobs):
        assert json.dumps({"Fn::GetAtt": [queue_id, "QueueName"]}) in body, queue_id
    (machine_id,) = prod_jobs.of_type("AWS::StepFunctions::StateMachine")
    assert json.dumps({"Ref": machine_id}) in body
    for metric in (
        "4XXError",
        "5XXError",
        "Latency",
        "Duration",
        "Throttles",
        "ReadThrottleEvents",
        "WriteThrottleEvents",
        "ExecutionsFailed",
        "ApproximateNumberOfMessagesVisible",
        constants.POLICE_ESCALATED_METRIC,
    ):
        assert metric in body, metric
    assert "sevamitra-prod-api" in body


def test_prod_with_scheduled_jobs_has_no_unacknowledged_cdk_nag_finding(prod_jobs):
    assert prod_jobs.nag_violations() == []
    assert prod_jobs.synth_error is None


@pytest.mark.parametrize("stage", ["prod", "prod_jobs"])
def test_no_function_role_in_prod_has_an_action_on_every_resource_or_a_wildcard_action(stage, request):
    synth = request.getfixturevalue(stage)
    xray_only = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}  # no resource-level permissions
    roles = {
        function["Properties"]["Role"]["Fn::GetAtt"][0]
        for function in synth.of_type("AWS::Lambda::Function").values()
    }
    checked = set()
    for policy in synth.of_type("AWS::IAM::Policy").values():
        attached = {role["Ref"] for role in policy["Properties"]["Roles"]} & roles
        if not attached:
            continue
        checked |= attached
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            resources = (
                statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            )
            if "*" in resources:
                assert set(actions) <= xray_only, statement
            assert not any(action.endswith("*") for action in actions), statement
    assert checked == roles
