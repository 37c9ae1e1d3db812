"""Call a function's Lambda handler in-process, as API Gateway or Step Functions would."""

from __future__ import annotations

import importlib
import uuid
from dataclasses import dataclass, field
from typing import Any

from sevamitra.routes import Function


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


def handler_module(function: Function | str, module: str = "handler") -> Any:
    return importlib.import_module(f"{Function(function).value}.{module}")


def invoke(function: Function | str, event: dict[str, Any], module: str = "handler") -> Any:
    return handler_module(function, module).lambda_handler(
        event, LocalContext(f"sevamitra-{Function(function).value}")
    )
