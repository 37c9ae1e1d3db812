"""The production web ACL, evaluated as WAF evaluates it, for requests without a User-Agent.

Police systems may send no User-Agent header, which the AWS common rule set's
``NoUserAgent_HEADER`` rule blocks. The signed callbacks (routes authenticated by a signature,
not a token: ``/verification/callback``) must get through without one; every other path must
still be blocked without one, and every other managed rule still blocks.

``verdict`` interprets the template's rules in priority order: the common rule set labels a
request without a User-Agent (and blocks it, unless that rule is overridden to Count), then the
ACL's own statements (label match, byte match on the URI path, And/Or/Not) decide.
"""

from __future__ import annotations

from typing import Any

import pytest

from infra.constructs.firewall import NO_USER_AGENT_LABEL, signed_callback_paths
from sevamitra.edge.routes import ROUTES, Auth

CRS = "AWSManagedRulesCommonRuleSet"


def _rules(synth) -> list[dict[str, Any]]:
    (acl,) = synth.of_type("AWS::WAFv2::WebACL").values()
    return sorted(acl["Properties"]["Rules"], key=lambda rule: rule["Priority"])


def _matches(statement: dict[str, Any], path: str, labels: set[str]) -> bool:
    ((kind, body),) = statement.items()
    if kind == "LabelMatchStatement":
        assert body["Scope"] == "LABEL"
        return body["Key"] in labels
    if kind == "AndStatement":
        return all(_matches(inner, path, labels) for inner in body["Statements"])
    if kind == "OrStatement":
        return any(_matches(inner, path, labels) for inner in body["Statements"])
    if kind == "NotStatement":
        return not _matches(body["Statement"], path, labels)
    if kind == "ByteMatchStatement":
        assert body["FieldToMatch"] == {"UriPath": {}}
        assert body["TextTransformations"] == [{"Priority": 0, "Type": "NONE"}]
        test = {"ENDS_WITH": path.endswith, "EXACTLY": path.__eq__, "STARTS_WITH": path.startswith}
        return bool(test[body["PositionalConstraint"]](body["SearchString"]))
    raise AssertionError(f"statement not modelled here: {kind}")


def verdict(rules: list[dict[str, Any]], path: str, *, user_agent: bool) -> str:
    """BLOCK or ALLOW for a request to ``path`` that breaks no other rule (and is under the rate)."""
    labels: set[str] = set()
    for rule in rules:
        statement = rule["Statement"]
        if "RateBasedStatement" in statement:
            continue
        if "ManagedRuleGroupStatement" in statement:
            group = statement["ManagedRuleGroupStatement"]
            if group["Name"] == CRS and not user_agent:
                labels.add(NO_USER_AGENT_LABEL)
                overrides = {o["Name"]: o["ActionToUse"] for o in group.get("RuleActionOverrides", [])}
                if overrides.get("NoUserAgent_HEADER") != {"Count": {}} and rule["OverrideAction"] == {
                    "None": {}
                }:
                    return "BLOCK"
            continue
        if _matches(statement, path, labels):
            if "Block" in rule["Action"]:
                return "BLOCK"
            if "Allow" in rule["Action"]:
                return "ALLOW"
    return "ALLOW"


def test_the_exempt_paths_are_exactly_the_signed_routes():
    signed = {route.path for route in ROUTES if route.auth in (Auth.POLICE_SIGNATURE, Auth.ONDC_SIGNATURE)}
    assert {"/igrs/callback", "/verification/callback"} <= set(signed_callback_paths(ROUTES))
    assert "/ondc/search" in signed_callback_paths(ROUTES)  # buyer apps' servers sign, like the police
    assert set(signed_callback_paths(ROUTES)) == signed


@pytest.mark.parametrize(
    "path",
    [
        "/prod/verification/callback",  # the execute-api endpoint: the stage is in the path
        "/verification/callback",  # a custom domain without a base path
    ],
)
def test_a_signed_callback_without_a_user_agent_gets_through(prod, path):
    assert verdict(_rules(prod), path, user_agent=False) == "ALLOW"


@pytest.mark.parametrize(
    "path",
    [
        "/prod/match",
        "/prod/bookings",
        "/prod/verification/requests",
        "/prod/verification/callback/extra",
        "/prod/professionals/pro_1",
        "/prod/health",
    ],
)
def test_every_other_path_without_a_user_agent_is_still_blocked(prod, path):
    rules = _rules(prod)
    assert verdict(rules, path, user_agent=False) == "BLOCK"
    assert verdict(rules, path, user_agent=True) == "ALLOW"


def test_the_no_user_agent_rule_blocks_after_the_rule_set_labels_and_nothing_else_is_relaxed(prod):
    rules = {rule["Name"]: rule for rule in _rules(prod)}
    exempt = rules["NoUserAgentExceptSignedCallbacks"]
    assert exempt["Action"] == {"Block": {}}
    assert (
        rules[CRS]["Priority"]
        < exempt["Priority"]
        < rules["AWSManagedRulesKnownBadInputsRuleSet"]["Priority"]
    )
    assert len({rule["Priority"] for rule in rules.values()}) == len(rules)
    # The one override in the ACL is that rule's Count; no group is set to count as a whole.
    overrides = [
        (name, override)
        for name, rule in rules.items()
        for override in rule["Statement"].get("ManagedRuleGroupStatement", {}).get("RuleActionOverrides", [])
    ]
    assert overrides == [(CRS, {"Name": "NoUserAgent_HEADER", "ActionToUse": {"Count": {}}})]
    assert all(rule["OverrideAction"] == {"None": {}} for rule in rules.values() if "OverrideAction" in rule)


def test_the_public_card_is_rate_limited_per_ip_in_prod_and_nothing_else_is_by_that_rule(prod):
    """The card needs no sign-in; its own per-IP rate rule answers 429 ``throttled`` above
    WAF_CARD_RATE_LIMIT_PER_5_MIN requests in 5 minutes, for card paths only."""
    from infra.constants import WAF_CARD_RATE_LIMIT_PER_5_MIN, WAF_RATE_LIMIT_PER_5_MIN
    from infra.constructs.firewall import CARD_PATH, CARD_RATE_RULE, card_path_suffix

    rules = {rule["Name"]: rule for rule in _rules(prod)}
    card = rules[CARD_RATE_RULE]
    rate = card["Statement"]["RateBasedStatement"]
    assert rate["AggregateKeyType"] == "IP"
    assert rate["EvaluationWindowSec"] == 300
    assert rate["Limit"] == WAF_CARD_RATE_LIMIT_PER_5_MIN < WAF_RATE_LIMIT_PER_5_MIN
    assert card["Action"]["Block"]["CustomResponse"] == {
        "ResponseCode": 429,
        "CustomResponseBodyKey": "throttled",
    }
    scope = rate["ScopeDownStatement"]
    for path in ("/prod/professionals/pro_1/card", "/professionals/pro_1/card"):
        assert _matches(scope, path, set()), path
    for route in ROUTES:
        if route.path != CARD_PATH:
            concrete = "/prod" + route.path.replace("{", "").replace("}", "")
            assert not _matches(scope, concrete, set()), route.path
    assert card_path_suffix(ROUTES) == "/card"
    assert any(route.path == CARD_PATH and route.auth is Auth.PUBLIC for route in ROUTES)


def test_dev_has_no_web_acl_and_so_no_card_rule(dev):
    assert dev.of_type("AWS::WAFv2::WebACL") == {}
