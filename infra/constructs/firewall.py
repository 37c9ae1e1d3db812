"""A WAFv2 web ACL on the API stage (prod): a per-IP rate rule, then AWS's managed rule groups.

Rules, in order:
1. ``RateLimitPerIp``: more than ``WAF_RATE_LIMIT_PER_5_MIN`` requests from one IP in any 5
   minutes -> blocked with 429 and the contract's ``throttled`` error body (a WAF custom response).
2. ``AWSManagedRulesCommonRuleSet`` (OWASP-style: bad bots, oversize bodies (8 KB; our bodies are
   a few hundred bytes, uploads go straight to S3), XSS, LFI/RFI...), with one rule overridden to
   Count: ``NoUserAgent_HEADER`` (police systems may send no User-Agent). It still labels the
   request, and rule 3 blocks on that label.
3. ``NoUserAgentExceptSignedCallbacks``: a request labelled as having no User-Agent is blocked,
   unless its path ends with a signed callback's path (routes whose auth is a signature, not a
   token: ``/verification/callback``); those are authenticated by their HMAC, not their headers.
4. ``AWSManagedRulesKnownBadInputsRuleSet`` (Log4j/Java deserialisation, host header probes...).
5. ``PublicCardRateLimitPerIp``: more than ``WAF_CARD_RATE_LIMIT_PER_5_MIN`` requests for public
   cards (paths ending with the card route's last segment, ``/card``) from one IP in any 5
   minutes -> 429 ``throttled``. The card needs no sign-in, so nothing else stops a client from
   walking professional ids; a citizen scanning ID cards is far below it.
A request blocked by a managed rule gets API Gateway's ``WAF_FILTERED`` response: 403 ``forbidden``
in the contract shape (``infra/constructs/api.py``). CloudWatch metrics per rule, sampled requests on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from infra import constants
from infra.constants import StageSettings
from sevamitra.edge.errors import error_body
from sevamitra.edge.routes import Auth, Route

COMMON_RULE_SET = "AWSManagedRulesCommonRuleSet"
KNOWN_BAD_INPUTS = "AWSManagedRulesKnownBadInputsRuleSet"
MANAGED_RULE_GROUPS = (COMMON_RULE_SET, KNOWN_BAD_INPUTS)
RATE_RULE = "RateLimitPerIp"
# The common rule set's rule for a missing User-Agent, and the label it adds to such requests.
NO_USER_AGENT_RULE = "NoUserAgent_HEADER"
NO_USER_AGENT_LABEL = "awswaf:managed:aws:core-rule-set:NoUserAgent_Header"
NO_USER_AGENT_EXCEPT_CALLBACKS = "NoUserAgentExceptSignedCallbacks"
CARD_RATE_RULE = "PublicCardRateLimitPerIp"
# The public card's route (sevamitra.edge.routes): its own, stricter per-IP rate rule.
CARD_PATH = "/professionals/{professional_id}/card"
_THROTTLED_BODY = "throttled"


def card_path_suffix(routes: Iterable[Route]) -> str:
    """The ending that tells a card's path from every other route's (``/card``)."""
    suffix = "/" + CARD_PATH.rsplit("/", 1)[1]
    ending = {route.path for route in routes if route.path.endswith(suffix)}
    if ending != {CARD_PATH}:
        raise ValueError(f"{suffix} must end the card's route and no other: {sorted(ending)}")
    return suffix


def signed_callback_paths(routes: Iterable[Route]) -> tuple[str, ...]:
    """Paths of the routes that carry no token but a signature (the police callback)."""
    return tuple(sorted({route.path for route in routes if route.auth not in (Auth.PUBLIC, Auth.COGNITO)}))


def _ends_with(path: str) -> wafv2.CfnWebACL.StatementProperty:
    # ENDS_WITH: the path as WAF sees it carries the stage (/prod/verification/callback) on the
    # execute-api endpoint, and a base path or none behind a custom domain.
    return wafv2.CfnWebACL.StatementProperty(
        byte_match_statement=wafv2.CfnWebACL.ByteMatchStatementProperty(
            field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(uri_path={}),
            positional_constraint="ENDS_WITH",
            search_string=path,
            text_transformations=[wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="NONE")],
        )
    )


def _no_user_agent_except(paths: tuple[str, ...]) -> wafv2.CfnWebACL.StatementProperty:
    """Labelled by the common rule set as having no User-Agent, and not on one of ``paths``."""
    labelled = wafv2.CfnWebACL.StatementProperty(
        label_match_statement=wafv2.CfnWebACL.LabelMatchStatementProperty(
            scope="LABEL", key=NO_USER_AGENT_LABEL
        )
    )
    if not paths:
        return labelled
    callbacks = (
        _ends_with(paths[0])
        if len(paths) == 1
        else wafv2.CfnWebACL.StatementProperty(
            or_statement=wafv2.CfnWebACL.OrStatementProperty(statements=[_ends_with(path) for path in paths])
        )
    )
    not_callbacks = wafv2.CfnWebACL.StatementProperty(
        not_statement=wafv2.CfnWebACL.NotStatementProperty(statement=callbacks)
    )
    return wafv2.CfnWebACL.StatementProperty(
        and_statement=wafv2.CfnWebACL.AndStatementProperty(statements=[labelled, not_callbacks])
    )


def _throttled() -> wafv2.CfnWebACL.RuleActionProperty:
    return wafv2.CfnWebACL.RuleActionProperty(
        block=wafv2.CfnWebACL.BlockActionProperty(
            custom_response=wafv2.CfnWebACL.CustomResponseProperty(
                response_code=429, custom_response_body_key=_THROTTLED_BODY
            )
        )
    )


def _managed_group(name: str, priority: int, prefix: str) -> wafv2.CfnWebACL.RuleProperty:
    """An AWS managed rule group whose own actions apply, except the common rule set's missing
    User-Agent rule, which only counts (and labels)."""
    overrides = (
        [
            wafv2.CfnWebACL.RuleActionOverrideProperty(
                name=NO_USER_AGENT_RULE, action_to_use=wafv2.CfnWebACL.RuleActionProperty(count={})
            )
        ]
        if name == COMMON_RULE_SET
        else None
    )
    return wafv2.CfnWebACL.RuleProperty(
        name=name,
        priority=priority,
        statement=wafv2.CfnWebACL.StatementProperty(
            managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                vendor_name="AWS", name=name, rule_action_overrides=overrides
            )
        ),
        override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
        visibility_config=_visibility(f"{prefix}{name}"),
    )


def _visibility(metric_name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=metric_name, sampled_requests_enabled=True
    )


class ApiFirewall(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: StageSettings,
        stage_arn: str,
        signed_paths: tuple[str, ...],
        card_suffix: str,
    ) -> None:
        super().__init__(scope, construct_id)
        rules = [
            wafv2.CfnWebACL.RuleProperty(
                name=RATE_RULE,
                priority=0,
                statement=wafv2.CfnWebACL.StatementProperty(
                    rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                        limit=constants.WAF_RATE_LIMIT_PER_5_MIN,
                        aggregate_key_type="IP",
                        evaluation_window_sec=300,
                    )
                ),
                action=_throttled(),
                visibility_config=_visibility(f"{stage.prefix}{RATE_RULE}"),
            ),
            _managed_group(COMMON_RULE_SET, 1, stage.prefix),
            wafv2.CfnWebACL.RuleProperty(
                name=NO_USER_AGENT_EXCEPT_CALLBACKS,
                priority=2,  # after the group that labels the request
                statement=_no_user_agent_except(signed_paths),
                action=wafv2.CfnWebACL.RuleActionProperty(block={}),
                visibility_config=_visibility(f"{stage.prefix}{NO_USER_AGENT_EXCEPT_CALLBACKS}"),
            ),
            _managed_group(KNOWN_BAD_INPUTS, 3, stage.prefix),
            wafv2.CfnWebACL.RuleProperty(
                name=CARD_RATE_RULE,
                priority=4,
                statement=wafv2.CfnWebACL.StatementProperty(
                    rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                        limit=constants.WAF_CARD_RATE_LIMIT_PER_5_MIN,
                        aggregate_key_type="IP",
                        evaluation_window_sec=300,
                        scope_down_statement=_ends_with(card_suffix),
                    )
                ),
                action=_throttled(),
                visibility_config=_visibility(f"{stage.prefix}{CARD_RATE_RULE}"),
            ),
        ]
        self.web_acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            name=f"{stage.prefix}api",
            description="Seva Mitra API: per-IP rate limit and AWS managed rule groups",
            scope="REGIONAL",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            custom_response_bodies={
                _THROTTLED_BODY: wafv2.CfnWebACL.CustomResponseBodyProperty(
                    content_type="APPLICATION_JSON",
                    content=json.dumps(error_body("throttled", "en"), ensure_ascii=False),
                )
            },
            rules=rules,
            visibility_config=_visibility(f"{stage.prefix}api"),
        )
        self.association = wafv2.CfnWebACLAssociation(
            self, "Association", resource_arn=stage_arn, web_acl_arn=self.web_acl.attr_arn
        )
