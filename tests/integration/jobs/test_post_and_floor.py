"""Posting a job: who may post what, the terms of a post, and Uttar Pradesh's minimum wage floor
(data/minimum_wages.json) on the post's starts_on."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import Api
from tests.integration.jobs.conftest import (
    CITIZEN,
    COOK,
    EMPLOYER,
    OFFICER,
    SKILLED_DAILY,
    SKILLED_MONTHLY,
    days_back,
    post,
    posted,
)

pytestmark = pytest.mark.usefixtures("aws")


def _floor(response: Any) -> dict[str, Any]:
    assert response.status == 422, response.body
    assert response.error_code == "below_minimum_wage"
    (detail,) = response.body["error"]["details"]
    return dict(detail)


def test_a_full_time_post_for_three_at_the_floor_is_open(api: Api) -> None:
    job = posted(api)
    assert job["status"] == "open"
    assert (job["positions"], job["filled"], job["kind"], job["skill"]) == (3, 0, "full_time", "skilled")
    assert job["floor"]["floor_paise"] == SKILLED_MONTHLY
    seen = api("GET", f"/jobs/{job['id']}", claims=OFFICER)
    assert seen.status == 200
    assert seen.body["site"] is not None


def test_a_monthly_wage_one_paisa_below_the_floor_is_refused_with_the_floor_in_details(api: Api) -> None:
    detail = _floor(post(api, wage={"paise": SKILLED_MONTHLY - 1, "per": "month"}))
    assert detail["loc"] == ["body", "wage", "paise"]
    assert (detail["floor_paise"], detail["per"], detail["skill"]) == (SKILLED_MONTHLY, "month", "skilled")
    assert detail["monthly_floor_paise"] == SKILLED_MONTHLY
    assert detail["daily_floor_paise"] == SKILLED_DAILY
    assert detail["effective_from"] == "2025-04-01"
    assert detail["rate_current"] is False  # today is past 30 September 2025: the last recorded rate
    assert detail["source"].startswith("https://")


def test_a_daily_wage_is_held_to_the_monthly_rate_over_26_rounded_up(api: Api) -> None:
    detail = _floor(post(api, kind="daily_wage", wage={"paise": SKILLED_DAILY - 1, "per": "day"}))
    assert (detail["floor_paise"], detail["per"]) == (SKILLED_DAILY, "day")
    assert post(api, kind="daily_wage", wage={"paise": SKILLED_DAILY, "per": "day"}).status == 201


def test_a_piece_rate_is_held_to_the_daily_rate_through_pieces_per_day(api: Api) -> None:
    # 40 pieces a day at 1,306 paise = 52,240 >= 52,230; at 1,305 = 52,200 is below.
    below = {"kind": "piece_rate", "pieces_per_day": 40, "wage": {"paise": 1305, "per": "piece"}}
    detail = _floor(post(api, **below))
    assert (detail["floor_paise"], detail["per"], detail["pieces_per_day"]) == (1306, "piece", 40)
    assert post(api, **{**below, "wage": {"paise": 1306, "per": "piece"}}).status == 201


def test_part_time_is_held_to_the_floor_pro_rata_for_its_hours(api: Api) -> None:
    # 4 of 8 hours: half the monthly rate, 678,979 paise.
    part = {"kind": "part_time", "hours_per_day": 4, "wage": {"paise": 678_978, "per": "month"}}
    assert _floor(post(api, **part))["floor_paise"] == 678_979
    assert post(api, **{**part, "wage": {"paise": 678_979, "per": "month"}}).status == 201


def test_the_skill_category_of_the_service_chooses_the_floor(api: Api) -> None:
    # A cook is semi-skilled: Rs 12,122.91 a month.
    assert (
        _floor(post(api, service_id=COOK, wage={"paise": 1_212_290, "per": "month"}))["skill"]
        == "semi_skilled"
    )
    assert post(api, service_id=COOK, wage={"paise": 1_212_291, "per": "month"}).status == 201


def test_a_highly_skilled_service_is_held_to_the_skilled_rate_until_one_is_sourced(api: Api) -> None:
    detail = _floor(
        post(api, service_id="tutor_class_9_12_per_hour", wage={"paise": 1_000_000, "per": "month"})
    )
    assert (detail["skill"], detail["rate_skill"], detail["floor_paise"]) == (
        "highly_skilled",
        "skilled",
        SKILLED_MONTHLY,
    )


@pytest.mark.parametrize(
    ("changes", "loc"),
    [
        ({"kind": "piece_rate", "wage": {"paise": 2000, "per": "piece"}}, ["body", "pieces_per_day"]),
        ({"wage": {"paise": 2000, "per": "piece"}}, ["body", "wage", "per"]),
        ({"kind": "part_time"}, ["body", "hours_per_day"]),
        ({"kind": "full_time", "hours_per_day": 4}, ["body", "hours_per_day"]),
        ({"kind": "contract"}, ["body", "ends_on"]),
        ({"starts_on": days_back(100)}, ["body", "starts_on"]),
        ({"ends_on": days_back(1)}, ["body", "ends_on"]),
        ({"pieces_per_day": 10}, ["body", "pieces_per_day"]),
    ],
)
def test_terms_that_do_not_fit_the_kind_are_422_at_their_field(
    api: Api, changes: dict[str, Any], loc: list[str]
) -> None:
    response = post(api, **changes)
    assert response.status == 422, response.body
    assert response.error_code == "validation_error"
    assert [d["loc"] for d in response.body["error"]["details"]] == [loc]


def test_terms_errors_are_in_hindi_for_accept_language_hi(api: Api) -> None:
    from tests.integration.jobs.conftest import job_body

    response = api(
        "POST", "/jobs", claims=EMPLOYER, body=job_body(kind="contract"), headers={"Accept-Language": "hi"}
    )
    assert response.status == 422
    assert "समाप्ति तिथि" in response.body["error"]["details"][0]["msg"]
    below = job_body(wage={"paise": 100_000, "per": "month"})
    refused = api("POST", "/jobs", claims=EMPLOYER, body=below, headers={"Accept-Language": "hi"})
    assert refused.error_code == "below_minimum_wage"
    assert "न्यूनतम मज़दूरी" in refused.body["error"]["message"]


def test_a_client_sent_floor_or_unknown_field_is_refused(api: Api) -> None:
    response = post(api, floor={"floor_paise": 1})
    assert response.status == 422


def test_citizens_post_household_work_only(api: Api) -> None:
    refused = post(api, CITIZEN)
    assert (refused.status, refused.error_code) == (403, "household_work_only")
    cook = {"service_id": COOK, "positions": 1, "wage": {"paise": 1_300_000, "per": "month"}}
    assert post(api, CITIZEN, **cook).status == 201
    too_many = post(api, CITIZEN, **{**cook, "positions": 6})
    assert too_many.error_code == "household_work_only"


def test_a_post_is_idempotent_with_an_idempotency_key(api: Api) -> None:
    from tests.integration.jobs.conftest import job_body

    headers = {"Idempotency-Key": "post-1"}
    first = api("POST", "/jobs", claims=EMPLOYER, body=job_body(), headers=headers)
    again = api("POST", "/jobs", claims=EMPLOYER, body=job_body(), headers=headers)
    assert first.status == again.status == 201
    assert first.body["id"] == again.body["id"]


def test_a_poster_lists_their_own_posts_newest_first_a_page_at_a_time(api: Api) -> None:
    ids = [posted(api)["id"] for _ in range(3)]
    posted(api, claims=OFFICER, service_id=COOK, positions=1, wage={"paise": 1_300_000, "per": "month"})
    first = api("GET", "/me/jobs?limit=2", claims=EMPLOYER).body
    rest = api("GET", f"/me/jobs?limit=2&cursor={first['next_cursor']}", claims=EMPLOYER).body
    listed = first["jobs"] + rest["jobs"]
    assert sorted(j["id"] for j in listed) == sorted(ids)  # each once; posts within a second tie
    assert [j["created_at"] for j in listed] == sorted((j["created_at"] for j in listed), reverse=True)
    assert rest["next_cursor"] is None
    assert first["jobs"][0]["floor"] is not None
    stolen = api("GET", f"/me/jobs?limit=2&cursor={first['next_cursor']}", claims=OFFICER)
    assert (stolen.status, stolen.error_code) == (422, "invalid_cursor")


def test_an_undeclared_query_parameter_is_422_not_ignored(api: Api) -> None:
    response = api("GET", "/me/jobs?limit=2&sort=oldest", claims=EMPLOYER)
    assert (response.status, response.body["error"]["details"][0]["loc"]) == (422, ["query", "sort"])
    assert api("GET", "/me/jobs?limit=2", claims=EMPLOYER).status == 200
