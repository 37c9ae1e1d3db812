"""GET /professionals/{id}/card: public, for the QR code on a professional's ID card. Who they are,
whether they are verified (or banned), what they do, where and their rating: nothing else, and
no personal number or location. The professional's own profile carries the card's URL."""

from __future__ import annotations

import re

from sevamitra.data.models import ProfessionalModel
from tests.integration.conftest import Api, claims_for
from tests.integration.registration.conftest import registration_body

CARD_FIELDS = {"id", "name", "status", "services", "district", "verified_at", "rating"}
DECIDED_AT = "2026-11-30T08:15:00Z"


def registered(api: Api, sub: str, seed: int) -> tuple[str, dict]:
    body = registration_body(seed=seed, name="Sunita Devi")
    created = api("POST", "/professionals", body=body, claims=claims_for(sub))
    assert created.status == 201, created.body
    return str(created.body["id"]), body


def verify(professional_id: str) -> None:
    """As the workflow's decision leaves a professional (and two ratings on top)."""
    item = ProfessionalModel.get(professional_id)
    history = [*item.verification["history"], {"stage": "decision", "at": DECIDED_AT, "outcome": "verified"}]
    item.update(
        actions=[
            ProfessionalModel.status.set("verified"),
            ProfessionalModel.verification["history"].set(history),
            ProfessionalModel.rating_sum.set(9),
            ProfessionalModel.rating_count.set(2),
        ]
    )


def test_anyone_without_signing_in_sees_the_card_of_a_verified_professional(api: Api) -> None:
    pid, _ = registered(api, "card-1", 31)
    verify(pid)
    card = api("GET", f"/professionals/{pid}/card")
    assert card.status == 200, card.body
    assert card.body == {
        "id": pid,
        "name": "Sunita Devi",
        "status": "verified",
        "services": ["plumber_tap_leak_repair"],
        "district": "lucknow",
        "verified_at": DECIDED_AT,
        "rating": 4.5,
    }
    # The same for a signed-in stranger.
    assert api("GET", f"/professionals/{pid}/card", claims=claims_for("someone")).body == card.body


def test_the_card_has_no_mobile_aadhaar_digits_or_location(api: Api) -> None:
    pid, body = registered(api, "card-2", 32)
    verify(pid)
    card = api("GET", f"/professionals/{pid}/card").body
    assert set(card) <= CARD_FIELDS
    # Without the id, whose random hex holds four given digits about once in 2,000 cards.
    text = str(card).replace(pid, "<id>")
    for secret in (body["mobile"], body["aadhaar"], body["mobile"][-4:], body["aadhaar"][-4:]):
        assert secret not in text
    # No digits at all but the time, the rating and those inside the service ids.
    assert not re.search(r"\d{4,}", text.replace(DECIDED_AT, ""))
    assert not {"location", "lat", "lng", "mobile_last4", "aadhaar_last4", "agency_id"} & set(card)


def test_before_verification_and_after_a_ban_the_card_says_so(api: Api) -> None:
    pid, _ = registered(api, "card-3", 33)
    pending = api("GET", f"/professionals/{pid}/card").body
    assert pending["status"] == "pending_documents"
    assert "verified_at" not in pending
    assert pending["rating"] is None
    verify(pid)
    ProfessionalModel.get(pid).update(actions=[ProfessionalModel.status.set("banned")])
    banned = api("GET", f"/professionals/{pid}/card").body
    assert banned["status"] == "banned"
    assert "verified_at" not in banned


def test_an_unknown_card_is_404_in_the_error_shape(api: Api) -> None:
    response = api("GET", "/professionals/pro_nobody/card")
    assert (response.status, response.error_code) == (404, "not_found")
    hindi = api("GET", "/professionals/pro_nobody/card", headers={"Accept-Language": "hi"})
    assert hindi.body["error"]["message"] == "इस आईडी से कुछ नहीं मिला।"


def test_the_profile_carries_the_cards_url_as_the_client_reached_the_api(api: Api) -> None:
    pid, _ = registered(api, "card-4", 34)
    profile = api("GET", f"/professionals/{pid}", claims=claims_for("card-4"))
    # A direct invocation knows no host: the path alone.
    assert profile.body["card_url"] == f"/professionals/{pid}/card"
    # Through API Gateway's execute-api endpoint: its host, the stage, https.
    event_headers = {"Host": "abc123.execute-api.ap-south-1.amazonaws.com", "X-Forwarded-Proto": "https"}
    profile = api("GET", f"/professionals/{pid}", claims=claims_for("card-4"), headers=event_headers)
    assert profile.body["card_url"] == (
        f"https://abc123.execute-api.ap-south-1.amazonaws.com/local/professionals/{pid}/card"
    )
    officer = api("GET", f"/professionals/{pid}", claims=claims_for("officer-1", "officers"))
    assert officer.body["card_url"].endswith(f"/professionals/{pid}/card")
