"""Every function comes out of the one helper: runtime, architecture, layer, logs, tracing, env, alarms."""

from __future__ import annotations

import pytest

from infra.access import ACCESS
from infra.constructs.functions import SETTINGS
from sevamitra.edge import idempotency
from sevamitra.edge.routes import MESSAGE_ENTRIES, ONDC_WORKER, SCHEDULED_JOBS, WORKFLOW_ENTRIES, Function


def _settings(props: dict, function: Function) -> dict:
    """The function's environment read back as its settings model's fields (name -> value)."""
    field_of = {field.alias: name for name, field in SETTINGS[function].model_fields.items()}
    env = props["Environment"]["Variables"]
    assert set(env) <= set(field_of), f"variables no setting declares: {set(env) - set(field_of)}"
    return {field_of[variable]: value for variable, value in env.items()}


def _function(dev, name: str) -> tuple[str, dict]:
    matches = [
        (key, res["Properties"])
        for key, res in dev.of_type("AWS::Lambda::Function").items()
        if res["Properties"].get("FunctionName") == f"sevamitra-dev-{name}"
    ]
    assert len(matches) == 1, f"expected one function sevamitra-dev-{name}"
    return matches[0]


def test_the_api_functions_and_one_per_entry_are_deployed(dev):
    names = {res["Properties"]["FunctionName"] for res in dev.of_type("AWS::Lambda::Function").values()}
    entries = [*WORKFLOW_ENTRIES, *(job.entry for job in SCHEDULED_JOBS), *MESSAGE_ENTRIES, ONDC_WORKER]
    expected = {f"sevamitra-dev-{function.value}" for function in Function}
    assert names == expected | {f"sevamitra-dev-{entry.name}" for entry in entries}


@pytest.mark.parametrize("function", list(Function), ids=lambda f: f.value)
def test_api_function_runs_python313_on_arm64_with_the_layer_and_tracing(dev, function):
    _, props = _function(dev, function.value)
    (layer_id,) = dev.of_type("AWS::Lambda::LayerVersion")
    assert props["Runtime"] == "python3.13"
    assert props["Architectures"] == ["arm64"]
    assert props["Handler"] == f"{function.value}.handler.lambda_handler"
    assert props["Layers"] == [{"Ref": layer_id}]
    assert props["TracingConfig"] == {"Mode": "Active"}


@pytest.mark.parametrize("function", list(Function), ids=lambda f: f.value)
def test_an_idempotency_lease_outlasts_any_api_invocation(dev, function):
    """A record still ``in_progress`` after ``LEASE_S`` belongs to an invocation that is over."""
    _, props = _function(dev, function.value)
    assert props["Timeout"] < idempotency.LEASE_S
    assert idempotency.LEASE_S > 29  # API Gateway's integration timeout


def test_the_layer_is_for_python313_on_arm64(dev):
    (layer,) = dev.of_type("AWS::Lambda::LayerVersion").values()
    assert layer["Properties"]["CompatibleRuntimes"] == ["python3.13"]
    assert layer["Properties"]["CompatibleArchitectures"] == ["arm64"]


@pytest.mark.parametrize("function", list(Function), ids=lambda f: f.value)
def test_api_function_logs_to_its_own_log_group_with_retention(dev, function):
    _, props = _function(dev, function.value)
    log_group_id = props["LoggingConfig"]["LogGroup"]["Ref"]
    log_group = dev.resources[log_group_id]
    assert log_group["Type"] == "AWS::Logs::LogGroup"
    assert log_group["Properties"]["LogGroupName"] == f"/aws/lambda/sevamitra-dev-{function.value}"
    assert log_group["Properties"]["RetentionInDays"] == 14


def test_each_function_has_a_log_group_of_its_own(dev):
    log_groups = [
        props["LoggingConfig"]["LogGroup"]["Ref"]
        for props in (res["Properties"] for res in dev.of_type("AWS::Lambda::Function").values())
    ]
    assert len(set(log_groups)) == len(log_groups)


@pytest.mark.parametrize("function", list(Function), ids=lambda f: f.value)
def test_api_function_gets_the_typed_environment(dev, function):
    _, props = _function(dev, function.value)
    settings = _settings(props, function)
    starts = ACCESS[function].starts_verification
    assert settings.pop("verification_state_machine_arn", None) == (
        {"Ref": dev.logical_id(dev.stack.verification.state_machine)} if starts else None
    )
    if function is Function.ONDC:  # who we are on the network, our key and the work queue
        ondc = dev.stack.ondc
        assert {name: settings.pop(name) for name in list(settings) if name.startswith("ondc_")} == {
            "ondc_subscriber_id": {"Ref": "OndcNetworkSubscriberId"},
            "ondc_subscriber_url": {"Ref": "OndcNetworkSubscriberUrl"},
            "ondc_unique_key_id": {"Ref": "OndcNetworkUniqueKeyId"},
            "ondc_registry_url": {"Ref": "OndcRegistryUrl"},
            "ondc_signing_key_secret_arn": {"Ref": dev.logical_id(ondc.signing_key)},
            "ondc_queue_url": {"Ref": dev.logical_id(ondc.queue)},
        }
    else:
        own = {name: settings.pop(name) for name in list(settings) if name in _model_settings(dev)}
        assert own == {name: _model_settings(dev)[name] for name in _OWN_SETTINGS[function]}
    assert settings == {
        "stage": "dev",
        "table_prefix_setting": "sevamitra-dev-",
        "event_bus_name": {"Ref": dev.logical_id(dev.stack.events.bus)},
        "documents_bucket": {"Ref": dev.logical_id(dev.stack.documents.bucket)},
        "identity_key_secret_arn": {"Ref": dev.logical_id(dev.stack.secrets.identity_key)},
        "cursor_key_secret_arn": {"Ref": dev.logical_id(dev.stack.secrets.cursor_key)},
        "police_secret_arn": {"Ref": dev.logical_id(dev.stack.secrets.police_key)},
        "powertools_service_name": "sevamitra",
        "powertools_metrics_namespace": "SevaMitra",
        "powertools_log_level": "DEBUG",
        "pydantic_disable_plugins": "__all__",
        # API functions: the CORS origin of their responses, exactly the stage's portal
        "allowed_origins_setting": dev.portal_origin,
    }


_SMS = (
    "sms_transport",
    "sms_origination_identity",
    "sms_configuration_set",
    "sms_dlt_entity_id",
    "sms_dlt_template_ids",
    "sms_max_price",
)
# What each function's own settings model adds to the common settings.
_OWN_SETTINGS: dict[Function, tuple[str, ...]] = {
    Function.REGISTER: ("contacts_key_setting", *_SMS),  # claim codes go by SMS
    Function.MATCH: (),
    Function.BOOK: (*_SMS, "user_pool_id"),  # inbound SMS replies; helpline callers' accounts
    # The audit anchors bucket (the audit route's check), IGRS's endpoint and key (its callback).
    Function.COMPLAINT: ("audit_anchor_bucket", "igrs_endpoint", "igrs_secret_arn"),
    Function.VERIFY: (),
    Function.NOTIFY: (*_SMS, "user_pool_id", "fcm_platform_application_arn", "apns_platform_application_arn"),
    Function.JOBS: (),
}


def _model_settings(dev) -> dict:
    """Every model-specific setting as the stack sets it: stack parameters and resources."""
    return {
        "contacts_key_setting": {"Fn::GetAtt": [dev.logical_id(dev.stack.keys.contacts), "Arn"]},
        "sms_transport": "end_user_messaging",
        "sms_origination_identity": {"Ref": "SmsOriginationIdentity"},
        "sms_configuration_set": "sevamitra-dev-sms",
        "sms_dlt_entity_id": {"Ref": "SmsDltEntityId"},
        "sms_dlt_template_ids": {"Ref": "SmsDltTemplateIds"},
        "sms_max_price": {"Ref": "SmsMaxPrice"},
        "user_pool_id": {"Ref": dev.logical_id(dev.stack.accounts.user_pool)},
        "fcm_platform_application_arn": {"Ref": "FcmPlatformApplicationArn"},
        "apns_platform_application_arn": {"Ref": "ApnsPlatformApplicationArn"},
        "audit_anchor_bucket": {"Ref": dev.logical_id(dev.stack.anchors.bucket)},
        "igrs_endpoint": {"Ref": "IgrsEndpoint"},
        "igrs_secret_arn": {"Ref": dev.logical_id(dev.stack.secrets.igrs_key)},
    }


@pytest.mark.parametrize("function", list(Function), ids=lambda f: f.value)
def test_api_function_has_an_errors_alarm_and_a_throttles_alarm(dev, function):
    function_id, _ = _function(dev, function.value)
    metrics = {
        alarm["Properties"]["MetricName"]
        for alarm in dev.of_type("AWS::CloudWatch::Alarm").values()
        if alarm["Properties"].get("Dimensions") == [{"Name": "FunctionName", "Value": {"Ref": function_id}}]
    }
    assert metrics == {"Errors", "Throttles"}


def test_prod_logs_at_info_and_keeps_logs_six_months(prod):
    for res in prod.of_type("AWS::Lambda::Function").values():
        assert res["Properties"]["Environment"]["Variables"]["POWERTOOLS_LOG_LEVEL"] == "INFO"
    for key, res in prod.of_type("AWS::Logs::LogGroup").items():
        assert res["Properties"]["RetentionInDays"] == 180, key
        assert res["DeletionPolicy"] == "Retain", key
