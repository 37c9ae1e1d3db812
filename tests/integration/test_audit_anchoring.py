"""The audit trail's heads are anchored in the write-once bucket; the audit route checks the trail
against the newest anchor, so deleting the newest entries is caught, not only editing them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3

from complaint import anchoring
from local.provision import LocalResources, cached_client
from sevamitra.data import anchors, audit
from sevamitra.data.models import table_name
from sevamitra.platform.clock import iso
from sevamitra.platform.settings import settings
from tests.integration.conftest import Api, claims_for

SUBJECT = "pro_anchored"
OFFICER = claims_for("officer-1", "officers")
T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def _append(count: int, start: datetime) -> None:
    for n in range(count):
        audit.append(
            SUBJECT,
            at=iso(start + timedelta(seconds=n)),
            actor="officer-1",
            action="complaint_dismissed",
            evidence={"complaint_id": f"cmp_{n}", "remarks": "checked"},
        )


def _delete_entries(*seqs: int) -> None:
    table = boto3.resource("dynamodb", region_name=settings().aws_region).Table(table_name("audit"))
    for seq in seqs:
        table.delete_item(Key={"subject": SUBJECT, "seq": seq})


def _trail(api: Api) -> dict:
    response = api("GET", f"/professionals/{SUBJECT}/audit", claims=OFFICER)
    assert response.status == 200, response.body
    return response.body


def test_deleting_the_newest_anchored_entries_fails_verification(aws: LocalResources, api: Api) -> None:
    # Given a trail of four entries, anchored by a run of the job
    _append(4, T0)
    run = anchoring.run(clock=lambda: T0 + timedelta(minutes=1))
    assert [(a.subject, a.seq) for a in run.anchored] == [(SUBJECT, 4)]
    assert _trail(api)["chain_valid"] is True
    assert _trail(api)["anchored_through"] == 4

    # When the newest two entries are deleted (the rest still form a valid chain)
    _delete_entries(4, 3)

    # Then the route reports the trail broken at the first missing entry
    body = _trail(api)
    assert [e["seq"] for e in body["entries"]] == [1, 2]
    assert body["chain_valid"] is False
    assert body["broken_at"] == 3
    assert body["anchored_through"] == 4


def test_a_replaced_anchored_entry_fails_verification(aws: LocalResources, api: Api) -> None:
    _append(2, T0)
    anchoring.run(clock=lambda: T0 + timedelta(minutes=1))
    # The newest entry deleted and a new, validly chained one written in its place.
    _delete_entries(2)
    _append(1, T0 + timedelta(seconds=30))

    body = _trail(api)
    assert body["chain_valid"] is False
    assert body["broken_at"] == 2


def test_entries_after_the_anchor_are_reported_beyond_anchored_through(aws: LocalResources, api: Api) -> None:
    _append(2, T0)
    anchoring.run(clock=lambda: T0 + timedelta(minutes=1))
    _append(1, T0 + timedelta(minutes=2))

    body = _trail(api)
    assert (body["chain_valid"], body["anchored_through"], len(body["entries"])) == (True, 2, 3)

    # The next run anchors the new head, starting from the previous run's watermark.
    run = anchoring.run(clock=lambda: T0 + timedelta(minutes=6))
    assert [(a.seq, a.anchored_at) for a in run.anchored] == [(3, iso(T0 + timedelta(minutes=6)))]
    assert _trail(api)["anchored_through"] == 3


def test_a_run_with_nothing_new_anchors_nothing_and_moves_the_watermark(aws: LocalResources) -> None:
    _append(1, T0)
    anchoring.run(clock=lambda: T0 + timedelta(minutes=1))

    again = anchoring.run(clock=lambda: T0 + timedelta(minutes=6))

    assert again.anchored == []
    bucket = aws.audit_anchor_bucket
    assert anchors.last_run_through(bucket, iso(T0)) == iso(T0 + timedelta(minutes=6))


def test_anchors_are_in_a_compliance_mode_object_lock_bucket(aws: LocalResources) -> None:
    _append(1, T0)
    anchoring.run(clock=lambda: T0 + timedelta(minutes=1))
    s3 = cached_client("s3", settings().aws_region)
    lock = s3.get_object_lock_configuration(Bucket=aws.audit_anchor_bucket)["ObjectLockConfiguration"]
    assert lock["Rule"]["DefaultRetention"]["Mode"] == "COMPLIANCE"
    head = s3.head_object(Bucket=aws.audit_anchor_bucket, Key=anchors.head_key(SUBJECT, 1))
    assert head["ObjectLockMode"] == "COMPLIANCE"
