"""The web portal in AWS: ``web/dist`` in a private bucket, served under ``/app/`` by CloudFront.

- The bucket is private (all public access blocked, TLS only); CloudFront reads it through an
  origin access control (SigV4), nothing else may.
- HTTPS only (HTTP redirects), GET and HEAD only, HTTP/2 and 3.
- Every answer carries the security headers of ``infra/portal_policy.py``: a strict
  Content-Security-Policy (scripts, styles, fonts from the portal itself; connections only to the
  API, Cognito and the documents bucket's uploads), HSTS, nosniff, no framing, a referrer policy.
- The portal's own routes (``/app/bookings/123``: no file extension) get ``/app/index.html`` from a
  viewer-request CloudFront Function; ``/`` and ``/app`` redirect to ``/app/``.
- The files are published after ``cdk deploy`` by ``infra/publish_portal.py`` (``make deploy``
  runs both): hashed build output with a year's immutable cache, then ``index.html`` and
  ``config.json`` (the stage's API URL and Cognito ids) revalidated every time, and invalidated.
  Not a CDK BucketDeployment: that brings a Lambda function of CDK's own, with wildcard grants
  and none of the log group, alarms and exact IAM every function of this stack has.
"""

from __future__ import annotations

from collections.abc import Callable

import jsii
from aws_cdk import Aws, Duration, IStableStringProducer, Lazy, RemovalPolicy
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra import constants, portal_policy
from infra.constants import StageSettings
from infra.nag import acknowledge

# The portal's own routes: anything under /app/ whose last segment has no extension.
SPA_ROUTING_FUNCTION = """\
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/' || uri === '/app') {
    return {
      statusCode: 301,
      statusDescription: 'Moved Permanently',
      headers: { location: { value: '/app/' } },
    };
  }
  if (uri.indexOf('/app/') === 0) {
    var last = uri.substring(uri.lastIndexOf('/') + 1);
    if (last.indexOf('.') === -1) {
      request.uri = '/app/index.html';
    }
  }
  return request;
}
"""

# Presigned upload forms post to https://<documents bucket>.s3.amazonaws.com/ (botocore's
# virtual-hosted address). Naming the bucket here would close a dependency cycle (the bucket's
# CORS rule names this distribution's domain), so the policy allows S3's virtual hosts; the
# presigned policy is what authorises an upload.
S3_UPLOADS = "https://*.s3.amazonaws.com"


@jsii.implements(IStableStringProducer)
class _Later:
    """A string known only once another construct exists (the API is made after the portal)."""

    def __init__(self, produce: Callable[[], str]) -> None:
        self._produce = produce

    def produce(self) -> str | None:
        return self._produce()


class Portal(Construct):
    """``bucket`` and ``distribution``; ``origin`` (``https://<domain>``) and ``url`` (``.../app/``).
    ``connect_to_api(origin)`` names the API's origin in the Content-Security-Policy (the API is
    made after the portal, whose origin its CORS rules name)."""

    def __init__(self, scope: Construct, construct_id: str, *, stage: StageSettings) -> None:
        super().__init__(scope, construct_id)
        self._api_origin: str | None = None
        self.logs = s3.Bucket(
            self,
            "Logs",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            # CloudFront standard logs are delivered with ACLs.
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
            lifecycle_rules=[s3.LifecycleRule(expiration=constants.ACCESS_LOG_EXPIRY)],
            removal_policy=RemovalPolicy.RETAIN,
        )
        acknowledge(self.logs, "AwsSolutions-S1", "The portal's log bucket: it does not log to itself.")
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=self.logs,
            server_access_logs_prefix="bucket/",
            # Build output only, rebuilt by any deployment: nothing to keep, but a non-empty bucket
            # cannot be deleted with the stack; emptied and deleted by hand like the log buckets.
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.headers = cloudfront.ResponseHeadersPolicy(
            self,
            "Headers",
            response_headers_policy_name=f"{stage.prefix}portal-headers",
            comment="Seva Mitra portal: CSP, HSTS, nosniff, no framing",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=portal_policy.content_security_policy(
                        [
                            Lazy.string(_Later(self._require_api_origin)),
                            f"https://cognito-idp.{Aws.REGION}.amazonaws.com",
                            S3_UPLOADS,
                        ],
                        https_only=True,
                    ),
                    override=True,
                ),
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=Duration.days(730), include_subdomains=True, override=True
                ),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True
                ),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
                    override=True,
                ),
            ),
            custom_headers_behavior=cloudfront.ResponseCustomHeadersBehavior(
                custom_headers=[
                    cloudfront.ResponseCustomHeader(
                        header="Permissions-Policy", value=portal_policy.PERMISSIONS_POLICY, override=True
                    )
                ]
            ),
        )
        self.routing = cloudfront.Function(
            self,
            "Routing",
            function_name=f"{stage.prefix}portal-routing",
            comment="The portal's own routes get /app/index.html; / and /app go to /app/",
            code=cloudfront.FunctionCode.from_inline(SPA_ROUTING_FUNCTION),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
        )
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment=f"Seva Mitra portal ({stage.name})",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(self.bucket),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=self.headers,
                compress=True,
                function_associations=[
                    cloudfront.FunctionAssociation(
                        function=self.routing, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST
                    )
                ],
            ),
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            # PriceClass_200 includes the edge locations in India.
            price_class=cloudfront.PriceClass.PRICE_CLASS_200,
            enable_logging=True,
            log_bucket=self.logs,
            log_file_prefix="cloudfront/",
        )
        for rule, reason in (
            (
                "AwsSolutions-CFR1",
                "A public service of Uttar Pradesh: citizens and their families use it from anywhere.",
            ),
            (
                "AwsSolutions-CFR2",
                "Static files only, GET and HEAD; a CloudFront web ACL must live in us-east-1. "
                "The API, where requests do something, has its own WAF in prod.",
            ),
            (
                "AwsSolutions-CFR4",
                "The default *.cloudfront.net certificate cannot set a minimum TLS version; "
                "viewers are redirected to HTTPS. A custom domain brings its own TLS 1.2 policy.",
            ),
        ):
            acknowledge(self.distribution, rule, reason)

    @property
    def origin(self) -> str:
        return f"https://{self.distribution.distribution_domain_name}"

    @property
    def url(self) -> str:
        return f"{self.origin}{portal_policy.PORTAL_PATH}"

    def connect_to_api(self, api_origin: str) -> None:
        self._api_origin = api_origin

    def _require_api_origin(self) -> str:
        if self._api_origin is None:
            raise ValueError("the portal's Content-Security-Policy needs connect_to_api(origin)")
        return self._api_origin
