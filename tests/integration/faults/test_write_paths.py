"""Every write path, with a fault injected at each of its AWS calls in turn.

For each path the request is first run once to list its calls (DynamoDB, S3, Secrets Manager,
Step Functions, EventBridge, on the request's own thread). Then, for every call ``n``, from the
same starting state: call ``n`` fails (an error; for DynamoDB writes also throttling); the client
must get 503 (429 when throttled) with nothing written, or the complete answer, never anything
else; the stored data must
keep every invariant (``tests/oracle/invariants.py``: identities, geo index, one active booking,
complaint locks, single decisions) and the path's own "all or nothing" facts; and the same
request retried without the fault must then succeed (once: a create retried with its
Idempotency-Key gives back the same thing; a step already done is 409).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest

from local.client import SAMPLE_PDF
from local.dispatch import call_handler
from local.provision import cached_client
from sevamitra.data import verifications
from sevamitra.data.models import (
    BookingModel,
    ComplaintModel,
    EngagementModel,
    IdentityModel,
    JobModel,
    OfferModel,
    ProfessionalModel,
)
from sevamitra.domain.professionals import VerificationStage, history_entry
from sevamitra.edge.errors import DependencyFailed, DomainError, Throttled
from sevamitra.edge.routes import Function
from sevamitra.platform.clock import utc_now
from sevamitra.platform.settings import settings
from tests.integration.conftest import Api, ApiResponse, claims_for
from tests.integration.faults.conftest import (
    Faults,
    forget_keys,
    reset,
    restore_tables,
    save_tables,
    serial,
    stored_violations,
)
from tests.integration.support import store_upload
from tests.stories import identity

SERVICE = "electrician_fan_installation"
HERE = {"lat": 26.8467, "lng": 80.9462}
NEAR = {"lat": 26.8476, "lng": 80.9462}  # 100 m north
OFFICER = claims_for("officer-f", "officers")
SECOND_OFFICER = claims_for("officer-g", "officers")  # a ban's four eyes
PAST = "2001-01-01T00:00:00Z"
# Throttling is injected on every DynamoDB write (reads fail with errors in the other half).
DYNAMODB_WRITES = frozenset(
    f"dynamodb:{op}" for op in ("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem")
)


# --- building states through the API ------------------------------------------------------------


@dataclass
class Pro:
    id: str
    claims: dict[str, Any]
    aadhaar: str
    mobile: str


@dataclass
class Booking:
    id: str
    code: str
    pro: Pro
    citizen: dict[str, Any]
    fee: int


def _ok(response: ApiResponse, status: int) -> Any:
    assert response.status == status, response.body
    return response.body


def registration_body(aadhaar: str, mobile: str) -> dict[str, Any]:
    return {
        "name": "Ramesh Kumar",
        "mobile": mobile,
        "aadhaar": aadhaar,
        "services": [SERVICE],
        "location": NEAR,
        "district": "Lucknow",
        "qualification": {"kind": "none"},
    }


def registered(api: Api) -> Pro:
    n = serial()
    aadhaar, mobile = identity(n, series=6)
    claims = claims_for(f"pro-{n}")
    body = _ok(api("POST", "/professionals", body=registration_body(aadhaar, mobile), claims=claims), 201)
    return Pro(body["id"], claims, aadhaar, mobile)


def uploaded(api: Api) -> Pro:
    pro = registered(api)
    form = api(
        "POST",
        f"/professionals/{pro.id}/documents",
        body={"kind": "id_proof", "content_type": "application/pdf", "size_bytes": len(SAMPLE_PDF)},
        claims=pro.claims,
    )
    store_upload(_ok(form, 201)["upload"]["fields"], SAMPLE_PDF)
    return pro


def verified(api: Api, *, online: bool = True) -> Pro:
    """Submitted, then cleared as the workflow's decision step leaves the record."""
    pro = uploaded(api)
    _ok(api("POST", f"/professionals/{pro.id}/submit", claims=pro.claims), 202)
    now = utc_now()
    assert verifications.advance(
        pro.id,
        verifications.Expect(("verification_pending",)),
        verifications.Change(
            stage=VerificationStage.DECISION,
            status="verified",
            entries=[
                history_entry(VerificationStage.POLICE_ANSWERED, now, "clear"),
                history_entry(VerificationStage.DECISION, now, "verified"),
            ],
        ),
        now,
    )
    if online:
        _ok(
            api("PUT", f"/professionals/{pro.id}/availability", body={"online": True}, claims=pro.claims), 200
        )
    return pro


def booked(api: Api) -> Booking:
    pro = verified(api)
    citizen = claims_for(f"citizen-{serial()}")
    body = {"service_id": SERVICE, "location": HERE, "professional_id": pro.id}
    created = _ok(api("POST", "/bookings", body=body, claims=citizen), 201)
    return Booking(created["id"], created["start_code"], pro, citizen, created["fee_paise"])


def accepted(api: Api) -> Booking:
    booking = booked(api)
    _ok(api("POST", f"/bookings/{booking.id}/accept", claims=booking.pro.claims), 200)
    return booking


def started(api: Api) -> Booking:
    booking = accepted(api)
    body = {"start_code": booking.code}
    _ok(api("POST", f"/bookings/{booking.id}/start", body=body, claims=booking.pro.claims), 200)
    return booking


def completed(api: Api, *, extra_paise: int = 0) -> Booking:
    booking = started(api)
    body = {"amount_collected_paise": booking.fee + extra_paise}
    _ok(api("POST", f"/bookings/{booking.id}/complete", body=body, claims=booking.pro.claims), 200)
    return booking


def complaint_of(api: Api, booking: Booking) -> str:
    seen = _ok(api("GET", f"/bookings/{booking.id}", claims=booking.citizen), 200)
    return str(seen["complaint_ids"][0])


def open_complaint(api: Api) -> str:
    booking = completed(api)
    body = {"booking_id": booking.id, "kind": "quality", "description": "The fan wobbles."}
    return str(_ok(api("POST", "/complaints", body=body, claims=booking.citizen), 201)["id"])


# --- the write paths ----------------------------------------------------------------------------


Request = Callable[[], ApiResponse]


@dataclass
class Case:
    """One write path from a prepared state: the request, its success status, what a retry after
    a success answers, and the path's own consistency facts (violations, empty when fine)."""

    request: Request
    ok: int
    again: tuple[int, ...]
    facts: Callable[[], list[str]] = field(default=lambda: [])
    done: Callable[[], list[str]] = field(default=lambda: [])
    # Whether the write happened: never after a 503/429 (scheduled jobs: None, a failed run is
    # finished by the next one).
    effect: Callable[[], bool] | None = None
    # A scheduled job: a failed run (the Lambda fails, the next run retries), whatever the fault.
    job: bool = False


def _professional(pid: str) -> ProfessionalModel:
    return ProfessionalModel.get(pid, consistent_read=True)


def _registration(api: Api) -> Case:
    n = serial()
    aadhaar, mobile = identity(n, series=7)
    claims = claims_for(f"new-pro-{n}")
    body = registration_body(aadhaar, mobile)
    headers = {"Idempotency-Key": f"register-{n}"}

    def count() -> int:
        return sum(1 for p in ProfessionalModel.scan() if p.registered_by == claims["sub"])

    def facts() -> list[str]:
        return [] if count() <= 1 else [f"{count()} professionals from one registration"]

    def done() -> list[str]:
        return [] if count() == 1 else [f"{count()} professionals after the retried registration"]

    return Case(
        lambda: api("POST", "/professionals", body=body, claims=claims, headers=headers),
        201,
        (201,),
        facts,
        done,
        effect=lambda: count() > 0,
    )


def _document(api: Api) -> Case:
    pro = registered(api)
    body = {"kind": "id_proof", "content_type": "application/pdf", "size_bytes": len(SAMPLE_PDF)}
    return Case(
        lambda: api("POST", f"/professionals/{pro.id}/documents", body=body, claims=pro.claims),
        201,
        (201,),
        effect=lambda: "id_proof" in (_professional(pro.id).documents or {}),
    )


def _submit(api: Api) -> Case:
    pro = uploaded(api)
    sfn = cached_client("stepfunctions", settings().aws_region)

    def executions() -> int:
        arn = settings().verification_state_machine_arn
        return sum(1 for e in sfn.list_executions(stateMachineArn=arn)["executions"] if pro.id in e["name"])

    def facts() -> list[str]:
        status = _professional(pro.id).status
        if status == "verification_pending" and executions() == 0:
            return ["submitted but no verification execution (the status change was not compensated)"]
        if status == "pending_documents" and executions():
            return ["an execution runs for a professional still collecting documents"]
        return []

    def done() -> list[str]:
        status = _professional(pro.id).status
        return (
            []
            if status == "verification_pending" and executions() == 1
            else [f"{status}, {executions()} runs"]
        )

    return Case(
        lambda: api("POST", f"/professionals/{pro.id}/submit", claims=pro.claims),
        202,
        (409,),
        facts,
        done,
        effect=lambda: _professional(pro.id).status == "verification_pending",
    )


def _availability(api: Api) -> Case:
    pro = verified(api, online=False)
    body = {"online": True}
    return Case(
        lambda: api("PUT", f"/professionals/{pro.id}/availability", body=body, claims=pro.claims),
        200,
        (200,),
        effect=lambda: bool(_professional(pro.id).online),
    )


def _booking(api: Api, *, named: bool) -> Case:
    pro = verified(api)
    citizen = claims_for(f"citizen-{serial()}")
    body: dict[str, Any] = {"service_id": SERVICE, "location": HERE}
    if named:
        body["professional_id"] = pro.id
    headers = {"Idempotency-Key": f"book-{serial()}"}

    def count() -> int:
        return sum(1 for b in BookingModel.scan() if b.citizen_sub == citizen["sub"])

    def facts() -> list[str]:
        return [] if count() <= 1 else [f"{count()} bookings from one request"]

    def done() -> list[str]:
        return [] if count() == 1 else [f"{count()} bookings after the retried request"]

    return Case(
        lambda: api("POST", "/bookings", body=body, claims=citizen, headers=headers),
        201,
        (201,),
        facts,
        done,
        effect=lambda: count() > 0,
    )


def _step(
    prepare: Callable[[Api], Booking], action: str, ok: int = 200, **body: Any
) -> Callable[[Api], Case]:
    def case(api: Api) -> Case:
        booking = prepare(api)
        claims = booking.citizen if action == "rating" else booking.pro.claims
        payload = {"start_code": booking.code} if action == "start" else dict(body)
        if action == "complete":
            payload = {"amount_collected_paise": booking.fee + 5_000}  # opens an overcharge complaint

        want = {"accept": "accepted", "start": "in_progress", "complete": "completed", "cancel": "cancelled"}

        def done() -> list[str]:
            stored = BookingModel.get(booking.id, consistent_read=True)
            if action in want and stored.status != want[action]:
                return [f"booking is {stored.status} after a successful {action}"]
            if action == "complete" and len(stored.complaint_ids or ()) != 1:
                return [f"{len(stored.complaint_ids or ())} overcharge complaints opened at completion"]
            return []

        def effect() -> bool:
            stored = BookingModel.get(booking.id, consistent_read=True)
            if action == "rating":
                return stored.rating is not None
            return stored.status == want[action]

        return Case(
            lambda: api("POST", f"/bookings/{booking.id}/{action}", body=payload, claims=claims),
            ok,
            (409,),
            done=done,
            effect=effect,
        )

    return case


def _complaint(api: Api) -> Case:
    booking = completed(api)
    body = {"booking_id": booking.id, "kind": "quality", "description": "The fan wobbles."}
    headers = {"Idempotency-Key": f"complaint-{serial()}"}
    return Case(
        lambda: api("POST", "/complaints", body=body, claims=booking.citizen, headers=headers),
        201,
        (201,),
        effect=lambda: any(c.booking_id == booking.id for c in ComplaintModel.scan() if c.status),
    )


def _response(api: Api) -> Case:
    complaint_id = open_complaint(api)
    pro_claims = next(
        claims_for(p.account_sub) for p in ProfessionalModel.scan() if p.account_sub is not None
    )
    body = {"text": "It was fixed properly."}
    return Case(
        lambda: api("POST", f"/complaints/{complaint_id}/response", body=body, claims=pro_claims),
        201,
        (409,),
        effect=lambda: ComplaintModel.get(complaint_id, consistent_read=True).response is not None,
    )


def _heard(api: Api, complaint_id: str, claims: dict[str, Any]) -> None:
    """The professional answers first: no decision before ``respond_by`` otherwise."""
    body = {"text": "It was done properly."}
    _ok(api("POST", f"/complaints/{complaint_id}/response", body=body, claims=claims), 201)


def _resolve(api: Api) -> Case:
    complaint_id = open_complaint(api)
    pro_id = ComplaintModel.get(complaint_id).professional_id
    _heard(api, complaint_id, claims_for(str(_professional(pro_id).account_sub)))
    body = {"decision": "dismissed", "remarks": "No evidence."}
    return Case(
        lambda: api("POST", f"/complaints/{complaint_id}/resolve", body=body, claims=OFFICER),
        200,
        (409,),
        effect=lambda: ComplaintModel.get(complaint_id, consistent_read=True).status == "dismissed",
    )


def _suspend(api: Api) -> Case:
    booking = completed(api, extra_paise=10_000)
    complaint_id = complaint_of(api, booking)
    _heard(api, complaint_id, booking.pro.claims)
    body = {"decision": "upheld", "remarks": "Receipt shows 100 rupees extra."}

    def done() -> list[str]:
        pro = _professional(booking.pro.id)
        bans = [i for i in IdentityModel.scan() if i.pk.startswith("ban#") and i.professional_id == pro.id]
        return (
            [] if pro.status == "suspended" and not bans else [f"{pro.status} with {len(bans)} ban entries"]
        )

    return Case(
        lambda: api("POST", f"/complaints/{complaint_id}/resolve", body=body, claims=OFFICER),
        200,
        (409,),
        done=done,
        effect=lambda: ComplaintModel.get(complaint_id, consistent_read=True).status == "upheld",
    )


def _ban_status(complaint_id: str) -> str | None:
    return (
        ComplaintModel.get(complaint_id, consistent_read=True).to_simple_dict().get("ban", {}).get("status")
    )


def _ban(api: Api) -> Case:
    """The ban itself: a second officer confirms what the first officer's decision proposed."""
    booking = completed(api, extra_paise=10_000)
    complaint_id = complaint_of(api, booking)
    _heard(api, complaint_id, booking.pro.claims)
    upheld = {"decision": "upheld", "remarks": "Receipt shows 100 rupees extra."}
    assert api("POST", f"/complaints/{complaint_id}/resolve", body=upheld, claims=OFFICER).status == 200
    body = {"remarks": "Receipt checked again."}

    def done() -> list[str]:
        pro = _professional(booking.pro.id)
        bans = [i for i in IdentityModel.scan() if i.pk.startswith("ban#") and i.professional_id == pro.id]
        return (
            []
            if pro.status == "banned" and len(bans) == 2
            else [f"{pro.status} with {len(bans)} ban entries"]
        )

    return Case(
        lambda: api("POST", f"/complaints/{complaint_id}/confirm-ban", body=body, claims=SECOND_OFFICER),
        200,
        (409,),
        done=done,
        effect=lambda: _ban_status(complaint_id) == "confirmed",
    )


def _scheduled(function: Function, module: str) -> ApiResponse:
    """A scheduled job's run as a status: 200 done, 503/429 failed (the next run retries)."""
    try:
        result = call_handler(
            function, module, {"source": "aws.events", "detail": {}}, f"{function}-{module}"
        )
    except Throttled:
        return ApiResponse(429, None, {})
    except DependencyFailed:
        return ApiResponse(503, None, {})
    except DomainError as exc:
        return ApiResponse(int(exc.status), None, {})
    return ApiResponse(200, result, {})


def _expiry(api: Api) -> Case:
    booking = booked(api)
    BookingModel(booking.id).update(actions=[BookingModel.expires_at.set(PAST)])

    def done() -> list[str]:
        stored = BookingModel.get(booking.id, consistent_read=True)
        return [] if stored.status == "expired" else [f"booking {stored.status} after the expiry run"]

    return Case(lambda: _scheduled(Function.BOOK, "expiry"), 200, (200,), done=done, job=True)


def _escalation(api: Api) -> Case:
    complaint_id = open_complaint(api)
    item = ComplaintModel(complaint_id)
    item.version = 0
    item.update(actions=[ComplaintModel.due_by.set(PAST)], add_version_condition=False)

    def done() -> list[str]:
        stored = ComplaintModel.get(complaint_id, consistent_read=True)
        emitted = stored.escalation.as_dict().get("emitted") if stored.escalation else None
        return [] if stored.status == "escalated" and emitted else [f"{stored.status}, emitted={emitted}"]

    return Case(lambda: _scheduled(Function.COMPLAINT, "escalation"), 200, (200,), done=done, job=True)


# --- jobs ---------------------------------------------------------------------------------------

EMPLOYER = claims_for("employer-f", "employers")


def _job_body(**changes: Any) -> dict[str, Any]:
    return {
        "title": f"Fan fitters {serial()}", "service_id": SERVICE, "kind": "full_time", "positions": 2,
        "wage": {"paise": 1_400_000, "per": "month"},
        "starts_on": (date.today() - timedelta(days=10)).isoformat(), "site": HERE, "district": "Lucknow",
        **changes,
    }  # fmt: skip


def _post_job(api: Api) -> Case:
    body = _job_body()
    headers = {"Idempotency-Key": f"job-{serial()}"}

    def count() -> int:
        return sum(1 for job in JobModel.scan() if job.title == body["title"])

    return Case(
        lambda: api("POST", "/jobs", body=body, claims=EMPLOYER, headers=headers),
        201,
        (201,),
        lambda: [] if count() <= 1 else [f"{count()} jobs from one post"],
        lambda: [] if count() == 1 else [f"{count()} jobs after the retried post"],
        effect=lambda: count() > 0,
    )


def offered(api: Api, **job: Any) -> tuple[str, Pro]:
    """A verified professional (online) applied to a fresh job and holds the poster's offer."""
    pro = verified(api)
    job_id = _ok(api("POST", "/jobs", body=_job_body(**job), claims=EMPLOYER), 201)["id"]
    _ok(api("POST", f"/jobs/{job_id}/applications", body={}, claims=pro.claims), 201)
    offer = _ok(api("POST", f"/jobs/{job_id}/offers", body={"professional_id": pro.id}, claims=EMPLOYER), 201)
    return str(offer["id"]), pro


def _accept_offer(api: Api) -> Case:
    offer_id, pro = offered(api)

    def done() -> list[str]:
        offer = OfferModel.get(offer_id, consistent_read=True)
        held = _professional(pro.id).engagement_id
        return (
            [] if offer.status == "accepted" and held == offer.engagement_id else [f"{offer.status}, {held}"]
        )

    return Case(
        lambda: api("POST", f"/offers/{offer_id}/accept", claims=pro.claims),
        200,
        (200,),
        done=done,
        effect=lambda: OfferModel.get(offer_id, consistent_read=True).status == "accepted",
    )


def _engaged(api: Api, **job: Any) -> tuple[str, Pro]:
    offer_id, pro = offered(api, **job)
    return str(_ok(api("POST", f"/offers/{offer_id}/accept", claims=pro.claims), 200)["engagement_id"]), pro


def _end_engagement(api: Api) -> Case:
    engagement_id, pro = _engaged(api)

    def done() -> list[str]:
        return [] if _professional(pro.id).engagement_id is None else ["the professional is still held"]

    return Case(
        lambda: api("POST", f"/engagements/{engagement_id}/end", claims=EMPLOYER),
        200,
        (409,),
        done=done,
        effect=lambda: EngagementModel.get(engagement_id, consistent_read=True).status == "ended",
    )


def _engagement_sweep(api: Api) -> Case:
    engagement_id, _ = _engaged(api, kind="contract", ends_on=(date.today() - timedelta(days=2)).isoformat())

    def done() -> list[str]:
        status = EngagementModel.get(engagement_id, consistent_read=True).status
        return [] if status == "ended" else [f"engagement {status} after the sweep"]

    return Case(lambda: _scheduled(Function.JOBS, "sweep"), 200, (200,), done=done, job=True)


PATHS: dict[str, Callable[[Api], Case]] = {
    "registration": _registration,
    "document_request": _document,
    "submit": _submit,
    "availability": _availability,
    "booking_named": lambda api: _booking(api, named=True),
    "booking_nearest": lambda api: _booking(api, named=False),
    "accept": _step(booked, "accept"),
    "start": _step(accepted, "start"),
    "complete_overcharged": _step(started, "complete"),
    "cancel": _step(accepted, "cancel"),
    "rating": _step(completed, "rating", 201, stars=4),
    "complaint_open": _complaint,
    "complaint_response": _response,
    "complaint_resolve": _resolve,
    "complaint_upheld_ban": _ban,
    "complaint_upheld_suspend": _suspend,
    "expiry_job": _expiry,
    "escalation_job": _escalation,
    "job_post": _post_job,
    "job_offer_accept": _accept_offer,
    "engagement_end": _end_engagement,
    "engagement_sweep_job": _engagement_sweep,
}


# Built again for every case: their state lives outside the tables too (executions).
REBUILT = frozenset({"submit"})


def _problems(case: Case) -> list[str]:
    return stored_violations() + case.facts()


@pytest.mark.parametrize("throttle", [False, True], ids=["error", "throttled"])
@pytest.mark.parametrize("path", sorted(PATHS))
def test_a_fault_at_any_step_is_retry_safe_and_leaves_nothing_half_written(
    api: Api, faults: Faults, path: str, throttle: bool
) -> None:
    case = PATHS[path](api)
    saved = save_tables()
    # The first run lists the request's calls.
    forget_keys()
    with faults.recording() as recorder:
        response = case.request()
    assert response.status == case.ok, response.body
    steps = recorder.calls
    assert steps, "the request made no AWS call"

    problems: list[str] = []
    tried = 0
    for index, step in enumerate(steps):
        if throttle and step not in DYNAMODB_WRITES:
            continue
        tried += 1
        if path in REBUILT:
            reset()
            case = PATHS[path](api)
        else:
            restore_tables(saved)
        forget_keys()
        where = f"{path}: {'throttled' if throttle else 'failed'} call {index + 1}/{len(steps)} {step}"
        with faults.failing(index, throttle=throttle) as injector:
            faulted = case.request()
        assert injector.fired == step, f"{where}: the calls changed ({injector.calls})"
        allowed = (case.ok, 429, 503) if case.job else (case.ok, 429 if throttle else 503)
        if faulted.status not in allowed:
            problems.append(f"{where}: answered {faulted.status} {faulted.body}, expected one of {allowed}")
        problems += [f"{where}: after the fault: {p}" for p in _problems(case)]
        if case.effect is not None and case.effect() != (faulted.status == case.ok):
            written = "written" if case.effect() else "not written"
            problems.append(f"{where}: answered {faulted.status} but the change was {written}")
        retried = case.request()
        expected = case.again if faulted.status == case.ok else (case.ok,)
        if retried.status not in expected:
            problems.append(
                f"{where}: the retry answered {retried.status} {retried.body}, expected {expected}"
            )
        problems += [f"{where}: after the retry: {p}" for p in _problems(case) + case.done()]
    assert tried, "no step to fault"
    assert not problems, "\n".join(problems)
