"""The audit anchors: chain heads written to a write-once S3 bucket (Object Lock, compliance mode,
default retention set on the bucket by infra/constructs/anchors.py), and the by_day index of the
audit table that tells the anchoring job which chains moved.

Keys: ``heads/<subject>/<seq, 12 digits>.json`` (one object per anchored head; keys sort by
``seq``, so the newest is the last listed) and ``runs/<through>.json`` (one per run: the job's
watermark, and a record of what it anchored). Objects are never overwritten or deleted by the
code, and Object Lock refuses both to anyone until the retention ends.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Annotated, Any

from pydantic import Field

from sevamitra.data.errors import dependency_errors
from sevamitra.data.models import AuditEntryModel
from sevamitra.domain.anchors import Anchor
from sevamitra.domain.audit import canonical_json
from sevamitra.platform.aws import client
from sevamitra.platform.settings import FROM_STACK, CommonSettings, settings_for


class AnchorSettings(CommonSettings):
    # The write-once bucket (S3 Object Lock, compliance mode) holding the audit chains' heads.
    audit_anchor_bucket: Annotated[str, FROM_STACK] = Field(
        default="sevamitra-local-audit-anchors", alias="AUDIT_ANCHOR_BUCKET"
    )
    # Chain heads are anchored at least this often (the anchoring job's cadence; API.md "Clocks").
    audit_anchor_interval_s: int = Field(default=300, ge=1, alias="AUDIT_ANCHOR_INTERVAL_S")


def anchor_settings() -> AnchorSettings:
    return settings_for(AnchorSettings)


HEADS = "heads/"
RUNS = "runs/"


def head_key(subject: str, seq: int) -> str:
    return f"{HEADS}{subject}/{seq:012d}.json"


def run_key(through: str) -> str:
    return f"{RUNS}{through}.json"


def _keys(bucket: str, prefix: str, start_after: str = "") -> Iterator[str]:
    paginator = client("s3").get_paginator("list_objects_v2")
    params: dict[str, Any] = {"Bucket": bucket, "Prefix": prefix}
    if start_after:
        params["StartAfter"] = start_after
    for page in paginator.paginate(**params):
        for item in page.get("Contents", []):
            yield str(item["Key"])


def latest(bucket: str, subject: str) -> Anchor | None:
    """The newest anchor of ``subject``'s chain, or None if it was never anchored."""
    with dependency_errors("Reading the audit anchors"):
        keys = list(_keys(bucket, f"{HEADS}{subject}/"))
        if not keys:
            return None
        body = client("s3").get_object(Bucket=bucket, Key=max(keys))["Body"].read()
    values = json.loads(body)
    return Anchor(
        subject=str(values["subject"]),
        seq=int(values["seq"]),
        hash=str(values["hash"]),
        anchored_at=str(values["anchored_at"]),
    )


def put_anchor(bucket: str, anchor: Anchor) -> None:
    with dependency_errors("Writing an audit anchor"):
        client("s3").put_object(
            Bucket=bucket,
            Key=head_key(anchor.subject, anchor.seq),
            Body=canonical_json(anchor._asdict()).encode(),
            ContentType="application/json",
        )


def last_run_through(bucket: str, not_before: str) -> str | None:
    """The ``through`` of the newest run recorded at or after ``not_before`` (a bound, so the
    listing stays short however long the job has run), or None."""
    with dependency_errors("Reading the audit anchors"):
        keys = list(_keys(bucket, RUNS, start_after=run_key(not_before)[: -len(".json")]))
    if not keys:
        return None
    return max(keys).removeprefix(RUNS).removesuffix(".json")


def record_run(bucket: str, through: str, anchors: Iterable[Anchor]) -> None:
    body = {"through": through, "heads": [anchor._asdict() for anchor in anchors]}
    with dependency_errors("Recording the anchoring run"):
        client("s3").put_object(
            Bucket=bucket,
            Key=run_key(through),
            Body=canonical_json(body).encode(),
            ContentType="application/json",
        )


def _days(first: date, last: date) -> Iterator[str]:
    day = first
    while day <= last:
        yield day.isoformat()
        day += timedelta(days=1)


def subjects_written_between(start: str, end: str) -> set[str]:
    """Subjects with an entry whose ``at`` is in [start, end] (ISO times), from the by_day index."""
    subjects: set[str] = set()
    first, last = date.fromisoformat(start[:10]), date.fromisoformat(end[:10])
    with dependency_errors("Listing recent audit entries"):
        for day in _days(first, last):
            for item in AuditEntryModel.by_day.query(day, AuditEntryModel.at.between(start, end)):
                subjects.add(str(item.subject))
    return subjects
