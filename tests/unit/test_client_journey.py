"""The stack client's journey (``local.client.journey``) over a fake ``Caller``: the steps every
client of the stack takes to a verified professional (the walkthrough, the load script, the e2e
tests over HTTP; the demo data in process), and what each checks of the API's answers."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from local.client import TimedOut, Unexpected, journey, poll_until
from local.client.police import Police, signed_callback
from sevamitra.edge.errors import Unauthorized
from sevamitra.edge.signing import HEADER, verify

KEY = b"police-shared-key"


class FakeApi:
    """A ``Caller`` whose answers are functions of (method, path); it records every call."""

    def __init__(self, answers: dict[tuple[str, str], Callable[[], tuple[int, Any]]]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, str, Any, dict[str, Any]]] = []

    def ok(self, method: str, path: str, body: Any = None, *, status: int = 200, **sent: Any) -> Any:
        self.calls.append((method, path, body, sent))
        got, answer = self.answers[(method, path)]()
        if got != status:
            raise Unexpected(f"{method} {path}: expected {status}, got {got}")
        return answer


def test_register_returns_the_new_profile_pending_documents() -> None:
    api = FakeApi({("POST", "/professionals"): lambda: (201, {"id": "pro_1", "status": "pending_documents"})})

    profile = journey.register(api, {"name": "Asha"})

    assert profile["id"] == "pro_1"
    assert api.calls == [("POST", "/professionals", {"name": "Asha"}, {})]


def test_register_refuses_a_new_profile_in_another_status() -> None:
    api = FakeApi({("POST", "/professionals"): lambda: (201, {"id": "pro_1", "status": "verified"})})

    with pytest.raises(Unexpected, match="not pending_documents"):
        journey.register(api, {})


def test_submit_refuses_an_answer_other_than_verification_pending() -> None:
    api = FakeApi({("POST", "/professionals/pro_1/submit"): lambda: (202, {"status": "police_pending"})})

    with pytest.raises(Unexpected, match="submit answered"):
        journey.submit(api, "pro_1")


def test_the_police_request_is_the_one_the_officers_list_shows_once_the_workflow_filed_it() -> None:
    listings = iter([[], [{"request_id": "vrq_other", "professional_id": "pro_2"}]])
    filed = [{"request_id": "vrq_1", "professional_id": "pro_1"}]
    officer = FakeApi(
        {("GET", "/verification/requests?status=pending"): lambda: (200, {"requests": next(listings, filed)})}
    )

    assert journey.police_request(officer, "pro_1", timeout_s=5) == "vrq_1"
    assert len(officer.calls) == 3


def test_the_police_answer_is_signed_over_the_exact_bytes_sent() -> None:
    api = FakeApi({("POST", "/verification/callback"): lambda: (200, {"status": "recorded"})})

    Police(api, KEY).answer("vrq_1", "clear", remarks="No record")

    [(_, _, body, sent)] = api.calls
    assert body is None
    assert json.loads(sent["data"]) == {"request_id": "vrq_1", "result": "clear", "remarks": "No record"}
    verify(sent["headers"][HEADER], sent["data"], KEY, int(time.time()))


def test_a_callback_signed_an_hour_ago_or_with_another_key_does_not_verify() -> None:
    now = int(time.time())
    stale, stale_headers = signed_callback(KEY, {"request_id": "vrq_1"}, at=now - 3600)
    forged, forged_headers = signed_callback(b"not-the-police", {"request_id": "vrq_1"})

    with pytest.raises(Unauthorized):
        verify(stale_headers[HEADER], stale, KEY, now)
    with pytest.raises(Unauthorized):
        verify(forged_headers[HEADER], forged, KEY, now)


def test_cleared_answers_clear_and_waits_for_the_verified_profile() -> None:
    statuses = iter(["police_pending", "police_pending", "verified"])
    api = FakeApi(
        {
            ("POST", "/verification/callback"): lambda: (200, {"status": "recorded"}),
            ("GET", "/professionals/pro_1"): lambda: (200, {"status": next(statuses)}),
        }
    )

    profile = journey.cleared(Police(api, KEY), api, "pro_1", "vrq_1", timeout_s=5)

    assert profile == {"status": "verified"}
    assert [path for _, path, _, _ in api.calls].count("/professionals/pro_1") == 3


def test_poll_until_says_what_it_waited_for_when_it_times_out() -> None:
    with pytest.raises(TimedOut, match="waiting for the police request of pro_1"):
        poll_until("the police request of pro_1", lambda: None, timeout_s=0.05, interval_s=0.01)
