"""The IGRS adapter's plumbing: a bus rule for IGRSEscalation and complaint_decided events into
the IGRS queue (retries, dead letters, alarms), consumed by complaint.igrs_delivery; the endpoint
is a stack parameter and the shared key a generated secret."""

from __future__ import annotations

from complaint import escalation
from sevamitra.data.igrs import ESCALATION_DETAIL_TYPE, ESCALATION_SOURCE, IGRS_MAX_RECEIVES
from sevamitra.edge.routes import IGRS_DELIVERY


def _igrs_rule(dev) -> dict:
    return dev.resources[dev.logical_id(dev.stack.igrs.rule)]["Properties"]


def test_rule_on_the_bus_matches_escalations_and_decisions_only(dev):
    rule = _igrs_rule(dev)
    assert rule["EventBusName"] == {"Ref": dev.logical_id(dev.stack.events.bus)}
    assert rule["EventPattern"] == {
        "source": ["sevamitra.domain.complaints", "sevamitra.events"],
        "detail-type": ["IGRSEscalation", "complaint_decided"],
    }


def test_the_pattern_names_the_event_the_escalation_job_emits():
    assert (ESCALATION_SOURCE, ESCALATION_DETAIL_TYPE) == (escalation.EVENT_SOURCE, escalation.DETAIL_TYPE)


def test_target_is_the_igrs_queue_with_retries_and_dead_letters(dev):
    (target,) = _igrs_rule(dev)["Targets"]
    queue_id = dev.logical_id(dev.stack.igrs.queue)
    assert target["Arn"] == {"Fn::GetAtt": [queue_id, "Arn"]}
    assert target["RetryPolicy"]["MaximumRetryAttempts"] == 20
    assert target["RetryPolicy"]["MaximumEventAgeInSeconds"] == 24 * 3600
    dead_id = dev.logical_id(dev.stack.igrs.dead_letters)
    assert target["DeadLetterConfig"]["Arn"] == {"Fn::GetAtt": [dead_id, "Arn"]}
    queue = dev.resources[queue_id]["Properties"]
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [dead_id, "Arn"]},
        "maxReceiveCount": IGRS_MAX_RECEIVES,
    }
    assert queue["SqsManagedSseEnabled"] is True
    assert queue["VisibilityTimeout"] == 6 * 60  # six function timeouts


def test_the_dead_letter_queue_and_a_waiting_message_raise_alarms(dev):
    dead_id = dev.logical_id(dev.stack.igrs.dead_letters)
    queue_id = dev.logical_id(dev.stack.igrs.queue)
    watched = {
        dimension["Value"]["Fn::GetAtt"][0]
        for alarm in dev.of_type("AWS::CloudWatch::Alarm").values()
        if alarm["Properties"].get("MetricName") == "ApproximateNumberOfMessagesVisible"
        for dimension in alarm["Properties"]["Dimensions"]
    }
    assert {dead_id, queue_id} <= watched


def test_the_queue_feeds_the_delivery_function_reporting_failed_messages(dev):
    (mapping,) = [
        res["Properties"]
        for res in dev.of_type("AWS::Lambda::EventSourceMapping").values()
        if res["Properties"]["EventSourceArn"]
        == {"Fn::GetAtt": [dev.logical_id(dev.stack.igrs.queue), "Arn"]}
    ]
    function = dev.resources[mapping["FunctionName"]["Ref"]]["Properties"]
    assert function["FunctionName"] == f"sevamitra-dev-{IGRS_DELIVERY.name}"
    assert function["Handler"] == "complaint.igrs_delivery.lambda_handler"
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping["BatchSize"] == 1


def test_endpoint_is_a_parameter_and_the_key_an_output(dev):
    parameters = dev.json["Parameters"]
    assert parameters["IgrsEndpoint"]["Default"].startswith("https://")
    assert dev.json["Outputs"]["IgrsSecretArn"]["Value"] == {
        "Ref": dev.logical_id(dev.stack.secrets.igrs_key)
    }
