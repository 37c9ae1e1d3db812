"""The portal in AWS: a private bucket only CloudFront reads, HTTPS only, the security headers
with a strict Content-Security-Policy, the portal's own routes answered with index.html."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from infra import portal_policy


def _distribution(synth) -> dict:
    (distribution,) = synth.of_type("AWS::CloudFront::Distribution").values()
    return distribution["Properties"]["DistributionConfig"]


def _flat(value) -> str:
    """A template value as one string, references written as <Ref> / <Logical.Attribute>."""
    if isinstance(value, str):
        return value
    if "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return separator.join(_flat(part) for part in parts)
    if "Ref" in value:
        return f"<{value['Ref']}>"
    if "Fn::GetAtt" in value:
        return "<{}.{}>".format(*value["Fn::GetAtt"])
    raise AssertionError(f"unexpected template value {value}")


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_portal_bucket_is_private_and_only_cloudfront_reads_it(stage, request):
    synth = request.getfixturevalue(stage)
    bucket_id = synth.logical_id(synth.stack.portal.bucket)
    bucket = synth.resources[bucket_id]["Properties"]
    assert bucket["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert "WebsiteConfiguration" not in bucket
    (policy,) = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in synth.of_type("AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": bucket_id}
    ]
    allows = [s for s in policy if s["Effect"] == "Allow"]
    assert allows == [
        {
            "Action": "s3:GetObject",
            "Condition": {
                "StringEquals": {
                    "AWS:SourceArn": {
                        "Fn::Join": [
                            "",
                            [
                                "arn:",
                                {"Ref": "AWS::Partition"},
                                ":cloudfront::",
                                {"Ref": "AWS::AccountId"},
                                ":distribution/",
                                {"Ref": synth.logical_id(synth.stack.portal.distribution)},
                            ],
                        ]
                    }
                }
            },
            "Effect": "Allow",
            "Principal": {"Service": "cloudfront.amazonaws.com"},
            "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": [bucket_id, "Arn"]}, "/*"]]},
        }
    ]
    denies = [s for s in policy if s["Effect"] == "Deny"]
    assert denies[0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_cloudfront_signs_its_requests_with_an_origin_access_control(dev):
    (oac,) = dev.of_type("AWS::CloudFront::OriginAccessControl").values()
    assert oac["Properties"]["OriginAccessControlConfig"] | {"Name": None} == {
        "Name": None,
        "OriginAccessControlOriginType": "s3",
        "SigningBehavior": "always",
        "SigningProtocol": "sigv4",
    }
    (origin,) = _distribution(dev)["Origins"]
    assert origin["OriginAccessControlId"] == {
        "Fn::GetAtt": [next(iter(dev.of_type("AWS::CloudFront::OriginAccessControl"))), "Id"]
    }
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}


def test_viewers_get_https_only_get_and_head_and_the_security_headers(dev):
    config = _distribution(dev)
    behavior = config["DefaultCacheBehavior"]
    assert behavior["ViewerProtocolPolicy"] == "redirect-to-https"
    assert behavior["AllowedMethods"] == ["GET", "HEAD"]
    assert behavior["Compress"] is True
    assert behavior["ResponseHeadersPolicyId"] == {"Ref": dev.logical_id(dev.stack.portal.headers)}
    (association,) = behavior["FunctionAssociations"]
    assert association["EventType"] == "viewer-request"
    assert association["FunctionARN"] == {
        "Fn::GetAtt": [dev.logical_id(dev.stack.portal.routing), "FunctionARN"]
    }
    assert config["Logging"]["Bucket"] == {
        "Fn::GetAtt": [dev.logical_id(dev.stack.portal.logs), "RegionalDomainName"]
    }
    assert config["HttpVersion"] == "http2and3"


def test_the_content_security_policy_allows_only_the_portal_the_api_cognito_and_uploads(dev):
    (policy,) = dev.of_type("AWS::CloudFront::ResponseHeadersPolicy").values()
    headers = policy["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    csp = _flat(headers["ContentSecurityPolicy"]["ContentSecurityPolicy"])
    directives = dict(d.split(" ", 1) if " " in d else (d, "") for d in csp.split("; "))
    api = dev.logical_id(dev.stack.api.rest_api)
    assert directives == {
        "default-src": "'none'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": (
            f"'self' https://<{api}>.execute-api.<AWS::Region>.<AWS::URLSuffix> "
            "https://cognito-idp.<AWS::Region>.amazonaws.com https://*.s3.amazonaws.com"
        ),
        "manifest-src": "'self'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
        "object-src": "'none'",
        "upgrade-insecure-requests": "",
    }
    assert "unsafe" not in csp
    assert headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 365 * 24 * 3600
    assert headers["ContentTypeOptions"] == {"Override": True}
    assert headers["FrameOptions"] == {"FrameOption": "DENY", "Override": True}
    assert headers["ReferrerPolicy"]["ReferrerPolicy"] == portal_policy.REFERRER_POLICY
    (custom,) = policy["Properties"]["ResponseHeadersPolicyConfig"]["CustomHeadersConfig"]["Items"]
    assert custom == {
        "Header": "Permissions-Policy",
        "Value": portal_policy.PERMISSIONS_POLICY,
        "Override": True,
    }


@pytest.mark.parametrize(
    ("uri", "answer"),
    [
        ("/app/bookings/bkg_123", {"uri": "/app/index.html"}),
        ("/app/", {"uri": "/app/index.html"}),
        ("/app/pro/documents", {"uri": "/app/index.html"}),
        ("/app/assets/index-abc123.js", {"uri": "/app/assets/index-abc123.js"}),
        ("/app/config.json", {"uri": "/app/config.json"}),
        ("/", {"statusCode": 301, "location": "/app/"}),
        ("/app", {"statusCode": 301, "location": "/app/"}),
    ],
)
def test_the_routing_function_sends_the_portals_own_routes_to_index_html(dev, uri, answer):
    node = shutil.which("node")
    if node is None:
        pytest.skip("needs Node (the portal's build needs it too)")
    (function,) = dev.of_type("AWS::CloudFront::Function").values()
    assert function["Properties"]["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"
    code = function["Properties"]["FunctionCode"]
    script = (
        code
        + f"\nconst r = handler({{request: {{uri: {json.dumps(uri)}}}}});\n"
        + (
            "console.log(JSON.stringify(r.statusCode"
            " ? {statusCode: r.statusCode, location: r.headers.location.value} : {uri: r.uri}));"
        )
    )
    result = subprocess.run([node, "-e", script], capture_output=True, text=True, timeout=30, check=True)
    assert json.loads(result.stdout) == answer


def test_portal_url_is_the_distributions_app_path(dev):
    outputs = dev.json["Outputs"]
    distribution = dev.logical_id(dev.stack.portal.distribution)
    assert outputs["PortalUrl"]["Value"] == {
        "Fn::Join": ["", ["https://", {"Fn::GetAtt": [distribution, "DomainName"]}, "/app/"]]
    }
    assert outputs["PortalBucket"]["Value"] == {"Ref": dev.logical_id(dev.stack.portal.bucket)}
    assert outputs["PortalDistributionId"]["Value"] == {"Ref": distribution}


def test_the_portal_adds_no_function_to_the_stack(dev):
    # Published by infra/publish_portal.py, not a BucketDeployment (whose Lambda would escape
    # the stack's rules for functions).
    assert not [r for r in dev.resources.values() if r["Type"] == "Custom::CDKBucketDeployment"]
