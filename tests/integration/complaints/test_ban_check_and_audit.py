"""The ban registry look-up (PII rule included) and the audit trail's hash chain."""

from __future__ import annotations

from itertools import pairwise

import pytest

from local.provision import cached_client
from sevamitra.data.models import table_name
from sevamitra.edge import pii
from sevamitra.platform.settings import settings
from tests.integration.complaints.support import (
    EMPLOYER,
    ban_check,
    complain,
    confirm_ban,
    make_aadhaar,
    make_mobile,
    online_professional,
    resolve,
    seed_booking,
)
from tests.integration.conftest import Api, claims_for

OFFICER = claims_for("officer-1", "officers")


def test_ban_check_needs_exactly_one_valid_number(api: Api) -> None:
    aadhaar, mobile = make_aadhaar(42), make_mobile(42)
    bad_checksum = aadhaar[:-1] + str((int(aadhaar[-1]) + 1) % 10)
    for query in ({}, {"aadhaar": aadhaar, "mobile": mobile}, {"aadhaar": bad_checksum}, {"mobile": "12345"}):
        response = ban_check(api, **query)
        assert (response.status, response.error_code) == (422, "validation_error"), query
        assert bad_checksum not in str(response.body)


def test_ban_check_never_logs_or_returns_the_number(api: Api, capsys: pytest.CaptureFixture[str]) -> None:
    pro = online_professional(api)
    upheld = complain(api, seed_booking(pro.id)).body["id"]
    resolve(api, upheld)
    confirm_ban(api, upheld)
    capsys.readouterr()

    answers = [
        ban_check(api, aadhaar=pro.aadhaar),
        ban_check(api, EMPLOYER, mobile=pro.mobile),
        ban_check(api, aadhaar=make_aadhaar(77)),
    ]

    assert [a.body["banned"] for a in answers] == [True, True, False]
    assert answers[0].body == answers[1].body
    assert answers[2].body == {"banned": False}
    logged = capsys.readouterr()
    text = logged.out + logged.err + "".join(str(a.body) + str(a.headers) for a in answers)
    for secret in (pro.aadhaar, pro.mobile, make_aadhaar(77), pii.aadhaar_identity(pro.aadhaar).hash):
        assert secret not in text


def _audit(api: Api, professional_id: str) -> dict:
    response = api("GET", f"/professionals/{professional_id}/audit", claims=OFFICER)
    assert response.status == 200, response.body
    return dict(response.body)


def test_audit_chain_links_entries_and_detects_an_edited_one(api: Api) -> None:
    pro = online_professional(api)
    for kind in ("quality", "misconduct"):
        resolve(api, complain(api, seed_booking(pro.id), kind=kind, amount=None).body["id"], "dismissed")
    upheld = complain(api, seed_booking(pro.id)).body["id"]
    resolve(api, upheld)
    confirm_ban(api, upheld)
    trail = _audit(api, pro.id)
    entries = trail["entries"]
    # The upheld overcharge suspends (officer-1) and a second officer bans (four eyes).
    assert [e["seq"] for e in entries] == [1, 2, 3, 4, 5]
    assert [e["action"] for e in entries] == [
        "complaint_dismissed",
        "complaint_dismissed",
        "complaint_upheld",
        "suspended",
        "banned",
    ]
    assert entries[0]["prev_hash"] == "0" * 64
    assert all(later["prev_hash"] == earlier["hash"] for earlier, later in pairwise(entries))
    assert entries[2]["actor"] == "officer-1"
    assert trail["chain_valid"] is True
    assert trail["broken_at"] is None

    # Someone with table access turns a dismissal into "upheld" behind the API's back.
    cached_client("dynamodb", settings().aws_region).update_item(
        TableName=table_name("audit"),
        Key={"subject": {"S": pro.id}, "seq": {"N": "2"}},
        UpdateExpression="SET #a = :a",
        ExpressionAttributeNames={"#a": "action"},
        ExpressionAttributeValues={":a": {"S": "complaint_upheld"}},
    )

    tampered = _audit(api, pro.id)
    assert tampered["chain_valid"] is False
    assert tampered["broken_at"] == 2


def test_audit_of_unknown_professional_is_404(api: Api) -> None:
    assert api("GET", "/professionals/pro_nope/audit", claims=OFFICER).status == 404
