"""The start code: the bookings table is its one owner. Its citizen sees it (the 201, an
idempotent replay of it, ``GET /bookings/{id}`` while requested or accepted); no other table
(the idempotency store above all), no log line and no event holds it readable."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from typing import Any
from unittest import mock

import boto3
import pytest

from book import logic
from local.lambdas import run_entry
from local.provision import cached_client
from local.scheduler import scheduled_event
from sevamitra.data.models import BookingModel, IdempotencyModel
from sevamitra.edge.routes import BOOKING_EXPIRY
from sevamitra.platform.clock import parse_iso
from sevamitra.platform.observability import logger
from sevamitra.platform.settings import settings
from tests.integration.bookings.conftest import (
    CITIZEN,
    FEE,
    OFFICER,
    PRO,
    accepted,
    act,
    book,
    booked,
    in_progress,
    view,
)
from tests.integration.conftest import Api


def holds(text: str, code: str) -> bool:
    """Whether ``text`` carries ``code`` as a value of its own (quoted, after ``=`` or ``:``, in a
    sentence): not as six digits inside a longer hex id or number, which random ids sometimes
    contain by chance."""
    return re.search(rf"(?<![0-9A-Fa-f]){code}(?![0-9A-Fa-f])", text) is not None


def _values(value: Any) -> Iterator[str]:
    """Every scalar in a low-level DynamoDB item, as text (strings, numbers, sets, maps, lists)."""
    if isinstance(value, dict):
        for inner in value.values():
            yield from _values(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _values(inner)
    else:
        yield str(value)


def stored_text_by_table() -> dict[str, str]:
    """Every attribute value of every item of every table, per table."""
    dynamodb = cached_client("dynamodb", settings().aws_region)
    text = {}
    for table in dynamodb.list_tables()["TableNames"]:
        items = [
            item
            for page in dynamodb.get_paginator("scan").paginate(TableName=table)
            for item in page["Items"]
        ]
        text[table] = "\n".join(_values(items))
    return text


class EventTap:
    """Every event put on the stage bus, whatever its source (a rule matching all of them -> SQS)."""

    def __init__(self) -> None:
        region = settings().aws_region
        self.sqs = boto3.client("sqs", region_name=region)
        self.queue_url = self.sqs.create_queue(QueueName="all-events")["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=["QueueArn"])
        events = boto3.client("events", region_name=region)
        bus = settings().event_bus_name
        account = boto3.client("sts", region_name=region).get_caller_identity()["Account"]
        events.put_rule(Name="all-events", EventBusName=bus, EventPattern=json.dumps({"account": [account]}))
        events.put_targets(
            Rule="all-events",
            EventBusName=bus,
            Targets=[{"Id": "queue", "Arn": arn["Attributes"]["QueueArn"]}],
        )

    def bodies(self) -> list[str]:
        seen = []
        while messages := self.sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10).get(
            "Messages", []
        ):
            for message in messages:
                seen.append(message["Body"])
                self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
        return seen


@pytest.fixture
def log_lines(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    """Every line the functions log, exactly as formatted for CloudWatch, at every level."""
    buffer = io.StringIO()
    monkeypatch.setattr(logger.registered_handler, "stream", buffer)
    logger.setLevel("DEBUG")
    try:
        yield buffer
    finally:
        logger.setLevel("INFO")


@pytest.fixture
def events(aws: object) -> Iterator[EventTap]:
    tap = EventTap()
    yield tap
    cached_client("sqs", settings().aws_region).delete_queue(QueueUrl=tap.queue_url)
    client = cached_client("events", settings().aws_region)
    client.remove_targets(Rule="all-events", EventBusName=settings().event_bus_name, Ids=["queue"])
    client.delete_rule(Name="all-events", EventBusName=settings().event_bus_name)


def test_the_event_tap_sees_every_event_on_the_bus(events: EventTap) -> None:
    """The tap the flow test relies on: an event from any source reaches it."""
    cached_client("events", settings().aws_region).put_events(
        Entries=[
            {
                "Source": "anything.at.all",
                "DetailType": "Probe",
                "Detail": json.dumps({"probe": "314159"}),
                "EventBusName": settings().event_bus_name,
            }
        ]
    )
    assert any(holds(body, "314159") for body in events.bodies())


# --- the idempotency store --------------------------------------------------------------------


def test_the_idempotency_record_holds_no_start_code_and_a_replay_still_returns_it(api: Api, pro: str) -> None:
    headers = {"Idempotency-Key": "book-secret"}
    first = book(api, headers=headers)
    assert first.status == 201, first.body
    code = first.body["start_code"]

    [record] = list(IdempotencyModel.scan())
    assert record.status == "completed"
    assert not holds(stored_text_by_table()[IdempotencyModel.Meta.table_name], code)
    stored = json.loads(record.result)
    assert "start_code" not in stored
    assert stored["id"] == first.body["id"]  # the rest of the answer is kept as it was

    replay = book(api, headers=headers)
    assert replay.status == 201
    assert replay.body == first.body
    assert replay.body["start_code"] == code
    assert len(list(BookingModel.scan())) == 1


def test_a_replay_after_the_booking_moved_on_still_repeats_the_first_answer(api: Api, pro: str) -> None:
    headers = {"Idempotency-Key": "book-later"}
    first = book(api, headers=headers)
    assert act(api, first.body["id"], "accept", PRO).status == 200
    assert act(api, first.body["id"], "start", PRO, {"start_code": first.body["start_code"]}).status == 200

    replay = book(api, headers=headers)

    assert (replay.status, replay.body) == (201, first.body)


# --- who sees it, and when --------------------------------------------------------------------


def test_the_citizen_sees_the_start_code_while_requested_or_accepted(api: Api, pro: str) -> None:
    created = booked(api)
    assert view(api, created["id"], CITIZEN).body["start_code"] == created["start_code"]
    assert act(api, created["id"], "accept", PRO).status == 200
    got = view(api, created["id"], CITIZEN)
    assert (got.body["status"], got.body["start_code"]) == ("accepted", created["start_code"])


@pytest.mark.parametrize("claims", [PRO, OFFICER], ids=["professional", "officer"])
@pytest.mark.parametrize("stage", [booked, accepted], ids=["requested", "accepted"])
def test_the_professional_and_officers_never_see_the_start_code(
    api: Api, pro: str, claims: dict, stage: Any
) -> None:
    created = stage(api)
    got = view(api, created["id"], claims)
    assert got.status == 200, got.body
    assert "start_code" not in got.body
    assert not holds(json.dumps(got.body), created["start_code"])


def _completed(api: Api) -> dict[str, Any]:
    created = in_progress(api)
    assert act(api, created["id"], "complete", PRO, {"amount_collected_paise": FEE}).status == 200
    return created


def _cancelled(api: Api) -> dict[str, Any]:
    created = accepted(api)
    assert act(api, created["id"], "cancel", CITIZEN).status == 200
    return created


def _expired(api: Api) -> dict[str, Any]:
    created = booked(api)
    assert logic.expire_due(parse_iso(created["expires_at"])).expired == 1
    return created


@pytest.mark.parametrize(
    "stage",
    [in_progress, _completed, _cancelled, _expired],
    ids=["in_progress", "completed", "cancelled", "expired"],
)
def test_once_the_code_can_no_longer_be_used_even_the_citizen_no_longer_sees_it(
    api: Api, pro: str, stage: Any
) -> None:
    created = stage(api)
    got = view(api, created["id"], CITIZEN)
    assert got.status == 200, got.body
    assert "start_code" not in got.body


# --- nowhere else -----------------------------------------------------------------------------


def test_the_whole_booking_flow_leaves_the_code_in_no_log_event_or_other_table(
    api: Api, pro: str, events: EventTap, log_lines: io.StringIO
) -> None:
    # Booked with a key, replayed, seen, accepted, a wrong code, started, completed above the fee
    # (an overcharge complaint opens), rated; a booking cancelled; one expired by the sweep.
    headers = {"Idempotency-Key": "flow"}
    first = book(api, headers=headers).body
    codes = [first["start_code"]]
    assert book(api, headers=headers).body == first
    bid = first["id"]
    assert view(api, bid, CITIZEN).body["start_code"] == first["start_code"]
    assert view(api, bid, PRO).status == view(api, bid, OFFICER).status == 200
    assert act(api, bid, "accept", PRO).status == 200
    wrong = "000000" if first["start_code"] != "000000" else "111111"
    assert act(api, bid, "start", PRO, {"start_code": wrong}).status == 422
    assert act(api, bid, "start", PRO, {"start_code": first["start_code"]}).status == 200
    assert act(api, bid, "complete", PRO, {"amount_collected_paise": FEE + 5000}).status == 200
    assert act(api, bid, "rating", CITIZEN, {"stars": 2}).status == 201
    assert view(api, bid, CITIZEN).body["complaint_ids"]

    cancelled = _cancelled(api)
    codes.append(cancelled["start_code"])
    due = booked(api)
    codes.append(due["start_code"])
    moment = parse_iso(due["expires_at"])
    with mock.patch("book.expiry.utc_now", return_value=moment):
        event = scheduled_event(BOOKING_EXPIRY, "ap-south-1", "sevamitra-test-", moment)
        assert run_entry(BOOKING_EXPIRY.entry, event) == {
            "expired": 1,
            "skipped": 0,
            "reoffered": 0,
            "offers_lapsed": 0,
            "not_started": 0,
            "reminded": 0,
            "held": 0,
            "timers_skipped": 0,
        }

    log_text = log_lines.getvalue()
    assert "booking requested" in log_text  # the capture sees the functions' lines
    assert "expiry sweep" in log_text
    published = events.bodies()
    tables = stored_text_by_table()
    bookings_table = BookingModel.Meta.table_name
    for code in codes:
        assert holds(tables[bookings_table], code)  # the owner (and proof that the search finds it)
        assert not holds(log_text, code)
        assert not any(holds(body, code) for body in published)
        for table, text in tables.items():
            if table != bookings_table:
                assert not holds(text, code), f"the start code is readable in {table}"
