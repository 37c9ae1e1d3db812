"""POST /bookings/{id}/decline: the assigned professional turns down a requested booking. For now a
decline ends the booking (cancelled by the professional) and frees them; re-offering a booking
made without a chosen professional is issue 17's."""

from __future__ import annotations

from tests.integration.bookings.conftest import CITIZEN, OTHER_PRO, PRO, act, book, view


def test_the_professional_declines_a_requested_booking_and_is_free_again(api, pro):
    booking = book(api).body
    declined = act(api, booking["id"], "decline", PRO)
    assert declined.status == 200
    assert (declined.body["status"], declined.body["cancelled_by"]) == ("cancelled", "professional")
    assert view(api, booking["id"]).body["status"] == "cancelled"
    assert book(api).status == 201  # free for the next booking


def test_only_a_requested_booking_can_be_declined(api, pro):
    booking = book(api).body
    assert act(api, booking["id"], "accept", PRO).status == 200
    refused = act(api, booking["id"], "decline", PRO)
    assert (refused.status, refused.error_code) == (409, "invalid_transition")


def test_nobody_but_the_professional_side_declines(api, pro):
    booking = book(api).body
    assert act(api, booking["id"], "decline", CITIZEN).status == 403
    assert act(api, booking["id"], "decline", OTHER_PRO).status == 403
    assert act(api, "bkg_unknown", "decline", PRO).status == 404
    assert view(api, booking["id"]).body["status"] == "requested"
