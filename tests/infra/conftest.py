"""Synthesize the CDK app once per session (per stage) and read the template back.

The layer comes from a tiny temporary directory passed as the ``layer_dir`` context, so no test
runs pip. The context is ``cdk.json``'s, as for ``make synth``."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, CfnElement
from aws_cdk.assertions import Template

from infra.app import build_app
from infra.stack import SevaMitraStack

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Synthesized:
    stack: SevaMitraStack
    template: Template
    outdir: Path
    synth_error: str | None = None
    _json: dict[str, Any] = field(default_factory=dict)

    @property
    def json(self) -> dict[str, Any]:
        if not self._json:
            self._json = self.template.to_json()
        return self._json

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        return self.json["Resources"]

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {key: res for key, res in self.resources.items() if res["Type"] == resource_type}

    def logical_id(self, construct: Any) -> str:
        # Some L2s (ApiDestination, Connection) name their one resource after themselves
        # without marking it the default child.
        child = construct.node.default_child
        if child is None:
            (child,) = [c for c in construct.node.children if isinstance(c, CfnElement)]
        return self.stack.get_logical_id(child)

    @property
    def portal_origin(self) -> dict[str, Any]:
        """``https://<the portal's CloudFront domain>`` as the template writes it."""
        distribution = self.logical_id(self.stack.portal.distribution)
        return {"Fn::Join": ["", ["https://", {"Fn::GetAtt": [distribution, "DomainName"]}]]}

    def nag_violations(self) -> list[str]:
        """Every finding of the cdk-nag validation plugin (CDK writes the report only when there are some)."""
        path = self.outdir / "validation-report.json"
        report = json.loads(path.read_text()) if path.exists() else {}
        return [
            f"{violation['ruleName']} ({violation['severity']}) at {construct['constructPath']}"
            for plugin in report.get("pluginReports", [])
            for violation in plugin["violations"]
            for construct in violation["violatingConstructs"]
        ]


def cdk_context() -> dict[str, Any]:
    return json.loads((ROOT / "cdk.json").read_text())["context"]


@pytest.fixture(scope="session")
def layer_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    layer = tmp_path_factory.mktemp("layer")
    package = layer / "python" / "sevamitra"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('"""stand-in for the built layer"""\n')
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "__init__.cpython-313.pyc").write_bytes(b"stand-in bytecode")
    (layer / ".stamp").touch()
    return layer


SynthFactory = Callable[..., Synthesized]


@pytest.fixture(scope="session")
def synthesize(tmp_path_factory: pytest.TempPathFactory, layer_dir: Path) -> SynthFactory:
    """``synthesize(stage, customize=None, context=None)``: the app as ``make synth`` builds it,
    cdk-nag on. ``customize(stack)`` may add to the stack before synthesis; ``context`` adds to
    cdk.json's (``--context key=value``)."""

    def run(
        stage: str = "dev",
        customize: Callable[[SevaMitraStack], None] | None = None,
        context: dict[str, str] | None = None,
        **stack_kwargs,
    ):
        outdir = tmp_path_factory.mktemp(f"cdk-{stage}")
        app = App(
            context={**cdk_context(), "stage": stage, "layer_dir": str(layer_dir), **(context or {})},
            outdir=str(outdir),
        )
        app, stack = build_app(app, **stack_kwargs)
        if customize:
            customize(stack)
        error = None
        try:
            app.synth()
        except RuntimeError as failure:  # cdk-nag findings fail synthesis; the report says which
            error = str(failure)
        template = json.loads((outdir / f"{stack.stack_name}.template.json").read_text())
        return Synthesized(
            stack=stack, template=Template.from_json(template), outdir=outdir, synth_error=error
        )

    return run


@pytest.fixture(scope="session")
def dev(synthesize: SynthFactory) -> Synthesized:
    return synthesize("dev")


@pytest.fixture(scope="session")
def prod(synthesize: SynthFactory) -> Synthesized:
    return synthesize("prod")
