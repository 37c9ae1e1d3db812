"""Discovery within 3 km (the site index, no Scan), applications, offers, and exactly N
engagements for N positions, under racing accepts too."""

from __future__ import annotations

import pytest

from jobs import logic
from sevamitra.data.models import JobSiteModel, ProfessionalModel
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import DomainError
from tests.integration import concurrency
from tests.integration.conftest import Api
from tests.integration.geo_seed import LUCKNOW, offset, seed_professional
from tests.integration.jobs.conftest import (
    COOK,
    EMPLOYER,
    OTHER_EMPLOYER,
    SITE,
    apply,
    engaged,
    offer,
    posted,
    pro_claims,
    seed_workers,
)
from tests.integration.support import table_items

pytestmark = pytest.mark.usefixtures("aws")


def _found(api: Api, pid: str, **query: str) -> list[dict]:
    params = {"lat": str(SITE["lat"]), "lng": str(SITE["lng"]), **query}
    path = "/jobs?" + "&".join(f"{k}={v}" for k, v in params.items())
    response = api("GET", path, claims=pro_claims(pid))
    assert response.status == 200, response.body
    return list(response.body["jobs"])


def test_verified_professionals_within_3_km_find_open_jobs_nearest_first_without_the_site(api: Api) -> None:
    (pid,) = seed_workers(1)
    far = posted(api, site=dict(zip(("lat", "lng"), offset(*LUCKNOW, 0, 2_500), strict=True)))
    near = posted(api)
    beyond = posted(api, site=dict(zip(("lat", "lng"), offset(*LUCKNOW, 0, 4_000), strict=True)))
    found = _found(api, pid)
    assert [job["id"] for job in found] == [near["id"], far["id"]]
    assert beyond["id"] not in [job["id"] for job in found]
    assert all(job["site"] is None and job["floor"] is None for job in found)
    assert found[1]["distance_m"] == 2_500  # to the nearest 100 m
    assert _found(api, pid, service=COOK) == []


def test_discovery_pages_with_a_signed_cursor(api: Api) -> None:
    (pid,) = seed_workers(1)
    ids = [
        posted(api, site=dict(zip(("lat", "lng"), offset(*LUCKNOW, 0, 200 * i), strict=True)))["id"]
        for i in range(5)
    ]
    base = f"/jobs?lat={SITE['lat']}&lng={SITE['lng']}&limit=2"
    seen: list[str] = []
    path = base
    while True:
        page = api("GET", path, claims=pro_claims(pid)).body
        seen += [job["id"] for job in page["jobs"]]
        if page["next_cursor"] is None:
            break
        path = f"{base}&cursor={page['next_cursor']}"
    assert seen == ids
    forged = api("GET", f"{base}&cursor=abc.def", claims=pro_claims(pid))
    assert (forged.status, forged.error_code) == (422, "invalid_cursor")


def test_only_verified_professionals_search(api: Api) -> None:
    posted(api)
    response = api("GET", f"/jobs?lat={SITE['lat']}&lng={SITE['lng']}", claims=EMPLOYER)
    assert (response.status, response.error_code) == (403, "verified_professionals_only")
    seed_professional("pro_new", *SITE.values(), status="pending_documents")
    response = api("GET", f"/jobs?lat={SITE['lat']}&lng={SITE['lng']}", claims=pro_claims("pro_new"))
    assert response.status == 403


def test_three_within_3_km_apply_once_one_farther_cannot(api: Api) -> None:
    job = posted(api)
    pids = seed_workers(3)
    for pid in pids:
        assert apply(api, job["id"], pid).status == 201
    assert apply(api, job["id"], pids[0]).error_code == "already_applied"
    seed_professional("pro_far", *offset(*LUCKNOW, 3_500, 0), services=(job["service_id"],))
    assert apply(api, job["id"], "pro_far").error_code == "job_too_far"
    seed_professional("pro_cook", *offset(*LUCKNOW, 100, 0), services=(COOK,))
    assert apply(api, job["id"], "pro_cook").error_code == "service_not_offered"
    listed = api("GET", f"/jobs/{job['id']}/applications", claims=EMPLOYER)
    assert listed.status == 200
    assert sorted(a["professional_id"] for a in listed.body["applications"]) == pids
    assert {a["distance_m"] for a in listed.body["applications"]} == {300, 700, 1100}
    assert api("GET", f"/jobs/{job['id']}/applications", claims=OTHER_EMPLOYER).status == 403


def test_offers_go_to_applicants_once_and_only_from_the_poster(api: Api) -> None:
    job = posted(api)
    pid, stranger = seed_workers(2)
    assert apply(api, job["id"], pid).status == 201
    assert offer(api, job["id"], stranger).error_code == "no_application"
    assert offer(api, job["id"], pid, claims=OTHER_EMPLOYER).status == 403
    made = offer(api, job["id"], pid)
    assert (made.status, made.body["status"]) == (201, "pending")
    assert offer(api, job["id"], pid).error_code == "no_application"
    seen = api("GET", f"/offers/{made.body['id']}", claims=pro_claims(pid))
    assert seen.status == 200
    assert api("GET", f"/offers/{made.body['id']}", claims=pro_claims(stranger)).status == 403


def test_banned_professionals_cannot_apply_or_be_offered(api: Api) -> None:
    job = posted(api)
    pid, other = seed_workers(2)
    ProfessionalModel.get(pid).update(actions=[ProfessionalModel.status.set("banned")])
    refused = apply(api, job["id"], pid)
    assert (refused.status, refused.error_code) == (403, "banned")
    assert apply(api, job["id"], other).status == 201
    ProfessionalModel.get(other).update(actions=[ProfessionalModel.status.set("banned")])
    refused = offer(api, job["id"], other)
    assert (refused.status, refused.error_code) == (403, "banned")


def test_three_positions_give_exactly_three_engagements_then_the_job_is_filled(api: Api) -> None:
    job = posted(api)
    pids = seed_workers(4)
    for pid in pids[:3]:
        engaged(api, job["id"], pid)
    assert api("GET", f"/jobs/{job['id']}", claims=EMPLOYER).body["status"] == "filled"
    assert [e for e in table_items("engagements") if e["job_id"]["S"] == job["id"]].__len__() == 3
    assert apply(api, job["id"], pids[3]).error_code == "job_not_open"
    assert not [item for item in table_items("job_sites") if item["job_id"]["S"] == job["id"]]
    assert _found(api, pids[3]) == []


def test_a_declined_offer_leaves_the_position_open(api: Api) -> None:
    job = posted(api, positions=1)
    pid, other = seed_workers(2)
    assert apply(api, job["id"], pid).status == 201
    made = offer(api, job["id"], pid).body
    declined = api("POST", f"/offers/{made['id']}/decline", claims=pro_claims(pid))
    assert (declined.status, declined.body["status"]) == (200, "declined")
    assert (
        api("POST", f"/offers/{made['id']}/accept", claims=pro_claims(pid)).error_code == "invalid_transition"
    )
    engaged(api, job["id"], other)
    assert api("GET", f"/jobs/{job['id']}", claims=EMPLOYER).body["filled"] == 1


def _race_for_the_last_position(api: Api) -> tuple[str, list[str], list[str]]:
    """A job for 3 with two positions taken; two more applicants hold offers: (job, offers, pids)."""
    job = posted(api)
    pids = seed_workers(4)
    for pid in pids[:2]:
        engaged(api, job["id"], pid)
    offers = []
    for pid in pids[2:]:
        assert apply(api, job["id"], pid).status == 201
        offers.append(offer(api, job["id"], pid).body["id"])
    return job["id"], offers, pids[2:]


def test_two_professionals_accepting_racing_offers_for_the_last_position_exactly_one_wins(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    job_id, offers, pids = _race_for_the_last_position(api)
    concurrency.atomic_transactions(monkeypatch, parties=2)
    attempts = [
        (lambda o=o, p=p: logic.accept_offer(Caller(f"sub-{p}", frozenset()), o))
        for o, p in zip(offers, pids, strict=True)
    ]

    results = concurrency.race(attempts)

    won = [r for r in results if isinstance(r, logic.Accepted)]
    lost = [r for r in results if isinstance(r, DomainError)]
    assert len(won) == 1, results
    assert [e.code for e in lost] == ["job_filled"]
    engagements = [e for e in table_items("engagements") if e["job_id"]["S"] == job_id]
    assert len(engagements) == 3
    job = api("GET", f"/jobs/{job_id}", claims=EMPLOYER).body
    assert (job["status"], job["filled"], job["positions"]) == ("filled", 3, 3)
    loser = next(o for o in offers if o != won[0].offer.id)
    assert api("GET", f"/offers/{loser}", claims=EMPLOYER).body["status"] == "lapsed"
    assert not [item for item in table_items("job_sites") if item["job_id"]["S"] == job_id]


def test_ten_racing_accepts_for_three_positions_make_exactly_three_engagements(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = posted(api)
    pids = seed_workers(10, step=250)
    offers = []
    for pid in pids:
        assert apply(api, job["id"], pid).status == 201
        offers.append(offer(api, job["id"], pid).body["id"])
    concurrency.atomic_transactions(monkeypatch, parties=10)
    attempts = [
        (lambda o=o, p=p: logic.accept_offer(Caller(f"sub-{p}", frozenset()), o, sleep=lambda s: None))
        for o, p in zip(offers, pids, strict=True)
    ]

    results = concurrency.race(attempts)

    assert sum(isinstance(r, logic.Accepted) for r in results) == 3, results
    assert sorted(r.code for r in results if isinstance(r, DomainError)) == ["job_filled"] * 7
    assert len([e for e in table_items("engagements") if e["job_id"]["S"] == job["id"]]) == 3
    assert JobSiteModel.count() == 0


def test_an_employer_checks_an_applicants_identity_on_the_ban_registry_through_bans_check(api: Api) -> None:
    from sevamitra.data.identities import IdentityKind, ban_pk
    from sevamitra.data.models import IdentityModel

    job = posted(api)
    (pid,) = seed_workers(1)
    assert apply(api, job["id"], pid).status == 201
    (application,) = api("GET", f"/jobs/{job['id']}/applications", claims=EMPLOYER).body["applications"]
    link = application["ban_check"]
    assert link == f"/bans/check?professional_id={pid}"
    assert api("GET", link, claims=EMPLOYER).body == {"banned": False}
    # The same identity banned (its mobile on the registry) is what the employer sees.
    IdentityModel(ban_pk(IdentityKind.MOBILE, f"hash-m-{pid}"), professional_id=pid, created_at="x").save()
    # with the registry's details of whose identity it is, as for a number (issue 16)
    assert api("GET", link, claims=EMPLOYER).body == {
        "banned": True,
        "name": f"Name {pid}",
        "banned_at": "x",
        "reason": "banned",
        "professional_id": pid,
    }
    assert api("GET", link, claims=pro_claims(pid)).status == 403
    assert api("GET", "/bans/check?professional_id=pro_nobody", claims=EMPLOYER).status == 404
    both = api("GET", f"/bans/check?professional_id={pid}&mobile=9812345678", claims=EMPLOYER)
    assert both.status == 422


def test_a_professional_who_applied_finds_their_offer_on_the_job(api: Api) -> None:
    """The job_offer notification names the job, not the offer: the job tells its applicant how
    their application stands and which offer to accept (no one else's)."""
    job = posted(api)
    pid, other = seed_workers(2)
    before = api("GET", f"/jobs/{job['id']}", claims=pro_claims(pid))
    assert (before.status, before.body["application"]) == (200, None)
    assert apply(api, job["id"], pid).status == 201
    assert apply(api, job["id"], other).status == 201
    applied = api("GET", f"/jobs/{job['id']}", claims=pro_claims(pid)).body["application"]
    assert (applied["status"], applied["offer_id"]) == ("applied", None)
    made = offer(api, job["id"], pid)
    mine = api("GET", f"/jobs/{job['id']}", claims=pro_claims(pid)).body["application"]
    assert (mine["status"], mine["offer_id"]) == ("offered", made.body["id"])
    assert api("GET", f"/jobs/{job['id']}", claims=pro_claims(other)).body["application"]["offer_id"] is None
    assert api("GET", f"/jobs/{job['id']}", claims=EMPLOYER).body["application"] is None
