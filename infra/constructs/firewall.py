"""A WAFv2 web ACL on the API stage (prod): a per-IP rate rule, then AWS's managed rule groups.

Rules, in order:
1. ``RateLimitPerIp``: more than ``WAF_RATE_LIMIT_PER_5_MIN`` requests from one IP in any 5
   minutes -> blocked with 429 and the contract's ``throttled`` error body (a WAF custom response).
2. ``AWSManagedRulesCommonRuleSet`` (OWASP-style: bad bots, oversize bodies (8 KB; our bodies are
   a few hundred bytes, uploads go straight to S3), XSS, LFI/RFI...).
3. ``AWSManagedRulesKnownBadInputsRuleSet`` (Log4j/Java deserialisation, host header probes...).
A request blocked by a managed rule gets API Gateway's ``WAF_FILTERED`` response: 403 ``forbidden``
in the contract shape (``infra/constructs/api.py``). CloudWatch metrics per rule, sampled requests on.
"""

from __future__ import annotations

import json

from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from infra import constants
from infra.constants import StageSettings
from sevamitra.edge.errors import error_body

MANAGED_RULE_GROUPS = ("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet")
RATE_RULE = "RateLimitPerIp"
_THROTTLED_BODY = "throttled"


def _visibility(metric_name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=metric_name, sampled_requests_enabled=True
    )


class ApiFirewall(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, stage: StageSettings, stage_arn: str) -> None:
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
                action=wafv2.CfnWebACL.RuleActionProperty(
                    block=wafv2.CfnWebACL.BlockActionProperty(
                        custom_response=wafv2.CfnWebACL.CustomResponseProperty(
                            response_code=429, custom_response_body_key=_THROTTLED_BODY
                        )
                    )
                ),
                visibility_config=_visibility(f"{stage.prefix}{RATE_RULE}"),
            ),
            *(
                wafv2.CfnWebACL.RuleProperty(
                    name=group,
                    priority=priority,
                    statement=wafv2.CfnWebACL.StatementProperty(
                        managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                            vendor_name="AWS", name=group
                        )
                    ),
                    override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
                    visibility_config=_visibility(f"{stage.prefix}{group}"),
                )
                for priority, group in enumerate(MANAGED_RULE_GROUPS, start=1)
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
