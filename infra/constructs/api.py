"""The REST API, built from ``sevamitra.routes.ROUTES``: one Lambda proxy method per route.

``Auth.COGNITO`` routes get the Cognito user pool authorizer; ``PUBLIC`` and ``POLICE_SIGNATURE``
routes get none (the verify function checks the police signature itself). API Gateway's own
errors (401 from the authorizer, 429 throttling, unknown routes...) are rewritten into the
contract's error shape."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.constants import StageSettings
from infra.nag import acknowledge
from sevamitra.errors import error_body
from sevamitra.routes import Auth, Function, Route

# API Gateway's own responses, as (status to send, contract error code).
GATEWAY_RESPONSES: tuple[tuple[apigateway.ResponseType, str | None, str], ...] = (
    (apigateway.ResponseType.UNAUTHORIZED, None, "unauthorized"),
    (apigateway.ResponseType.ACCESS_DENIED, None, "forbidden"),
    # API Gateway answers an unknown path or method with 403 "Missing Authentication Token".
    (apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN, "404", "route_not_found"),
    (apigateway.ResponseType.THROTTLED, None, "throttled"),
    (apigateway.ResponseType.QUOTA_EXCEEDED, None, "throttled"),
    (apigateway.ResponseType.REQUEST_TOO_LARGE, None, "payload_too_large"),
    (apigateway.ResponseType.DEFAULT_4_XX, None, "bad_request"),
    (apigateway.ResponseType.DEFAULT_5_XX, None, "internal_error"),
)

_UNAUTHENTICATED_REASONS = {
    Auth.PUBLIC: "Public by contract (API.md 'Public'): health, rate card and OpenAPI need no account.",
    Auth.POLICE_SIGNATURE: "Police department systems have no Cognito account; the verify function "
    "authenticates every call by its X-Seva-Signature HMAC and timestamp.",
}


def gateway_response_template(code: str) -> str:
    """The contract's error body for ``code`` (English: API Gateway cannot see Accept-Language)."""
    return json.dumps(error_body(code, "en"), ensure_ascii=False)


class Api(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: StageSettings,
        routes: Iterable[Route],
        functions: Mapping[Function, lambda_.IFunction],
        user_pool: cognito.IUserPool,
    ) -> None:
        super().__init__(scope, construct_id)
        self.access_logs = logs.LogGroup(
            self, "AccessLogs", retention=stage.log_retention, removal_policy=stage.removal_policy
        )
        self.rest_api = apigateway.RestApi(
            self,
            "RestApi",
            rest_api_name=f"{stage.prefix}api",
            description="Seva Mitra API (API.md)",
            endpoint_types=[apigateway.EndpointType.REGIONAL],
            cloud_watch_role=True,
            deploy_options=apigateway.StageOptions(
                stage_name=stage.name,
                access_log_destination=apigateway.LogGroupLogDestination(self.access_logs),
                access_log_format=apigateway.AccessLogFormat.json_with_standard_fields(
                    caller=False,
                    http_method=True,
                    ip=True,
                    protocol=True,
                    request_time=True,
                    resource_path=True,
                    response_length=True,
                    status=True,
                    user=True,
                ),
                tracing_enabled=True,
                metrics_enabled=True,
                logging_level=apigateway.MethodLoggingLevel.ERROR,
                # Request and response bodies carry Aadhaar numbers and mobiles: never logged.
                data_trace_enabled=False,
                throttling_rate_limit=stage.throttle_rate_limit,
                throttling_burst_limit=stage.throttle_burst_limit,
            ),
        )
        # The stack exports the URL under the stable name ApiUrl; drop RestApi's hashed duplicate.
        self.rest_api.node.try_remove_child("Endpoint")
        acknowledge(
            self.rest_api,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]",
            "The account-level API Gateway logging role uses AWS's documented managed policy.",
        )
        acknowledge(
            self.rest_api,
            "AwsSolutions-APIG3",
            "Stage throttling and the Cognito authorizer guard the API; a WAF web ACL is a separate "
            "hardening step with its own cost.",
        )
        self.validator = self.rest_api.add_request_validator(
            "Validator", validate_request_body=True, validate_request_parameters=True
        )
        self.authorizer: apigateway.CognitoUserPoolsAuthorizer | None = None
        self._user_pool = user_pool
        self.methods: dict[tuple[str, str], apigateway.Method] = {}
        for route in routes:
            self._add_route(route, functions[route.function])
        for response_type, status, code in GATEWAY_RESPONSES:
            self.rest_api.add_gateway_response(
                f"{code}-{response_type.response_type}",
                type=response_type,
                status_code=status,
                templates={"application/json": gateway_response_template(code)},
            )

    @property
    def url(self) -> str:
        return self.rest_api.url

    def _cognito(self) -> apigateway.CognitoUserPoolsAuthorizer:
        if self.authorizer is None:
            self.authorizer = apigateway.CognitoUserPoolsAuthorizer(
                self, "CognitoAuthorizer", cognito_user_pools=[self._user_pool]
            )
        return self.authorizer

    def _add_route(self, route: Route, function: lambda_.IFunction) -> None:
        resource = self.rest_api.root.resource_for_path(route.path)
        integration = apigateway.LambdaIntegration(function, proxy=True, allow_test_invoke=False)
        if route.auth is Auth.COGNITO:
            method = resource.add_method(
                route.method,
                integration,
                authorizer=self._cognito(),
                authorization_type=apigateway.AuthorizationType.COGNITO,
                request_validator=self.validator,
            )
        else:
            method = resource.add_method(
                route.method,
                integration,
                authorization_type=apigateway.AuthorizationType.NONE,
                request_validator=self.validator,
            )
            for rule in ("AwsSolutions-APIG4", "AwsSolutions-COG4"):
                acknowledge(method, rule, _UNAUTHENTICATED_REASONS[route.auth])
        self.methods[(route.method, route.path)] = method
