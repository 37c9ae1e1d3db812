"""Helpers for the complaint tests: professionals registered through the API (real identity
hashes, so bans and re-registration can be checked), made verified and online; bookings seeded
as the bookings function writes them; complaints opened and decided through the API."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from complaint import logic
from sevamitra.data.models import BookingModel, ComplaintModel, ProfessionalModel
from sevamitra.domain.complaints import Complaint
from sevamitra.edge.auth import Caller
from sevamitra.platform.clock import parse_iso
from tests.integration.conftest import Api, ApiResponse, claims_for
from tests.integration.support import make_aadhaar, make_mobile

SERVICE = "plumber_tap_leak_repair"
FEE = 20_000
LUCKNOW = {"lat": 26.8467, "lng": 80.9462}
CITIZEN = "citizen-1"
OFFICER = claims_for("officer-1", "officers")
# The second pair of eyes a ban needs (POST /complaints/{id}/confirm-ban).
SECOND_OFFICER = claims_for("officer-2", "officers")
EMPLOYER = claims_for("employer-1", "employers")

_serial = itertools.count(1)


@dataclass(frozen=True)
class Pro:
    id: str
    sub: str
    aadhaar: str
    mobile: str


def registration_body(aadhaar: str, mobile: str) -> dict[str, Any]:
    return {
        "name": "Suresh Yadav",
        "mobile": mobile,
        "aadhaar": aadhaar,
        "services": [SERVICE],
        "location": LUCKNOW,
        "district": "Lucknow",
        "qualification": {"kind": "none"},
    }


def register(api: Api, sub: str, aadhaar: str, mobile: str) -> ApiResponse:
    return api("POST", "/professionals", body=registration_body(aadhaar, mobile), claims=claims_for(sub))


def online_professional(api: Api) -> Pro:
    """Registered through the API, verified (as the workflow would leave them) and online."""
    seed = next(_serial)
    pro_sub = f"pro-sub-{seed}"
    aadhaar, mobile = make_aadhaar(seed), make_mobile(seed)
    registered = register(api, pro_sub, aadhaar, mobile)
    assert registered.status == 201, registered.body
    pid = registered.body["id"]
    item = ProfessionalModel.get(pid)
    item.update(actions=[ProfessionalModel.status.set("verified")])
    online = api(
        "PUT",
        f"/professionals/{pid}/availability",
        body={"online": True, "location": LUCKNOW},
        claims=claims_for(pro_sub),
    )
    assert online.status == 200, online.body
    assert online.body["findable"]
    return Pro(pid, pro_sub, aadhaar, mobile)


def seed_booking(
    professional_id: str,
    *,
    booking_id: str | None = None,
    status: str = "completed",
    citizen_sub: str = CITIZEN,
    fee_paise: int = FEE,
) -> str:
    booking_id = booking_id or f"bkg_{next(_serial)}"
    BookingModel(
        booking_id,
        status=status,
        citizen_sub=citizen_sub,
        professional_id=professional_id,
        service_id=SERVICE,
        fee_paise=fee_paise,
        duration_minutes=60,
        lat=LUCKNOW["lat"],
        lng=LUCKNOW["lng"],
        expires_at="2026-11-27T10:30:00Z",
        created_at="2026-11-27T09:00:00Z",
        updated_at="2026-11-27T09:00:00Z",
    ).save()
    return booking_id


def complain(
    api: Api,
    booking_id: str,
    *,
    kind: str = "overcharge",
    amount: int | None = FEE + 10_000,
    sub: str = CITIZEN,
    headers: dict[str, str] | None = None,
) -> ApiResponse:
    body: dict[str, Any] = {"booking_id": booking_id, "kind": kind, "description": "Asked for 300 rupees"}
    if amount is not None:
        body["amount_paid_paise"] = amount
    return api("POST", "/complaints", body=body, claims=claims_for(sub), headers=headers)


def hear(api: Api, complaint_id: str) -> None:
    """The professional answers (``POST /complaints/{id}/response``, as their own account), so an
    officer may decide before ``respond_by``. Nothing to do once they answered, the complaint is
    decided, or it is past the time to answer."""
    try:
        complaint = ComplaintModel.get(complaint_id)
        account = ProfessionalModel.get(complaint.professional_id).account_sub
    except (ComplaintModel.DoesNotExist, ProfessionalModel.DoesNotExist):
        return  # nobody to hear: the decision waits for respond_by (``resolve_after_window``)
    answered = api(
        "POST",
        f"/complaints/{complaint_id}/response",
        body={"text": "I charged the fixed fee only."},
        claims=claims_for(account),
    )
    assert answered.status == 201 or answered.error_code in (
        "already_responded",
        "already_decided",
        "response_window_closed",
    ), answered.body


def resolve(
    api: Api, complaint_id: str, decision: str = "upheld", claims: dict | None = None, *, heard: bool = True
) -> ApiResponse:
    """An officer's decision, after the professional answered (``heard``: the hearing comes first,
    as API.md's ``respond_by`` requires)."""
    if heard:
        hear(api, complaint_id)
    return api(
        "POST",
        f"/complaints/{complaint_id}/resolve",
        body={"decision": decision, "remarks": "Receipt shows 300 rupees against a 200 rupee fee."},
        claims=claims or OFFICER,
    )


def confirm_ban(api: Api, complaint_id: str, claims: dict | None = None) -> ApiResponse:
    return api(
        "POST",
        f"/complaints/{complaint_id}/confirm-ban",
        body={"remarks": "Receipt checked again: 300 rupees against a 200 rupee fee."},
        claims=claims or SECOND_OFFICER,
    )


def resolve_after_window(complaint_id: str, decision: str = "upheld") -> Complaint:
    """An officer's decision once the professional's window has passed without an answer (the
    clock moved to just after ``respond_by``)."""
    respond_by = parse_iso(str(ComplaintModel.get(complaint_id).respond_by))
    return logic.resolve(
        Caller("officer-1", frozenset({"officers"})),
        complaint_id,
        decision,
        "No answer within the window.",
        clock=lambda: respond_by + timedelta(seconds=1),
    )


def match_ids(api: Api) -> list[str]:
    response = api(
        "GET",
        "/match",
        claims=claims_for("someone"),
        query={"service": SERVICE, "lat": str(LUCKNOW["lat"]), "lng": str(LUCKNOW["lng"])},
    )
    assert response.status == 200, response.body
    return [r["professional_id"] for r in response.body["results"]]


def ban_check(api: Api, claims: dict | None = None, **query: str) -> ApiResponse:
    return api("GET", "/bans/check", claims=claims or OFFICER, query=query)
