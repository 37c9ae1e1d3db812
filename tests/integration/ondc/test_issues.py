"""ONDC IGM: an issue about an order becomes a complaint through POST /complaints' own path, and
its status follows the officer's decision (on_issue_status, asked for and unsolicited)."""

from __future__ import annotations

from typing import Any

from ondc import issues, tracker
from sevamitra.data import complaints as complaints_repo
from sevamitra.data.models import ComplaintModel
from sevamitra.platform.clock import parse_iso, utc_now
from sevamitra.platform.settings import settings
from tests.integration.complaints.support import OFFICER, hear
from tests.integration.conftest import claims_for
from tests.integration.ondc.conftest import order_message

PRO = claims_for("sub-pro_1")


def issue_message(order_id: str, issue_id: str = "ISSUE-1", code: str = "AGT01") -> dict[str, Any]:
    return {
        "issue": {
            "id": issue_id,
            "status": "OPEN",
            "level": "ISSUE",
            "created_at": "2026-11-27T10:00:00.000Z",
            "updated_at": "2026-11-27T10:00:00.000Z",
            "refs": [{"ref_id": order_id, "ref_type": "ORDER"}],
            "actors": [{"id": "CUST1", "type": "CONSUMER", "info": {"person": {"name": "Sita"}}}],
            "source_id": "CUST1",
            "complainant_id": "CUST1",
            "descriptor": {"code": code, "short_desc": "Rude and asked for more money"},
            "last_action_id": "A1",
            "actions": [{"id": "A1", "descriptor": {"code": "OPEN"}, "action_by": "CUST1"}],
        }
    }


def last(network, action: str, message: dict[str, Any]) -> dict[str, Any]:
    """Send, run the work, and the newest callback of that action (several share a transaction)."""
    before = len(network.bap.received(f"on_{action}"))
    network.exchange(action, message, transaction_id="t1")
    received = network.bap.received(f"on_{action}")
    assert len(received) == before + 1
    return received[-1]


def accepted_order(network, api) -> str:
    on_confirm = network.exchange("confirm", order_message("pro_1"), transaction_id="t1")
    order_id = on_confirm["message"]["order"]["id"]
    assert api("POST", f"/bookings/{order_id}/accept", claims=PRO).status == 200
    return str(order_id)


def test_an_issue_opens_one_complaint_with_the_api_clocks(network, professional, api):
    order_id = accepted_order(network, api)
    on_issue = network.exchange("issue", issue_message(order_id), transaction_id="t1")
    issue = on_issue["message"]["issue"]
    complaint_id = issues.complaint_id_for(network.bap.subscriber_id, "ISSUE-1")
    assert {"ref_id": complaint_id, "ref_type": "COMPLAINT"} in issue["refs"]
    assert issue["status"] == "PROCESSING"
    complaint = complaints_repo.get_complaint(complaint_id)
    assert complaint is not None
    assert complaint.kind.value == "misconduct"
    assert complaint.booking_id == order_id
    assert complaint.status.value == "open"
    created = parse_iso(complaint.created_at)
    assert (parse_iso(complaint.due_by) - created).total_seconds() == settings().complaint_sla_s
    assert (parse_iso(complaint.respond_by) - created).total_seconds() == min(
        settings().complaint_response_s, settings().complaint_sla_s
    )
    assert issue["expected_resolution_time"] == {"duration": f"PT{settings().complaint_sla_s}S"}

    # The same issue again (a new message id): the same complaint, no second one.
    again = last(network, "issue", issue_message(order_id))
    assert again["message"]["issue"]["refs"] == issue["refs"]
    opened = [i for i in ComplaintModel.scan() if not i.id.startswith("lock#")]
    assert [i.id for i in opened] == [complaint_id]

    # Another issue of the same category while it is unresolved: refused as IGM's duplicate.
    other = last(network, "issue", issue_message(order_id, "ISSUE-2"))
    assert other["error"]["code"] == issues.DUPLICATE


def test_an_issue_about_another_buyer_apps_order_or_in_the_wrong_state_opens_nothing(
    network, professional, api
):
    on_confirm = network.exchange("confirm", order_message("pro_1"), transaction_id="t1")
    order_id = on_confirm["message"]["order"]["id"]
    # A quality issue before the work started makes no sense (as POST /complaints says 409).
    early = last(network, "issue", issue_message(order_id, code="ITM004"))
    assert early["error"]["code"] == "30016"
    unknown = last(network, "issue", issue_message("bkg_nope"))
    assert unknown["error"]["code"] == issues.ORDER_NOT_FOUND
    assert list(ComplaintModel.scan()) == []


def test_issue_status_follows_the_officers_decision(network, professional, api):
    order_id = accepted_order(network, api)
    network.exchange("issue", issue_message(order_id), transaction_id="t1")
    complaint_id = issues.complaint_id_for(network.bap.subscriber_id, "ISSUE-1")
    assert tracker.sweep_issues(utc_now()).told == 0  # nothing changed since on_issue

    hear(api, complaint_id)
    decided = api(
        "POST",
        f"/complaints/{complaint_id}/resolve",
        body={"decision": "dismissed", "remarks": "Both sides heard; no misconduct shown."},
        claims=OFFICER,
    )
    assert decided.status == 200, decided.body
    assert tracker.sweep_issues(utc_now()).told == 1
    unsolicited = network.bap.received("on_issue_status")[-1]["message"]["issue"]
    assert unsolicited["status"] == "RESOLVED"
    assert unsolicited["resolutions"][0]["descriptor"]["code"] == "NO_ACTION"
    assert tracker.sweep_issues(utc_now()).told == 0  # decided: no longer tracked

    asked = last(network, "issue_status", {"issue_id": "ISSUE-1"})
    assert asked["message"]["issue"]["status"] == "RESOLVED"
    missing = last(network, "issue_status", {"issue_id": "nope"})
    assert missing["error"]["code"] == issues.ISSUE_NOT_FOUND


def test_an_unsigned_issue_is_refused_and_opens_nothing(network, professional, api):
    order_id = accepted_order(network, api)
    body, headers = network.bap.signed("issue", issue_message(order_id), transaction_id="t1")
    answer = network.post("issue", body, {k: v for k, v in headers.items() if k.lower() != "authorization"})
    assert answer.status == 401
    assert answer.body["message"] == {"ack": {"status": "NACK"}}
    network.work()
    assert list(ComplaintModel.scan()) == []
