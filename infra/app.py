"""The CDK app: ``python -m infra.app`` (what ``cdk.json`` runs, from the repository root).

Context: ``stage`` (``dev`` | ``prod``, default ``dev``), ``layer_dir`` (a built layer, default
``build/layer``: ``make layer``), ``allowed_origins`` (comma-separated: the CORS origins of the
API and of document uploads, instead of the stage's own portal), ``alarm_email`` (subscribes an
address to the alarm topic). cdk-nag's AwsSolutions pack validates every synth.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from aws_cdk import App, Validations
from cdk_nag import AwsSolutionsChecks

from infra import constants
from infra.layer import LayerNotBuiltError, require_built
from infra.stack import SevaMitraStack


def build_app(app: App | None = None, **stack_kwargs: Any) -> tuple[App, SevaMitraStack]:
    """The app with the stage's stack and cdk-nag; ``stack_kwargs`` reach ``SevaMitraStack``
    (tests pass fake workflow entries and scheduled jobs)."""
    app = app or App()
    stage = constants.stage_settings(
        app.node.try_get_context(constants.CONTEXT_STAGE) or constants.DEFAULT_STAGE,
        app.node.try_get_context(constants.CONTEXT_ALLOWED_ORIGINS),
        app.node.try_get_context(constants.CONTEXT_ALARM_EMAIL),
    )
    layer_dir = require_built(
        Path(app.node.try_get_context(constants.CONTEXT_LAYER_DIR) or constants.DEFAULT_LAYER_DIR)
    )
    stack = SevaMitraStack(
        app,
        stage.stack_name,
        stage=stage,
        layer_dir=layer_dir,
        description=f"Seva Mitra backend, stage {stage.name}",
        **stack_kwargs,
    )
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return app, stack


def main() -> None:
    try:
        app, _ = build_app()
    except (LayerNotBuiltError, ValueError) as error:
        sys.exit(f"error: {error}")
    app.synth()


if __name__ == "__main__":
    main()
