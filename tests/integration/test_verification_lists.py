"""GET /verification/requests: every unanswered police request, or one district's, newest first,
in pages (the queue no longer stops at 100); an answered or closed request leaves both lists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from local.provision import LocalResources
from sevamitra.data import verifications
from tests.integration.conftest import Api, claims_for
from tests.integration.support import FORGED_CURSORS, pages_of

OFFICER = claims_for("officer-1", "officers")
START = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def open_requests(count: int, district: str, first_minute: int = 0) -> list[str]:
    """``count`` pending requests in ``district``, a minute apart: their ids, oldest first."""
    ids = []
    for index in range(count):
        request_id = f"vrq_{district.lower()}_{index}"
        verifications.open_request(
            request_id,
            f"pro_{district.lower()}_{index}",
            district,
            "token",
            "execution",
            START + timedelta(minutes=first_minute + index),
        )
        ids.append(request_id)
    return ids


def pending(api: Api, limit: int = 20, **query: str) -> list[list[dict]]:
    def fetch(page: dict[str, str]) -> dict:
        response = api("GET", "/verification/requests", claims=OFFICER, query={**query, **page})
        assert response.status == 200, response.body
        return dict(response.body)

    return pages_of(fetch, limit)


def test_the_queue_pages_past_100_newest_first(aws: LocalResources, api: Api) -> None:
    made = open_requests(105, "lucknow")
    pages = pending(api, limit=100)
    assert [len(page) for page in pages] == [100, 5]
    assert [r["request_id"] for page in pages for r in page] == made[::-1]


def test_one_districts_requests_and_only_while_unanswered(aws: LocalResources, api: Api) -> None:
    lucknow = open_requests(3, "lucknow")
    agra = open_requests(2, "agra", first_minute=10)
    pages = pending(api, limit=2, district="Lucknow")
    assert [[r["request_id"] for r in page] for page in pages] == [lucknow[:0:-1], lucknow[:1]]
    assert {r["district"] for page in pages for r in page} == {"lucknow"}
    every = [r["request_id"] for page in pending(api) for r in page]
    assert every == [*agra[::-1], *lucknow[::-1]]

    verifications.record_answer(lucknow[2], "clear", [], None, "2026-11-28T10:00:00Z")
    verifications.close_request(agra[0], "execution_failed", START + timedelta(days=1))
    assert [r["request_id"] for page in pending(api, district="Lucknow") for r in page] == lucknow[1::-1]
    assert [r["request_id"] for page in pending(api, district="Agra") for r in page] == [agra[1]]
    assert [r["request_id"] for page in pending(api) for r in page] == [agra[1], *lucknow[1::-1]]
    assert pending(api, district="Varanasi") == [[]]


@pytest.mark.parametrize("cursor", FORGED_CURSORS)
def test_a_cursor_we_did_not_issue_is_422(aws: LocalResources, api: Api, cursor: str) -> None:
    response = api("GET", "/verification/requests", claims=OFFICER, query={"cursor": cursor})
    assert (response.status, response.error_code) == (422, "invalid_cursor")


def test_a_cursor_is_bound_to_its_district_and_officer(aws: LocalResources, api: Api) -> None:
    open_requests(3, "lucknow")
    first = api("GET", "/verification/requests", claims=OFFICER, query={"limit": "1", "district": "Lucknow"})
    cursor = first.body["next_cursor"]
    for claims, query in (
        (OFFICER, {"cursor": cursor}),
        (OFFICER, {"cursor": cursor, "district": "Agra"}),
        (claims_for("officer-2", "officers"), {"cursor": cursor, "district": "Lucknow"}),
    ):
        response = api("GET", "/verification/requests", claims=claims, query=query)
        assert (response.status, response.error_code) == (422, "invalid_cursor"), query
    follow = api(
        "GET", "/verification/requests", claims=OFFICER, query={"cursor": cursor, "district": "Lucknow"}
    )
    assert follow.status == 200
