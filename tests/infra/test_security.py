"""Production security in the template: WAF, customer-managed keys, retention, request validation,
the gateway's own errors, throttling, access logs without query strings, CORS."""

from __future__ import annotations

import json

import pytest

from infra import constants
from infra.access import Contacts, Documents, access_of
from infra.constants import STAGES, stage_settings
from infra.constructs.api import ACCESS_LOG_FIELDS, BROWSER_AUTH, routes_with_body
from infra.constructs.keys import KEY_READ_ACTIONS, KEY_WRITE_ACTIONS
from sevamitra.edge.routes import MESSAGE_ENTRIES, ROUTES, SCHEDULED_JOBS, VERIFY_STEPS, Auth, Entry, Function
from tests.infra.test_api import _methods as methods_by_route
from tests.infra.test_resources import OUTPUTS

SUBJECTS = [*Function, VERIFY_STEPS, *(job.entry for job in SCHEDULED_JOBS), *MESSAGE_ENTRIES]


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _arn_of(synth, construct) -> dict:
    return {"Fn::GetAtt": [synth.logical_id(construct), "Arn"]}


def _function_props(synth, subject: Function | Entry) -> dict:
    name = subject.name if isinstance(subject, Entry) else subject.value
    return next(
        res["Properties"]
        for res in synth.of_type("AWS::Lambda::Function").values()
        if res["Properties"]["FunctionName"] == f"sevamitra-{synth.stack.stage.name}-{name}"
    )


def _statements(synth, subject: Function | Entry) -> list[dict]:
    role_id = _function_props(synth, subject)["Role"]["Fn::GetAtt"][0]
    return [
        statement
        for res in synth.of_type("AWS::IAM::Policy").values()
        if {"Ref": role_id} in res["Properties"]["Roles"]
        for statement in res["Properties"]["PolicyDocument"]["Statement"]
    ]


def _methods(synth) -> list[dict]:
    return [res["Properties"] for res in synth.of_type("AWS::ApiGateway::Method").values()]


def _gateway_responses(synth) -> dict[str, dict]:
    return {
        res["Properties"]["ResponseType"]: res["Properties"]
        for res in synth.of_type("AWS::ApiGateway::GatewayResponse").values()
    }


# WAF ------------------------------------------------------------------------------------------


def test_prod_api_stage_is_behind_a_web_acl_with_a_rate_rule_and_the_managed_rule_groups(prod):
    (acl_id, acl), *others = prod.of_type("AWS::WAFv2::WebACL").items()
    assert others == []
    (association,) = prod.of_type("AWS::WAFv2::WebACLAssociation").values()
    (stage_id,) = prod.of_type("AWS::ApiGateway::Stage")
    (api_id,) = prod.of_type("AWS::ApiGateway::RestApi")
    arn_parts = association["Properties"]["ResourceArn"]["Fn::Join"][1]
    assert {"Ref": api_id} in arn_parts
    assert {"Ref": stage_id} in arn_parts
    assert association["Properties"]["WebACLArn"] == {"Fn::GetAtt": [acl_id, "Arn"]}

    props = acl["Properties"]
    assert props["Scope"] == "REGIONAL"
    assert props["DefaultAction"] == {"Allow": {}}
    rules = {rule["Name"]: rule for rule in props["Rules"]}
    rate = rules["RateLimitPerIp"]
    assert rate["Priority"] == 0  # before the managed groups
    assert rate["Statement"]["RateBasedStatement"]["Limit"] == constants.WAF_RATE_LIMIT_PER_5_MIN
    assert rate["Statement"]["RateBasedStatement"]["AggregateKeyType"] == "IP"
    custom = rate["Action"]["Block"]["CustomResponse"]
    assert custom["ResponseCode"] == 429
    body = json.loads(props["CustomResponseBodies"][custom["CustomResponseBodyKey"]]["Content"])
    assert body["error"]["code"] == "throttled"
    # Only the common rule set's missing User-Agent rule is overridden (to Count: the signed
    # callbacks are exempt from it, tests/infra/test_firewall.py); every other rule blocks.
    only_user_agent_counts = [{"Name": "NoUserAgent_HEADER", "ActionToUse": {"Count": {}}}]
    for group, overrides in (
        ("AWSManagedRulesCommonRuleSet", {"RuleActionOverrides": only_user_agent_counts}),
        ("AWSManagedRulesKnownBadInputsRuleSet", {}),
    ):
        statement = rules[group]["Statement"]["ManagedRuleGroupStatement"]
        assert statement == {"VendorName": "AWS", "Name": group, **overrides}
        assert rules[group]["OverrideAction"] == {"None": {}}  # the group's own block actions apply
    assert all(rule["VisibilityConfig"]["CloudWatchMetricsEnabled"] for rule in props["Rules"])


def test_dev_has_no_web_acl(dev):
    assert dev.of_type("AWS::WAFv2::WebACL") == {}
    assert dev.of_type("AWS::WAFv2::WebACLAssociation") == {}


# KMS ------------------------------------------------------------------------------------------


def test_prod_tables_are_encrypted_with_the_tables_key(prod):
    key = _arn_of(prod, prod.stack.keys.tables)
    for name, table in prod.of_type("AWS::DynamoDB::Table").items():
        assert table["Properties"]["SSESpecification"] == {
            "SSEEnabled": True,
            "SSEType": "KMS",
            "KMSMasterKeyId": key,
        }, name


def test_prod_documents_bucket_is_encrypted_with_the_documents_key(prod):
    bucket = prod.resources[prod.logical_id(prod.stack.documents.bucket)]["Properties"]
    (rule,) = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "aws:kms",
        "KMSMasterKeyID": _arn_of(prod, prod.stack.documents.bucket.encryption_key),
    }
    assert prod.stack.documents.bucket.encryption_key is prod.stack.keys.documents
    assert rule["BucketKeyEnabled"] is True


def test_dev_data_uses_aws_managed_encryption_and_only_the_alarm_topic_has_a_key(dev):
    # ... and, in every stage, the keys functions use directly: sealed mobile numbers, and the
    # inbound SMS topic the SMS service publishes to.
    keys = dev.stack.keys
    assert sorted(dev.of_type("AWS::KMS::Key")) == sorted(
        dev.logical_id(key) for key in (keys.alarms, keys.contacts, keys.inbound_sms)
    )
    for table in dev.of_type("AWS::DynamoDB::Table").values():
        assert "KMSMasterKeyId" not in table["Properties"]["SSESpecification"]


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_every_key_rotates_and_is_retained_exactly_in_prod(stage, request):
    synth = request.getfixturevalue(stage)
    keys = synth.of_type("AWS::KMS::Key")
    assert keys
    for key_id, key in keys.items():
        assert key["Properties"]["EnableKeyRotation"] is True, key_id
        assert key["DeletionPolicy"] == ("Retain" if stage == "prod" else "Delete"), key_id


def _subject_name(subject) -> str:
    return subject.name if isinstance(subject, Entry) else subject.value


@pytest.mark.parametrize("subject", SUBJECTS, ids=lambda s: s.name if isinstance(s, Entry) else s.value)
def test_prod_functions_use_each_key_only_through_its_service_and_only_as_their_access_needs(prod, subject):
    access = access_of(subject)
    keys = {
        _arn_of(prod, prod.stack.keys.tables)["Fn::GetAtt"][0]: ("TablesKey", "dynamodb."),
        _arn_of(prod, prod.stack.keys.documents)["Fn::GetAtt"][0]: ("DocumentsKey", "s3."),
    }
    granted: dict[str, set[str]] = {}
    contacts_key = _arn_of(prod, prod.stack.keys.contacts)
    for statement in _statements(prod, subject):
        actions = set(_as_list(statement["Action"]))
        if not any(action.startswith("kms:") for action in actions):
            continue
        (resource,) = _as_list(statement["Resource"])
        if resource == contacts_key:  # used directly, and only for sealed mobile numbers
            assert statement["Sid"] == "ContactsKey"
            assert statement["Condition"] == {
                "StringEquals": {"kms:EncryptionContext:purpose": "professional-mobile"}
            }
            granted["ContactsKey"] = actions
            continue
        sid, service = keys[resource["Fn::GetAtt"][0]]
        assert statement["Sid"] == sid
        via = statement["Condition"]["StringEquals"]["kms:ViaService"]["Fn::Join"][1]
        assert via[0] == service
        assert via[-1] == ".amazonaws.com"
        granted[sid] = actions
    expected: dict[str, set[str]] = {}
    if access.tables:
        expected["TablesKey"] = set(KEY_READ_ACTIONS) | (set(KEY_WRITE_ACTIONS) if access.writes else set())
    if access.documents is not None:
        writes = access.documents is not Documents.READ
        expected["DocumentsKey"] = set(KEY_READ_ACTIONS) | (set(KEY_WRITE_ACTIONS) if writes else set())
    if access.contacts is not None:
        expected["ContactsKey"] = {
            Contacts.SEAL: {"kms:Encrypt"},
            Contacts.OPEN: {"kms:Decrypt"},
            Contacts.SEAL_AND_OPEN: {"kms:Encrypt", "kms:Decrypt"},
        }[access.contacts]
    assert granted == expected


def test_only_registration_seals_mobile_numbers_and_only_notify_and_book_open_them(prod):
    """notify opens a sealed mobile to send an SMS; book to show it to the citizen of an accepted
    booking (GET /bookings/{id}); register to send a claim code to an assisted professional."""

    def contacts_actions(subject) -> set[str]:
        return {
            action
            for statement in _statements(prod, subject)
            if statement.get("Sid") == "ContactsKey"
            for action in _as_list(statement["Action"])
        }

    by_subject = {_subject_name(s): contacts_actions(s) for s in SUBJECTS}
    assert {name: actions for name, actions in by_subject.items() if actions} == {
        "register": {"kms:Encrypt", "kms:Decrypt"},
        "book": {"kms:Decrypt"},
        "notify-events": {"kms:Decrypt"},
    }


def test_only_register_may_encrypt_documents_and_the_steps_only_decrypt_them(prod):
    def documents_key_actions(subject) -> set[str]:
        return {
            action
            for statement in _statements(prod, subject)
            if statement.get("Sid") == "DocumentsKey"
            for action in _as_list(statement["Action"])
        }

    assert "kms:GenerateDataKey" in documents_key_actions(Function.REGISTER)
    assert documents_key_actions(VERIFY_STEPS) == {"kms:Decrypt", "kms:DescribeKey"}
    assert documents_key_actions(Function.MATCH) == set()


def test_prod_uploads_ask_for_sse_kms_with_the_documents_key(prod, dev):
    env = _function_props(prod, Function.REGISTER)["Environment"]["Variables"]
    assert env["DOCUMENTS_SSE"] == "aws:kms"
    assert env["DOCUMENTS_KMS_KEY_ID"] == _arn_of(prod, prod.stack.keys.documents)
    dev_env = _function_props(dev, Function.REGISTER)["Environment"]["Variables"]
    assert "DOCUMENTS_SSE" not in dev_env
    assert "DOCUMENTS_KMS_KEY_ID" not in dev_env


# Retention ------------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_every_table_has_point_in_time_recovery(stage, request):
    synth = request.getfixturevalue(stage)
    for name, table in synth.of_type("AWS::DynamoDB::Table").items():
        spec = table["Properties"]["PointInTimeRecoverySpecification"]
        assert spec["PointInTimeRecoveryEnabled"] is True, name


def test_prod_data_is_retained_and_deletion_protected(prod):
    retained = {
        "tables": prod.of_type("AWS::DynamoDB::Table"),
        "bucket": {prod.logical_id(prod.stack.documents.bucket): None},
        "user pool": prod.of_type("AWS::Cognito::UserPool"),
        "keys": prod.of_type("AWS::KMS::Key"),
        "secrets": prod.of_type("AWS::SecretsManager::Secret"),
    }
    for kind, resources in retained.items():
        assert resources, kind
        for resource_id in resources:
            resource = prod.resources[resource_id]
            assert resource["DeletionPolicy"] == "Retain", (kind, resource_id)
            assert resource["UpdateReplacePolicy"] == "Retain", (kind, resource_id)
    for table in prod.of_type("AWS::DynamoDB::Table").values():
        assert table["Properties"]["DeletionProtectionEnabled"] is True
    (pool,) = prod.of_type("AWS::Cognito::UserPool").values()
    assert pool["Properties"]["DeletionProtection"] == "ACTIVE"


def test_dev_data_goes_with_the_stack_except_the_documents_bucket(dev):
    for kind in (
        "AWS::DynamoDB::Table",
        "AWS::Cognito::UserPool",
        "AWS::KMS::Key",
        "AWS::SecretsManager::Secret",
    ):
        for resource_id, resource in dev.of_type(kind).items():
            assert resource["DeletionPolicy"] == "Delete", resource_id
    (pool,) = dev.of_type("AWS::Cognito::UserPool").values()
    assert pool["Properties"].get("DeletionProtection") != "ACTIVE"
    # Uploaded identity documents outlive any stack (a non-empty bucket cannot be deleted anyway).
    assert dev.resources[dev.logical_id(dev.stack.documents.bucket)]["DeletionPolicy"] == "Retain"


# Request validation and the gateway's own errors ----------------------------------------------


def test_the_openapi_document_names_the_routes_with_a_body():
    with_body = routes_with_body()
    assert ("POST", "/professionals") in with_body
    assert ("POST", "/verification/callback") in with_body
    assert ("GET", "/match") not in with_body
    assert ("POST", "/professionals/{professional_id}/submit") not in with_body  # no body
    assert with_body <= {(route.method, route.path) for route in ROUTES}


def test_every_route_with_a_body_is_validated_as_a_json_object_before_its_function_runs(dev):
    (model_id, model), *_ = dev.of_type("AWS::ApiGateway::Model").items()
    assert model["Properties"]["ContentType"] == "application/json"
    assert model["Properties"]["Schema"]["type"] == "object"
    (validator_id, validator), *_ = dev.of_type("AWS::ApiGateway::RequestValidator").items()
    assert validator["Properties"]["ValidateRequestBody"] is True
    assert validator["Properties"]["ValidateRequestParameters"] is True
    with_body = routes_with_body()
    for route in ROUTES:
        props = methods_by_route(dev)[(route.method, route.path)]
        assert props["RequestValidatorId"] == {"Ref": validator_id}, route
        if (route.method, route.path) in with_body:
            assert props["RequestModels"] == {"application/json": {"Ref": model_id}}, route
        else:  # an empty body is not an object: a bodiless POST must not be refused
            assert "RequestModels" not in props, route


@pytest.mark.parametrize(
    ("response_type", "status", "code"),
    [
        ("BAD_REQUEST_BODY", "400", "body_not_object"),
        ("BAD_REQUEST_PARAMETERS", "400", "bad_request"),
        ("WAF_FILTERED", "403", "forbidden"),
    ],
)
def test_gateway_validation_and_waf_refusals_have_the_contract_shape(dev, response_type, status, code):
    response = _gateway_responses(dev)[response_type]
    body = json.loads(response["ResponseTemplates"]["application/json"])
    assert response["StatusCode"] == status
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert body["error"]["details"] == []


def _quoted(origin: dict) -> dict:
    """A header value as API Gateway takes it: the origin in single quotes."""
    scheme, domain = origin["Fn::Join"][1]
    return {"Fn::Join": ["", [f"'{scheme}", domain, "'"]]}


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_gateway_errors_carry_the_portals_origin(stage, request):
    synth = request.getfixturevalue(stage)
    for response_type, response in _gateway_responses(synth).items():
        headers = response["ResponseParameters"]
        assert headers == {
            "gatewayresponse.header.Access-Control-Allow-Origin": _quoted(synth.portal_origin)
        }, response_type


@pytest.fixture(scope="module")
def two_origins(synthesize):
    """dev with `--context allowed_origins=https://a.example,https://b.example`."""
    return synthesize("dev", context={"allowed_origins": "https://a.example,https://b.example"})


def test_gateway_errors_carry_no_origin_when_a_stage_names_several(two_origins):
    # Two origins: API Gateway cannot choose one in its own error responses.
    for response in _gateway_responses(two_origins).values():
        assert "ResponseParameters" not in response


# Throttling and access logs -------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_stage_throttling_comes_from_the_stage_settings(stage, request):
    synth = request.getfixturevalue(stage)
    (api_stage,) = synth.of_type("AWS::ApiGateway::Stage").values()
    (settings,) = api_stage["Properties"]["MethodSettings"]
    assert settings["HttpMethod"] == "*"
    assert settings["ResourcePath"] == "/*"
    assert settings["ThrottlingRateLimit"] == STAGES[stage].throttle_rate_limit
    assert settings["ThrottlingBurstLimit"] == STAGES[stage].throttle_burst_limit
    assert STAGES["prod"].throttle_rate_limit > STAGES["dev"].throttle_rate_limit


def test_access_log_is_json_with_the_route_template_and_never_the_path_or_query_string(prod):
    (api_stage,) = prod.of_type("AWS::ApiGateway::Stage").values()
    log_format = api_stage["Properties"]["AccessLogSetting"]["Format"]
    fields = json.loads(log_format)
    assert fields == ACCESS_LOG_FIELDS
    assert fields["resourcePath"] == "$context.resourcePath"  # /bans/check, not ?aadhaar=...
    for field in ("requestId", "status", "httpMethod", "ip", "responseLatency"):
        assert field in fields
    lowered = log_format.lower()
    for leak in ("$context.path", "querystring", "$input", "$context.requestoverride", "$method.request"):
        assert leak not in lowered, leak


# CORS -----------------------------------------------------------------------------------------


def test_server_only_routes_and_simple_public_reads_have_no_preflight(dev):
    server_only = {route.path for route in ROUTES if route.auth not in BROWSER_AUTH}
    assert {"/verification/callback", "/igrs/callback", "/ondc/search", "/services"} <= server_only
    # A public route a browser would have to preflight (a write, or a JSON body) needs one.
    assert all(r.method == "GET" for r in ROUTES if r.auth is Auth.PUBLIC)
    assert not server_only & set(dev.stack.api.preflights)
    assert len(dev.stack.api.preflights) == len(_preflights(dev))


def _preflights(synth) -> list[dict]:
    return [props for props in _methods(synth) if props["HttpMethod"] == "OPTIONS"]


def test_every_resource_a_browser_calls_answers_the_cors_preflight_without_a_function(dev):
    preflights = _preflights(dev)
    assert len(preflights) == len({route.path for route in ROUTES if route.auth in BROWSER_AUTH})
    for props in preflights:
        assert props["AuthorizationType"] == "NONE"
        assert props["Integration"]["Type"] == "MOCK"
        (response,) = props["Integration"]["IntegrationResponses"]
        headers = response["ResponseParameters"]
        assert headers["method.response.header.Access-Control-Allow-Headers"] == (
            "'Authorization,Content-Type,Idempotency-Key,Accept-Language'"
        )
        assert headers["method.response.header.Access-Control-Allow-Methods"].endswith(",OPTIONS'")


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_preflights_allow_exactly_the_portals_origin(stage, request):
    synth = request.getfixturevalue(stage)
    for props in _preflights(synth):
        (response,) = props["Integration"]["IntegrationResponses"]
        assert response["ResponseParameters"]["method.response.header.Access-Control-Allow-Origin"] == (
            _quoted(synth.portal_origin)
        )
        assert "*" not in json.dumps(response)


def test_preflights_of_a_stage_naming_its_origins_allow_those(two_origins):
    for props in _preflights(two_origins):
        (response,) = props["Integration"]["IntegrationResponses"]
        # The first origin by default, the other one echoed only when the request comes from it.
        assert response["ResponseParameters"]["method.response.header.Access-Control-Allow-Origin"] == (
            "'https://a.example'"
        )
        assert '$origin == "https://b.example"' in response["ResponseTemplates"]["application/json"]


def test_preflight_methods_are_exactly_the_routes_of_the_resource(dev):
    expected: dict[str, set[str]] = {}
    for route in ROUTES:
        if route.auth in BROWSER_AUTH:
            expected.setdefault(route.path, set()).add(route.method)
    allowed = sorted(
        tuple(
            sorted(
                props["Integration"]["IntegrationResponses"][0]["ResponseParameters"][
                    "method.response.header.Access-Control-Allow-Methods"
                ]
                .strip("'")
                .split(",")
            )
        )
        for props in _preflights(dev)
    )
    assert allowed == sorted(tuple(sorted({*methods, "OPTIONS"})) for methods in expected.values())


def test_allowed_origins_and_alarm_email_context_override_the_stage_defaults():
    settings = stage_settings("prod", " https://a.example , https://b.example,", " ops@example.gov.in ")
    assert settings.allowed_origins == ("https://a.example", "https://b.example")
    assert settings.alarm_email == "ops@example.gov.in"
    # By default, no origin of its own: the stack allows exactly the stage's portal.
    assert stage_settings("prod").allowed_origins == ()
    assert stage_settings("prod").alarm_email is None


def test_prod_exports_the_outputs_of_api_md_and_no_emulator_endpoint(prod):
    outputs = prod.json["Outputs"]
    assert set(outputs) == OUTPUTS  # the same as dev's
    assert "AwsEndpointUrl" not in outputs  # only the local stack has an emulator endpoint
