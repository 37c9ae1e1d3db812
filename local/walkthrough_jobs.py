"""The jobs chapter of ``make demo``: wage work at a legal wage, briefly.

A block office (the demo employer) posts full-time work for two electricians; a wage below Uttar
Pradesh's minimum wage is refused with the floor; a newly verified electrician nearby finds the
post, applies, is offered a position and accepts; while engaged full-time he is out of on-demand
search; the office records his attendance, he disputes a day, and his statement for the month
is computed from attendance at the posted wage.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from local.client import Unexpected
from local.client.http import Account
from local.client.journey import register, submit_for_verification, wait_for_status
from sevamitra.domain.types import verhoeff_check_digit

if TYPE_CHECKING:
    from local.walkthrough import Walkthrough

SERVICE = "electrician_fan_installation"
WAGE_PAISE = 1_400_000  # Rs 14,000 a month

JOB_STEPS: dict[str, tuple[str, str]] = {
    "job_floor": (
        "A block office posts full-time work for 2 electricians at Rs {offered} a month: HTTP {code} "
        "{error_code}. The floor for {skill} work is Rs {floor} a month (in force from {since}).",
        "एक ब्लॉक कार्यालय 2 इलेक्ट्रीशियनों के लिए ₹{offered} मासिक पर पूर्णकालिक काम पोस्ट करता है: HTTP "
        "{code} {error_code}। {skill} काम की न्यूनतम मज़दूरी ₹{floor} मासिक है ({since} से लागू)।",
    ),
    "job_post": (
        "It posts again at Rs {wage} a month: job {job_id} is {status}, {positions} positions.",
        "वह ₹{wage} मासिक पर फिर पोस्ट करता है: काम {job_id} {status} है, {positions} पद।",
    ),
    "job_apply": (
        "Rakesh, a newly verified electrician, finds it {distance} m away and applies.",
        "राकेश, एक नए सत्यापित इलेक्ट्रीशियन, इसे {distance} मीटर दूर पाते हैं और आवेदन करते हैं।",
    ),
    "job_offer": (
        "The office offers him a position (a job_offer notification); he accepts: engagement "
        "{engagement_id}, {filled} of {positions} positions filled.",
        "कार्यालय उन्हें एक पद का प्रस्ताव देता है (job_offer सूचना); वे स्वीकार करते हैं: नियुक्ति "
        "{engagement_id}, {positions} में से {filled} पद भरे।",
    ),
    "job_hold": (
        "Engaged full-time, he is out of on-demand search even when online: findable = {findable}.",
        "पूर्णकालिक काम पर रहते हुए वे ऑनलाइन होकर भी तुरंत-सेवा खोज में नहीं दिखते: खोज में दिखेंगे = {findable}।",
    ),
    "job_attendance": (
        "The office records {days} days of attendance; he disputes the absence on {disputed} within 7 days.",
        "कार्यालय {days} दिनों की उपस्थिति दर्ज करता है; वे {disputed} की अनुपस्थिति पर 7 दिनों के भीतर आपत्ति करते हैं।",
    ),
    "job_statement": (
        "His statement for {month}: {present} days present, Rs {due} due at the posted wage, "
        "{disputed} day disputed.",
        "{month} का उनका विवरण: {present} दिन उपस्थित, तय मज़दूरी पर ₹{due} देय, {disputed} दिन पर आपत्ति।",
    ),
}


def _rupees(paise: int) -> str:
    return f"{paise // 100:,}.{paise % 100:02d}"


def _verified_electrician(
    story: Walkthrough, officer: Account, location: dict[str, float]
) -> tuple[Account, str]:
    pro = story.sign_up()
    seed = uuid.uuid4().int
    body = f"{2 + seed % 8}{seed % 10**10:010d}"
    profile = register(
        pro,
        {
            "name": "Rakesh Kumar",
            "mobile": f"7{seed % 10**9:09d}",
            "aadhaar": body + verhoeff_check_digit(body),
            "services": [SERVICE],
            "location": location,
            "district": "Lucknow",
            "qualification": {"kind": "iti", "title": "Electrician"},
        },
    )
    pid = str(profile["id"])
    request_id = submit_for_verification(pro, officer, pid)
    story.stack.police().answer(request_id, "clear")
    wait_for_status(pro, pid, "verified")
    return pro, pid


def jobs_chapter(story: Walkthrough, officer: Account, employer: Account) -> None:
    seed = uuid.uuid4().int
    site = {
        "lat": round(26.8467 + (seed % 700) / 100_000, 6),
        "lng": round(80.9462 + (seed % 500) / 100_000, 6),
    }
    month_start = (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)
    post: dict[str, Any] = {
        "title": "Electricians for the block office",
        "service_id": SERVICE,
        "kind": "full_time",
        "positions": 2,
        "wage": {"paise": 900_000, "per": "month"},
        "starts_on": month_start.isoformat(),
        "site": site,
        "district": "Lucknow",
    }
    error = employer.ok("POST", "/jobs", post, status=422)["error"]
    floor = error["details"][0]
    story.say(
        "job_floor",
        offered=_rupees(900_000),
        code=422,
        error_code=error["code"],
        skill=floor["skill"],
        floor=_rupees(floor["floor_paise"]),
        since=floor["effective_from"],
    )
    job = employer.ok("POST", "/jobs", {**post, "wage": {"paise": WAGE_PAISE, "per": "month"}}, status=201)
    story.say("job_post", wage=_rupees(WAGE_PAISE), job_id=job["id"], status=job["status"], positions=2)

    home = {"lat": round(site["lat"] + 0.0036, 6), "lng": site["lng"]}  # about 400 m north
    pro, pid = _verified_electrician(story, officer, home)
    found = pro.ok("GET", f"/jobs?lat={home['lat']}&lng={home['lng']}&service={SERVICE}&limit=100")
    mine = next((j for j in found["jobs"] if j["id"] == job["id"]), None)
    if mine is None:
        raise Unexpected(f"the job search did not find {job['id']}")
    pro.ok("POST", f"/jobs/{job['id']}/applications", {}, status=201)
    story.say("job_apply", distance=mine["distance_m"])

    offer = employer.ok("POST", f"/jobs/{job['id']}/offers", {"professional_id": pid}, status=201)
    accepted = pro.ok("POST", f"/offers/{offer['id']}/accept")
    engagement_id = accepted["engagement_id"]
    filled = employer.ok("GET", f"/jobs/{job['id']}")
    story.say(
        "job_offer", engagement_id=engagement_id, filled=filled["filled"], positions=filled["positions"]
    )
    online = pro.ok("PUT", f"/professionals/{pid}/availability", {"online": True, "location": home})
    story.say("job_hold", findable=online["findable"])

    days = [(month_start + timedelta(days=i)).isoformat() for i in range(3)]
    for day in days:
        employer.ok(
            "POST",
            f"/engagements/{engagement_id}/attendance",
            {"date": day, "present": day != days[-1]},
            status=201,
        )
    pro.ok(
        "POST",
        f"/engagements/{engagement_id}/attendance/{days[-1]}/dispute",
        {"reason": "I was on site; the register has my signature.", "present": True},
        status=201,
    )
    story.say("job_attendance", days=len(days), disputed=days[-1])
    month = month_start.strftime("%Y-%m")
    statement = officer.ok("GET", f"/engagements/{engagement_id}/statement?month={month}")
    story.say(
        "job_statement",
        month=month,
        present=statement["days_present"],
        due=_rupees(statement["wage_due_paise"]),
        disputed=statement["disputed_days"],
    )
