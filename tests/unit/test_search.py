"""``GET /services?q=`` finds what people type: a table of real queries (Hindi, English, Hinglish,
misspelt, run together) and the services each must find, exactly; and queries that must find
nothing. The words live in data/search_terms.json; the folding in sevamitra.domain.text."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from sevamitra.domain import ratecard, text

ELECTRICIAN = {
    "electrician_fan_installation",
    "electrician_switchboard_repair",
    "electrician_house_wiring_per_room",
}
PLUMBER = {"plumber_tap_leak_repair", "plumber_bathroom_fitting", "plumber_pipe_blockage"}
TAP = {"plumber_tap_leak_repair", "plumber_bathroom_fitting"}
CARPENTER = {"carpenter_furniture_repair", "carpenter_door_lock_fitting"}
MASON = {"mason_brick_wall_repair_per_sqm", "mason_floor_tile_repair"}
PAINTER = {"painter_room_painting", "painter_wall_putty_touchup"}
TAILOR = {"tailor_blouse_stitching", "tailor_salwar_suit_stitching"}
BEAUTICIAN = {"beautician_haircut_at_home", "beautician_facial_at_home", "beautician_bridal_makeup"}
COOK = {"cook_per_meal_visit", "cook_daily_two_meals"}
AAYA = {"aaya_full_day", "aaya_nanny_half_day"}
DRIVER = {"driver_full_day", "driver_local_trip"}
MOBILE = {"mobile_screen_replacement_labour", "mobile_charging_port_repair"}
LAPTOP = {"laptop_os_install", "laptop_servicing"}
AC = {"appliance_ac_servicing", "appliance_ac_gas_refill"}
RO = {"ro_filter_change", "ro_general_service"}
TUTOR = {"tutor_class_1_8_per_hour", "tutor_class_9_12_per_hour"}

QUERIES: list[tuple[str, set[str]]] = [
    # the issue's own examples
    ("बिजली", ELECTRICIAN),
    ("plumber", PLUMBER),
    ("इलेक्ट्रीशियन", ELECTRICIAN),
    ("बिजली मिस्त्री", ELECTRICIAN),
    ("bijli", ELECTRICIAN),
    ("mistri", MASON),
    ("maid", AAYA),
    ("AC", AC),
    ("nal", TAP),
    ("darzi", TAILOR),
    # electricians
    ("electrician", ELECTRICIAN),
    ("Electrician", ELECTRICIAN),
    ("इलेक्ट्रिशियन", ELECTRICIAN),
    ("bijlee", ELECTRICIAN),
    ("bijli wala", ELECTRICIAN),
    ("बिजली वाला", ELECTRICIAN),
    ("bijli mistri", ELECTRICIAN),
    ("bijlimistri", ELECTRICIAN),
    ("elec", ELECTRICIAN),
    ("पंखा", {"electrician_fan_installation"}),
    ("pankha theek karna", {"electrician_fan_installation"}),
    ("fan repair", {"electrician_fan_installation"}),
    ("switch board", {"electrician_switchboard_repair"}),
    ("wiring", {"electrician_house_wiring_per_room"}),
    ("वायरिंग", {"electrician_house_wiring_per_room"}),
    # plumbers
    ("PLUMB", PLUMBER),
    ("प्लंबर", PLUMBER),
    ("प्लम्बर", PLUMBER),
    ("नल", TAP),
    ("nal theek karna", TAP),
    ("tap leak", {"plumber_tap_leak_repair"}),
    ("नाली जाम", {"plumber_pipe_blockage"}),
    ("toilet", {"plumber_bathroom_fitting"}),
    ("geyser", {"plumber_bathroom_fitting"}),
    # carpenters, masons, painters
    ("carpenter", CARPENTER),
    ("बढ़ई", CARPENTER),
    ("बढई", CARPENTER),
    ("badhai", CARPENTER),
    ("darwaza ka tala", {"carpenter_door_lock_fitting"}),
    ("राजमिस्त्री", MASON),
    ("raj mistri", MASON),
    ("मिस्तरी", MASON),
    ("tiles", {"mason_floor_tile_repair"}),
    ("painter", PAINTER),
    ("पुताई", PAINTER),
    ("safedi", PAINTER),
    ("putty", {"painter_wall_putty_touchup"}),
    # tailors, beauticians, cooks, aayas, drivers
    ("दर्जी", TAILOR),
    ("दर्ज़ी", TAILOR),
    ("darji", TAILOR),
    ("silai", TAILOR),
    ("blouse silai", {"tailor_blouse_stitching"}),
    ("parlour", BEAUTICIAN),
    ("ब्यूटी पार्लर", BEAUTICIAN),
    ("baal katwana", {"beautician_haircut_at_home"}),
    ("nai", {"beautician_haircut_at_home"}),
    ("dulhan makeup", {"beautician_bridal_makeup"}),
    ("cook", COOK),
    ("rasoiya", COOK),
    ("खाना बनाने वाला", COOK),
    ("aaya", AAYA),
    ("आया", AAYA),
    ("kaamwali bai", AAYA),
    ("nanny", AAYA),
    ("driver", DRIVER),
    ("ड्राइवर", DRIVER),
    ("gaadi chalane wala", DRIVER),
    ("car", DRIVER),
    # repairs of things
    ("mobile", MOBILE),
    ("फोन", MOBILE),
    ("mobile screen", {"mobile_screen_replacement_labour"}),
    ("phone charger", {"mobile_charging_port_repair"}),
    ("laptop", LAPTOP),
    ("computer", LAPTOP),
    ("a.c.", AC),
    ("एसी", AC),
    ("AC mistri", AC),
    ("AC ki servicing", {"appliance_ac_servicing"}),
    ("AC gas", {"appliance_ac_gas_refill"}),
    ("air conditioner", AC),
    ("fridge", {"appliance_fridge_gas_refill"}),
    ("फ्रिज", {"appliance_fridge_gas_refill"}),
    ("gas refill", {"appliance_fridge_gas_refill", "appliance_ac_gas_refill"}),
    ("washing machine", {"appliance_washing_machine_repair"}),
    ("वाशिंग मशीन", {"appliance_washing_machine_repair"}),
    ("RO", RO),
    ("आरओ", RO),
    ("water purifier", RO),
    # tutors
    ("tuition", TUTOR),
    ("ट्यूशन", TUTOR),
    ("masterji", TUTOR),
    ("class 10", {"tutor_class_9_12_per_hour"}),
    ("high school", {"tutor_class_9_12_per_hour"}),
]

NOTHING = [
    "zzzz-nothing",
    "pizza",
    "lawyer",
    "वकील",
    "doctor",
    "xyz123",
    "bank loan",
    "mehndi",
    "dhobi",
    "माली",
    "security guard",
    "plu",  # too short to be a beginning
    "ki",  # a stopword alone
    "गाड़ी धुलाई",  # car wash: every word must match
]


def test_the_table_has_at_least_60_real_queries() -> None:
    assert len(QUERIES) >= 60
    assert len({q for q, _ in QUERIES}) == len(QUERIES)


@pytest.mark.parametrize(("query", "expected"), QUERIES, ids=[q for q, _ in QUERIES])
def test_a_query_finds_exactly_its_services(query: str, expected: set[str]) -> None:
    assert {s.id for s in ratecard.search(query)} == expected


@pytest.mark.parametrize("query", NOTHING)
def test_a_query_for_what_is_not_on_the_rate_card_finds_nothing(query: str) -> None:
    assert ratecard.search(query) == []


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("बिजली", "बीजली"),  # vowel length
        ("बढ़ई", "बढई"),  # nukta
        ("बाँदा", "बांदा"),  # chandrabindu
        ("प्लम्बर", "प्लंबर"),  # nasal consonant cluster
        ("वॉशिंग", "वाशिंग"),  # candra o
        ("Plumber", " plumber  "),
        ("plúmb", "plumb"),
        ("बिजली\u200dवाला", "बिजलीवाला"),  # zero-width joiner
        ("mistry", "mistri"),
        ("darzi", "darji"),
        ("bijlee", "bijli"),
    ],
)
def test_spellings_of_one_word_fold_alike(one: str, other: str) -> None:
    assert text.key(one) == text.key(other)
    assert ratecard.search(one) == ratecard.search(other)


def test_results_keep_the_rate_card_order() -> None:
    order = list(ratecard.rate_card())
    found = [s.id for s in ratecard.search("repair")]
    assert found == sorted(found, key=order.index)
    assert len(found) > 5


def test_every_term_names_a_category_or_service_on_the_rate_card() -> None:
    terms = json.loads(
        (resources.files("sevamitra.domain") / "search_terms.json").read_text(encoding="utf-8")
    )
    card = ratecard.rate_card()
    assert set(terms["categories"]) == {s.category for s in card.values()}
    assert set(terms["services"]) <= set(card)
