"""Verification outcomes land on the professional's audit trail, once per police request."""

from __future__ import annotations

from datetime import UTC, datetime

from local.provision import LocalResources
from sevamitra.data import verifications
from sevamitra.data.models import ProfessionalModel
from tests.integration.conftest import Api, claims_for
from verify import workflow
from verify.models import Decide, PoliceAnswer

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def _police_pending(professional_id: str, request_id: str) -> None:
    ProfessionalModel(
        id=professional_id,
        status="police_pending",
        name="Ramesh Kumar",
        registered_by="sub-r",
        account_sub="sub-r",
        aadhaar_hash="hash",
        aadhaar_last4="1234",
        mobile_hash="mhash",
        mobile_last4="3210",
        services=["electrician_fan_installation"],
        lat=26.85,
        lng=80.95,
        district="Lucknow",
        verification={"stage": "police_requested", "request_id": request_id, "history": []},
        created_at="2026-11-27T09:00:00Z",
        updated_at="2026-11-27T09:00:00Z",
    ).save()
    verifications.open_request(request_id, professional_id, "Lucknow", "token-1", "exec-1", NOW)


def _decide(professional_id: str, request_id: str, result: str) -> dict:
    answer = PoliceAnswer(
        result=result,
        case_refs=["FIR 12/2026 Hazratganj"] if result == "adverse" else [],
        remarks="Case pending" if result == "adverse" else None,
        answered_at="2026-11-27T10:00:00Z",
    )
    step = Decide(action="decide", professional_id=professional_id, request_id=request_id, answer=answer)
    return workflow.decide(step, now=lambda: NOW)


def test_rejection_is_audited_once_with_its_case_references_even_when_the_step_repeats(
    aws: LocalResources, api: Api
) -> None:
    _police_pending("pro_r", "req_r")

    assert _decide("pro_r", "req_r", "adverse") == {"status": "rejected"}
    assert _decide("pro_r", "req_r", "adverse") == {"status": "rejected"}  # a retried step

    trail = api("GET", "/professionals/pro_r/audit", claims=claims_for("officer-1", "officers")).body
    (entry,) = trail["entries"]
    assert (entry["action"], entry["actor"], entry["at"]) == ("rejected", "police", "2026-11-27T10:00:00Z")
    assert entry["evidence"] == {
        "request_id": "req_r",
        "result": "adverse",
        "case_refs": ["FIR 12/2026 Hazratganj"],
        "answered_at": "2026-11-27T10:00:00Z",
        "remarks": "Case pending",
    }
    assert trail["chain_valid"] is True


def test_clearance_is_audited_as_verified(aws: LocalResources, api: Api) -> None:
    _police_pending("pro_c", "req_c")

    _decide("pro_c", "req_c", "clear")

    trail = api("GET", "/professionals/pro_c/audit", claims=claims_for("officer-1", "officers")).body
    assert [(e["action"], e["evidence"]["request_id"]) for e in trail["entries"]] == [("verified", "req_c")]
