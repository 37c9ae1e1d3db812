"""The scheduled IGRS escalation: overdue open complaints, found through the index, escalated once,
their event emitted once (and again only if the emit failed)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from complaint import escalation, logic
from complaint.models import ComplaintIn
from local.dispatch import call_handler
from local.provision import LocalResources
from local.scheduler import scheduled_event
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import DependencyFailed
from sevamitra.edge.routes import COMPLAINT_ESCALATION
from sevamitra.platform.settings import settings
from tests.integration.complaints.support import CITIZEN, FEE, OFFICER, resolve, seed_booking
from tests.integration.conftest import Api, claims_for


@pytest.fixture
def igrs_events(aws: LocalResources) -> Callable[[], list[dict[str, Any]]]:
    """A bus rule for IGRSEscalation events into an SQS queue; returns a reader of new events."""
    region = settings().aws_region
    sqs = boto3.client("sqs", region_name=region)
    url = sqs.create_queue(QueueName="igrs-capture")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events = boto3.client("events", region_name=region)
    pattern = {"source": [escalation.EVENT_SOURCE], "detail-type": [escalation.DETAIL_TYPE]}
    events.put_rule(Name="igrs", EventBusName=aws.event_bus_name, EventPattern=json.dumps(pattern))
    events.put_targets(Rule="igrs", EventBusName=aws.event_bus_name, Targets=[{"Id": "capture", "Arn": arn}])

    def read() -> list[dict[str, Any]]:
        received = []
        while True:
            messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
            if not messages:
                return received
            for message in messages:
                received.append(json.loads(message["Body"]))
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    return read


def _open(opened_at: datetime, kind: str = "quality") -> str:
    booking = seed_booking("pro_any")
    body = ComplaintIn(booking_id=booking, kind=kind, amount_paid_paise=FEE + 5000, description="bad work")
    return logic.open_complaint(Caller(CITIZEN, frozenset()), body, clock=lambda: opened_at).id


def _fire() -> dict:
    event = scheduled_event(COMPLAINT_ESCALATION, settings().aws_region, "sevamitra-test-", datetime.now(UTC))
    result: dict = call_handler(
        COMPLAINT_ESCALATION.entry.function, "escalation", event, "complaint-escalation"
    )
    return result


def test_overdue_complaint_is_escalated_and_emitted_once(api: Api, igrs_events) -> None:
    now = datetime.now(UTC)
    overdue = _open(now - timedelta(days=8))
    not_due = _open(now - timedelta(days=1), kind="overcharge")

    first = _fire()

    assert first == {"escalated": 1, "emitted": 1, "failed": 0}
    shown = api("GET", f"/complaints/{overdue}", claims=claims_for(CITIZEN)).body
    assert shown["status"] == "escalated"
    record = shown["escalation"]
    assert record["target"] == "IGRS"
    assert record["emitted"] is True
    assert record["due_by"] == shown["due_by"]
    assert record["overdue_s"] >= 24 * 3600 - 60
    (event,) = igrs_events()
    assert event["source"] == "sevamitra.domain.complaints"
    assert event["detail-type"] == "IGRSEscalation"
    assert record["igrs_event_id"] == event["id"]
    detail = event["detail"]
    assert detail["complaint_id"] == overdue
    assert detail["kind"] == "quality"
    assert detail["created_at"] == shown["created_at"]
    assert detail["escalated_at"] == record["at"]
    assert detail["sla_s"] == 7 * 24 * 3600
    assert detail["sla_clock_s"] >= 8 * 24 * 3600 - 60
    assert "description" not in detail
    assert api("GET", f"/complaints/{not_due}", claims=OFFICER).body["status"] == "open"

    second = _fire()

    assert second == {"escalated": 0, "emitted": 0, "failed": 0}
    assert igrs_events() == []


def test_failed_emit_keeps_the_escalation_and_a_later_run_emits_it_once(
    api: Api, igrs_events, monkeypatch: pytest.MonkeyPatch
) -> None:
    overdue = _open(datetime.now(UTC) - timedelta(days=8))

    def broken(source: str, detail_type: str, detail: dict) -> str:
        raise DependencyFailed(message="EventBridge is down")

    with monkeypatch.context() as patched:
        patched.setattr(escalation, "publish", broken)
        with pytest.raises(DependencyFailed):  # the run fails, so the Errors alarm sees it
            _fire()
        assert escalation.run().as_dict() == {"escalated": 0, "emitted": 0, "failed": 1}

    shown = api("GET", f"/complaints/{overdue}", claims=OFFICER).body
    assert shown["status"] == "escalated"
    assert shown["escalation"]["emitted"] is False
    assert igrs_events() == []

    assert _fire() == {"escalated": 0, "emitted": 1, "failed": 0}
    assert [e["detail"]["complaint_id"] for e in igrs_events()] == [overdue]
    assert api("GET", f"/complaints/{overdue}", claims=OFFICER).body["escalation"]["emitted"] is True
    assert _fire() == {"escalated": 0, "emitted": 0, "failed": 0}
    assert igrs_events() == []


def test_escalated_complaint_can_still_be_decided_and_keeps_its_escalation(api: Api, igrs_events) -> None:
    overdue = _open(datetime.now(UTC) - timedelta(days=8))
    _fire()

    decided = resolve(api, overdue, "dismissed")

    assert decided.status == 200
    assert decided.body["status"] == "dismissed"
    assert decided.body["escalation"]["emitted"] is True
    assert resolve(api, overdue).error_code == "already_decided"


def test_a_complaint_decided_before_its_escalation_is_never_escalated(api: Api, igrs_events) -> None:
    overdue = _open(datetime.now(UTC) - timedelta(days=8))
    resolve(api, overdue, "upheld")

    assert _fire() == {"escalated": 0, "emitted": 0, "failed": 0}
    assert api("GET", f"/complaints/{overdue}", claims=OFFICER).body["escalation"] is None
    assert igrs_events() == []
