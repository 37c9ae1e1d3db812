"""The 75 districts of Uttar Pradesh, and what a request's ``district`` accepts."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest
from pydantic import TypeAdapter, ValidationError

from sevamitra.domain import districts
from sevamitra.domain.districts import DistrictCode

district = TypeAdapter(DistrictCode)


def _raw() -> dict:
    return json.loads((resources.files("sevamitra.domain") / "districts.json").read_text(encoding="utf-8"))


def test_there_are_75_districts_with_unique_slug_codes_in_code_order() -> None:
    codes = [d.code for d in districts.all_districts()]
    assert len(codes) == 75
    assert codes == sorted(set(codes))
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", code) for code in codes)


def test_every_district_has_an_english_and_a_devanagari_name() -> None:
    for d in districts.all_districts():
        assert re.fullmatch(r"[A-Z][A-Za-z ]+", d.name.en), d.code
        assert re.fullmatch(r"[\u0900-\u097f ]+", d.name.hi), d.code


@pytest.mark.parametrize(
    ("code", "en", "hi"),
    [
        ("kasganj", "Kasganj", "कासगंज"),
        ("amethi", "Amethi", "अमेठी"),
        ("shamli", "Shamli", "शामली"),
        ("hapur", "Hapur", "हापुड़"),
        ("sambhal", "Sambhal", "संभल"),
        ("amroha", "Amroha", "अमरोहा"),
        ("ayodhya", "Ayodhya", "अयोध्या"),
        ("prayagraj", "Prayagraj", "प्रयागराज"),
        ("bhadohi", "Bhadohi", "भदोही"),
        ("gautam_buddha_nagar", "Gautam Buddha Nagar", "गौतम बुद्ध नगर"),
        ("lucknow", "Lucknow", "लखनऊ"),
        ("lakhimpur_kheri", "Lakhimpur Kheri", "लखीमपुर खीरी"),
    ],
)
def test_the_districts_created_or_renamed_lately_are_there_by_their_current_names(
    code: str, en: str, hi: str
) -> None:
    found = {d.code: d for d in districts.all_districts()}[code]
    assert (found.name.en, found.name.hi) == (en, hi)


def test_the_file_records_its_source_and_code_scheme() -> None:
    raw = _raw()
    assert "Survey of India" in raw["source"]["list"]
    assert "slug" in raw["code_scheme"]


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("lucknow", "lucknow"),
        ("Lucknow", "lucknow"),
        ("LUCKNOW", "lucknow"),
        ("  Lucknow ", "lucknow"),
        ("लखनऊ", "lucknow"),
        ("Gautam Buddha Nagar", "gautam_buddha_nagar"),
        ("gautam_buddha_nagar", "gautam_buddha_nagar"),
        ("गौतम बुद्ध नगर", "gautam_buddha_nagar"),
        ("Noida", "gautam_buddha_nagar"),
        ("Allahabad", "prayagraj"),
        ("इलाहाबाद", "prayagraj"),
        ("Faizabad", "ayodhya"),
        ("फैजाबाद", "ayodhya"),  # without the nukta
        ("Sant Ravidas Nagar", "bhadohi"),
        ("झांसी", "jhansi"),  # anusvara for chandrabindu
        ("लखनउ", "lucknow"),  # short u for long: folded, as in search
        ("गाजियाबाद", "ghaziabad"),
        ("Rae Bareli", "raebareli"),
        ("Siddharth Nagar", "siddharthnagar"),
        ("Banaras", "varanasi"),
    ],
)
def test_a_code_name_or_alias_is_stored_as_the_code(written: str, code: str) -> None:
    assert districts.code_of(written) == code
    assert district.validate_python(written) == code


@pytest.mark.parametrize(
    "written",
    ["Delhi", "New Delhi", "Dehradun", "Patna", "Kanpur", "Lucknoww", "लखनपुर", "UP", "", "   ", "lucknow1"],
)
def test_anything_else_is_unknown_district(written: str) -> None:
    assert districts.code_of(written) is None
    with pytest.raises(ValidationError) as caught:
        district.validate_python(written)
    assert caught.value.errors()[0]["type"] in {"unknown_district", "string_too_short"}


def test_no_name_or_alias_names_two_districts() -> None:
    keys: dict[str, str] = {}
    for item in _raw()["districts"]:
        for name in (item["code"], item["name"]["en"], item["name"]["hi"], *item.get("aliases", [])):
            key = districts._key(name)
            assert keys.setdefault(key, item["code"]) == item["code"], name
