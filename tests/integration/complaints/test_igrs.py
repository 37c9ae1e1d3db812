"""IGRS both ways, on moto with the fake IGRS on loopback: an escalation goes to IGRS over the
bus and the IGRS queue, and the reference IGRS returns is kept; IGRS's signed callback updates the
escalation; a decision after escalation is sent to IGRS; IGRS being down loses nothing."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from complaint import escalation, igrs_delivery, logic
from complaint.igrs import HttpIgrs
from complaint.models import ComplaintIn
from local.events import EventPump
from local.igrs import FakeIgrs
from local.provision import LOCAL_VISIBILITY_TIMEOUT_S, LocalResources, cached_client
from sevamitra.data.igrs import IGRS_MAX_RECEIVES
from sevamitra.edge import signing
from sevamitra.edge.auth import Caller
from sevamitra.edge.routes import IGRS_DELIVERY
from sevamitra.platform.settings import settings
from tests.integration.complaints.support import CITIZEN, OFFICER, seed_booking
from tests.integration.conftest import POLICE_KEY, Api, claims_for

IGRS_KEY = b"local-igrs-shared-key"  # what provision() stores as IGRS's secret


@pytest.fixture
def fake_igrs() -> Iterator[FakeIgrs]:
    fake = FakeIgrs(IGRS_KEY)
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def pump(aws: LocalResources, fake_igrs: FakeIgrs) -> EventPump:
    """The IGRS queue drained into complaint.igrs_delivery, talking HTTP to the fake (no sleeps
    between retries)."""
    client = HttpIgrs(fake_igrs.url, lambda: IGRS_KEY, sleep=lambda _s: None)
    return EventPump(
        aws.igrs_queue_url,
        settings().aws_region,
        entry=IGRS_DELIVERY,
        run=lambda _entry, payload: igrs_delivery.handle(payload, igrs=client),
    )


def _escalated(opened_days_ago: int = 8) -> str:
    opened = datetime.now(UTC) - timedelta(days=opened_days_ago)
    booking = seed_booking("pro_any")
    body = ComplaintIn(booking_id=booking, kind="quality", description="bad work")
    complaint_id = logic.open_complaint(Caller(CITIZEN, frozenset()), body, clock=lambda: opened).id
    summary = escalation.run()
    assert (summary.escalated, summary.emitted) == (1, 1)
    return complaint_id


def _shown(api: Api, complaint_id: str) -> dict[str, Any]:
    response = api("GET", f"/complaints/{complaint_id}", claims=claims_for(CITIZEN))
    assert response.status == 200, response.body
    return response.body


def _callback(api: Api, body: dict[str, Any], key: bytes = IGRS_KEY, *, signed: bool = True) -> Any:
    raw = json.dumps(body)
    headers = {signing.HEADER: signing.sign(key, int(time.time()), raw.encode())} if signed else {}
    return api("POST", "/igrs/callback", body=raw, headers=headers)


def _submitted(api: Api, pump: EventPump) -> tuple[str, str]:
    complaint_id = _escalated()
    pump.drain()
    reference = _shown(api, complaint_id)["escalation"]["igrs_reference"]
    return complaint_id, reference


def test_escalation_is_submitted_to_igrs_and_its_reference_kept(
    api: Api, pump: EventPump, fake_igrs: FakeIgrs
) -> None:
    complaint_id = _escalated()
    assert _shown(api, complaint_id)["escalation"]["status"] == "pending"

    assert pump.drain() >= 1

    shown = _shown(api, complaint_id)["escalation"]
    assert shown["target"] == "IGRS"
    assert shown["status"] == "submitted"
    (grievance,) = fake_igrs.grievances.values()
    assert shown["igrs_reference"] == grievance["igrs_reference"]
    assert grievance["grievance"]["complaint_id"] == complaint_id
    assert "description" not in grievance["grievance"]  # no free text leaves for IGRS


def test_a_repeated_escalation_event_does_not_submit_twice(
    api: Api, pump: EventPump, fake_igrs: FakeIgrs
) -> None:
    complaint_id, reference = _submitted(api, pump)
    requests = fake_igrs.requests

    igrs_delivery.deliver(
        {"detail-type": escalation.DETAIL_TYPE, "detail": {"complaint_id": complaint_id}},
        HttpIgrs(fake_igrs.url, lambda: IGRS_KEY),
    )

    assert fake_igrs.requests == requests
    assert _shown(api, complaint_id)["escalation"]["igrs_reference"] == reference


def test_signed_callback_updates_the_escalation(api: Api, pump: EventPump) -> None:
    complaint_id, reference = _submitted(api, pump)

    progress = _callback(api, {"igrs_reference": reference, "status": "in_progress"})
    assert progress.status == 200, progress.body
    assert progress.body == {
        "igrs_reference": reference,
        "complaint_id": complaint_id,
        "status": "in_progress",
    }
    assert _shown(api, complaint_id)["escalation"]["status"] == "in_progress"

    disposed = _callback(api, {"igrs_reference": reference, "status": "disposed", "remarks": "Refund made"})
    assert disposed.status == 200
    shown = _shown(api, complaint_id)["escalation"]
    assert (shown["status"], shown["igrs_remarks"]) == ("disposed", "Refund made")

    # Disposed is final: a repeat is fine, going back is not.
    assert _callback(api, {"igrs_reference": reference, "status": "disposed"}).status == 200
    back = _callback(api, {"igrs_reference": reference, "status": "in_progress"})
    assert (back.status, back.error_code) == (409, "already_disposed")


def test_callback_needs_igrs_signature_not_the_police_key(api: Api, pump: EventPump) -> None:
    complaint_id, reference = _submitted(api, pump)
    body = {"igrs_reference": reference, "status": "disposed"}

    unsigned = _callback(api, body, signed=False)
    police_signed = _callback(api, body, POLICE_KEY.encode())

    assert (unsigned.status, unsigned.error_code) == (401, "invalid_signature")
    assert (police_signed.status, police_signed.error_code) == (401, "invalid_signature")
    assert _shown(api, complaint_id)["escalation"]["status"] == "submitted"


def test_callback_for_an_unknown_reference_is_404_and_a_bad_status_422(api: Api) -> None:
    unknown = _callback(api, {"igrs_reference": "IGRS-NOPE", "status": "disposed"})
    assert (unknown.status, unknown.error_code) == (404, "unknown_reference")
    bad = _callback(api, {"igrs_reference": "IGRS-NOPE", "status": "closed"})
    assert bad.status == 422


def test_decision_after_escalation_is_sent_to_igrs(api: Api, pump: EventPump, fake_igrs: FakeIgrs) -> None:
    complaint_id, reference = _submitted(api, pump)

    decided = api(
        "POST",
        f"/complaints/{complaint_id}/resolve",
        body={"decision": "dismissed", "remarks": "Work redone; citizen satisfied."},
        claims=OFFICER,
    )
    assert decided.status == 200, decided.body
    pump.drain()

    sent = fake_igrs.grievances[reference]["decision"]
    assert (sent["complaint_id"], sent["outcome"]) == (complaint_id, "dismissed")
    assert sent["remarks"] == "Work redone; citizen satisfied."
    assert _shown(api, complaint_id)["escalation"]["decision_sent_at"]


def test_igrs_down_loses_no_escalation(api: Api, pump: EventPump, fake_igrs: FakeIgrs) -> None:
    complaint_id = _escalated()
    fake_igrs.failures_left = 100  # every attempt of this delivery answers 503

    pump.drain()

    assert _shown(api, complaint_id)["escalation"]["status"] == "pending"
    assert fake_igrs.grievances == {}
    # IGRS comes back; SQS delivers the message again after the visibility timeout.
    fake_igrs.failures_left = 0
    time.sleep(LOCAL_VISIBILITY_TIMEOUT_S + 0.5)
    pump.drain()
    assert _shown(api, complaint_id)["escalation"]["status"] == "submitted"


def test_a_delivery_that_keeps_failing_ends_in_the_dead_letter_queue(
    aws: LocalResources, pump: EventPump, fake_igrs: FakeIgrs
) -> None:
    sqs = cached_client("sqs", settings().aws_region)
    # Rather than waiting out IGRS_MAX_RECEIVES visibility timeouts: visible again at once.
    sqs.set_queue_attributes(QueueUrl=aws.igrs_queue_url, Attributes={"VisibilityTimeout": "0"})
    _escalated()
    fake_igrs.failures_left = 10_000

    received = pump.drain()

    assert received == IGRS_MAX_RECEIVES
    parked = sqs.receive_message(QueueUrl=aws.igrs_dead_letter_queue_url, MaxNumberOfMessages=10)
    (message,) = parked["Messages"]
    assert json.loads(message["Body"])["detail-type"] == escalation.DETAIL_TYPE
