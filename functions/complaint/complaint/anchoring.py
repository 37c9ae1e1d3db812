"""The scheduled anchoring of the audit trail (``ScheduledJob(Entry(COMPLAINT, "anchoring"))``).

Each run finds the subjects whose chains gained entries since the previous run (the audit
table's by_day index, from the last run's watermark minus ``SKEW_S``, or ``FIRST_LOOKBACK`` when
no run is recorded), reads each chain's head and, when it is newer than the subject's newest
anchor, writes it to the write-once bucket; then records the run (its watermark). A head anchors
every entry before it through the chain's hashes, so a subject missed by one run (a failed write)
is covered by the next run that sees it move, and the run fails (alarm) when any write failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from complaint.settings import complaint_settings
from sevamitra.data import anchors, audit
from sevamitra.domain.anchors import Anchor
from sevamitra.edge.errors import DependencyFailed, DomainError
from sevamitra.platform.clock import Clock, iso, parse_iso, utc_now
from sevamitra.platform.observability import logger, metrics

# Entries are stamped with their writer's clock before the write lands: look back this much
# before the previous run's watermark so a late write is not missed.
SKEW_S = 120
# With no run recorded in this long (a first run, or a long outage): anchor what moved in it.
FIRST_LOOKBACK = timedelta(days=7)


@dataclass
class AnchorRun:
    through: str
    anchored: list[Anchor] = field(default_factory=list)
    failed: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"through": self.through, "anchored": len(self.anchored), "failed": self.failed}


def run(*, bucket: str | None = None, clock: Clock = utc_now) -> AnchorRun:
    bucket = bucket or complaint_settings().audit_anchor_bucket
    now = clock()
    through = iso(now)
    watermark = anchors.last_run_through(bucket, iso(now - FIRST_LOOKBACK))
    start = iso(parse_iso(watermark) - timedelta(seconds=SKEW_S)) if watermark else iso(now - FIRST_LOOKBACK)
    result = AnchorRun(through=through)
    for subject in sorted(anchors.subjects_written_between(start, through)):
        try:
            head = audit.head(subject)
            if head is None:
                continue
            newest = anchors.latest(bucket, subject)
            if newest is not None and newest.seq >= head.seq:
                continue
            anchor = Anchor(subject=subject, seq=head.seq, hash=head.hash, anchored_at=through)
            anchors.put_anchor(bucket, anchor)
            result.anchored.append(anchor)
        except DomainError:
            result.failed += 1
            logger.exception("audit head not anchored; the next run retries", extra={"subject": subject})
    if not result.failed:
        # The watermark moves only when every moved chain was anchored.
        anchors.record_run(bucket, through, result.anchored)
    return result


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    result = run()
    if result.anchored or result.failed:
        logger.info("anchoring run", extra=result.as_dict())
    if result.failed:
        raise DependencyFailed(message=f"{result.failed} audit head(s) not anchored; retried next run.")
    return result.as_dict()
