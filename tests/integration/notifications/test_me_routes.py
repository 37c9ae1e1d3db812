"""The caller's own notifications: the inbox newest first in signed pages, preferences (shown by
GET /me, Hindi and SMS by default) and devices."""

from __future__ import annotations

from sevamitra.data import notifications
from sevamitra.data.notifications import InboxEntry
from tests.integration.conftest import Api, claims_for
from tests.integration.notifications.conftest import CITIZEN, Calls

OTHER = claims_for("citizen-2")


def _fill(sub: str, count: int) -> list[str]:
    ids = []
    for n in range(count):
        entry = InboxEntry(
            f"ntf_{n:03d}", "booking_accepted", f"2026-12-01T10:{n:02d}:00Z", "t", "b", "bkg_x"
        )
        assert notifications.add_to_inbox(sub, entry)
        ids.append(entry.id)
    return ids


def test_the_inbox_pages_newest_first_until_no_cursor_is_left(aws, calls: Calls):
    ids = _fill("citizen-1", 5)
    seen, cursor = [], None
    while True:
        query = "/me/notifications?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = calls.ok(CITIZEN, "GET", query)
        seen += [n["id"] for n in page["notifications"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(ids))
    first = calls.ok(CITIZEN, "GET", "/me/notifications")["notifications"][0]
    assert first == {
        "id": ids[-1],
        "kind": "booking_accepted",
        "at": "2026-12-01T10:04:00Z",
        "title": "t",
        "body": "b",
        "booking_id": "bkg_x",
        "complaint_id": None,
        "job_id": None,
    }


def test_a_cursor_is_good_only_for_its_own_caller(aws, calls: Calls):
    _fill("citizen-1", 3)
    _fill("citizen-2", 3)
    cursor = calls.ok(CITIZEN, "GET", "/me/notifications?limit=1")["next_cursor"]
    borrowed = calls.call(OTHER, "GET", f"/me/notifications?cursor={cursor}")
    assert (borrowed.status, borrowed.error_code) == (422, "invalid_cursor")
    forged = calls.call(CITIZEN, "GET", "/me/notifications?cursor=eyJwayI6MX0.AAAA")
    assert (forged.status, forged.error_code) == (422, "invalid_cursor")


def test_limits_outside_1_to_100_are_422(aws, calls: Calls):
    for limit in ("0", "101", "x"):
        assert calls.call(CITIZEN, "GET", f"/me/notifications?limit={limit}").status == 422


def test_an_empty_inbox_is_an_empty_list(aws, calls: Calls):
    assert calls.ok(CITIZEN, "GET", "/me/notifications") == {"notifications": [], "next_cursor": None}


def test_preferences_default_to_hindi_with_sms_and_get_me_shows_what_was_put(aws, calls: Calls, api: Api):
    assert calls.ok(CITIZEN, "GET", "/me")["preferences"] == {"language": "hi", "sms": True}
    assert calls.ok(CITIZEN, "PUT", "/me/preferences", {"language": "en", "sms": False}) == {
        "language": "en",
        "sms": False,
    }
    assert calls.ok(CITIZEN, "GET", "/me")["preferences"] == {"language": "en", "sms": False}
    assert calls.ok(OTHER, "GET", "/me")["preferences"] == {"language": "hi", "sms": True}


def test_bad_preferences_are_422(aws, calls: Calls):
    for body in ({"language": "fr", "sms": True}, {"language": "hi"}, {"language": "hi", "sms": "yes"}):
        response = calls.call(CITIZEN, "PUT", "/me/preferences", body)
        assert (response.status, response.error_code) == (422, "validation_error"), body


def test_a_device_is_registered_with_201_and_a_bad_one_is_422(aws, calls: Calls):
    assert calls.call(CITIZEN, "PUT", "/me/devices", {"platform": "fcm", "token": "abc"}).status == 201
    assert calls.call(CITIZEN, "PUT", "/me/devices", {"platform": "sms", "token": "abc"}).status == 422
    assert calls.call(CITIZEN, "PUT", "/me/devices", {"platform": "fcm", "token": ""}).status == 422
    assert [d.platform for d in notifications.devices("citizen-1")] == ["fcm"]


def test_the_routes_need_a_signed_in_caller(aws, api: Api):
    for method, path in (("GET", "/me/notifications"), ("PUT", "/me/preferences"), ("PUT", "/me/devices")):
        assert api(method, path, body={}).status == 401
