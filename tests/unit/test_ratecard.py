from __future__ import annotations

from sevamitra.domain import ratecard

CATEGORIES = {
    "electrician", "plumber", "carpenter", "mason", "painter", "tailor", "beautician", "cook", "aaya",
    "driver", "mobile_repair", "laptop_repair", "appliance_repair", "ro_repair", "tutor",
}  # fmt: skip


def test_rate_card_has_at_least_25_services_covering_every_category() -> None:
    card = ratecard.rate_card()
    assert len(card) >= 25
    assert {s.category for s in card.values()} >= CATEGORIES


def test_every_fee_is_positive_integer_paise() -> None:
    for service in ratecard.rate_card().values():
        assert isinstance(service.fee_paise, int)
        assert service.fee_paise > 0


def test_search_matches_english_case_insensitively() -> None:
    found = ratecard.search("PLUMB")
    assert found
    assert all(s.category == "plumber" for s in found)


def test_search_matches_hindi_names() -> None:
    found = ratecard.search("बिजली")
    assert found
    assert {s.category for s in found} == {"electrician"}


def test_search_ignores_accents() -> None:
    assert ratecard.search("plúmb") == ratecard.search("plumb")


def test_search_without_match_is_empty_and_blank_query_is_everything() -> None:
    assert ratecard.search("zzzz-nothing") == []
    assert len(ratecard.search("  ")) == len(ratecard.rate_card())
