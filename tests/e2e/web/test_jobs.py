"""Jobs in the portal, in Hindi on phones: an employer posts a job (a wage below the minimum is
refused beside the field, with the floor), a verified mason 300 m away finds it and applies, the
employer offers, the mason accepts, the employer records a day's attendance and reads the
month's statement, and the mason disputes the day."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from math import ceil

import pytest
from playwright.sync_api import expect

from tests.e2e.story import near
from tests.e2e.web.conftest import LUCKNOW, Screens
from tests.e2e.web.given import online_professional, unique_name

pytestmark = pytest.mark.e2e

MASON = "mason_floor_tile_repair"  # skilled work
WAGE_RUPEES = 14_000  # a month: above the floor


def _first_of_last_month() -> date:
    return (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)


def test_employer_posts_a_job_hires_a_mason_and_records_attendance_the_mason_disputes_a_day(
    stack, person, screens: Screens
):
    # Given a verified mason 300 m from Lucknow's district headquarters
    credentials = stack.new_user()
    mason = unique_name("Ramdeen")
    where = near(LUCKNOW, 300)
    online_professional(stack, name=mason, location=where, service=MASON, credentials=credentials)
    starts = _first_of_last_month()
    title = f"Tile masons {uuid.uuid4().hex[:6]}"

    # The employer posts a full-time job at ₹10,000 a month: below the floor, refused beside the wage
    boss = person()
    page = boss.open()
    boss.sign_in(*stack.demo_credentials("employer"))
    page.get_by_role("link", name="काम के विज्ञापन").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("मेरे डाले हुए काम")
    page.get_by_role("link", name="नया काम डालें").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("नया काम डालें")
    page.get_by_label("काम का नाम").fill(title)
    page.get_by_label("कौन सा काम?").select_option(value=MASON)
    page.get_by_label("पूरे समय की नौकरी").check()
    page.get_by_label("कितने लोग चाहिए?").fill("1")
    page.get_by_label("मज़दूरी (प्रति माह)").fill("10,000")
    page.get_by_label("पहला दिन").fill(starts.isoformat())
    page.get_by_label("काम की जगह का ज़िला").select_option(label="लखनऊ")
    page.get_by_label("ज़िले का मुख्यालय").check()
    screens.capture(page, "post-job")
    page.get_by_role("button", name="काम डालें").click()
    floor = re.compile(r"कम से कम ₹[\d,]+\.?\d* प्रति माह देना ज़रूरी है \(रोज़ के हिसाब से ₹[\d,.]+\)")
    expect(page.get_by_role("alert").get_by_role("link", name=floor)).to_be_visible()
    beside = re.compile(r"^गलती: यह मज़दूरी न्यूनतम मज़दूरी से कम है: इस काम \(कुशल\)")
    expect(page.get_by_text(beside)).to_be_visible()
    screens.capture(page, "below-minimum-wage")

    # At ₹14,000 the job is posted
    page.get_by_label("मज़दूरी (प्रति माह)").fill(f"{WAGE_RUPEES:,}")
    page.get_by_role("button", name="काम डालें").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_text("काम डाल दिया गया है", exact=False)).to_be_visible()
    expect(page.get_by_text("₹14,000 प्रति माह")).to_be_visible()
    job_url = page.url.split("?")[0]

    # The mason finds it among the jobs within 3 km and applies
    worker = person(location=where)
    wpage = worker.open()
    worker.sign_in(*credentials)
    wpage.get_by_role("link", name="कारीगर के रूप में काम").click()
    wpage.get_by_role("link", name="पास के काम और नौकरियाँ").click()
    expect(wpage.get_by_role("heading", level=1)).to_have_text("पास के काम और नौकरियाँ")
    card = wpage.get_by_role("listitem").filter(has=wpage.get_by_role("link", name=title))
    expect(card).to_contain_text("300 मीटर दूर")
    expect(card).to_contain_text("₹14,000 प्रति माह")
    screens.capture(wpage, "jobs-nearby")
    card.get_by_role("link", name=title).click()
    wpage.get_by_role("button", name="आवेदन करें").click()
    expect(wpage.get_by_text("आपका आवेदन भेज दिया गया है", exact=False)).to_be_visible()

    # The employer sees the application and offers the job
    page.goto(job_url)
    applicant = page.get_by_role("listitem").filter(has_text=mason)
    expect(applicant).to_contain_text("300 मीटर दूर")
    screens.capture(page, "applications")
    applicant.get_by_role("button", name=f"{mason} को काम का प्रस्ताव दें").click()
    expect(applicant).to_contain_text("प्रस्ताव दिया")

    # The mason accepts the offer
    wpage.reload()
    expect(wpage.get_by_text("आपको काम का प्रस्ताव मिला है")).to_be_visible()
    screens.capture(wpage, "offer")
    wpage.get_by_role("button", name="प्रस्ताव स्वीकार करें").click()
    expect(wpage.get_by_role("heading", level=1)).to_have_text(title)
    expect(wpage.get_by_text("चालू")).to_be_visible()
    engagement_url = wpage.url

    # The employer records the first day present and reads last month's statement
    page.reload()
    expect(page.get_by_text("1 में से 1 पद भरे")).to_be_visible()
    page.get_by_role("link", name=title).click()
    page.get_by_label("तारीख").fill(starts.isoformat())
    page.get_by_label("हाज़िर", exact=True).check()
    page.get_by_role("button", name="हाज़िरी दर्ज करें").click()
    expect(page.get_by_role("status").filter(has_text="की हाज़िरी दर्ज हो गई")).to_be_visible()
    statement = page.get_by_role("region", name="महीने का हिसाब")
    due = ceil(WAGE_RUPEES * 100 / 26)  # one day of 26 at the monthly wage, in paise
    expect(statement).to_contain_text(f"₹{due // 100}.{due % 100:02d}")
    expect(statement.get_by_role("row")).to_have_count(2)
    screens.capture(page, "attendance")

    # The mason disputes that day
    wpage.goto(engagement_url)
    wpage.get_by_label("महीना").fill(starts.strftime("%Y-%m"))
    wstatement = wpage.get_by_role("region", name="महीने का हिसाब")
    expect(wstatement.get_by_role("row")).to_have_count(2)
    wpage.get_by_label("कौन सा दिन?").select_option(index=1)
    wpage.get_by_label("गैरहाज़िर था/थी").check()
    wpage.get_by_label("क्या गलत है?").fill("उस दिन साइट बंद थी, मैं नहीं गया।")
    screens.capture(wpage, "dispute")
    wpage.get_by_role("button", name="आपत्ति भेजें").click()
    expect(wstatement.get_by_role("row").nth(1)).to_contain_text("आपत्ति: गैरहाज़िर")
