"""The two clocks of a complaint (API.md, "Fair outcomes"): ``respond_by`` (the professional's
window to answer, ``COMPLAINT_RESPONSE_S``) and ``due_by`` (the escalation SLA). Before
``respond_by`` an officer may decide only once the professional answered."""

from __future__ import annotations

from datetime import timedelta

import pytest

from complaint import logic
from sevamitra.data.models import ComplaintModel
from sevamitra.domain.complaints import Complaint
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import Conflict
from sevamitra.platform.clock import parse_iso
from sevamitra.platform.settings import settings
from tests.integration.complaints.support import OFFICER as OFFICER_CLAIMS
from tests.integration.complaints.support import (
    complain,
    hear,
    online_professional,
    resolve,
    seed_booking,
)
from tests.integration.conftest import Api

OFFICER = Caller("officer-1", frozenset({"officers"}))


def test_every_complaint_has_both_clocks(api: Api) -> None:
    pro = online_professional(api)
    opened = complain(api, seed_booking(pro.id))
    assert opened.status == 201, opened.body
    shown = api("GET", f"/complaints/{opened.body['id']}", claims=OFFICER_CLAIMS).body
    assert (shown["respond_by"], shown["due_by"]) == (opened.body["respond_by"], opened.body["due_by"])
    created, respond_by, due_by = (parse_iso(shown[k]) for k in ("created_at", "respond_by", "due_by"))
    assert respond_by - created == timedelta(seconds=settings().complaint_response_s)
    assert due_by - created == timedelta(seconds=settings().complaint_sla_s)


def test_resolve_before_respond_by_without_a_response_is_409_and_changes_nothing(api: Api) -> None:
    pro = online_professional(api)
    cid = complain(api, seed_booking(pro.id)).body["id"]

    early = resolve(api, cid, "upheld", heard=False)

    assert (early.status, early.error_code) == (409, "response_window_open")
    assert early.body["error"]["details"] == [{"respond_by": ComplaintModel.get(cid).respond_by}]
    stored = ComplaintModel.get(cid, consistent_read=True)
    assert (stored.status, stored.decision) == ("open", None)


def test_once_the_professional_answered_the_officer_may_decide_at_once(api: Api) -> None:
    pro = online_professional(api)
    cid = complain(api, seed_booking(pro.id)).body["id"]
    hear(api, cid)
    decided = resolve(api, cid, "dismissed", heard=False)
    assert (decided.status, decided.body["status"]) == (200, "dismissed")


def test_after_respond_by_an_unanswered_complaint_may_be_decided(api: Api) -> None:
    pro = online_professional(api)
    cid = complain(api, seed_booking(pro.id)).body["id"]
    respond_by = parse_iso(str(ComplaintModel.get(cid).respond_by))

    def at(moment: timedelta) -> Complaint:
        return logic.resolve(OFFICER, cid, "dismissed", "No answer.", clock=lambda: respond_by + moment)

    with pytest.raises(Conflict) as refused:
        at(-timedelta(seconds=1))
    assert refused.value.code == "response_window_open"
    assert at(timedelta(0)).status == "dismissed"
