"""Route moto's Lambda invocations to the in-process handlers.

moto's Docker-free Lambda backend only echoes the payload. The state machine's Lambda tasks must
run the real code, so ``install_lambda_router`` replaces ``LambdaSimpleBackend.invoke`` with a call
to the handler of the ``Entry`` whose deployed name (``<prefix><function>-<module>``) is invoked.
An exception becomes an ``Unhandled`` function error, so the ASL's Retry and Catch behave as in AWS.
"""

from __future__ import annotations

import json
import traceback
from typing import Any

from moto.awslambda_simple.models import LambdaSimpleBackend

from local.dispatch import call_handler
from sevamitra.edge.routes import MESSAGE_ENTRIES, SCHEDULED_JOBS, WORKFLOW_ENTRIES, Entry

_ORIGINAL_INVOKE = LambdaSimpleBackend.invoke


def deployed_name(prefix: str, entry: Entry) -> str:
    """The Lambda function name of ``entry``, as the CDK stack and the local stack name it."""
    return f"{prefix}{entry.name}"


def _entries() -> list[Entry]:
    return [*WORKFLOW_ENTRIES, *(job.entry for job in SCHEDULED_JOBS), *MESSAGE_ENTRIES]


def _function_name(name_or_arn: str) -> str:
    # arn:aws:lambda:region:account:function:name[:qualifier]
    if name_or_arn.startswith("arn:"):
        return name_or_arn.split(":")[6]
    return name_or_arn


def run_entry(entry: Entry, payload: Any) -> Any:
    return call_handler(entry.function, entry.module, payload, entry.name)


def install_lambda_router(prefix: str) -> None:
    """Make every moto Lambda invocation of a known entry run its handler in this process."""
    by_name = {deployed_name(prefix, entry): entry for entry in _entries()}

    def invoke(
        self: LambdaSimpleBackend,
        function_name: str,
        qualifier: str | None,
        body: Any,
        headers: Any,
        response_headers: Any,
    ) -> bytes | str | None:
        entry = by_name.get(_function_name(function_name))
        if entry is None:
            return _ORIGINAL_INVOKE(self, function_name, qualifier, body, headers, response_headers)
        try:
            payload = json.loads(body) if body else {}
            return json.dumps(run_entry(entry, payload)).encode()
        except Exception as exc:
            response_headers["x-amz-function-error"] = "Unhandled"
            return json.dumps(
                {
                    "errorMessage": str(exc),
                    "errorType": type(exc).__name__,
                    "stackTrace": traceback.format_exc(),
                }
            ).encode()

    LambdaSimpleBackend.invoke = invoke  # type: ignore[method-assign]


def uninstall_lambda_router() -> None:
    LambdaSimpleBackend.invoke = _ORIGINAL_INVOKE  # type: ignore[method-assign]
