"""The walkthrough's ONDC chapter (``make demo``): a buyer app on the open network (a fake one on
loopback, registered in the local fake registry) finds a police-verified plumber near a point,
books them at the fixed fee with signed Beckn requests, follows the booking as the plumber works
it through the API, and rates. Every callback it takes is signed with the key the stack publishes
(``OndcSigningPublicKey``)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import requests

from local.client import Unexpected
from local.client.http import Account
from local.client.journey import cleared, register, submit_for_verification
from local.client.ondc import BuyerApp
from sevamitra.domain.types import verhoeff_check_digit

if TYPE_CHECKING:
    from local.walkthrough import Walkthrough

SERVICE = "plumber_tap_leak_repair"

ONDC_STEPS: dict[str, tuple[str, str]] = {
    "ondc_pro": (
        "ONDC: a plumber, {name}, is verified and online near Aminabad.",
        "ONDC: एक प्लंबर, {name}, सत्यापित हैं और अमीनाबाद के पास ऑनलाइन हैं।",
    ),
    "ondc_bap": (
        "A buyer app on the open network registers its key ({subscriber}) and searches: "
        "{count} provider(s) within 3 km, the plumber at ₹{price}.",
        "ओपन नेटवर्क का एक खरीदार ऐप अपनी कुंजी ({subscriber}) पंजीकृत कर खोजता है: 3 किमी में "
        "{count} प्रदाता, प्लंबर ₹{price} पर।",
    ),
    "ondc_confirm": (
        "It selects, initialises and confirms: order {order} is {status}; the start code goes to its "
        "customer.",
        "वह चुनता, आरंभ और पुष्टि करता है: ऑर्डर {order} {status} है; प्रारंभ कोड उसके ग्राहक तक पहुँचता है।",
    ),
    "ondc_follow": (
        "The plumber accepts, starts and completes in the app; the buyer app follows: {statuses}.",
        "प्लंबर ऐप में स्वीकार, शुरू और पूरा करते हैं; खरीदार ऐप स्थिति देखता है: {statuses}।",
    ),
    "ondc_rated": (
        "The customer rates 5 stars through the buyer app; every callback was signed by Seva Mitra: "
        "{verified}.",
        "ग्राहक खरीदार ऐप से 5 सितारे देता है; हर कॉलबैक पर सेवा मित्र का हस्ताक्षर था: {verified}।",
    ),
}


def _verified_plumber(walk: Walkthrough, officer: Account, spot: dict[str, float]) -> tuple[Account, str]:
    pro = walk.sign_up()
    seed = uuid.uuid4().int
    body = f"{2 + seed % 8}{seed % 10**10:010d}"
    profile = register(
        pro,
        {
            "name": "Mohd. Arif",
            "mobile": f"8{seed % 10**9:09d}",
            "aadhaar": body + verhoeff_check_digit(body),
            "services": [SERVICE],
            "location": spot,
            "district": "Lucknow",
            "qualification": {"kind": "none"},
        },
    )
    pid = str(profile["id"])
    request_id = submit_for_verification(pro, officer, pid)
    cleared(walk.stack.police(), pro, pid, request_id, remarks="No record")
    pro.ok("PUT", f"/professionals/{pid}/availability", {"online": True, "location": spot})
    return pro, pid


def _status_is(shown: str) -> Callable[[dict[str, Any]], bool]:
    return lambda payload: bool(payload["message"]["order"]["status"] == shown)


def ondc_chapter(walk: Walkthrough, officer: Account) -> None:
    outputs = walk.stack.outputs
    seed = uuid.uuid4().int
    spot = {
        "lat": round(26.8505 + (seed % 300) / 100_000, 6),
        "lng": round(80.9290 + (seed % 300) / 100_000, 6),
    }
    pro, pid = _verified_plumber(walk, officer, spot)
    walk.say("ondc_pro", name="Mohd. Arif")
    api = walk.stack.api.url
    with BuyerApp(outputs["OndcSigningPublicKey"], seller_id=outputs["OndcSubscriberId"]) as bap:
        if (
            requests.post(f"{api}/_local/ondc/registry", json=bap.registration(), timeout=10).status_code
            != 201
        ):
            raise Unexpected("the fake ONDC registry refused the buyer app")
        txn = str(uuid.uuid4())

        def exchange(action: str, message: dict[str, Any]) -> dict[str, Any]:
            body, headers = bap.signed(action, message, transaction_id=txn, domain="ONDC:SRV11")
            answer = requests.post(f"{api}/ondc/{action}", data=body, headers=headers, timeout=10)
            if answer.status_code != 200:
                raise Unexpected(f"/ondc/{action}: HTTP {answer.status_code} {answer.text}")
            return bap.wait_for(f"on_{action}", transaction_id=txn)

        point = f"{spot['lat']},{spot['lng'] + 0.003}"
        found = exchange(
            "search", {"intent": {"fulfillment": {"stops": [{"type": "end", "location": {"gps": point}}]}}}
        )
        providers = found["message"]["catalog"]["providers"]
        mine = next(p for p in providers if p["id"] == pid)
        walk.say(
            "ondc_bap",
            subscriber=bap.subscriber_id,
            count=len(providers),
            price=mine["items"][0]["price"]["value"],
        )
        stop = {"type": "end", "location": {"gps": point, "address": "Aminabad, near the mosque"},
                "contact": {"phone": f"7{seed % 10**9:09d}"}}  # fmt: skip
        order = {
            "order": {
                "provider": {"id": pid},
                "items": [{"id": SERVICE}],
                "fulfillments": [{"stops": [stop]}],
            }
        }
        exchange("select", order)
        exchange("init", order)
        confirmed = exchange("confirm", order)["message"]["order"]
        walk.say("ondc_confirm", order=confirmed["id"], status=confirmed["status"])
        code = confirmed["fulfillments"][0]["stops"][0]["authorization"]["token"]
        statuses: list[str] = []
        for action, body, shown in (
            ("accept", None, "Accepted"),
            ("start", {"start_code": code}, "In-progress"),
            ("complete", {"amount_collected_paise": 15000}, "Completed"),
        ):
            pro.ok("POST", f"/bookings/{confirmed['id']}/{action}", body or {})
            # The buyer app asks (unsolicited on_status also comes, at the scheduler's next sweep).
            body_, headers = bap.signed(
                "status", {"order_id": confirmed["id"]}, transaction_id=txn, domain="ONDC:SRV11"
            )
            requests.post(f"{api}/ondc/status", data=body_, headers=headers, timeout=10).raise_for_status()
            bap.wait_for("on_status", transaction_id=txn, where=_status_is(shown))
            statuses.append(shown)
        walk.say("ondc_follow", statuses=" -> ".join(statuses))
        exchange("rating", {"ratings": [{"rating_category": "Fulfillment", "id": "F1", "value": "5"}]})
        walk.say("ondc_rated", verified=bap.refused == 0)
