"""GET /bookings: the caller's own bookings (role=citizen) and those of every professional they act
for (role=professional), newest first, in pages whose cursors only work for the query and the
caller they were issued to."""

from __future__ import annotations

from typing import Any

import pytest

from sevamitra.data.models import BookingModel, ProfessionalModel
from tests.integration.bookings.conftest import CITIZEN, EMPLOYER, OFFICER, OTHER_CITIZEN, PRO, act, booked
from tests.integration.conftest import Api, ApiResponse, claims_for
from tests.integration.geo_seed import LUCKNOW, offset, seed_professional
from tests.integration.support import FORGED_CURSORS, edited_cursor, pages_of

OTHER_PRO = claims_for("sub-pro_2")


def listed(api: Api, claims: dict[str, Any], **query: str) -> ApiResponse:
    return api("GET", "/bookings", claims=claims, query=query)


def ok(api: Api, claims: dict[str, Any], **query: str) -> dict[str, Any]:
    response = listed(api, claims, **query)
    assert response.status == 200, response.body
    return dict(response.body)


def history(api: Api, count: int, claims: dict[str, Any] = CITIZEN, pro: str = "pro_1") -> list[str]:
    """``count`` bookings of ``pro`` by ``claims``, each but the last cancelled (a professional
    holds one active booking): their ids, oldest first."""
    ids = []
    for index in range(count):
        created = booked(api, claims=claims, professional_id=pro)
        ids.append(created["id"])
        if index < count - 1:
            assert act(api, created["id"], "cancel", claims).status == 200
    return ids


def all_pages(api: Api, claims: dict[str, Any], limit: int, **query: str) -> list[list[dict[str, Any]]]:
    return pages_of(lambda page: ok(api, claims, **query, **page), limit)


def assert_newest_first(items: list[dict[str, Any]]) -> None:
    stamps = [item["created_at"] for item in items]
    assert stamps == sorted(stamps, reverse=True)


def test_a_citizen_pages_through_their_bookings_newest_first(api: Api, pro: str) -> None:
    ids = history(api, 5)
    pages = all_pages(api, CITIZEN, limit=2)
    assert [len(page) for page in pages] == [2, 2, 1]
    items = [item for page in pages for item in page]
    assert sorted(item["id"] for item in items) == sorted(ids)
    assert_newest_first(items)
    first = items[0]
    assert set(first) >= {
        "id", "status", "service_id", "professional_id", "fee_paise", "created_at", "expires_at"
    }  # fmt: skip
    assert type(first["fee_paise"]) is int
    # Nothing about where or whom: no location, address or contact in a list.
    assert not set(first) & {"location", "address", "citizen", "professional", "lat", "lng"}
    # The default page is 20, and one page holds everything here.
    whole = ok(api, CITIZEN)
    assert [b["id"] for b in whole["bookings"]] == [item["id"] for item in items]
    assert whole["next_cursor"] is None


def test_a_page_that_ends_exactly_at_the_limit_has_no_next_cursor(api: Api, pro: str) -> None:
    history(api, 2)
    assert [len(page) for page in all_pages(api, CITIZEN, limit=2)] == [2]


def test_the_status_and_professional_filters(api: Api, pro: str) -> None:
    ids = history(api, 3)
    seed_professional("pro_3", *offset(*LUCKNOW, 200, 0))
    other = booked(api, professional_id="pro_3")["id"]
    cancelled = ok(api, CITIZEN, status="cancelled")["bookings"]
    assert sorted(b["id"] for b in cancelled) == sorted(ids[:2])
    assert {b["status"] for b in cancelled} == {"cancelled"}
    requested = ok(api, CITIZEN, status="requested")["bookings"]
    assert sorted(b["id"] for b in requested) == sorted([ids[2], other])
    of_pro_3 = ok(api, CITIZEN, professional_id="pro_3")["bookings"]
    assert [b["id"] for b in of_pro_3] == [other]
    # Filtered pages are pages too.
    pages = all_pages(api, CITIZEN, limit=1, status="cancelled")
    assert sorted(item["id"] for page in pages for item in page) == sorted(ids[:2])


def test_each_citizen_sees_only_their_own(api: Api, pro: str) -> None:
    history(api, 2)
    assert ok(api, OTHER_CITIZEN) == {"bookings": [], "next_cursor": None}
    # An officer's own list (role=citizen) holds what the officer booked: nothing here.
    assert ok(api, OFFICER)["bookings"] == []
    seed_professional("pro_3", *offset(*LUCKNOW, 200, 0))
    employer = history(api, 1, claims=EMPLOYER, pro="pro_3")
    assert [b["id"] for b in ok(api, EMPLOYER)["bookings"]] == employer


def test_a_professional_lists_the_waiting_request(api: Api, pro: str) -> None:
    (waiting,) = history(api, 1)
    mine = ok(api, PRO, role="professional")
    assert [(b["id"], b["status"]) for b in mine["bookings"]] == [(waiting, "requested")]
    assert ok(api, PRO, role="professional", status="requested")["bookings"][0]["id"] == waiting
    assert ok(api, PRO, role="professional", professional_id="pro_1")["bookings"][0]["id"] == waiting
    # Their citizen list is another thing: they booked nobody.
    assert ok(api, PRO)["bookings"] == []
    # Another professional sees none of it, and may not narrow to pro_1.
    assert ok(api, OTHER_PRO, role="professional")["bookings"] == []
    refused = listed(api, OTHER_PRO, role="professional", professional_id="pro_1")
    assert (refused.status, refused.error_code) == (403, "forbidden")
    unknown = listed(api, PRO, role="professional", professional_id="pro_nobody")
    assert (unknown.status, unknown.error_code) == (404, "not_found")


def test_the_professional_side_covers_registrars_and_agencies(api: Api, pro: str) -> None:
    """An agency's professional (registered by a member) and one an officer registered alone:
    each booking is listed once for each account that acts for its professional."""
    from tests.integration.support import approved_agency

    agency_id = approved_agency(api, owner="agency-owner")
    seed_professional("pro_a", *offset(*LUCKNOW, 300, 0), account_sub="", registered_by="agency-owner")
    ProfessionalModel.get("pro_a").update(actions=[ProfessionalModel.agency_id.set(agency_id)])
    seed_professional("pro_o", *offset(*LUCKNOW, 400, 0), account_sub="", registered_by="officer-9")
    by_agency = history(api, 3, pro="pro_a")
    by_officer = history(api, 2, pro="pro_o")

    owner = claims_for("agency-owner")
    owner_pages = all_pages(api, owner, limit=2, role="professional")
    owner_items = [item for page in owner_pages for item in page]
    # pro_a is both registered by the owner and in the owner's agency: each booking once.
    assert sorted(item["id"] for item in owner_items) == sorted(by_agency)
    assert_newest_first(owner_items)
    officer = claims_for("officer-9", "officers")
    assert sorted(b["id"] for b in ok(api, officer, role="professional")["bookings"]) == sorted(by_officer)
    narrowed = ok(api, owner, role="professional", professional_id="pro_a", status="cancelled")
    assert sorted(b["id"] for b in narrowed["bookings"]) == sorted(by_agency[:2])
    assert ok(api, PRO, role="professional")["bookings"] == []


def test_bookings_made_before_the_list_keys_existed_are_still_the_citizens(api: Api, pro: str) -> None:
    """Every booking is written with its list keys; the indexes are sparse on them."""
    (booking_id,) = history(api, 1)
    item = BookingModel.get(booking_id)
    assert item.listed_at == f"{item.created_at}#{booking_id}"
    assert (item.registrar_sub, item.agency_id) == ("sub-pro_1", None)


@pytest.mark.parametrize("cursor", FORGED_CURSORS)
def test_a_cursor_we_did_not_issue_is_422_invalid_cursor(api: Api, pro: str, cursor: str) -> None:
    response = listed(api, CITIZEN, cursor=cursor)
    assert (response.status, response.error_code) == (422, "invalid_cursor")
    hindi = api(
        "GET", "/bookings", claims=CITIZEN, query={"cursor": cursor}, headers={"Accept-Language": "hi"}
    )
    assert hindi.body["error"]["message"] == "यह पेज कर्सर यहाँ मान्य नहीं है; पहले पेज से फिर शुरू करें।"


def test_an_edited_or_borrowed_cursor_is_422_and_never_another_page(api: Api, pro: str) -> None:
    history(api, 3)
    cursor = ok(api, CITIZEN, limit="1")["next_cursor"]
    assert cursor
    for claims, query in (
        (CITIZEN, {"cursor": edited_cursor(cursor)}),  # edited position, signature kept
        (OTHER_CITIZEN, {"cursor": cursor}),  # another caller
        (CITIZEN, {"cursor": cursor, "status": "cancelled"}),  # another query
        (CITIZEN, {"cursor": cursor, "role": "professional"}),  # another role
    ):
        response = listed(api, claims, **query)
        assert (response.status, response.error_code) == (422, "invalid_cursor"), query
    assert listed(api, CITIZEN, cursor=cursor, limit="5").status == 200  # the page size may change


@pytest.mark.parametrize("limit", ["0", "101", "-1", "many"])
def test_a_limit_outside_1_to_100_is_422(api: Api, pro: str, limit: str) -> None:
    response = listed(api, CITIZEN, limit=limit)
    assert (response.status, response.error_code) == (422, "validation_error")
    assert response.body["error"]["details"][0]["loc"] == ["query", "limit"]


def test_unknown_role_or_status_is_422_and_no_token_is_401(api: Api, pro: str) -> None:
    assert listed(api, CITIZEN, role="agency").status == 422
    assert listed(api, CITIZEN, status="lost").status == 422
    assert api("GET", "/bookings").status == 401
