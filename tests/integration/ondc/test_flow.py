"""A buyer app finds, books and follows a professional over ONDC, in-process on moto."""

from __future__ import annotations

from sevamitra.data import bookings as booking_repo
from sevamitra.data import snapshots
from sevamitra.domain.bookings import BookingStatus
from tests.integration.conftest import claims_for
from tests.integration.geo_seed import LUCKNOW, SERVICE, offset, seed_professional
from tests.integration.ondc.conftest import NEAR, order_message, search_message

PRO = claims_for("sub-pro_1")
FEE_RUPEES = "150.00"  # electrician_fan_installation: 15000 paise


def test_search_offers_nearby_verified_professionals_at_the_rate_card_fee(network, professional):
    seed_professional("pro_far", *offset(*LUCKNOW, 5000, 0), name="Far away")
    seed_professional("pro_off", *offset(*LUCKNOW, 200, 0), online=False)
    on_search = network.exchange("search", search_message(*NEAR), transaction_id="t-search")
    providers = on_search["message"]["catalog"]["providers"]
    assert [p["id"] for p in providers] == ["pro_1"]
    items = {item["id"]: item for item in providers[0]["items"]}
    assert items[SERVICE]["price"] == {"currency": "INR", "value": FEE_RUPEES}
    assert on_search["context"]["bpp_id"] == "sevamitra.local"
    assert network.bap.refused == 0  # our callback verified against our published key


def test_select_init_confirm_books_through_the_booking_transaction(network, professional, api):
    on_select = network.exchange("select", order_message(professional), transaction_id="t1")
    assert on_select["message"]["order"]["quote"]["price"] == {"currency": "INR", "value": FEE_RUPEES}
    network.exchange("init", order_message(professional), transaction_id="t1")
    on_confirm = network.exchange("confirm", order_message(professional), transaction_id="t1")
    order = on_confirm["message"]["order"]
    booking = booking_repo.get_booking(order["id"])
    assert booking is not None
    assert booking.status is BookingStatus.REQUESTED
    assert booking.fee_paise == 15000
    assert snapshots.professional(professional).active_booking_id == booking.id
    code = order["fulfillments"][0]["stops"][0]["authorization"]["token"]
    assert booking.start_code.get_secret_value() == code

    # The professional works it through the normal API; status follows.
    assert api("POST", f"/bookings/{booking.id}/accept", claims=PRO).status == 200
    on_status = network.exchange("status", {"order_id": booking.id}, transaction_id="t1")
    assert on_status["message"]["order"]["status"] == "Accepted"


def test_confirm_for_a_busy_professional_books_nothing(network, professional):
    network.exchange("confirm", order_message(professional), transaction_id="t1")
    on_confirm = network.exchange(
        "confirm", order_message(professional, phone="9876500000"), transaction_id="t2"
    )
    assert on_confirm["error"]["code"] == "30001"
    assert "message" not in on_confirm


def test_a_redelivered_confirm_finds_the_booking_it_made(network, professional):
    first = network.exchange("confirm", order_message(professional), transaction_id="t1")
    network.bap.callbacks.clear()
    again = network.exchange("confirm", order_message(professional), transaction_id="t1")
    assert again["message"]["order"]["id"] == first["message"]["order"]["id"]


def test_a_replayed_message_id_is_acknowledged_and_does_nothing(network, professional):
    body, headers = network.bap.signed(
        "confirm", order_message(professional), transaction_id="t1", message_id="m-1"
    )
    assert network.post("confirm", body, headers).status == 200
    assert network.work() == 1
    assert network.post("confirm", body, headers).body == {"message": {"ack": {"status": "ACK"}}}
    assert network.work() == 0


def test_cancel_frees_the_professional(network, professional):
    on_confirm = network.exchange("confirm", order_message(professional), transaction_id="t1")
    order_id = on_confirm["message"]["order"]["id"]
    on_cancel = network.exchange(
        "cancel", {"order_id": order_id, "cancellation_reason_id": "001"}, transaction_id="t1"
    )
    assert on_cancel["message"]["order"]["status"] == "Cancelled"
    assert snapshots.professional(professional).active_booking_id is None


def test_another_buyer_app_cannot_see_or_cancel_an_order(network, professional):
    on_confirm = network.exchange("confirm", order_message(professional), transaction_id="t1")
    order_id = on_confirm["message"]["order"]["id"]
    network.bap.subscriber_id = "someone-else.example"  # not registered: refused before anything
    answer = network.send("cancel", {"order_id": order_id}, transaction_id="t1")
    assert answer.status == 401
    assert answer.body["message"] == {"ack": {"status": "NACK"}}
    assert booking_repo.get_booking(order_id).status is BookingStatus.REQUESTED


def test_changes_made_through_the_api_reach_the_buyer_app_as_on_status_then_it_rates(
    network, professional, api
):
    from ondc import tracker
    from sevamitra.platform.clock import utc_now

    on_confirm = network.exchange("confirm", order_message(professional), transaction_id="t1")
    order = on_confirm["message"]["order"]
    code = order["fulfillments"][0]["stops"][0]["authorization"]["token"]
    assert tracker.sweep(utc_now()).told == 0  # nothing changed since on_confirm
    for path, body in (
        ("accept", None),
        ("start", {"start_code": code}),
        ("complete", {"amount_collected_paise": 15000}),
    ):
        assert api("POST", f"/bookings/{order['id']}/{path}", claims=PRO, body=body).status == 200
        assert tracker.sweep(utc_now()).told == 1
    statuses = [p["message"]["order"]["status"] for p in network.bap.received("on_status")]
    assert statuses == ["Accepted", "In-progress", "Completed"]
    assert tracker.sweep(utc_now()).told == 0  # completed: no longer tracked

    network.exchange(
        "rating",
        {"ratings": [{"rating_category": "Fulfillment", "id": "F1", "value": "4"}]},
        transaction_id="t1",
    )
    assert booking_repo.get_booking(order["id"]).rating.stars == 4
    assert snapshots.professional(professional).rating == 4.0
