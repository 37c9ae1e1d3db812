"""cdk-nag (AwsSolutions) and cfn-lint find nothing unacknowledged in either stage."""

from __future__ import annotations

import pytest
from aws_cdk import App
from cfnlint.api import ManualArgs, lint

from infra.app import build_app
from infra.layer import LayerNotBuiltError

# CDK's usual "DependsOn is redundant" warnings are not errors anyway; only errors fail.
CFN_LINT = ManualArgs(regions=["ap-south-1"], ignore_checks=["W3005"])


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_cdk_nag_finds_nothing_unacknowledged(stage, request):
    synth = request.getfixturevalue(stage)
    assert synth.nag_violations() == []
    assert synth.synth_error is None


def test_a_new_cdk_nag_finding_fails_synthesis(synthesize):
    from aws_cdk import aws_sqs as sqs

    synth = synthesize("dev", customize=lambda stack: sqs.Queue(stack, "Unencrypted", enforce_ssl=False))
    assert synth.synth_error is not None
    assert any("AwsSolutions-SQS" in violation for violation in synth.nag_violations())


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_cfn_lint_reports_no_errors(stage, request):
    synth = request.getfixturevalue(stage)
    template = (synth.outdir / f"{synth.stack.stack_name}.template.json").read_text()
    errors = [str(match) for match in lint(template, config=CFN_LINT) if match.rule.id.startswith("E")]
    assert errors == []


def test_synth_without_a_built_layer_fails_saying_how_to_build_it(tmp_path):
    app = App(context={"layer_dir": str(tmp_path / "missing")}, outdir=str(tmp_path / "out"))
    with pytest.raises(LayerNotBuiltError, match="make layer"):
        build_app(app)
