"""Call a function's Lambda handler in-process, as API Gateway or Step Functions would."""

from __future__ import annotations

import importlib
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from sevamitra.edge.routes import Function


@dataclass
class LocalContext:
    """The parts of the Lambda context the handlers and Powertools read."""

    function_name: str
    memory_limit_in_mb: int = 256
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:ap-south-1:123456789012:function:{self.function_name}"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 30_000


# A Lambda execution environment handles one event at a time, and the handlers rely on it: a
# Powertools resolver keeps the current event on the module-level ``app``. In one process with a
# threaded gateway, each handler module therefore runs one invocation at a time, like a function
# with a single warm container.
_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _lock_for(module_name: str) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(module_name, threading.Lock())


def handler_module(function: Function | str, module: str = "handler") -> Any:
    return importlib.import_module(f"{Function(function).value}.{module}")


def call_handler(function: Function | str, module: str, event: Any, function_name: str) -> Any:
    """Run ``<function>.<module>.lambda_handler(event, context)``, one invocation per module at a time."""
    handler = handler_module(function, module)
    with _lock_for(handler.__name__):
        return handler.lambda_handler(event, LocalContext(function_name))


def invoke(function: Function | str, event: dict[str, Any], module: str = "handler") -> Any:
    return call_handler(function, module, event, f"sevamitra-{Function(function).value}")
