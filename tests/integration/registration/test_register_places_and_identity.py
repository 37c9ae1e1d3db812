"""Registration with real places and numbers as people write them: ``district`` is one of UP's 75
(stored as its code), ``location`` is inside UP's own boundary, and an Aadhaar or mobile number
written with spaces, hyphens or +91/0 is the same identity as its digits (duplicate and ban
checks hold across spellings)."""

from __future__ import annotations

import pytest

from sevamitra.data.models import IdentityModel
from sevamitra.edge import pii
from tests.integration.conftest import Api, claims_for
from tests.integration.registration.conftest import make_aadhaar, make_mobile, register
from tests.integration.support import table_items

AGENCY = {"name": "Sangam Services", "udyam_number": "UDYAM-UP-12-0007654", "contact_mobile": "9812345678"}


def _grouped(aadhaar: str, separator: str = " ") -> str:
    return separator.join(aadhaar[i : i + 4] for i in (0, 4, 8))


@pytest.mark.parametrize(
    ("written", "code"),
    [("लखनऊ", "lucknow"), ("Lucknow", "lucknow"), ("lucknow", "lucknow"), ("Allahabad", "prayagraj")],
)
def test_a_professionals_district_is_stored_as_its_code(api: Api, written: str, code: str) -> None:
    registered = register(api, "citizen-d1", district=written)
    assert registered.status == 201, registered.body
    shown = api("GET", f"/professionals/{registered.body['id']}", claims=claims_for("citizen-d1"))
    assert shown.body["district"] == code
    assert [item["district"]["S"] for item in table_items("professionals")] == [code]


def test_an_agencys_district_is_stored_as_its_code(api: Api) -> None:
    created = api("POST", "/agencies", body={**AGENCY, "district": "प्रयागराज"}, claims=claims_for("o-1"))
    assert created.status == 201, created.body
    assert created.body["district"] == "prayagraj"
    assert [item["district"]["S"] for item in table_items("agencies")] == ["prayagraj"]


@pytest.mark.parametrize("district", ["Delhi", "Dehradun", "Lucknoww", "Kanpur"])
def test_a_district_not_in_up_is_422_unknown_district(api: Api, district: str) -> None:
    response = register(api, "citizen-d2", district=district)
    assert (response.status, response.error_code) == (422, "unknown_district")
    assert [d["loc"] for d in response.body["error"]["details"]] == [["body", "district"]]
    agency = api("POST", "/agencies", body={**AGENCY, "district": district}, claims=claims_for("o-2"))
    assert (agency.status, agency.error_code) == (422, "unknown_district")
    assert table_items("professionals") == []
    assert table_items("agencies") == []


@pytest.mark.parametrize(
    ("place", "lat", "lng"),
    [("Connaught Place, Delhi", 28.6315, 77.2167), ("Nepalgunj, Nepal", 28.0500, 81.6167)],
)
def test_a_location_across_the_border_is_422_out_of_service_area(
    api: Api, place: str, lat: float, lng: float
) -> None:
    response = register(api, "citizen-d3", location={"lat": lat, "lng": lng}, district="Lucknow")
    assert (response.status, response.error_code) == (422, "out_of_service_area"), place
    assert table_items("professionals") == []


def test_numbers_written_with_spaces_and_prefix_are_accepted_and_stored_as_their_digits(api: Api) -> None:
    aadhaar, mobile = make_aadhaar(700), make_mobile(700)
    response = register(
        api, "citizen-n1", seed=700, aadhaar=_grouped(aadhaar), mobile=f"+91 {mobile[:5]} {mobile[5:]}"
    )
    assert response.status == 201, response.body
    assert (response.body["aadhaar_last4"], response.body["mobile_last4"]) == (aadhaar[-4:], mobile[-4:])
    keys = {item["pk"]["S"] for item in table_items("identities")}
    assert f"aadhaar#{pii.aadhaar_identity(aadhaar).hash}" in keys
    assert f"mobile#{pii.mobile_identity(mobile).hash}" in keys


@pytest.mark.parametrize(
    "respelt",
    [
        {"mobile": "0{m}"},
        {"mobile": "{m5}-{m_5}"},
        {"mobile": "+91{m}"},
        {"aadhaar": "{a4}-{a_4}"},
    ],
)
def test_the_same_number_written_another_way_is_409_duplicate_identity(
    api: Api, respelt: dict[str, str]
) -> None:
    aadhaar, mobile = make_aadhaar(710), make_mobile(710)
    assert register(api, "citizen-n2", seed=710).status == 201
    parts = {
        "m": mobile,
        "m5": mobile[:5],
        "m_5": mobile[5:],
        "a4": _grouped(aadhaar, "-")[:4],
        "a_4": _grouped(aadhaar, "-")[5:],
    }
    ((field, template),) = respelt.items()
    other = {"aadhaar": make_aadhaar(9710), "mobile": make_mobile(9710), field: template.format(**parts)}
    again = register(api, "citizen-n3", seed=710, **other)
    assert (again.status, again.error_code) == (409, "duplicate_identity")
    assert len(table_items("professionals")) == 1


def test_a_banned_mobile_written_with_plus_91_is_still_banned(api: Api) -> None:
    mobile = make_mobile(720)
    IdentityModel(
        pk=f"ban#mobile#{pii.mobile_identity(mobile).hash}", professional_id="pro_banned",
        created_at="2026-01-01T00:00:00Z",
    ).save()  # fmt: skip
    response = register(api, "citizen-n4", seed=720, mobile=f"+91-{mobile[:5]}-{mobile[5:]}")
    assert (response.status, response.error_code) == (403, "banned")
    assert table_items("professionals") == []


@pytest.mark.parametrize(
    "mobile",
    [
        "98111\u200b12201",
        "+91 \u096f\u096e\u0967\u0967\u0967\u0967\u0968\u0968\u0966\u0967",
        "98111\u00a012201",
    ],
)
def test_zero_width_characters_and_other_digit_scripts_are_still_refused(api: Api, mobile: str) -> None:
    response = register(api, "citizen-n5", mobile=mobile)
    assert (response.status, response.error_code) == (422, "validation_error")
    assert [d["loc"] for d in response.body["error"]["details"]] == [["body", "mobile"]]
    assert table_items("professionals") == []
