"""The verification workflow (Step Functions) as registration sees it: start it, once per
submission. Submission ``n`` of a professional runs as the execution ``<professional_id>-<n>``:
the name makes a retried start idempotent and lets a retried submit find the execution."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from sevamitra.data.errors import dependency_errors, error_code
from sevamitra.edge.errors import DependencyFailed
from sevamitra.platform import aws
from sevamitra.platform.settings import settings


def _sfn() -> Any:
    return aws.client("stepfunctions")


def _state_machine_arn() -> str:
    arn = settings().verification_state_machine_arn
    if not arn:
        raise DependencyFailed(message="The verification workflow is not configured.")
    return arn


def execution_name(professional_id: str, submission: int) -> str:
    return f"{professional_id}-{submission}"


def execution_arn(professional_id: str, submission: int) -> str:
    """``arn:aws:states:<region>:<account>:execution:<state machine name>:<execution name>``."""
    prefix = _state_machine_arn().replace(":stateMachine:", ":execution:", 1)
    return f"{prefix}:{execution_name(professional_id, submission)}"


def start_verification(professional_id: str, submission: int) -> str:
    """Start (or find already started) the execution of this submission; its ARN."""
    with dependency_errors("The verification workflow"):
        try:
            response = _sfn().start_execution(
                stateMachineArn=_state_machine_arn(),
                name=execution_name(professional_id, submission),
                input=json.dumps({"professional_id": professional_id}),
            )
        except ClientError as exc:
            if error_code(exc) == "ExecutionAlreadyExists":
                return execution_arn(professional_id, submission)
            raise
    return str(response["executionArn"])


def verification_started(professional_id: str, submission: int) -> bool:
    with dependency_errors("The verification workflow"):
        try:
            _sfn().describe_execution(executionArn=execution_arn(professional_id, submission))
        except ClientError as exc:
            if error_code(exc) == "ExecutionDoesNotExist":
                return False
            raise
    return True
