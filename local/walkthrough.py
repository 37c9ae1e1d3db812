"""``make demo``: the whole Seva Mitra story against a running ``make dev``, told step by step.

    make dev                      # in one terminal
    make demo                     # in another (English)
    make demo DEMO_ARGS="--lang hi"   # Hindi: the narration, and the API's messages

A new electrician signs up, registers, uploads an ID proof and submits it; the verification
workflow checks the document and asks the police; the police system answers "clear" with a
signed callback (the officers of his district hear of his submission in their inbox); the
electrician is verified and goes online. A citizen searches, finds them
within 3 km, books; the electrician gets the request by SMS and accepts by replying to it
(``HAAN <ref>``), starts with the citizen's code and completes, but
collects more than the fixed fee. That opens an overcharge complaint; an officer upholds it (he
is suspended at once), a second officer, told that a ban awaits four eyes, confirms it (the
same officer may not), and the
electrician is banned for good: gone from search, on the ban registry, and a new
registration with the same Aadhaar is refused. Then wage work (``local/walkthrough_jobs.py``): a
post below the minimum wage refused with the floor, another electrician engaged full-time, his
attendance and the month's statement. Every step is a real API call over HTTP (sign-up
and sign-in through the emulator's Cognito), as a client makes it.

Reads ``$LOCAL_STATE_DIR/outputs.json`` (default ``.local/outputs.json``) or ``--outputs``.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from local.client import StackError, Unexpected, load_outputs, outputs_path, poll_until
from local.client.http import Account, is_healthy
from local.client.journey import police_request, register, submit, upload_document, wait_for_status
from local.client.sms import reference_in
from local.client.stack import StackClient
from local.client.uploads import UploadRefused
from local.walkthrough_fair import FAIR_STEPS, fair_chapter
from local.walkthrough_jobs import JOB_STEPS, jobs_chapter
from local.walkthrough_ondc import ONDC_STEPS, ondc_chapter
from sevamitra.domain.types import verhoeff_check_digit

SERVICE = "electrician_fan_installation"
# Where the citizen lives, in her own words (the professional sees it once he accepts).
ADDRESS = {
    "en": "House 7, Lane 2, behind the Hanuman temple, Aliganj",
    "hi": "मकान 7, गली 2, हनुमान मंदिर के पीछे, अलीगंज",
}

# Each step's narration: (English, Hindi). Placeholders are filled from what the API answered.
STEPS: dict[str, tuple[str, str]] = {
    "intro": (
        "Seva Mitra walkthrough against {url}",
        "सेवा मित्र का पूरा सफ़र, {url} पर",
    ),
    "signup": (
        "Sunil, an electrician, signs up with his phone number {phone}.",
        "सुनील, एक इलेक्ट्रीशियन, अपने फ़ोन नंबर {phone} से साइन अप करते हैं।",
    ),
    "register": (
        "He registers as a professional ({service}). Status: {status}. Only the last 4 digits of "
        "his Aadhaar are kept: ...{last4}.",
        "वे पेशेवर के रूप में पंजीकरण करते हैं ({service})। स्थिति: {status}। आधार के केवल अंतिम 4 अंक रखे जाते हैं: ...{last4}।",
    ),
    "upload": (
        "He uploads his ID proof (a PDF) straight to the document store with the signed form.",
        "वे अपना पहचान प्रमाण (PDF) हस्ताक्षरित फ़ॉर्म से सीधे दस्तावेज़ भंडार में अपलोड करते हैं।",
    ),
    "submit": (
        "He submits for verification. Status: {status}.",
        "वे सत्यापन के लिए जमा करते हैं। स्थिति: {status}।",
    ),
    "queued": (
        'The officers of Lucknow, his district, find it in their inbox: "{title}" (in the '
        "officer's language).",
        'उनके ज़िले लखनऊ के अधिकारियों को यह उनके इनबॉक्स में मिलता है: "{title}"।',
    ),
    "police_asked": (
        "The workflow checked the document and asked the police. Status: {status}; the officer "
        "sees request {request_id} waiting.",
        "प्रक्रिया ने दस्तावेज़ जाँचा और पुलिस से सत्यापन माँगा। स्थिति: {status}; अधिकारी को अनुरोध "
        "{request_id} प्रतीक्षा में दिखता है।",
    ),
    "police_clear": (
        "The police system answers 'clear' with a signed callback (HTTP {code}).",
        "पुलिस प्रणाली हस्ताक्षरित कॉलबैक से 'कोई आपराधिक मामला नहीं' का उत्तर देती है (HTTP {code})।",
    ),
    "verified": (
        "Sunil is now {status}. Verification history: {history}.",
        "सुनील अब {status} हैं। सत्यापन इतिहास: {history}।",
    ),
    "online": (
        "He goes online at his shop. Findable: {findable}.",
        "वे अपनी दुकान से ऑनलाइन होते हैं। खोज में दिखेंगे: {findable}।",
    ),
    "match": (
        "A citizen nearby searches for '{service}': Sunil is {distance} m away, fixed fee Rs {fee}.",
        "पास की एक नागरिक '{service}' खोजती हैं: सुनील {distance} मीटर दूर हैं, तय शुल्क ₹{fee}।",
    ),
    "book": (
        "She books him. Booking {booking_id} is {status}; her start code is {code}.",
        "वे उन्हें बुक करती हैं। बुकिंग {booking_id} की स्थिति {status}; उनका प्रारंभ कोड {code} है।",
    ),
    "sms": (
        'Sunil\'s phone gets an SMS within {ms} ms of the booking: "{body}"',
        'बुकिंग के {ms} मिलीसेकंड में सुनील के फ़ोन पर SMS आता है: "{body}"',
    ),
    "waiting": (
        "Sunil opens his list of jobs: {count} request waiting for him, {booking_id}.",
        "सुनील अपने कामों की सूची खोलते हैं: उनके लिए {count} अनुरोध प्रतीक्षा में, {booking_id}।",
    ),
    "accept": (
        "To accept it, he replies by SMS: {reply}. The booking is {status}.",
        "स्वीकार करने के लिए वे SMS से उत्तर देते हैं: {reply}। बुकिंग की स्थिति: {status}।",
    ),
    "contacts": (
        "Now they can reach each other: she sees his mobile ending {pro_last4}; he sees hers ending "
        '{citizen_last4} and her address, "{address}".',
        "अब वे एक-दूसरे से संपर्क कर सकते हैं: उन्हें सुनील का मोबाइल (अंत में {pro_last4}) दिखता है; "
        'सुनील को उनका मोबाइल (अंत में {citizen_last4}) और पता दिखता है: "{address}"।',
    ),
    "start": (
        "At her door he starts the job with her code: {status}.",
        "उनके घर पहुँचकर वे उनके कोड से काम शुरू करते हैं: {status}।",
    ),
    "complete": (
        "He completes the job but collects Rs {collected} against the fixed fee of Rs {fee}: {status}. "
        "An overcharge complaint opened by itself: {complaint_id}.",
        "वे काम पूरा करते हैं, पर तय शुल्क ₹{fee} की जगह ₹{collected} लेते हैं: {status}। "
        "अधिक वसूली की शिकायत अपने आप दर्ज हुई: {complaint_id}।",
    ),
    "rate": (
        "She rates the job {stars} star.",
        "वे काम को {stars} स्टार देती हैं।",
    ),
    "complaint": (
        'Her own overcharge complaint is not needed twice: HTTP {code} {error_code}, "{message}"',
        'उनकी अपनी शिकायत दोबारा दर्ज नहीं होती: HTTP {code} {error_code}, "{message}"',
    ),
    "answered": (
        "Sunil is told of the complaint and answers it in the app before {respond_by}.",
        "सुनील को शिकायत की सूचना मिलती है और वे {respond_by} से पहले ऐप में जवाब देते हैं।",
    ),
    "upheld": (
        "An officer finds it among the open overcharge complaints, reviews it and upholds it: {status}. "
        "Sunil is {pro_status} at once: out of search, his waiting bookings cancelled.",
        "एक अधिकारी खुली अधिक-वसूली शिकायतों में इसे पाते हैं, जाँच करके सही पाते हैं: {status}। "
        "सुनील तुरंत {pro_status} हैं: खोज से बाहर, उनकी प्रतीक्षारत बुकिंग रद्द।",
    ),
    "ban_proposed": (
        'A second officer of Lucknow is told a lifetime ban awaits his confirmation: "{title}".',
        'लखनऊ के दूसरे अधिकारी को सूचना मिलती है कि आजीवन प्रतिबंध उनकी पुष्टि की प्रतीक्षा में है: "{title}"।',
    ),
    "four_eyes": (
        "A lifetime ban needs a second officer. The same officer tries to confirm it: HTTP {code} "
        "{error_code}. A second officer reviews the case and confirms the ban.",
        "आजीवन प्रतिबंध के लिए दूसरे अधिकारी की ज़रूरत है। वही अधिकारी पुष्टि का प्रयास करते हैं: HTTP "
        "{code} {error_code}। दूसरे अधिकारी मामला देखकर प्रतिबंध की पुष्टि करते हैं।",
    ),
    "banned": (
        "Sunil is now {status}, permanently. Ban registry check by an employer: banned = {banned} "
        "({name}, {reason}, since {banned_at}).",
        "सुनील अब स्थायी रूप से {status} हैं। नियोक्ता द्वारा प्रतिबंध सूची की जाँच: प्रतिबंधित = {banned} "
        "({name}, {reason}, {banned_at} से)।",
    ),
    "gone": (
        "The same search no longer finds him ({count} other result(s)).",
        "वही खोज अब उन्हें नहीं दिखाती ({count} अन्य परिणाम)।",
    ),
    "refused": (
        "He tries to register again from a new account with the same Aadhaar: HTTP {code} "
        '{error_code}, "{message}"',
        'वे नए खाते से उसी आधार से फिर पंजीकरण का प्रयास करते हैं: HTTP {code} {error_code}, "{message}"',
    ),
    **JOB_STEPS,
    **FAIR_STEPS,
    **ONDC_STEPS,
    "done": (
        "Done: verified by the police, booked at a fixed fee, banned for overcharging; employed at a "
        "legal wage. ({seconds:.1f} s)",
        "पूर्ण: पुलिस से सत्यापित, तय शुल्क पर बुक, अधिक वसूली पर प्रतिबंधित; वैध मज़दूरी पर नियुक्त। ({seconds:.1f} सेकंड)",
    ),
}


# Status codes stay as the API sends them; in Hindi they are explained beside the code.
STATUS_HI = {
    "pending_documents": "दस्तावेज़ बाकी",
    "verification_pending": "सत्यापन जारी",
    "police_pending": "पुलिस सत्यापन की प्रतीक्षा",
    "verified": "सत्यापित",
    "banned": "प्रतिबंधित",
    "suspended": "निलंबित",
    "requested": "अनुरोधित",
    "accepted": "स्वीकृत",
    "in_progress": "काम जारी",
    "completed": "पूर्ण",
    "upheld": "शिकायत सही पाई गई",
    "open": "खुला",
}


class Walkthrough:
    def __init__(self, outputs: dict[str, Any], lang: str, out: Callable[[str], None] = print) -> None:
        self.stack = StackClient(outputs, lang=lang)
        self.lang = lang
        self.out = out
        self.step_number = 0

    # --- plumbing ---------------------------------------------------------------------------

    def say(self, step: str, **values: Any) -> None:
        english, hindi = STEPS[step]
        if self.lang == "hi":
            values = {name: self._hindi(name, value) for name, value in values.items()}
        text = (hindi if self.lang == "hi" else english).format(**values)
        if step in ("intro", "done"):
            self.out(text)
            return
        self.step_number += 1
        self.out(f"{self.step_number:>2}. {text}")

    @staticmethod
    def _hindi(name: str, value: Any) -> Any:
        if isinstance(value, bool):
            return "हाँ" if value else "नहीं"
        if name in ("status", "pro_status") and value in STATUS_HI:
            return f"{STATUS_HI[value]} ({value})"
        return value

    @staticmethod
    def inbox_notice(reader: Account, kind: str, **about: str) -> dict[str, Any]:
        """The newest notification of ``kind`` about ``about`` in ``reader``'s inbox, once notify
        has delivered it (events travel through the bus)."""

        def found() -> dict[str, Any] | None:
            listed = reader.ok("GET", "/me/notifications?limit=50")["notifications"]
            return next(
                (n for n in listed if n["kind"] == kind and all(n.get(k) == v for k, v in about.items())),
                None,
            )

        return poll_until(f"a {kind} notification", found)

    def sign_up(self) -> Account:
        """A new account (phone number as username), confirmed as the emulator's admin."""
        username, password = self.stack.cognito.new_user(series="95")
        return self.stack.signed_in(username, password)

    # --- the story --------------------------------------------------------------------------

    def run(self) -> None:
        started = time.monotonic()
        self.say("intro", url=self.stack.api.url)
        officer, employer = self.stack.as_demo("officer"), self.stack.as_demo("employer")
        anyone = self.stack.account()
        services = anyone.ok("GET", f"/services?q={SERVICE.split('_')[0]}")
        service = next(s for s in services["services"] if s["id"] == SERVICE)
        service_name = service["name"][self.lang if self.lang == "hi" else "en"]

        pro = self.sign_up()
        self.say("signup", phone=pro.username)
        seed = uuid.uuid4().int
        aadhaar_body = f"{2 + seed % 8}{seed % 10**10:010d}"
        aadhaar = aadhaar_body + verhoeff_check_digit(aadhaar_body)
        # A shop of his own, a few hundred metres from Hazratganj, Lucknow.
        shop = {
            "lat": round(26.8467 + (seed % 700) / 100_000, 6),
            "lng": round(80.9462 + (seed % 500) / 100_000, 6),
        }
        registration = {
            "name": "Sunil Verma",
            "mobile": f"9{seed % 10**9:09d}",
            "aadhaar": aadhaar,
            "services": [SERVICE],
            "location": shop,
            "district": "Lucknow",
            "qualification": {"kind": "iti", "title": "Electrician"},
        }
        profile = register(pro, registration)
        pid = profile["id"]
        self.say("register", service=service_name, status=profile["status"], last4=profile["aadhaar_last4"])

        upload_document(pro, pid)
        self.say("upload")

        submitted = submit(pro, pid)
        self.say("submit", status=submitted["status"])
        notice = self.inbox_notice(officer, "verification_submitted", professional_id=pid)
        self.say("queued", title=notice["title"])

        request_id = police_request(officer, pid)
        profile = pro.ok("GET", f"/professionals/{pid}")
        self.say("police_asked", status=profile["status"], request_id=request_id)

        self.stack.police().answer(request_id, "clear")  # 200, or Unexpected
        self.say("police_clear", code=200)
        profile = wait_for_status(pro, pid, "verified")
        history = " -> ".join(h["stage"] for h in profile["verification"]["history"])
        self.say("verified", status=profile["status"], history=history)

        online = pro.ok("PUT", f"/professionals/{pid}/availability", {"online": True, "location": shop})
        self.say("online", findable=online["findable"])
        citizen = self.sign_up()
        home = {"lat": round(shop["lat"] + 0.004, 6), "lng": shop["lng"]}  # about 450 m north
        query = f"/match?service={SERVICE}&lat={home['lat']}&lng={home['lng']}&limit=50"
        found = citizen.ok("GET", query)
        mine = next((r for r in found["results"] if r["professional_id"] == pid), None)
        if mine is None:
            raise Unexpected(f"the search did not find {pid}: {found}")
        self.say("match", service=service_name, distance=mine["distance_m"], fee=mine["fee_paise"] // 100)

        address = ADDRESS[self.lang]
        ordered = {"service_id": SERVICE, "location": home, "professional_id": pid, "address": address}
        phones = self.stack.phones()
        booked_at = time.monotonic()
        booking = citizen.ok("POST", "/bookings", ordered, status=201)
        self.say("book", booking_id=booking["id"], status=booking["status"], code=booking["start_code"])
        mobile = str(registration["mobile"])
        sms = phones.wait_for(mobile, "HAAN")
        self.say("sms", ms=round((time.monotonic() - booked_at) * 1000), body=sms["body"])
        # He is not handed the id: it is in his own list, waiting for him.
        waiting = pro.ok("GET", "/bookings?role=professional&status=requested")["bookings"]
        bid = waiting[0]["id"]
        self.say("waiting", count=len(waiting), booking_id=bid)
        reply = f"HAAN {reference_in(sms['body'])}"
        phones.send(mobile, reply)
        accepted = citizen.ok("GET", f"/bookings/{bid}")
        self.say("accept", reply=reply, status=accepted["status"])
        his_view, her_view = pro.ok("GET", f"/bookings/{bid}"), citizen.ok("GET", f"/bookings/{bid}")
        self.say(
            "contacts",
            pro_last4=str(her_view["professional"]["mobile"])[-4:],
            citizen_last4=str(his_view["citizen"]["mobile"])[-4:],
            address=his_view["address"],
        )
        begun = pro.ok("POST", f"/bookings/{bid}/start", {"start_code": booking["start_code"]})
        self.say("start", status=begun["status"])
        collected = booking["fee_paise"] + 10_000
        completed = pro.ok("POST", f"/bookings/{bid}/complete", {"amount_collected_paise": collected})
        complaint_id = citizen.ok("GET", f"/bookings/{bid}")["complaint_ids"][0]
        self.say(
            "complete",
            collected=collected // 100,
            fee=booking["fee_paise"] // 100,
            status=completed["status"],
            complaint_id=complaint_id,
        )
        citizen.ok(
            "POST", f"/bookings/{bid}/rating", {"stars": 1, "comment": "Asked for Rs 100 more."}, status=201
        )
        self.say("rate", stars=1)
        complaint = {
            "booking_id": bid,
            "kind": "overcharge",
            "amount_paid_paise": collected,
            "description": "He asked for Rs 100 more than the fixed fee.",
        }
        error = citizen.ok("POST", "/complaints", complaint, status=409)["error"]
        self.say("complaint", code=409, error_code=error["code"], message=error["message"])

        listed = officer.ok("GET", "/complaints?status=open&kind=overcharge&limit=100")["complaints"]
        (found,) = [c for c in listed if c["booking_id"] == bid]
        # No decision before respond_by unless he answered: he answers.
        pro.ok("POST", f"/complaints/{found['id']}/response", {"text": "The fee was too low."}, status=201)
        self.say("answered", respond_by=found["respond_by"])
        decision = {"decision": "upheld", "remarks": "The citizen's receipt shows Rs 100 above the fee."}
        decided = officer.ok("POST", f"/complaints/{found['id']}/resolve", decision)
        suspended = pro.ok("GET", f"/professionals/{pid}")["status"]
        self.say("upheld", status=decided["status"], pro_status=suspended)
        second_officer = self.stack.as_demo("second_officer")
        notice = self.inbox_notice(second_officer, "ban_proposed", complaint_id=found["id"])
        self.say("ban_proposed", title=notice["title"])
        confirm = {"remarks": "Receipt and the professional's silence checked again."}
        error = officer.ok("POST", f"/complaints/{found['id']}/confirm-ban", confirm, status=403)["error"]
        self.say("four_eyes", code=403, error_code=error["code"])
        second_officer.ok("POST", f"/complaints/{found['id']}/confirm-ban", confirm)
        profile = pro.ok("GET", f"/professionals/{pid}")
        check = employer.ok("GET", f"/bans/check?aadhaar={aadhaar}")
        self.say(
            "banned",
            status=profile["status"],
            banned=check["banned"],
            name=check["name"],
            reason=check["reason"],
            banned_at=check["banned_at"],
        )
        found = citizen.ok("GET", query)
        if any(r["professional_id"] == pid for r in found["results"]):
            raise Unexpected(f"{pid} is banned but still found")
        self.say("gone", count=len(found["results"]))

        retry = {**registration, "mobile": f"8{seed % 10**9:09d}"}
        error = self.sign_up().ok("POST", "/professionals", retry, status=403)["error"]
        self.say("refused", code=403, error_code=error["code"], message=error["message"])
        jobs_chapter(self, officer, employer)
        fair_chapter(self, officer)
        ondc_chapter(self, officer)
        self.say("done", seconds=time.monotonic() - started)


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.walkthrough", description=__doc__.split("\n")[0])
    parser.add_argument("--lang", choices=["en", "hi"], default="en")
    parser.add_argument("--outputs", type=Path, help="outputs.json (default: $LOCAL_STATE_DIR/outputs.json)")
    args = parser.parse_args(argv)
    path = args.outputs or outputs_path()
    not_running = (
        f"The local stack is not running ({path} {{}}). Start it with `make dev` in another terminal, "
        "then run `make demo` again."
    )
    try:
        outputs = load_outputs(path)
    except (FileNotFoundError, ValueError):
        print(not_running.format("not found"), file=sys.stderr)
        return 1
    if "AwsEndpointUrl" not in outputs or not is_healthy(str(outputs.get("ApiUrl")), timeout_s=3):
        print(not_running.format(f"names {outputs.get('ApiUrl')}, which does not answer"), file=sys.stderr)
        return 1
    try:
        Walkthrough(outputs, args.lang, out).run()
    except (StackError, UploadRefused, requests.RequestException) as exc:
        print(f"The walkthrough stopped: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
