"""The fair-outcomes chapter of ``make demo``, briefly: a cheat who declares the fee is caught by
the citizen's own payment record.

Another newly verified electrician takes a booking, asks the citizen for Rs 100 above the fixed
fee, and declares only the fee at completion: nothing opens. The citizen records what she paid
(``POST /bookings/{id}/payment``): above the fee plus the approved expenses, an overcharge
complaint opens on her word, and the professional is told with his ``respond_by`` deadline. She
adds a photo as evidence, and the officer who decides downloads it from a short-lived link.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import requests

from local.client import Unexpected
from local.client.http import Account
from local.client.uploads import upload
from local.walkthrough_jobs import SERVICE, _verified_electrician

if TYPE_CHECKING:
    from local.walkthrough import Walkthrough

EXTRA_PAISE = 10_000  # Rs 100 asked on the side

FAIR_STEPS: dict[str, tuple[str, str]] = {
    "cheat_declares": (
        "Another electrician, Mohan, takes a booking at the fixed fee of Rs {fee}, asks for Rs {paid} "
        "in cash and declares only Rs {declared} at completion: complaints opened = {complaints}.",
        "एक और इलेक्ट्रीशियन, मोहन, ₹{fee} के तय शुल्क पर बुकिंग लेते हैं, नकद ₹{paid} माँगते हैं और पूरा "
        "करते समय केवल ₹{declared} बताते हैं: दर्ज शिकायतें = {complaints}।",
    ),
    "citizen_paid": (
        "The citizen records what she paid, Rs {paid}: HTTP {code}; above the Rs {allowed} allowed, an "
        "overcharge complaint opens on her word: {complaint_id}. Mohan may answer until {respond_by}.",
        "नागरिक दर्ज करती हैं कि उन्होंने ₹{paid} दिए: HTTP {code}; अनुमत ₹{allowed} से अधिक होने पर उनकी "
        "बात पर अधिक वसूली की शिकायत दर्ज होती है: {complaint_id}। मोहन {respond_by} तक जवाब दे सकते हैं।",
    ),
    "evidence": (
        "She adds a photo of the cash she handed over; the officer deciding the complaint downloads "
        "it from a link that lives {minutes} minutes: {size} bytes, the same she uploaded: {same}.",
        "वे दिए गए नकद की फ़ोटो सबूत के रूप में जोड़ती हैं; शिकायत पर निर्णय लेने वाले अधिकारी उसे {minutes} "
        "मिनट तक चलने वाले लिंक से डाउनलोड करते हैं: {size} बाइट, वही जो उन्होंने अपलोड की: {same}।",
    ),
}
# A small PNG (the header and some bytes): what a phone camera's photo stands for here.
PHOTO = b"\x89PNG\r\n\x1a\n" + b"cash handed over" + bytes(200)


def fair_chapter(story: Walkthrough, officer: Account) -> None:
    seed = uuid.uuid4().int
    home = {
        "lat": round(26.8567 + (seed % 700) / 100_000, 6),
        "lng": round(80.9562 + (seed % 500) / 100_000, 6),
    }
    pro, pid = _verified_electrician(story, officer, home)
    pro.ok("PUT", f"/professionals/{pid}/availability", {"online": True, "location": home})
    citizen = story.sign_up()
    booking = citizen.ok(
        "POST", "/bookings", {"service_id": SERVICE, "location": home, "professional_id": pid}, status=201
    )
    bid, fee = booking["id"], int(booking["fee_paise"])
    pro.ok("POST", f"/bookings/{bid}/accept")
    pro.ok("POST", f"/bookings/{bid}/start", {"start_code": booking["start_code"]})
    done = pro.ok("POST", f"/bookings/{bid}/complete", {"amount_collected_paise": fee})
    paid = fee + EXTRA_PAISE
    story.say(
        "cheat_declares",
        fee=fee // 100,
        paid=paid // 100,
        declared=fee // 100,
        complaints=len(done["complaint_ids"]),
    )
    recorded = citizen.ok("POST", f"/bookings/{bid}/payment", {"amount_paid_paise": paid}, status=201)
    complaint_id = recorded["complaint_id"]
    if not complaint_id:
        raise Unexpected(f"a payment of {paid} paise against a fee of {fee} opened no complaint")
    complaint = officer.ok("GET", f"/complaints/{complaint_id}")
    story.say(
        "citizen_paid",
        paid=paid // 100,
        code=201,
        allowed=recorded["allowed_paise"] // 100,
        complaint_id=complaint_id,
        respond_by=complaint["respond_by"],
    )
    evidence_and_its_download(story, citizen, officer, complaint_id)


def evidence_and_its_download(
    story: Walkthrough, citizen: Account, officer: Account, complaint_id: str
) -> None:
    asked = citizen.ok(
        "POST",
        f"/complaints/{complaint_id}/evidence",
        {"content_type": "image/png", "size_bytes": len(PHOTO)},
        status=201,
    )
    upload(asked["upload"], PHOTO, filename="cash.png", content_type="image/png")
    shown = officer.ok("GET", f"/complaints/{complaint_id}")["evidence"]
    (item,) = [e for e in shown if e["evidence_id"] == asked["evidence_id"]]
    if not item.get("url"):
        raise Unexpected(f"the uploaded photo has no download link: {item}")
    got = requests.get(item["url"], timeout=10)
    lifetime = datetime.fromisoformat(item["url_expires_at"]) - datetime.now(UTC)
    story.say(
        "evidence",
        minutes=max(1, round(lifetime.total_seconds() / 60)),
        size=len(got.content),
        same=got.status_code == 200 and got.content == PHOTO,
    )
