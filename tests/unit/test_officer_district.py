"""An officer's district comes from the ID token's ``custom:district`` claim (set by
administrators, read-only for the app); it decides which queue feeds the officer reads."""

from __future__ import annotations

from notify.logic import feeds_of
from sevamitra.edge.auth import caller_from_event


def _caller(claims: dict[str, str]):
    return caller_from_event({"requestContext": {"authorizer": {"claims": {"sub": "u1", **claims}}}})


def test_the_district_claim_reaches_the_caller():
    assert _caller({"custom:district": " lucknow "}).district == "lucknow"
    assert _caller({"custom:district": ""}).district is None
    assert _caller({}).district is None


def test_only_officers_read_feeds_and_only_their_districts_and_appellate():
    assert feeds_of(_caller({"cognito:groups": "officers", "custom:district": "lucknow"})) == [
        "district#lucknow"
    ]
    # A district named rather than coded is the same district; an unknown one is none.
    assert feeds_of(_caller({"cognito:groups": "officers", "custom:district": "लखनऊ"})) == [
        "district#lucknow"
    ]
    assert feeds_of(_caller({"cognito:groups": "officers", "custom:district": "atlantis"})) == []
    assert feeds_of(_caller({"cognito:groups": "officers,appellate", "custom:district": "agra"})) == [
        "district#agra",
        "appellate",
    ]
    assert feeds_of(_caller({"cognito:groups": "officers,appellate"})) == ["appellate"]
    # Not an officer: no feed, whatever the token claims.
    assert feeds_of(_caller({"custom:district": "lucknow"})) == []
    assert feeds_of(_caller({"cognito:groups": "appellate,employers", "custom:district": "lucknow"})) == []
