"""Engagements: a full-time one takes the professional out of on-demand bookings through the same
transactions bookings use; attendance, the worker's dispute within 7 days, and the monthly
statement from recorded attendance at the posted wage."""

from __future__ import annotations

from datetime import date, timedelta
from math import ceil

import pytest

from sevamitra.data.models import AttendanceModel, ProfessionalModel
from tests.integration.conftest import Api, claims_for
from tests.integration.geo_seed import LUCKNOW
from tests.integration.jobs.conftest import (
    CITIZEN,
    EMPLOYER,
    MASON,
    OFFICER,
    OTHER_EMPLOYER,
    SKILLED_DAILY,
    SKILLED_MONTHLY,
    engaged,
    posted,
    pro_claims,
    seed_workers,
    today,
)
from tests.oracle.invariants import check

pytestmark = pytest.mark.usefixtures("aws")


def _matched(api: Api) -> list[str]:
    path = f"/match?service={MASON}&lat={LUCKNOW[0]}&lng={LUCKNOW[1]}"
    return [r["professional_id"] for r in api("GET", path, claims=CITIZEN).body["results"]]


def _book(api: Api, pid: str) -> tuple[int, str | None]:
    body = {"service_id": MASON, "location": {"lat": LUCKNOW[0], "lng": LUCKNOW[1]}, "professional_id": pid}
    response = api("POST", "/bookings", claims=CITIZEN, body=body)
    return response.status, response.error_code


def _engagement(api: Api, **job: object) -> tuple[str, str]:
    """A professional engaged on a fresh job: (engagement id, professional id)."""
    (pid,) = seed_workers(1)
    posted_job = posted(api, **job)
    return str(engaged(api, posted_job["id"], pid)["engagement_id"]), pid


def test_a_full_time_professional_is_not_findable_or_bookable_until_the_engagement_ends(api: Api) -> None:
    engagement_id, pid = _engagement(api)
    assert pid not in _matched(api)
    assert _book(api, pid) == (409, "professional_unavailable")
    assert ProfessionalModel.get(pid).engagement_id == engagement_id
    # Going online again while engaged is stored but does not make them findable.
    online = api("PUT", f"/professionals/{pid}/availability", claims=pro_claims(pid), body={"online": True})
    assert online.body["findable"] is False
    ended = api("POST", f"/engagements/{engagement_id}/end", claims=EMPLOYER)
    assert (ended.status, ended.body["status"], ended.body["ended_by"]) == (200, "ended", "employer")
    assert pid in _matched(api)
    assert _book(api, pid)[0] == 201


def test_a_second_full_time_offer_to_a_held_professional_is_refused(api: Api) -> None:
    _, pid = _engagement(api)
    other = posted(api, site={"lat": LUCKNOW[0], "lng": LUCKNOW[1]})
    assert api("POST", f"/jobs/{other['id']}/applications", claims=pro_claims(pid), body={}).status == 201
    refused = api("POST", f"/jobs/{other['id']}/offers", claims=EMPLOYER, body={"professional_id": pid})
    assert refused.error_code == "already_engaged"


def test_part_time_work_leaves_the_professional_findable(api: Api) -> None:
    _, pid = _engagement(api, kind="part_time", hours_per_day=4, wage={"paise": 700_000, "per": "month"})
    assert pid in _matched(api)
    assert ProfessionalModel.get(pid).engagement_id is None


def test_a_professional_on_a_booking_may_accept_a_full_time_offer_and_stays_out_after_it(api: Api) -> None:
    (pid,) = seed_workers(1)
    job = posted(api)
    booked = api(
        "POST",
        "/bookings",
        claims=CITIZEN,
        body={
            "service_id": MASON,
            "location": {"lat": LUCKNOW[0], "lng": LUCKNOW[1]},
            "professional_id": pid,
        },
    ).body
    engaged(api, job["id"], pid)
    assert api("POST", f"/bookings/{booked['id']}/cancel", claims=CITIZEN).status == 200
    assert pid not in _matched(api)  # the booking ended; the engagement still holds them


def test_the_invariants_hold_after_engagements_and_their_ends(api: Api) -> None:
    import boto3

    engagement_id, _ = _engagement(api)
    _engagement(api, kind="daily_wage", wage={"paise": SKILLED_DAILY, "per": "day"})
    api("POST", f"/engagements/{engagement_id}/end", claims=EMPLOYER)
    found = check(boto3.resource("dynamodb", region_name="ap-south-1"), rescans=1)
    # Seeded professionals have no identity items (registration is not under test here).
    assert [v for v in found if ": identity " not in v] == []


# --- attendance and the statement -----------------------------------------------------------------


def _month_back() -> tuple[str, list[str]]:
    """The previous calendar month and its days."""
    first_this = today().replace(day=1)
    last_prev = first_this - timedelta(days=1)
    first_prev = last_prev.replace(day=1)
    days = [(first_prev + timedelta(days=i)).isoformat() for i in range((last_prev - first_prev).days + 1)]
    return first_prev.strftime("%Y-%m"), days


def _record(api: Api, engagement_id: str, day: str, present: bool, **extra: object) -> None:
    response = api(
        "POST",
        f"/engagements/{engagement_id}/attendance",
        claims=EMPLOYER,
        body={"date": day, "present": present, **extra},
    )
    assert response.status == 201, response.body


def test_a_month_of_attendance_gives_the_monthly_wage_pro_rata(api: Api) -> None:
    month, days = _month_back()
    engagement_id, pid = _engagement(api, starts_on=days[0])
    present = days[:24]
    for day in days:
        _record(api, engagement_id, day, day in present)
    for who in (EMPLOYER, pro_claims(pid), OFFICER):
        response = api("GET", f"/engagements/{engagement_id}/statement?month={month}", claims=who)
        assert response.status == 200, response.body
        body = response.body
        assert (body["month"], body["days_present"], body["days_absent"]) == (month, 24, len(days) - 24)
        assert body["wage_due_paise"] == ceil(SKILLED_MONTHLY * 24 / 26)
        assert body["wage"] == {"paise": SKILLED_MONTHLY, "per": "month"}
    assert (
        api("GET", f"/engagements/{engagement_id}/statement?month={month}", claims=OTHER_EMPLOYER).status
        == 403
    )


def test_26_days_present_earn_the_whole_monthly_wage_and_no_more(api: Api) -> None:
    month, days = _month_back()
    engagement_id, _ = _engagement(api, starts_on=days[0])
    for day in days[:28]:
        _record(api, engagement_id, day, True)
    body = api("GET", f"/engagements/{engagement_id}/statement?month={month}", claims=EMPLOYER).body
    assert (body["days_present"], body["wage_due_paise"]) == (28, SKILLED_MONTHLY)


def test_daily_and_piece_wages_are_paid_per_day_and_per_piece(api: Api) -> None:
    month, days = _month_back()
    daily, _ = _engagement(api, kind="daily_wage", starts_on=days[0], wage={"paise": 60_000, "per": "day"})
    piece, _ = _engagement(
        api, kind="piece_rate", starts_on=days[0], pieces_per_day=40, wage={"paise": 1_400, "per": "piece"}
    )
    for day in days[:3]:
        _record(api, daily, day, True)
        _record(api, piece, day, True, pieces=45)
    _record(api, piece, days[3], False)
    assert (
        api("GET", f"/engagements/{daily}/statement?month={month}", claims=EMPLOYER).body["wage_due_paise"]
        == 180_000
    )
    statement = api("GET", f"/engagements/{piece}/statement?month={month}", claims=EMPLOYER).body
    assert (statement["pieces"], statement["wage_due_paise"]) == (135, 135 * 1_400)


def test_attendance_is_recorded_once_by_the_employer_within_the_engagement(api: Api) -> None:
    engagement_id, pid = _engagement(api)
    day = today().isoformat()
    url = f"/engagements/{engagement_id}/attendance"
    assert api("POST", url, claims=pro_claims(pid), body={"date": day, "present": True}).status == 403
    _record(api, engagement_id, day, True)
    assert (
        api("POST", url, claims=EMPLOYER, body={"date": day, "present": True}).error_code
        == "attendance_exists"
    )
    ahead = (today() + timedelta(days=3)).isoformat()
    response = api("POST", url, claims=EMPLOYER, body={"date": ahead, "present": True})
    assert (response.status, response.body["error"]["details"][0]["loc"]) == (422, ["body", "date"])
    before = (today() - timedelta(days=2)).isoformat()
    assert api("POST", url, claims=EMPLOYER, body={"date": before, "present": True}).status == 422
    pieces = api(
        "POST", url, claims=EMPLOYER, body={"date": today().isoformat(), "present": True, "pieces": 3}
    )
    assert pieces.status in (409, 422)


def test_the_worker_disputes_a_day_within_7_days_and_the_statement_shows_it(api: Api) -> None:
    month, days = _month_back()
    engagement_id, pid = _engagement(api, starts_on=days[0])
    _record(api, engagement_id, days[0], False)
    _record(api, engagement_id, days[1], True)
    url = f"/engagements/{engagement_id}/attendance/{days[0]}/dispute"
    body = {"reason": "I was on site all day; the supervisor saw me.", "present": True}
    assert api("POST", url, claims=EMPLOYER, body=body).status == 403
    disputed = api("POST", url, claims=pro_claims(pid), body=body)
    assert disputed.status == 201, disputed.body
    assert disputed.body["dispute"]["present"] is True
    assert api("POST", url, claims=pro_claims(pid), body=body).error_code == "already_disputed"
    statement = api("GET", f"/engagements/{engagement_id}/statement?month={month}", claims=OFFICER).body
    assert (statement["days_present"], statement["disputed_days"]) == (1, 1)
    assert statement["wage_due_paise"] == ceil(SKILLED_MONTHLY / 26)  # recorded attendance only
    # Past the window, a day can no longer be disputed.
    late = date.fromisoformat(days[1])
    AttendanceModel(engagement_id, late.isoformat()).update(
        actions=[AttendanceModel.dispute_by.set("2020-01-01T00:00:00Z")]
    )
    closed = api(
        "POST",
        f"/engagements/{engagement_id}/attendance/{days[1]}/dispute",
        claims=pro_claims(pid),
        body=body,
    )
    assert closed.error_code == "dispute_window_closed"


def test_engagements_are_listed_for_each_side(api: Api) -> None:
    engagement_id, pid = _engagement(api)
    mine = api("GET", "/engagements?role=employer", claims=EMPLOYER).body
    assert [e["id"] for e in mine["engagements"]] == [engagement_id]
    theirs = api("GET", "/engagements?role=professional", claims=pro_claims(pid)).body
    assert [e["id"] for e in theirs["engagements"]] == [engagement_id]
    assert api("GET", "/engagements?role=employer", claims=claims_for("nobody")).body["engagements"] == []
    assert api("GET", f"/engagements/{engagement_id}", claims=OTHER_EMPLOYER).status == 403


def test_the_sweep_ends_engagements_past_their_last_day_and_frees_the_professional(api: Api) -> None:
    from local.lambdas import run_entry
    from sevamitra.edge.routes import ENGAGEMENT_END, SCHEDULED_JOBS

    assert ENGAGEMENT_END in SCHEDULED_JOBS
    past = (today() - timedelta(days=3)).isoformat()
    ended_id, pid = _engagement(api, starts_on=(today() - timedelta(days=20)).isoformat(), ends_on=past)
    running_id, other = _engagement(api, ends_on=(today() + timedelta(days=30)).isoformat())
    assert pid not in _matched(api)

    assert run_entry(ENGAGEMENT_END.entry, {}) == {"ended": 1, "skipped": 0}
    assert run_entry(ENGAGEMENT_END.entry, {}) == {"ended": 0, "skipped": 0}  # idempotent

    ended = api("GET", f"/engagements/{ended_id}", claims=EMPLOYER).body
    assert (ended["status"], ended["ended_by"]) == ("ended", "system")
    assert pid in _matched(api)
    assert other not in _matched(api)
    assert api("GET", f"/engagements/{running_id}", claims=EMPLOYER).body["status"] == "active"


def test_the_last_days_are_recorded_after_the_engagement_ends_but_not_days_after_it(api: Api) -> None:
    from sevamitra.data.models import EngagementModel

    engagement_id, _ = _engagement(api, starts_on=(today() - timedelta(days=10)).isoformat())
    url = f"/engagements/{engagement_id}/attendance"
    assert api("POST", f"/engagements/{engagement_id}/end", claims=EMPLOYER).status == 200
    # It ended five days ago (at noon, India's time).
    ended = (today() - timedelta(days=5)).isoformat() + "T06:30:00Z"
    EngagementModel(engagement_id).update(actions=[EngagementModel.ended_at.set(ended)])
    before_end = (today() - timedelta(days=7)).isoformat()
    assert api("POST", url, claims=EMPLOYER, body={"date": before_end, "present": True}).status == 201
    after_end = api(
        "POST",
        url,
        claims=EMPLOYER,
        body={"date": (today() - timedelta(days=2)).isoformat(), "present": True},
    )
    assert (after_end.status, after_end.body["error"]["details"][0]["loc"]) == (422, ["body", "date"])
