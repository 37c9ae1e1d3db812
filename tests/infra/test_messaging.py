"""Notifications in the template: the event path (rule -> queue with a dead-letter queue and its
alarm -> notify-events with partial batch failures), the SMS service (configuration set, sender ID
when given, every id a stack parameter), the inbound SMS topic (encrypted with a key the SMS
service may use, publishing allowed to it, subscribed by book-sms), and exactly the messaging
permissions each function needs."""

from __future__ import annotations

import pytest

from infra import constants
from infra.access import access_of
from sevamitra.domain.events import SOURCE
from sevamitra.edge.routes import INBOUND_SMS, NOTIFY_EVENTS, Function
from sevamitra.platform.bus import NOTIFY_MAX_RECEIVES
from tests.infra.test_iam import SUBJECTS, _as_list, _name, _statements


def _function_id(synth, entry) -> str:
    return synth.logical_id(synth.stack.functions.entry(entry))


def test_every_domain_event_goes_to_the_notify_queue(dev):
    queue_id = dev.logical_id(dev.stack.messaging.queue)
    (rule,) = [
        r["Properties"]
        for r in dev.of_type("AWS::Events::Rule").values()
        if r["Properties"].get("EventPattern") == {"source": [SOURCE]}
    ]
    assert rule["EventBusName"] == {"Ref": dev.logical_id(dev.stack.events.bus)}
    (target,) = rule["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": [queue_id, "Arn"]}
    assert target["DeadLetterConfig"]["Arn"] == {
        "Fn::GetAtt": [dev.logical_id(dev.stack.messaging.dead_letters), "Arn"]
    }
    assert target["RetryPolicy"]["MaximumRetryAttempts"] == constants.NOTIFY_TARGET_RETRY_ATTEMPTS


def test_the_queue_retries_a_failed_record_then_parks_it_with_an_alarm(dev):
    messaging = dev.stack.messaging
    queue = dev.resources[dev.logical_id(messaging.queue)]["Properties"]
    dead_letters_id = dev.logical_id(messaging.dead_letters)
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [dead_letters_id, "Arn"]},
        "maxReceiveCount": NOTIFY_MAX_RECEIVES,
    }
    function = dev.resources[_function_id(dev, NOTIFY_EVENTS)]["Properties"]
    assert queue["VisibilityTimeout"] == 6 * function["Timeout"]
    assert queue["SqsManagedSseEnabled"] is True
    alarms = [
        a["Properties"]
        for a in dev.of_type("AWS::CloudWatch::Alarm").values()
        if a["Properties"].get("Namespace") == "AWS/SQS"
        and a["Properties"]["Dimensions"][0]["Value"] == {"Fn::GetAtt": [dead_letters_id, "QueueName"]}
    ]
    assert [(a["MetricName"], a["Threshold"]) for a in alarms] == [("ApproximateNumberOfMessagesVisible", 1)]


def test_notify_events_reads_the_queue_in_batches_reporting_failed_records_alone(dev):
    (props,) = [
        mapping["Properties"]
        for mapping in dev.of_type("AWS::Lambda::EventSourceMapping").values()
        if mapping["Properties"]["FunctionName"] == {"Ref": _function_id(dev, NOTIFY_EVENTS)}
    ]
    assert props["EventSourceArn"] == {"Fn::GetAtt": [dev.logical_id(dev.stack.messaging.queue), "Arn"]}
    assert props["FunctionName"] == {"Ref": _function_id(dev, NOTIFY_EVENTS)}
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert props["BatchSize"] == constants.NOTIFY_BATCH_SIZE
    function = dev.resources[_function_id(dev, NOTIFY_EVENTS)]["Properties"]
    assert function["Handler"] == "notify.events.lambda_handler"


def test_the_sms_service_resources_and_parameters(dev):
    (config_set,) = dev.of_type("AWS::SMSVOICE::ConfigurationSet").values()
    assert config_set["Properties"]["ConfigurationSetName"] == "sevamitra-dev-sms"
    (sender_id,) = dev.of_type("AWS::SMSVOICE::SenderId").values()
    assert sender_id["Properties"] == {"IsoCountryCode": "IN", "SenderId": {"Ref": "SmsSenderId"}}
    assert sender_id["Condition"]  # created only when a sender ID is given
    parameters = dev.json["Parameters"]
    for name in (
        "SmsOriginationIdentity",
        "SmsDltEntityId",
        "SmsDltTemplateIds",
        "SmsMaxPrice",
        "SmsSenderId",
    ):
        assert parameters[name]["Type"] == "String", name
    assert parameters["SmsDltTemplateIds"]["Default"] == "{}"  # no template id in code or template
    assert parameters["SmsDltEntityId"]["Default"] == ""


def test_inbound_sms_arrive_on_an_encrypted_topic_the_service_may_publish_to_and_book_sms_reads(dev):
    messaging, keys = dev.stack.messaging, dev.stack.keys
    topic_id = dev.logical_id(messaging.inbound_topic)
    topic = dev.resources[topic_id]["Properties"]
    assert topic["KmsMasterKeyId"] == {"Fn::GetAtt": [dev.logical_id(keys.inbound_sms), "Arn"]}
    key_policy = dev.resources[dev.logical_id(keys.inbound_sms)]["Properties"]["KeyPolicy"]["Statement"]
    assert [s for s in key_policy if s.get("Principal") == {"Service": "sms-voice.amazonaws.com"}]
    (policy,) = [
        p
        for p in dev.of_type("AWS::SNS::TopicPolicy").values()
        if p["Properties"]["Topics"] == [{"Ref": topic_id}]
    ]
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    (publish,) = [s for s in statements if s.get("Principal") == {"Service": "sms-voice.amazonaws.com"}]
    assert publish["Action"] == "sns:Publish"
    assert any(
        s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        for s in statements
    )
    (subscription,) = [
        s["Properties"]
        for s in dev.of_type("AWS::SNS::Subscription").values()
        if s["Properties"]["TopicArn"] == {"Ref": topic_id}
    ]
    assert subscription["Protocol"] == "lambda"
    assert subscription["Endpoint"] == {"Fn::GetAtt": [_function_id(dev, INBOUND_SMS), "Arn"]}


def _messaging_statements(synth, subject) -> dict[str, tuple[list[str], list]]:
    return {
        statement["Sid"]: (sorted(_as_list(statement["Action"])), _as_list(statement["Resource"]))
        for statement in _statements(synth, subject)
        if statement.get("Sid") in ("SendSms", "ReadAccountPhones", "CreateCallerAccounts", "Push")
    }


@pytest.mark.parametrize("subject", SUBJECTS, ids=_name)
def test_only_the_senders_send_sms_and_only_from_the_stage_identity_and_configuration_set(dev, subject):
    statements = _messaging_statements(dev, subject)
    sends = statements.get("SendSms")
    assert (sends is not None) == access_of(subject).sends_sms
    if sends is not None:
        actions, resources = sends
        assert actions == ["sms-voice:SendTextMessage"]
        config_set = dev.stack.get_logical_id(dev.stack.messaging.configuration_set)
        expected = [{"Ref": "SmsOriginationIdentity"}, {"Fn::GetAtt": [config_set, "Arn"]}]
        assert sorted(resources, key=str) == sorted(expected, key=str)


def test_who_reads_phone_numbers_and_who_may_push(dev):
    reading = {_name(s) for s in SUBJECTS if "ReadAccountPhones" in _messaging_statements(dev, s)}
    assert reading == {NOTIFY_EVENTS.name, "book"}
    pool = [{"Fn::GetAtt": [dev.logical_id(dev.stack.accounts.user_pool), "Arn"]}]
    for subject in (NOTIFY_EVENTS, Function.BOOK):
        actions, resources = _messaging_statements(dev, subject)["ReadAccountPhones"]
        assert actions == ["cognito-idp:ListUsers"]
        assert resources == pool
    # Only the book function creates accounts: a helpline caller's, by phone number (issue 17).
    creating = {_name(s) for s in SUBJECTS if "CreateCallerAccounts" in _messaging_statements(dev, s)}
    assert creating == {"book"}
    assert _messaging_statements(dev, Function.BOOK)["CreateCallerAccounts"] == (
        ["cognito-idp:AdminCreateUser"],
        pool,
    )
    pushing = {
        _name(s): _messaging_statements(dev, s)["Push"][0]
        for s in SUBJECTS
        if "Push" in _messaging_statements(dev, s)
    }
    assert pushing == {"notify": ["sns:CreatePlatformEndpoint"], NOTIFY_EVENTS.name: ["sns:Publish"]}
    assert access_of(Function.NOTIFY).push is not None
