"""Powertools' catch-all package ``__init__``s, loaded on demand (docs/decisions.md, "Cold
starts: Powertools' catch-all packages load on demand").

``aws_lambda_powertools.event_handler/__init__`` imports every resolver Powertools has (AppSync's
imports ``asyncio``; Bedrock, VPC Lattice, Lambda URLs, ...), ``event_handler/openapi/__init__``
the OpenAPI merging tool and ``utilities/data_classes/__init__`` every event class (CodePipeline's
imports ``zipfile`` and ``tempfile``), although a function uses one REST resolver and a few
classes. Importing any of their submodules runs those ``__init__``s first. ``defer_package_inits``
puts each package into ``sys.modules`` as the same package (same ``__path__``, ``__spec__`` and
file) without running its ``__init__``: a name the project's import path asks for is loaded from
the submodule that defines it (``EXPORTS``, held to the real ``__init__``s by
tests/unit/test_lazy_imports.py), a submodule is imported as usual, and any other name runs the
real ``__init__`` in the package then, so every import that worked before still works.

Each function package's ``__init__`` imports this module, so it runs before a handler's first
Powertools import; nothing here is needed per request.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Mapping

EVENT_HANDLER = "aws_lambda_powertools.event_handler"
OPENAPI = "aws_lambda_powertools.event_handler.openapi"
DATA_CLASSES = "aws_lambda_powertools.utilities.data_classes"

# For each package, the names the project and the Powertools modules it loads import from the
# package itself, with the submodule that defines each.
EXPORTS: Mapping[str, Mapping[str, str]] = {
    EVENT_HANDLER: {
        "APIGatewayRestResolver": "api_gateway",
        "ApiGatewayResolver": "api_gateway",
        "CORSConfig": "api_gateway",
        "Response": "api_gateway",
        "Depends": "depends",
        "DependencyResolutionError": "depends",
        "Request": "request",
    },
    # The OpenAPI schema merging tool (for generating documents, never used in a function).
    OPENAPI: {"OpenAPIMergeError": "exceptions"},
    DATA_CLASSES: {
        "ALBEvent": "alb_event",
        "APIGatewayProxyEvent": "api_gateway_proxy_event",
        "APIGatewayProxyEventV2": "api_gateway_proxy_event",
        "BedrockAgentEvent": "bedrock_agent_event",
        "LambdaFunctionUrlEvent": "lambda_function_url_event",
        "VPCLatticeEvent": "vpc_lattice",
        "VPCLatticeEventV2": "vpc_lattice",
        "S3Event": "s3_event",
        "SQSEvent": "sqs_event",
        "SQSRecord": "sqs_event",
    },
}


def defer_package_init(package: str, exports: Mapping[str, str]) -> None:
    """Register ``package`` without running its ``__init__`` (nothing if it is already imported)."""
    if package in sys.modules:
        return
    spec = importlib.util.find_spec(package)
    if spec is None or spec.loader is None or not spec.submodule_search_locations:
        return
    module = importlib.util.module_from_spec(spec)
    folder = next(iter(spec.submodule_search_locations))
    loader = spec.loader
    whole: list[bool] = []

    def __getattr__(name: str) -> object:
        submodule = exports.get(name)
        if submodule is not None:
            value = getattr(importlib.import_module(f"{package}.{submodule}"), name)
            setattr(module, name, value)
            return value
        is_submodule = os.path.exists(os.path.join(folder, f"{name}.py")) or os.path.isdir(
            os.path.join(folder, name)
        )
        if name.startswith("__") or is_submodule or whole:
            # A submodule: `from package import submodule` then imports it as usual.
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        whole.append(True)
        loader.exec_module(module)  # the real __init__, for a name it alone defines
        return getattr(module, name)

    module.__getattr__ = __getattr__  # type: ignore[method-assign]
    sys.modules[package] = module
    parent, _, child = package.rpartition(".")
    setattr(importlib.import_module(parent), child, module)


def defer_package_inits() -> None:
    for package, exports in EXPORTS.items():
        defer_package_init(package, exports)


defer_package_inits()
