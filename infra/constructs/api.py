"""The REST API, built from ``sevamitra.edge.routes.ROUTES``: one Lambda proxy method per route.

``Auth.COGNITO`` routes get the Cognito user pool authorizer; ``PUBLIC`` and ``POLICE_SIGNATURE``
routes get none (the verify function checks the police signature itself). API Gateway's own
errors (401 from the authorizer, 429 throttling, unknown routes, a body that is not a JSON
object...) are rewritten into the contract's error shape.

- Request validation: a route whose operation takes a body (the committed OpenAPI document) gets
  the ``JsonObject`` model: API Gateway refuses anything but a JSON object with 400 before a
  function runs; the function still validates every field (422 with details). Query parameters are
  not declared required here: a missing one is the function's 422 with details, as in API.md.
- CORS: an OPTIONS preflight (mock integration) on every resource a browser calls, for the stage's
  allowed origins only; the functions add the same origins to their responses (ALLOWED_ORIGINS).
- Access logs: JSON, one line per request, with the route template and never the path or query
  string (``/bans/check?aadhaar=...``).
- Throttling: the stage's rate and burst (``StageSettings``); in prod a WAF web ACL
  (``firewall.py``) on the stage, with a stricter per-IP rule for the public card."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra import constants
from infra.constants import StageSettings
from infra.constructs.firewall import ApiFirewall, card_path_suffix, signed_callback_paths
from infra.nag import acknowledge
from sevamitra.edge.errors import error_body
from sevamitra.edge.openapi import document
from sevamitra.edge.routes import Auth, Function, Route

# API Gateway's own responses, as (status to send, contract error code).
GATEWAY_RESPONSES: tuple[tuple[apigateway.ResponseType, str | None, str], ...] = (
    (apigateway.ResponseType.UNAUTHORIZED, None, "unauthorized"),
    (apigateway.ResponseType.ACCESS_DENIED, None, "forbidden"),
    # API Gateway answers an unknown path or method with 403 "Missing Authentication Token".
    (apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN, "404", "route_not_found"),
    (apigateway.ResponseType.THROTTLED, None, "throttled"),
    (apigateway.ResponseType.QUOTA_EXCEEDED, None, "throttled"),
    (apigateway.ResponseType.REQUEST_TOO_LARGE, None, "payload_too_large"),
    # The JsonObject model refused the body: API Gateway cannot tell malformed JSON from a JSON
    # value that is not an object, so both get the code that says what is required.
    (apigateway.ResponseType.BAD_REQUEST_BODY, "400", "body_not_object"),
    (apigateway.ResponseType.BAD_REQUEST_PARAMETERS, "400", "bad_request"),
    # A managed rule of the prod web ACL blocked the request (its rate rule answers 429 itself).
    (apigateway.ResponseType.WAF_FILTERED, "403", "forbidden"),
    (apigateway.ResponseType.DEFAULT_4_XX, None, "bad_request"),
    (apigateway.ResponseType.DEFAULT_5_XX, None, "internal_error"),
)

# Routes whose browser requests are preflighted: the signed-in ones (Authorization, a JSON body).
# The portal reads the public routes with plain GETs whose only headers are CORS-safelisted
# (Accept, Accept-Language; web/src/api.js ``auth: false``), which browsers send without a
# preflight; signed callbacks and ONDC buyer apps are servers.
BROWSER_AUTH = frozenset({Auth.COGNITO})

_UNAUTHENTICATED_REASONS = {
    Auth.PUBLIC: "Public by contract (API.md 'Public'): health, rate card and OpenAPI need no account; "
    "a professional's card is what anyone checks by scanning the QR code on their ID card (rate "
    "limited per IP by the prod web ACL).",
    Auth.POLICE_SIGNATURE: "Police department systems have no Cognito account; the verify function "
    "authenticates every call by its X-Seva-Signature HMAC and timestamp.",
    Auth.ONDC_SIGNATURE: "ONDC buyer apps have no Cognito account; the ondc function authenticates "
    "every request by its Beckn Ed25519 signature against the key the ONDC registry holds for it.",
}


# JSON Schema (draft 4, what API Gateway models use) of "a JSON object".
JSON_OBJECT_SCHEMA = apigateway.JsonSchema(
    schema=apigateway.JsonSchemaVersion.DRAFT4, title="JsonObject", type=apigateway.JsonSchemaType.OBJECT
)

# The access log line: who (request, IP, account sub), what (method, route template), how it went
# (status, latencies, error type). Never $context.path or a query string: /bans/check carries an
# Aadhaar or mobile number there.
ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "requestTime": "$context.requestTimeEpoch",
    "ip": "$context.identity.sourceIp",
    "sub": "$context.authorizer.claims.sub",
    "httpMethod": "$context.httpMethod",
    "resourcePath": "$context.resourcePath",
    "status": "$context.status",
    "protocol": "$context.protocol",
    "responseLength": "$context.responseLength",
    "responseLatency": "$context.responseLatency",
    "integrationLatency": "$context.integrationLatency",
    "errorType": "$context.error.responseType",
    "wafResponse": "$context.wafResponseCode",
    "xrayTraceId": "$context.xrayTraceId",
}


def gateway_response_template(code: str) -> str:
    """The contract's error body for ``code`` (English: API Gateway cannot see Accept-Language)."""
    return json.dumps(error_body(code, "en"), ensure_ascii=False)


def routes_with_body() -> frozenset[tuple[str, str]]:
    """(method, path) of every operation that takes a request body, per the OpenAPI document."""
    return frozenset(
        (method.upper(), path)
        for path, operations in document()["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    )


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
        routes = tuple(routes)
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
                access_log_format=apigateway.AccessLogFormat.custom(json.dumps(ACCESS_LOG_FIELDS)),
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
        self.firewall: ApiFirewall | None = None
        if stage.web_acl:
            self.firewall = ApiFirewall(
                self,
                "Firewall",
                stage=stage,
                stage_arn=self.rest_api.deployment_stage.stage_arn,
                signed_paths=signed_callback_paths(routes),
                card_suffix=card_path_suffix(routes),
            )
        else:
            acknowledge(
                self.rest_api.deployment_stage,
                "AwsSolutions-APIG3",
                f"Stage {stage.name} serves developers and tests only: stage throttling and the "
                "Cognito authorizer guard it; the WAF web ACL (and its monthly cost) is prod's.",
            )
        self.validator = self.rest_api.add_request_validator(
            "Validator", validate_request_body=True, validate_request_parameters=True
        )
        self.json_object = self.rest_api.add_model(
            "JsonObject",
            content_type="application/json",
            model_name="JsonObject",
            description="Any JSON object: the functions validate the fields",
            schema=JSON_OBJECT_SCHEMA,
        )
        self._with_body = routes_with_body()
        self.authorizer: apigateway.CognitoUserPoolsAuthorizer | None = None
        self._user_pool = user_pool
        self.methods: dict[tuple[str, str], apigateway.Method] = {}
        self.preflights: dict[str, apigateway.Method] = {}
        routes = tuple(routes)
        for route in routes:
            self._add_route(route, functions[route.function])
        self._add_preflights(stage, routes)
        # Browsers only show an error to the page when it carries the CORS header; API Gateway
        # cannot choose among several origins in a gateway response, so only a one-origin stage
        # (prod) gets it there.
        cors_headers = (
            {"Access-Control-Allow-Origin": f"'{stage.allowed_origins[0]}'"}
            if len(stage.allowed_origins) == 1
            else None
        )
        for response_type, status, code in GATEWAY_RESPONSES:
            self.rest_api.add_gateway_response(
                f"{code}-{response_type.response_type}",
                type=response_type,
                status_code=status,
                response_headers=cors_headers,
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
        # One invoke permission per function for the whole API (not one per method): the function
        # routes by path itself, and per-method permissions alone would push the stack past
        # CloudFormation's 500 resources.
        integration = apigateway.LambdaIntegration(function, proxy=True, scope_permission_to_method=False)
        models = (
            {"application/json": self.json_object} if (route.method, route.path) in self._with_body else None
        )
        if route.auth is Auth.COGNITO:
            method = resource.add_method(
                route.method,
                integration,
                authorizer=self._cognito(),
                authorization_type=apigateway.AuthorizationType.COGNITO,
                request_validator=self.validator,
                request_models=models,
            )
        else:
            method = resource.add_method(
                route.method,
                integration,
                authorization_type=apigateway.AuthorizationType.NONE,
                request_validator=self.validator,
                request_models=models,
            )
            for rule in ("AwsSolutions-APIG4", "AwsSolutions-COG4"):
                acknowledge(method, rule, _UNAUTHENTICATED_REASONS[route.auth])
        self.methods[(route.method, route.path)] = method

    def _add_preflights(self, stage: StageSettings, routes: Iterable[Route]) -> None:
        """An OPTIONS preflight on each resource with a signed-in route, allowing exactly its
        methods (``BROWSER_AUTH``). The others never see a preflight, and every method counts
        against the stack's 500 CloudFormation resources."""
        methods_by_path: dict[str, list[str]] = {}
        for route in routes:
            if route.auth in BROWSER_AUTH:
                methods_by_path.setdefault(route.path, []).append(route.method)
        for path, methods in methods_by_path.items():
            preflight = self.rest_api.root.resource_for_path(path).add_cors_preflight(
                allow_origins=list(stage.allowed_origins),
                allow_methods=[*sorted(methods), "OPTIONS"],
                allow_headers=list(constants.CORS_ALLOWED_HEADERS),
                max_age=constants.CORS_MAX_AGE,
            )
            for rule in ("AwsSolutions-APIG4", "AwsSolutions-COG4"):
                acknowledge(
                    preflight,
                    rule,
                    "A CORS preflight carries no credentials by definition (Fetch standard); it is "
                    "answered by API Gateway itself (mock integration) and reaches no function.",
                )
            self.preflights[path] = preflight
