"""IGRS both ways and the anchored audit trail, over HTTP on a local stack of their own with short
clocks: a complaint left open past its SLA reaches the fake IGRS, which returns a reference and
calls back; the officer's later decision goes to IGRS too; the audit trail is anchored within
AUDIT_ANCHOR_INTERVAL_S, and deleting its newest entry in the emulator fails verification."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import boto3
import pytest
import requests

from local.client.launch import LocalStackProcess
from tests.e2e.conftest import START_TIMEOUT_S, STOP_TIMEOUT_S, Stack
from tests.e2e.story import (
    book,
    complain,
    go_online,
    new_identity,
    somewhere_in_lucknow,
    step,
    verified_professional,
)

pytestmark = pytest.mark.e2e

SERVICE = "plumber_tap_leak_repair"
CLOCKS = {"COMPLAINT_SLA_S": "4", "SCHEDULE_INTERVAL_S": "1", "AUDIT_ANCHOR_INTERVAL_S": "1"}
WAIT_S = 30
T = TypeVar("T")


@pytest.fixture(scope="module")
def short_clocks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    process = LocalStackProcess(
        Path(tmp_path_factory.mktemp("igrs-stack")),
        env=CLOCKS,
        start_timeout_s=START_TIMEOUT_S,
        stop_timeout_s=STOP_TIMEOUT_S,
    )
    try:
        yield Stack(process.start())
    finally:
        code = process.stop()
    assert code == 0, process.log()


def _eventually(what: str, probe: Callable[[], T | None]) -> T:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.25)
    pytest.fail(f"{what}: not within {WAIT_S}s")


def _igrs(stack: Stack, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    response = requests.request(method, stack.outputs["IgrsUrl"] + path, json=body, timeout=30)
    return response.status_code, response.json()


def test_escalation_reaches_igrs_igrs_calls_back_and_the_decision_follows(short_clocks: Stack) -> None:
    stack = short_clocks
    pro, citizen, officer = stack.signed_up(), stack.signed_up(), stack.as_demo("officer")
    aadhaar, _ = new_identity()
    home = somewhere_in_lucknow()
    pid = verified_professional(stack, pro, officer, aadhaar, home, SERVICE)
    go_online(pro, pid, home)
    booking = book(citizen, SERVICE, home, pid)
    step(pro, booking["id"], "accept")
    complaint_id = complain(citizen, booking["id"])["id"]

    # Past its SLA the scheduler escalates it; the IGRS queue delivers it; IGRS's reference is kept.
    def submitted() -> dict[str, Any] | None:
        escalation = citizen.ok("GET", f"/complaints/{complaint_id}").get("escalation") or {}
        return escalation if escalation.get("igrs_reference") else None

    escalation = _eventually("the IGRS reference", submitted)
    assert (escalation["target"], escalation["status"]) == ("IGRS", "submitted")
    reference = escalation["igrs_reference"]

    # IGRS calls back, signed with its own key.
    status, answer = _igrs(stack, "POST", f"/_fake/grievances/{reference}/status", {"status": "in_progress"})
    assert (status, answer["complaint_id"]) == (200, complaint_id)
    assert citizen.ok("GET", f"/complaints/{complaint_id}")["escalation"]["status"] == "in_progress"

    # The officer decides on the portal: IGRS hears of it.
    officer.ok(
        "POST", f"/complaints/{complaint_id}/resolve", {"decision": "dismissed", "remarks": "Apologised."}
    )

    def decision_at_igrs() -> dict[str, Any] | None:
        _, listed = _igrs(stack, "GET", "/_fake/grievances")
        mine = [g for g in listed["grievances"] if g["igrs_reference"] == reference]
        return mine[0].get("decision") if mine else None

    decision = _eventually("the decision at IGRS", decision_at_igrs)
    assert (decision["complaint_id"], decision["outcome"]) == (complaint_id, "dismissed")

    # The trail (the police's clearance, the dismissal) is anchored within the interval ...
    def anchored() -> dict[str, Any] | None:
        trail = officer.ok("GET", f"/professionals/{pid}/audit")
        return trail if trail["anchored_through"] == len(trail["entries"]) == 2 else None

    assert _eventually("the anchored trail", anchored)["chain_valid"] is True

    # ... so deleting its newest entry is caught, though the rest is a valid chain.
    dynamodb = boto3.client(
        "dynamodb",
        endpoint_url=stack.outputs["AwsEndpointUrl"],
        region_name=stack.outputs["Region"],
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    (audit_table,) = [name for name in dynamodb.list_tables()["TableNames"] if name.endswith("-audit")]
    dynamodb.delete_item(TableName=audit_table, Key={"subject": {"S": pid}, "seq": {"N": "2"}})
    trail = officer.ok("GET", f"/professionals/{pid}/audit")
    assert (trail["chain_valid"], trail["broken_at"], trail["anchored_through"]) == (False, 2, 2)
