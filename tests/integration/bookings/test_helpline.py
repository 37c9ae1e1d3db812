"""Helpline booking (issue 17; API.md "Bookings that don't strand people"): staff in the Cognito
group ``helpline`` book for a caller by mobile number. The booking is that mobile's citizen's (an
account found, or created once, in the user pool), records ``booked_by``, texts the start code to
the caller, and notify sends the caller its updates by SMS. Staff see and cancel only the
bookings they made, and cannot complain or rate for the caller."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import notify.logic
from book import helpline as helpline_module
from book.settings import BookSettings
from local.events import EventPump
from local.provision import LocalResources, cached_client
from notify.settings import NotifySettings
from sevamitra.data import notifications
from sevamitra.data.models import BookingModel
from sevamitra.data.notifications import Preferences
from sevamitra.edge import pii
from sevamitra.platform.settings import settings
from sevamitra.platform.sms import LOCAL_OUTBOX
from tests.integration.bookings.conftest import CITIZEN, PRO, act, book, view
from tests.integration.conftest import Api, claims_for
from tests.integration.notifications.conftest import empty_queue

HELPLINE = claims_for("helpline-1", "helpline")
OTHER_HELPLINE = claims_for("helpline-2", "helpline")
CALLER = "9123400201"


@pytest.fixture
def pool(aws: LocalResources, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The provisioned user pool, as the stack gives it to book and notify; the SMS outbox and
    the notify queue empty."""
    monkeypatch.setattr(helpline_module, "book_settings", lambda: BookSettings(USER_POOL_ID=aws.user_pool_id))
    monkeypatch.setattr(
        notify.logic, "notify_settings", lambda: NotifySettings(USER_POOL_ID=aws.user_pool_id)
    )
    empty_queue(aws.notify_queue_url)
    LOCAL_OUTBOX.clear()
    pii.clear_key_cache()
    yield aws.user_pool_id
    LOCAL_OUTBOX.clear()


@pytest.fixture
def pump(aws: LocalResources) -> EventPump:
    return EventPump(aws.notify_queue_url, settings().aws_region)


def _accounts_with(pool: str, mobile: str) -> list[str]:
    idp = cached_client("cognito-idp", settings().aws_region)
    users = idp.list_users(UserPoolId=pool, Filter=f'phone_number = "{pii.e164(mobile)}"')["Users"]
    return [next(a["Value"] for a in u["Attributes"] if a["Name"] == "sub") for u in users]


def _sms_to(mobile: str) -> list[str]:
    return [m.body for m in LOCAL_OUTBOX.messages(pii.e164(mobile))]


def _claims_of(sub: str, mobile: str) -> dict:
    return {**claims_for(sub), "phone_number": pii.e164(mobile)}


def test_a_helpline_booking_belongs_to_the_callers_account_created_once(
    api: Api, pro: str, pool: str
) -> None:
    first = book(api, HELPLINE, for_mobile="+91 " + CALLER)
    assert first.status == 201, first.body
    (sub,) = _accounts_with(pool, CALLER)
    stored = BookingModel.get(first.body["id"])
    assert (stored.citizen_sub, stored.booked_by, stored.citizen_mobile) == (sub, "helpline-1", CALLER)
    # The start code went to the caller by SMS (Hindi by default), and matches the answer's.
    (text,) = _sms_to(CALLER)
    assert first.body["start_code"] in text
    assert "सेवा मित्र" in text

    act(api, first.body["id"], "cancel", HELPLINE)
    second = book(api, OTHER_HELPLINE, for_mobile=CALLER)
    assert second.status == 201, second.body
    assert _accounts_with(pool, CALLER) == [sub]  # found, not created again
    assert BookingModel.get(second.body["id"]).citizen_sub == sub

    # The caller's own view (signing in later with that number) shows it with the start code.
    mine = view(api, second.body["id"], _claims_of(sub, CALLER))
    assert mine.status == 200
    assert mine.body["start_code"] == second.body["start_code"]


def test_an_existing_account_of_that_number_gets_the_booking_and_sms_in_its_language(
    api: Api, pro: str, pool: str
) -> None:
    idp = cached_client("cognito-idp", settings().aws_region)
    user = idp.admin_create_user(
        UserPoolId=pool,
        Username=pii.e164("9123400202"),
        UserAttributes=[{"Name": "phone_number", "Value": pii.e164("9123400202")}],
    )["User"]
    sub = next(a["Value"] for a in user["Attributes"] if a["Name"] == "sub")
    notifications.put_preferences(sub, Preferences(language="en", sms=True), "2026-01-01T00:00:00Z")

    made = book(api, HELPLINE, for_mobile="9123400202")
    assert made.status == 201, made.body
    assert BookingModel.get(made.body["id"]).citizen_sub == sub
    (text,) = _sms_to("9123400202")
    assert text.startswith("Seva Mitra: your booking is made")
    assert made.body["start_code"] in text


def test_only_helpline_staff_may_book_for_a_mobile(api: Api, pro: str, pool: str) -> None:
    for claims in (CITIZEN, claims_for("officer-1", "officers"), claims_for("employer-1", "employers")):
        refused = book(api, claims, for_mobile=CALLER)
        assert refused.status == 403, refused.body
    assert _accounts_with(pool, "9123400203") == []
    bad = book(api, HELPLINE, for_mobile="12345")
    assert bad.status == 422
    assert bad.body["error"]["details"][0]["loc"] == ["body", "for_mobile"]


def test_a_replay_answers_the_same_booking_and_texts_the_code_once(api: Api, pro: str, pool: str) -> None:
    headers = {"Idempotency-Key": "helpline-replay-1"}
    first = book(api, HELPLINE, headers=headers, for_mobile="9123400204")
    again = book(api, HELPLINE, headers=headers, for_mobile="9123400204")
    assert first.status == again.status == 201
    assert again.body == first.body
    assert len(_sms_to("9123400204")) == 1
    assert BookingModel.count() == 1


def test_the_caller_gets_the_bookings_updates_by_sms(api: Api, pro: str, pool: str, pump: EventPump) -> None:
    made = book(api, HELPLINE, for_mobile="9123400205").body
    for action, body in (
        ("accept", {}),
        ("start", {"start_code": made["start_code"]}),
        ("complete", {"amount_collected_paise": made["fee_paise"]}),
    ):
        assert act(api, made["id"], action, PRO, body).status == 200
    pump.drain()
    texts = _sms_to("9123400205")
    assert len(texts) == 4, texts  # the start code, accepted, started, completed
    assert "स्वीकार" in texts[1]
    assert "शुरू" in texts[2]
    assert "PAID" in texts[3]


def test_a_cancellation_by_the_professional_reaches_the_caller_unless_sms_is_off(
    api: Api, pro: str, pool: str, pump: EventPump
) -> None:
    made = book(api, HELPLINE, for_mobile="9123400206").body
    assert act(api, made["id"], "cancel", PRO).status == 200
    pump.drain()
    assert "रद्द" in _sms_to("9123400206")[-1]

    # The caller turned SMS off: the next booking's updates do not go by SMS.
    (sub,) = _accounts_with(pool, "9123400206")
    notifications.put_preferences(sub, Preferences(language="hi", sms=False), "2026-01-01T00:00:00Z")
    LOCAL_OUTBOX.clear()
    again = book(api, HELPLINE, for_mobile="9123400206").body
    assert act(api, again["id"], "cancel", PRO).status == 200
    pump.drain()
    assert len(_sms_to("9123400206")) == 1  # only the start code (the answer to the call)


def test_staff_see_and_cancel_only_their_own_bookings(api: Api, pro: str, pool: str) -> None:
    seed_second_professional()
    mine = book(api, HELPLINE, for_mobile="9123400207").body
    theirs = book(api, OTHER_HELPLINE, professional_id="pro_3", for_mobile="9123400208").body

    listed = api("GET", "/bookings?role=helpline", claims=HELPLINE)
    assert [b["id"] for b in listed.body["bookings"]] == [mine["id"]]
    assert api("GET", "/bookings?role=helpline", claims=CITIZEN).status == 403
    assert view(api, mine["id"], HELPLINE).status == 200
    assert view(api, mine["id"], HELPLINE).body.get("start_code") is None  # only the caller sees it
    assert view(api, theirs["id"], HELPLINE).status == 403
    assert act(api, theirs["id"], "cancel", HELPLINE).status == 403

    cancelled = act(api, mine["id"], "cancel", HELPLINE)
    assert cancelled.status == 200
    assert cancelled.body["cancelled_by"] == "citizen"
    assert BookingModel.get(mine["id"]).booked_by == "helpline-1"


def test_staff_cannot_complain_or_rate_for_the_caller(api: Api, pro: str, pool: str) -> None:
    made = book(api, HELPLINE, for_mobile="9123400209").body
    for action, body in (
        ("accept", {}),
        ("start", {"start_code": made["start_code"]}),
        ("complete", {"amount_collected_paise": made["fee_paise"]}),
    ):
        assert act(api, made["id"], action, PRO, body).status == 200
    assert act(api, made["id"], "rating", HELPLINE, {"stars": 1}).status == 403
    complaint = api(
        "POST",
        "/complaints",
        claims=HELPLINE,
        body={"booking_id": made["id"], "kind": "no_show", "description": "Did not come."},
    )
    assert complaint.status == 403, complaint.body


def seed_second_professional() -> None:
    from tests.integration.bookings.conftest import NEAR
    from tests.integration.geo_seed import offset, seed_professional

    seed_professional("pro_3", *offset(*NEAR, 50, 50))
