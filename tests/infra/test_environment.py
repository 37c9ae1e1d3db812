"""The functions' environment is the settings models' contract: the stack sets only variables the
function's settings model declares (as field aliases) and every one that has no usable default.

``SETTINGS`` says which model each function reads; the last tests hold it to the functions' code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from infra.constructs.functions import SETTINGS, environment
from local.paths import pythonpath
from sevamitra.edge.routes import MESSAGE_ENTRIES, ONDC_WORKER, SCHEDULED_JOBS, WORKFLOW_ENTRIES, Function
from sevamitra.platform.settings import CommonSettings, FromStack


def _deployed_settings(stage: str) -> dict[str, type[CommonSettings]]:
    """Every deployed function's name, with the settings model its code reads."""
    entries = [*WORKFLOW_ENTRIES, *(job.entry for job in SCHEDULED_JOBS), *MESSAGE_ENTRIES, ONDC_WORKER]
    return {
        **{f"sevamitra-{stage}-{function.value}": SETTINGS[function] for function in Function},
        **{f"sevamitra-{stage}-{entry.name}": SETTINGS[entry.function] for entry in entries},
    }


def _without_usable_default(settings: type[CommonSettings]) -> set[str]:
    return {
        field.alias or name
        for name, field in settings.model_fields.items()
        if field.is_required() or any(isinstance(marker, FromStack) for marker in field.metadata)
    }


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_every_variable_of_every_function_is_a_setting_its_code_declares(stage, request):
    synth = request.getfixturevalue(stage)
    functions = {
        res["Properties"]["FunctionName"]: res["Properties"]
        for res in synth.of_type("AWS::Lambda::Function").values()
    }
    settings_of = _deployed_settings(stage)
    assert set(functions) == set(settings_of)
    for name, props in functions.items():
        declared = {field.alias for field in settings_of[name].model_fields.values()}
        undeclared = set(props["Environment"]["Variables"]) - declared
        assert not undeclared, f"{name} gets {sorted(undeclared)}, which {settings_of[name].__name__} lacks"


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_every_function_gets_every_setting_that_has_no_usable_default(stage, request):
    synth = request.getfixturevalue(stage)
    settings_of = _deployed_settings(stage)
    for res in synth.of_type("AWS::Lambda::Function").values():
        name = res["Properties"]["FunctionName"]
        required = _without_usable_default(settings_of[name])
        assert required  # the stage, the bucket, the bus and the secrets at least
        assert required <= set(res["Properties"]["Environment"]["Variables"]), name


def test_the_environment_is_keyed_by_the_settings_own_aliases():
    values = {name: f"value-of-{name}" for name in ("stage", "documents_bucket", "event_bus_name")}
    values |= {
        "identity_key_secret_arn": "k",
        "police_secret_arn": "p",
        "cursor_key_secret_arn": "c",
        "allowed_origins_setting": "o",
    }
    env = environment(CommonSettings, values)
    assert env["STAGE"] == "value-of-stage"
    assert env["ALLOWED_ORIGINS"] == "o"
    assert CommonSettings(**env).documents_bucket == "value-of-documents_bucket"


def test_a_setting_the_model_does_not_declare_fails_synth():
    # Given the match function, whose settings have no upload settings
    # When the stack tries to give it an upload setting
    with pytest.raises(ValueError, match="MatchSettings declares no setting upload_expiry_s"):
        environment(SETTINGS[Function.MATCH], {"upload_expiry_s": "60"}, complete=False)


def test_a_missing_setting_without_a_usable_default_fails_synth():
    # Given settings whose local defaults name no deployed bucket or bus
    values = {
        "stage": "dev",
        "identity_key_secret_arn": "k",
        "police_secret_arn": "p",
        "cursor_key_secret_arn": "c",
    }
    with pytest.raises(ValueError, match="needs documents_bucket, event_bus_name"):
        environment(CommonSettings, values)


def test_adding_an_undeclared_setting_to_a_built_function_fails(dev):
    match = dev.stack.api_functions[Function.MATCH]
    with pytest.raises(ValueError, match="declares no setting documents_sse"):
        dev.stack.functions.add_settings(match, documents_sse="aws:kms")


_PROBE = """
import importlib, json, pkgutil, sys
package = importlib.import_module(sys.argv[1])
for info in pkgutil.iter_modules(package.__path__):
    importlib.import_module(f"{package.__name__}.{info.name}")
from sevamitra.platform.settings import CommonSettings
def below(model):
    for sub in model.__subclasses__():
        yield sub
        yield from below(sub)
loaded = set(below(CommonSettings))
# The most derived: a model the code loads only as the base of another is read through that one.
leaves = {m for m in loaded if not any(other is not m and issubclass(other, m) for other in loaded)}
print(json.dumps(sorted({f"{m.__module__}.{m.__qualname__}" for m in leaves})))
"""


def _settings_models_loaded_by(function: Function) -> set[str]:
    """The most derived settings models that exist once every module of ``function`` is imported,
    in a fresh interpreter: those its own modules declare and those of the layer modules they use
    (the upload settings live with the upload forms, ``sevamitra.data.uploads``; a model another
    extends, as ``RegisterSettings`` extends them, counts through the one extending it)."""
    env = {**os.environ, "PYTHONPATH": pythonpath(), "AWS_REGION": "ap-south-1"}
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, function.value], capture_output=True, text=True, env=env, check=True
    )
    return set(json.loads(out.stdout))


def test_every_function_has_a_settings_row():
    assert set(SETTINGS) == set(Function)


@pytest.mark.parametrize("function", list(Function), ids=lambda f: f.value)
def test_the_settings_row_is_the_model_the_functions_code_reads(function):
    """A function whose code loads a settings model beyond ``CommonSettings`` (its own, or one of
    the layer's) is deployed with that model's contract; one that reads only ``CommonSettings`` is
    held to that."""
    expected = {SETTINGS[function]} - {CommonSettings}
    assert _settings_models_loaded_by(function) == {f"{m.__module__}.{m.__qualname__}" for m in expected}
