"""Jobs over HTTP on the stack, as an employer and workers use them (issue 19, "Done means"):
an employer posts a full-time job for 3 workers at a legal wage; verified professionals within
3 km find it and apply; two accept racing offers for the last position and exactly one wins; a
month of attendance gives the right statement, which both sides and an officer see; a post below
Uttar Pradesh's minimum wage is refused with the floor in ``details``."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from math import ceil
from typing import Any

import pytest
import requests

from local.client.http import Account
from tests.e2e.conftest import Stack
from tests.e2e.story import (
    go_online,
    matched_ids,
    near,
    new_identity,
    somewhere_in_lucknow,
    verified_professional,
)

pytestmark = pytest.mark.e2e

SERVICE = "mason_floor_tile_repair"  # skilled
SKILLED_MONTHLY = 1_357_958  # Rs 13,579.58 a month (1 April - 30 September 2025, basic + VDA)
SKILLED_DAILY = 52_230  # / 26, rounded up to the paisa
WAGE = 1_400_000  # Rs 14,000 a month: above the floor


def _previous_month() -> tuple[str, list[str]]:
    last = date.today().replace(day=1) - timedelta(days=1)
    first = last.replace(day=1)
    return first.strftime("%Y-%m"), [(first + timedelta(days=i)).isoformat() for i in range(last.day)]


def _post(
    employer: Account, site: dict[str, float], headers: dict[str, str] | None = None, **changes: Any
) -> requests.Response:
    body = {
        "title": "Tile masons for the primary health centre",
        "service_id": SERVICE,
        "kind": "full_time",
        "positions": 3,
        "wage": {"paise": WAGE, "per": "month"},
        "starts_on": _previous_month()[1][0],
        "hours_per_day": 8,
        "site": site,
        "district": "Lucknow",
        **changes,
    }
    return employer.call("POST", "/jobs", body, headers=headers)


def test_a_post_below_the_minimum_wage_is_422_with_the_floor_in_details(stack: Stack) -> None:
    employer = stack.as_demo("employer")
    response = _post(employer, somewhere_in_lucknow(), wage={"paise": SKILLED_MONTHLY - 1, "per": "month"})
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "below_minimum_wage"
    (floor,) = error["details"]
    assert (floor["floor_paise"], floor["per"], floor["skill"]) == (SKILLED_MONTHLY, "month", "skilled")
    assert floor["daily_floor_paise"] == SKILLED_DAILY
    daily = _post(employer, somewhere_in_lucknow(), kind="daily_wage", wage={"paise": 42_000, "per": "day"})
    assert daily.json()["error"]["details"][0]["floor_paise"] == SKILLED_DAILY
    hi = {"Accept-Language": "hi"}
    refused = _post(employer, somewhere_in_lucknow(), hi, wage={"paise": 100_000, "per": "month"})
    assert "न्यूनतम मज़दूरी" in refused.json()["error"]["message"]


def test_a_full_time_job_for_three_is_filled_exactly_once_and_a_month_of_attendance_is_paid_right(
    stack: Stack,
) -> None:
    employer, officer = stack.as_demo("employer"), stack.as_demo("officer")
    site = somewhere_in_lucknow()
    posted = _post(employer, site)
    assert posted.status_code == 201, posted.text
    job = posted.json()
    assert (job["status"], job["positions"], job["floor"]["floor_paise"]) == ("open", 3, SKILLED_MONTHLY)

    # Four verified professionals within 3 km of the site (300 m to 1.2 km away) find it and apply.
    workers: list[tuple[Account, str]] = []
    for metres in (300, 600, 900, 1_200):
        pro = stack.signed_up()
        pid = verified_professional(stack, pro, officer, new_identity()[0], near(site, metres), SERVICE)
        workers.append((pro, pid))
    for pro, pid in workers:
        found = pro.ok("GET", f"/jobs?lat={site['lat']}&lng={site['lng']}&service={SERVICE}&limit=100")
        mine = next(j for j in found["jobs"] if j["id"] == job["id"])
        assert mine["site"] is None  # a worker sees the distance, not the site
        applied = pro.ok("POST", f"/jobs/{job['id']}/applications", {}, status=201)
        assert applied["professional_id"] == pid
    applicants = employer.ok("GET", f"/jobs/{job['id']}/applications?limit=100")["applications"]
    assert sorted(a["professional_id"] for a in applicants) == sorted(pid for _, pid in workers)

    # Two are engaged; the other two hold offers for the last position and accept at once.
    offers = [
        employer.ok("POST", f"/jobs/{job['id']}/offers", {"professional_id": pid}, status=201)
        for _, pid in workers
    ]
    for (pro, _), offer in zip(workers[:2], offers[:2], strict=True):
        assert pro.ok("POST", f"/offers/{offer['id']}/accept")["status"] == "accepted"
    answers: dict[int, requests.Response] = {}
    barrier = threading.Barrier(2)

    def accept(i: int) -> None:
        barrier.wait()
        pro, _ = workers[2 + i]
        answers[i] = pro.call("POST", f"/offers/{offers[2 + i]['id']}/accept")

    threads = [threading.Thread(target=accept, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    statuses = sorted(answer.status_code for answer in answers.values())
    assert statuses == [200, 409], [a.text for a in answers.values()]
    loser = next(a for a in answers.values() if a.status_code == 409)
    assert loser.json()["error"]["code"] == "job_filled"
    filled = employer.ok("GET", f"/jobs/{job['id']}")
    assert (filled["status"], filled["filled"]) == ("filled", 3)
    engagements = employer.ok("GET", "/engagements?role=employer&limit=100")["engagements"]
    mine = [e for e in engagements if e["job_id"] == job["id"]]
    assert len(mine) == 3

    # A full-time worker is out of on-demand matching while engaged, even when online.
    first_pro, first_pid = workers[0]
    online = first_pro.ok(
        "PUT", f"/professionals/{first_pid}/availability", {"online": True, "location": near(site, 300)}
    )
    assert online["findable"] is False
    assert first_pid not in matched_ids(stack.signed_up(), SERVICE, site)

    # A month of attendance: 24 days present, the rest absent; one absence disputed.
    engagement = next(e for e in mine if e["professional_id"] == first_pid)
    month, days = _previous_month()
    for day in days:
        employer.ok(
            "POST",
            f"/engagements/{engagement['id']}/attendance",
            {"date": day, "present": day in days[:24]},
            status=201,
        )
    disputed = first_pro.ok(
        "POST",
        f"/engagements/{engagement['id']}/attendance/{days[24]}/dispute",
        {"reason": "I worked that day; the site register shows it.", "present": True},
        status=201,
    )
    assert disputed["dispute"]["present"] is True
    expected = ceil(WAGE * 24 / 26)  # the posted monthly wage for 24 of 26 days
    for reader in (employer, first_pro, officer):
        statement = reader.ok("GET", f"/engagements/{engagement['id']}/statement?month={month}")
        assert (statement["days_present"], statement["days_absent"]) == (24, len(days) - 24)
        assert (statement["wage_due_paise"], statement["disputed_days"]) == (expected, 1)

    # The engagement ends: the worker is findable for on-demand work again.
    employer.ok("POST", f"/engagements/{engagement['id']}/end")
    go_online(first_pro, first_pid, near(site, 300))
    assert first_pid in matched_ids(stack.signed_up(), SERVICE, site)
