"""The local stand-in for the EventBridge schedules, which never fire on moto.

Every ``SCHEDULE_INTERVAL_S`` seconds it fires every scheduled job once, with the payload of an
EventBridge "Scheduled Event". Locally every job fires at that one interval (the jobs' own
``every_minutes`` are for AWS), so demos and tests need not wait for the real cadence.
A job that raises is logged; the scheduler keeps going.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sevamitra.edge.routes import SCHEDULED_JOBS, Entry, ScheduledJob
from sevamitra.platform.clock import iso

log = logging.getLogger("local.scheduler")

RunEntry = Callable[[Entry, Any], Any]

ACCOUNT = "123456789012"


def scheduled_event(job: ScheduledJob, region: str, prefix: str, now: datetime) -> dict[str, Any]:
    """The event an EventBridge schedule rule delivers to its Lambda target."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT,
        "time": iso(now),
        "region": region,
        "resources": [f"arn:aws:events:{region}:{ACCOUNT}:rule/{prefix}{job.entry.name}"],
        "detail": {},
    }


def _default_run(entry: Entry, payload: Any) -> Any:
    # Imported on first use: it imports moto's Lambda backend.
    from local.lambdas import run_entry

    return run_entry(entry, payload)


class Scheduler:
    def __init__(
        self,
        interval_s: float,
        *,
        jobs: Sequence[ScheduledJob] = SCHEDULED_JOBS,
        run: RunEntry = _default_run,
        region: str = "ap-south-1",
        prefix: str = "",
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.interval_s = interval_s
        self.jobs = tuple(jobs)
        self.run = run
        self.region = region
        self.prefix = prefix
        self.clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def fire_all(self) -> None:
        """Fire every job once; a failing job is logged and does not stop the others."""
        for job in self.jobs:
            try:
                self.run(job.entry, scheduled_event(job, self.region, self.prefix, self.clock()))
            except Exception:
                log.exception("scheduled job %s failed", job.entry.name)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.fire_all()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="scheduler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=10)
