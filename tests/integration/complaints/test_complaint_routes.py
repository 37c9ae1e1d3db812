"""Opening complaints, the professional's response, evidence uploads, who may do what."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from complaint import logic
from complaint.models import EvidenceIn
from sevamitra.data.models import ComplaintModel
from sevamitra.domain.complaints import MAX_EVIDENCE
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import Conflict
from tests.integration.complaints.support import (
    CITIZEN,
    EMPLOYER,
    FEE,
    OFFICER,
    complain,
    online_professional,
    resolve,
    resolve_after_window,
    seed_booking,
)
from tests.integration.conftest import Api, claims_for
from tests.integration.support import make_aadhaar, table_items


def test_citizen_opens_an_overcharge_complaint_due_after_the_sla(api: Api) -> None:
    pro = online_professional(api)
    booking = seed_booking(pro.id)

    opened = complain(api, booking, amount=FEE + 1)

    assert opened.status == 201, opened.body
    assert opened.body["status"] == "open"
    created = datetime.strptime(opened.body["due_by"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs((created - datetime.now(UTC)) - timedelta(days=7)) < timedelta(minutes=1)
    shown = api("GET", f"/complaints/{opened.body['id']}", claims=claims_for(CITIZEN))
    assert shown.status == 200
    assert shown.body["amount_paid_paise"] == FEE + 1
    assert shown.body["fee_paise"] == FEE
    assert shown.body["district"] == "lucknow"  # registered as "Lucknow", stored as its code
    assert shown.body["response"] is None
    assert shown.body["decision"] is None


def test_overcharge_without_an_amount_above_the_fee_is_422_on_that_field(api: Api) -> None:
    booking = seed_booking("pro_any")
    for amount in (None, FEE, FEE - 1):
        response = complain(api, booking, amount=amount)

        assert (response.status, response.error_code) == (422, "validation_error")
        assert response.body["error"]["details"][0]["loc"] == ["body", "amount_paid_paise"]
    assert table_items("complaints") == []


def test_complaint_about_unknown_booking_is_404_and_about_someone_elses_is_403(api: Api) -> None:
    booking = seed_booking("pro_any")
    assert complain(api, "bkg_nope").status == 404
    assert complain(api, booking, sub="citizen-2").status == 403


ALLOWED_CASES = [
    ("overcharge", "requested", False),
    ("overcharge", "accepted", False),
    ("overcharge", "in_progress", True),
    ("overcharge", "cancelled", False),
    ("no_show", "accepted", True),
    ("no_show", "completed", False),
    ("no_show", "expired", False),
    ("quality", "cancelled", False),
    ("quality", "completed", True),
    ("misconduct", "cancelled", True),
    ("other", "requested", False),
]


def test_complaints_only_in_booking_states_where_the_kind_makes_sense(api: Api) -> None:
    got = []
    for kind, status, _ in ALLOWED_CASES:
        response = complain(api, seed_booking("pro_any", status=status), kind=kind)
        assert response.status == 201 or response.error_code == "complaint_not_allowed", response.body
        got.append((kind, status, response.status == 201))
    assert got == ALLOWED_CASES


def test_second_open_complaint_of_a_kind_is_409_naming_the_first(api: Api) -> None:
    booking = seed_booking("pro_any")
    first = complain(api, booking)

    second = complain(api, booking)

    assert (second.status, second.error_code) == (409, "complaint_exists")
    assert second.body["error"]["details"] == [{"complaint_id": first.body["id"]}]


def test_retry_with_the_same_idempotency_key_returns_the_first_complaint(api: Api) -> None:
    booking = seed_booking("pro_any")
    headers = {"Idempotency-Key": "complaint-1"}
    first = complain(api, booking, headers=headers)
    again = complain(api, booking, headers=headers)

    assert (first.status, again.status) == (201, 201)
    assert again.body == first.body
    assert len([i for i in table_items("complaints") if not i["id"]["S"].startswith("lock#")]) == 1


def test_professionals_response_is_shown_to_the_officer_before_the_decision(api: Api) -> None:
    pro = online_professional(api)
    opened = complain(api, seed_booking(pro.id))
    cid = opened.body["id"]

    responded = api(
        "POST",
        f"/complaints/{cid}/response",
        body={"text": "I charged for a new tap."},
        claims=claims_for(pro.sub),
    )

    assert responded.status == 201, responded.body
    seen = api("GET", f"/complaints/{cid}", claims=OFFICER)
    assert seen.body["status"] == "open"
    assert seen.body["response"]["text"] == "I charged for a new tap."
    assert seen.body["response"]["by"] == pro.sub
    again = api("POST", f"/complaints/{cid}/response", body={"text": "more"}, claims=claims_for(pro.sub))
    assert (again.status, again.error_code) == (409, "already_responded")
    assert resolve(api, cid, "dismissed").status == 200
    assert (
        api("GET", f"/complaints/{cid}", claims=OFFICER).body["response"]["text"]
        == "I charged for a new tap."
    )


def test_no_response_after_due_by_or_after_a_decision(api: Api) -> None:
    pro = online_professional(api)
    cid = complain(api, seed_booking(pro.id)).body["id"]
    caller = Caller(pro.sub, frozenset())
    late = datetime.now(UTC) + timedelta(days=8)

    with pytest.raises(Conflict) as caught:
        logic.respond(caller, cid, "too late", clock=lambda: late)
    assert caught.value.code == "response_window_closed"

    resolve_after_window(cid, "dismissed")  # unanswered: decided once respond_by passed
    decided = api("POST", f"/complaints/{cid}/response", body={"text": "t"}, claims=claims_for(pro.sub))
    assert (decided.status, decided.error_code) == (409, "already_decided")
    assert ComplaintModel.get(cid).response is None


def test_evidence_upload_is_a_presigned_post_under_the_complaint_for_the_complainant(api: Api) -> None:
    pro = online_professional(api)
    cid = complain(api, seed_booking(pro.id)).body["id"]

    upload = api(
        "POST",
        f"/complaints/{cid}/evidence",
        body={"content_type": "image/jpeg", "size_bytes": 1000},
        claims=claims_for(CITIZEN),
    )

    assert upload.status == 201, upload.body
    fields = upload.body["upload"]["fields"]
    assert fields["key"] == f"complaints/{cid}/{upload.body['evidence_id']}"
    policy = json.loads(base64.b64decode(fields["policy"]))
    assert ["content-length-range", 1, 5 * 1024 * 1024] in policy["conditions"]
    assert {"Content-Type": "image/jpeg"} in policy["conditions"]
    shown = api("GET", f"/complaints/{cid}", claims=OFFICER).body["evidence"]
    assert [e["evidence_id"] for e in shown] == [upload.body["evidence_id"]]
    assert "key" not in shown[0]
    second = api(
        "POST",
        f"/complaints/{cid}/evidence",
        body={"content_type": "application/pdf", "size_bytes": 10},
        claims=claims_for(CITIZEN),
    )
    assert second.status == 201
    assert len(api("GET", f"/complaints/{cid}", claims=OFFICER).body["evidence"]) == 2


def test_evidence_of_another_type_or_over_5_mib_is_422(api: Api) -> None:
    cid = complain(api, seed_booking("pro_any")).body["id"]
    for body in (
        {"content_type": "text/plain", "size_bytes": 10},
        {"content_type": "image/png", "size_bytes": 5 * 1024 * 1024 + 1},
        {"content_type": "image/png", "size_bytes": 0},
    ):
        response = api("POST", f"/complaints/{cid}/evidence", body=body, claims=claims_for(CITIZEN))
        assert response.status == 422, body
    assert ComplaintModel.get(cid).evidence is None


def test_a_complaint_holds_at_most_ten_evidence_files(api: Api) -> None:
    cid = complain(api, seed_booking("pro_any")).body["id"]
    body = {"content_type": "image/png", "size_bytes": 10}
    for _ in range(MAX_EVIDENCE):
        assert api("POST", f"/complaints/{cid}/evidence", body=body, claims=claims_for(CITIZEN)).status == 201

    over = api("POST", f"/complaints/{cid}/evidence", body=body, claims=claims_for(CITIZEN))

    assert (over.status, over.error_code) == (409, "too_many_evidence_files")
    assert over.body["error"]["details"] == [{"max_evidence_files": MAX_EVIDENCE}]
    assert len(ComplaintModel.get(cid).evidence.as_dict()) == MAX_EVIDENCE


def test_the_evidence_limit_holds_when_the_complaint_changed_after_it_was_read(api: Api) -> None:
    """The count is checked in the write's condition, not only on the copy read before it: a
    write claiming a place that is taken (here by ten uploads after the read) is refused."""
    cid = complain(api, seed_booking("pro_any")).body["id"]
    stale = logic.repo.load_complaint(cid)
    body = {"content_type": "image/png", "size_bytes": 10}
    for _ in range(MAX_EVIDENCE):
        assert api("POST", f"/complaints/{cid}/evidence", body=body, claims=claims_for(CITIZEN)).status == 201
    record = {"key": "k", "content_type": "image/png", "size_bytes": 1, "requested_at": "t"}

    for place in (len(stale.evidence or {}), MAX_EVIDENCE - 1):
        assert not logic.repo.record_evidence(cid, "evd_over", record, "t", place)
    assert len(ComplaintModel.get(cid).evidence.as_dict()) == MAX_EVIDENCE


def test_evidence_lists_in_the_order_it_was_asked_for_even_within_one_second(api: Api) -> None:
    """The portal numbers the files ("file 1" is the first sent); ids are random and the
    request time has whole seconds, so the order is each write's claimed place."""
    cid = complain(api, seed_booking("pro_any")).body["id"]
    moment = datetime(2026, 12, 1, 10, 0, 0, tzinfo=UTC)
    sent = [f"evd_{letter}" for letter in "zyxwvutsrq"]  # each sorts before the one asked earlier
    ids = iter(sent)
    for _ in sent:
        logic.request_evidence_upload(
            Caller(CITIZEN, frozenset()),
            cid,
            EvidenceIn(content_type="image/png", size_bytes=10),
            clock=lambda: moment,
            ids=lambda _prefix: next(ids),
        )

    shown = api("GET", f"/complaints/{cid}", claims=OFFICER).body["evidence"]

    assert [item["evidence_id"] for item in shown] == sent
    assert all("place" not in item for item in shown)


def test_an_upload_that_lost_its_place_to_another_takes_the_next(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two uploads read the same count: the second's write is refused, it re-reads and takes
    the next place instead of failing or overwriting the first."""
    cid = complain(api, seed_booking("pro_any")).body["id"]
    stale = logic.repo.load_complaint(cid)
    body = {"content_type": "image/png", "size_bytes": 10}
    first = api("POST", f"/complaints/{cid}/evidence", body=body, claims=claims_for(CITIZEN)).body
    reads = iter([stale])
    fresh = logic.repo.load_complaint
    monkeypatch.setattr(logic.repo, "load_complaint", lambda i: next(reads, None) or fresh(i))

    second = api("POST", f"/complaints/{cid}/evidence", body=body, claims=claims_for(CITIZEN))

    assert second.status == 201, second.body
    stored = ComplaintModel.get(cid).evidence.as_dict()
    assert stored[first["evidence_id"]]["place"] == 0
    assert stored[second.body["evidence_id"]]["place"] == 1


def test_no_evidence_after_the_decision(api: Api) -> None:
    cid = complain(api, seed_booking("pro_any")).body["id"]
    resolve_after_window(cid, "dismissed")
    response = api(
        "POST",
        f"/complaints/{cid}/evidence",
        body={"content_type": "image/png", "size_bytes": 10},
        claims=claims_for(CITIZEN),
    )
    assert (response.status, response.error_code) == (409, "already_decided")


def test_unknown_complaint_is_404(api: Api) -> None:
    assert api("GET", "/complaints/cmp_nope", claims=OFFICER).status == 404
    assert resolve(api, "cmp_nope").status == 404


# --- who may do what --------------------------------------------------------------------------

ROLES = ("citizen", "other_citizen", "professional", "other_professional", "officer", "employer", "anonymous")
# route: expected status per role, in ROLES order. Checked in this order on one complaint: the
# professional's response and the officer's decision succeed once, so they come last.
EXPECTED = {
    "get": (200, 403, 200, 403, 200, 403, 401),
    "evidence": (201, 403, 403, 403, 403, 403, 401),
    "ban_check": (403, 403, 403, 403, 200, 200, 401),
    "audit": (403, 403, 403, 403, 200, 403, 401),
    "open": (201, 403, 403, 403, 403, 403, 401),
    "response": (403, 403, 201, 403, 403, 403, 401),
    "resolve": (403, 403, 403, 403, 200, 403, 401),
}


def test_authorisation_matrix_of_every_complaint_route(api: Api) -> None:
    pro = online_professional(api)
    other = online_professional(api)
    claims = {
        "citizen": claims_for(CITIZEN),
        "other_citizen": claims_for("citizen-2"),
        "professional": claims_for(pro.sub),
        "other_professional": claims_for(other.sub),
        "officer": OFFICER,
        "employer": EMPLOYER,
        "anonymous": None,
    }
    cid = complain(api, seed_booking(pro.id)).body["id"]
    calls = {
        "get": ("GET", f"/complaints/{cid}", None),
        "evidence": ("POST", f"/complaints/{cid}/evidence", {"content_type": "image/png", "size_bytes": 10}),
        "ban_check": ("GET", f"/bans/check?aadhaar={make_aadhaar(1)}", None),
        "audit": ("GET", f"/professionals/{pro.id}/audit", None),
        "response": ("POST", f"/complaints/{cid}/response", {"text": "my side"}),
        "resolve": ("POST", f"/complaints/{cid}/resolve", {"decision": "dismissed", "remarks": "r"}),
    }
    got = {}
    for route in EXPECTED:
        statuses = []
        for role in ROLES:
            if route == "open":
                body = {"booking_id": seed_booking(pro.id), "kind": "quality", "description": "poor work"}
                response = api("POST", "/complaints", body=body, claims=claims[role])
            else:
                method, path, body = calls[route]
                response = api(method, path, body=body, claims=claims[role])
            statuses.append(response.status)
        got[route] = tuple(statuses)
    assert got == EXPECTED
