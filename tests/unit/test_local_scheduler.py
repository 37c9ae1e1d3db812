"""The local scheduler: fires every scheduled job with an EventBridge scheduled event, survives
failing jobs, stops cleanly. Also the local stack's settings knobs."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from local.scheduler import Scheduler
from local.settings import LocalSettings
from sevamitra.edge.routes import Entry, Function, ScheduledJob

EXPIRY = ScheduledJob(Entry(Function.BOOK, "expiry"), every_minutes=1)
ESCALATION = ScheduledJob(Entry(Function.COMPLAINT, "escalation"), every_minutes=5)
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


class Recorder:
    def __init__(self, failing: set[str] | None = None) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.failing = failing or set()
        self.fired = threading.Event()

    def __call__(self, entry: Entry, payload: Any) -> None:
        self.calls.append((entry.name, payload))
        self.fired.set()
        if entry.name in self.failing:
            raise RuntimeError("job failed")


def test_fire_all_sends_each_job_an_eventbridge_scheduled_event() -> None:
    run = Recorder()
    Scheduler(60, jobs=[EXPIRY], run=run, prefix="sevamitra-local-", clock=lambda: NOW).fire_all()
    [(name, event)] = run.calls
    assert name == "book-expiry"
    assert event["detail-type"] == "Scheduled Event"
    assert event["source"] == "aws.events"
    assert event["time"] == "2026-11-27T10:00:00Z"
    assert event["region"] == "ap-south-1"
    assert event["resources"] == ["arn:aws:events:ap-south-1:123456789012:rule/sevamitra-local-book-expiry"]
    assert event["detail"] == {}


def test_a_failing_job_is_logged_and_the_others_still_run(caplog: pytest.LogCaptureFixture) -> None:
    run = Recorder(failing={"book-expiry"})
    Scheduler(60, jobs=[EXPIRY, ESCALATION], run=run).fire_all()
    assert [name for name, _ in run.calls] == ["book-expiry", "complaint-escalation"]
    assert any("book-expiry" in r.getMessage() and r.exc_info for r in caplog.records)


def test_the_thread_fires_every_interval_survives_failures_and_stops() -> None:
    run = Recorder(failing={"book-expiry"})
    scheduler = Scheduler(0.02, jobs=[EXPIRY], run=run)
    scheduler.start()
    try:
        deadline = time.monotonic() + 5
        while len(run.calls) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        scheduler.stop()
    assert len(run.calls) >= 3  # kept firing after the first failure
    assert scheduler._thread is not None
    assert not scheduler._thread.is_alive()
    calls_after_stop = len(run.calls)
    time.sleep(0.1)
    assert len(run.calls) == calls_after_stop


def test_no_job_fires_before_the_first_interval() -> None:
    run = Recorder()
    scheduler = Scheduler(30, jobs=[EXPIRY], run=run)
    scheduler.start()
    scheduler.stop()
    assert run.calls == []


def test_local_settings_read_the_documented_knobs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "3100")
    monkeypatch.setenv("SCHEDULE_INTERVAL_S", "2")
    monkeypatch.setenv("LOCAL_STATE_DIR", "/tmp/seva-state")
    monkeypatch.setenv("BOOKING_ACCEPT_TIMEOUT_S", "5")
    monkeypatch.setenv("COMPLAINT_SLA_S", "6")
    monkeypatch.setenv("POLICE_VERIFICATION_TIMEOUT_S", "7")
    config = LocalSettings()
    assert (config.port, config.schedule_interval_s) == (3100, 2)
    assert config.outputs_path == Path("/tmp/seva-state/outputs.json")
    assert (
        config.booking_accept_timeout_s,
        config.complaint_sla_s,
        config.police_verification_timeout_s,
    ) == (
        5,
        6,
        7,
    )


def test_local_settings_defaults_match_api_md(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PORT", "MOTO_PORT", "SCHEDULE_INTERVAL_S", "LOCAL_STATE_DIR"):
        monkeypatch.delenv(name, raising=False)
    config = LocalSettings()
    assert (config.port, config.moto_port, config.schedule_interval_s) == (3000, 0, 60)
    assert config.outputs_path == Path(".local/outputs.json")
