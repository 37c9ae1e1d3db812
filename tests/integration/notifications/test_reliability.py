"""Delivery survives failure: a failed send is retried (SQS makes the record visible again) and,
after ``NOTIFY_MAX_RECEIVES`` receives, lands in the dead-letter queue; an event whose
publication failed after its commit stays in the outbox until the sweep publishes it."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

import local.lambdas
import notify.logic
from local.events import sqs_event
from local.provision import cached_client
from sevamitra.data import outbox
from sevamitra.data.models import OutboxEventModel
from sevamitra.edge.errors import DependencyFailed
from sevamitra.edge.routes import NOTIFY_EVENTS, OUTBOX_SWEEP
from sevamitra.platform import bus
from sevamitra.platform.bus import NOTIFY_MAX_RECEIVES
from sevamitra.platform.settings import settings
from sevamitra.platform.sms import SmsMessage
from tests.integration.notifications.conftest import PRO, PRO_MOBILE, Calls, reachable_professional, sms_to


@pytest.fixture
def visible_at_once(aws):
    """Failed records are visible again at once (locally they wait 2 s, in AWS six timeouts)."""
    sqs = cached_client("sqs", settings().aws_region)
    sqs.set_queue_attributes(QueueUrl=aws.notify_queue_url, Attributes={"VisibilityTimeout": "0"})
    yield sqs
    sqs.set_queue_attributes(QueueUrl=aws.notify_queue_url, Attributes={"VisibilityTimeout": "2"})


def test_a_failing_send_is_retried_then_parked_in_the_dead_letter_queue(
    aws, calls: Calls, pump, visible_at_once, monkeypatch: pytest.MonkeyPatch
):
    attempts: list[SmsMessage] = []

    def failing(message: SmsMessage) -> str:
        attempts.append(message)
        raise DependencyFailed(message="the SMS service is down")

    monkeypatch.setattr(notify.logic, "send_sms", failing)
    reachable_professional("pro_1", PRO_MOBILE)
    calls.book("pro_1")
    for _ in range(NOTIFY_MAX_RECEIVES + 1):
        pump.drain_once()
    assert len(attempts) == NOTIFY_MAX_RECEIVES  # each receive tried again: the marker was given back
    assert len(calls.inbox(PRO)) == 1  # the inbox row was written once
    parked = visible_at_once.receive_message(QueueUrl=aws.notify_dead_letter_queue_url).get("Messages", [])
    assert [json.loads(m["Body"])["detail-type"] for m in parked] == ["booking_requested"]
    assert visible_at_once.receive_message(QueueUrl=aws.notify_queue_url).get("Messages", []) == []


def test_a_send_that_recovers_delivers_exactly_once(
    aws, calls: Calls, pump, visible_at_once, monkeypatch: pytest.MonkeyPatch
):
    real = notify.logic.send_sms
    failures = iter([True, True])

    def flaky(message: SmsMessage) -> str:
        if next(failures, False):
            raise DependencyFailed(message="busy")
        return real(message)

    monkeypatch.setattr(notify.logic, "send_sms", flaky)
    reachable_professional("pro_1", PRO_MOBILE)
    calls.book("pro_1")
    for _ in range(4):
        pump.drain_once()
    assert len(sms_to(PRO_MOBILE)) == 1


def test_a_record_failing_in_a_batch_is_reported_alone(aws, calls: Calls, pump, monkeypatch):
    reachable_professional("pro_1", PRO_MOBILE)
    reachable_professional("pro_2", "9876500003")
    calls.book("pro_1")
    calls.book("pro_2")
    real = notify.logic.send_sms

    def refuses_pro_1(message: SmsMessage) -> str:
        if message.to.endswith(PRO_MOBILE):
            raise DependencyFailed(message="down for this one")
        return real(message)

    monkeypatch.setattr(notify.logic, "send_sms", refuses_pro_1)
    sqs = cached_client("sqs", settings().aws_region)
    messages = sqs.receive_message(QueueUrl=aws.notify_queue_url, MaxNumberOfMessages=10)["Messages"]
    answer = local.lambdas.run_entry(NOTIFY_EVENTS, sqs_event(messages, "arn:queue", settings().aws_region))
    failed = [item["itemIdentifier"] for item in answer["batchItemFailures"]]
    assert len(messages) == 2
    assert failed == [next(m["MessageId"] for m in messages if "pro_1" in m["Body"])]
    assert len(sms_to("9876500003")) == 1
    for message in messages:  # not for the next test to receive
        sqs.delete_message(QueueUrl=aws.notify_queue_url, ReceiptHandle=message["ReceiptHandle"])


def test_an_event_whose_publication_failed_is_published_by_the_sweep(
    aws, calls: Calls, pump, monkeypatch: pytest.MonkeyPatch
):
    reachable_professional("pro_1", PRO_MOBILE)

    def down(**_: object) -> dict:
        raise ClientError({"Error": {"Code": "InternalException", "Message": "down"}}, "PutEvents")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bus._client(), "put_events", down)
        booking = calls.book("pro_1")  # the booking is made all the same
    assert booking["status"] == "requested"
    assert pump.drain() == 0  # nothing reached the bus
    (pending,) = list(OutboxEventModel.scan())
    assert pending.event_id == f"booking_requested:{booking['id']}:pro_1"

    monkeypatch.setenv("OUTBOX_GRACE_S", "1")
    OutboxEventModel(pending.event_id).update(
        actions=[OutboxEventModel.created_at.set("2020-01-01T00:00:00Z")]
    )
    assert local.lambdas.run_entry(OUTBOX_SWEEP.entry, {}) == {"found": 1, "published": 1}
    assert list(outbox.older_than("9999")) == []
    pump.drain()
    assert len(sms_to(PRO_MOBILE)) == 1


def test_the_sweep_leaves_fresh_events_to_their_publisher(aws, calls: Calls):
    reachable_professional("pro_1", PRO_MOBILE)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bus, "put_domain_events", lambda events: [])
        calls.book("pro_1")
    assert local.lambdas.run_entry(OUTBOX_SWEEP.entry, {}) == {"found": 0, "published": 0}
    assert len(list(OutboxEventModel.scan())) == 1
