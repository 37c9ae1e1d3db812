"""The verification state machine's Lambda entry: one function, dispatching on ``action``.

Exceptions propagate on purpose: Lambda reports them by class name, and the state machine's
Retry/Catch match those names (``DependencyFailed`` and ``Throttled`` are retried with backoff,
``UnexpectedState`` and ``InvalidStepInput`` are not)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import TypeAdapter, ValidationError

from sevamitra.platform.observability import logger, metrics
from verify import workflow
from verify.models import (
    AwaitAnswer,
    CheckDocuments,
    Decide,
    Escalate,
    HandleFailure,
    RequestPolice,
    StepEvent,
)

_STEP: TypeAdapter[Any] = TypeAdapter(StepEvent)


class InvalidStepInput(Exception):
    """The state machine sent a payload this function does not understand; not retried."""


def run(event: dict[str, Any]) -> dict[str, Any]:
    try:
        step = _STEP.validate_python(event)
    except ValidationError as exc:
        raise InvalidStepInput(str(exc)) from exc
    match step:
        case CheckDocuments():
            return workflow.check_documents(step)
        case RequestPolice():
            return workflow.request_police(step)
        case Escalate():
            return workflow.escalate(step)
        case AwaitAnswer():
            return workflow.await_answer(step)
        case Decide():
            return workflow.decide(step)
        case HandleFailure():
            return workflow.handle_failure(step)
    raise InvalidStepInput(f"unknown step {type(step).__name__}")


@logger.inject_lambda_context(correlation_id_path="execution")
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return run(event)
