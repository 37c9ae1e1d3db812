"""Request and response models of the verify function (HTTP routes and workflow steps)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from sevamitra.domain.types import Model
from sevamitra.edge.paging import NextCursor

PoliceResult = Literal["clear", "adverse"]
CaseRef = Annotated[str, Field(min_length=1, max_length=100)]


class CallbackIn(Model):
    """A police department system's answer to a verification request."""

    request_id: str = Field(min_length=1, max_length=100)
    result: PoliceResult
    case_refs: list[CaseRef] = Field(default_factory=list, max_length=50)
    remarks: str | None = Field(default=None, max_length=2000)


class CallbackOut(Model):
    request_id: str
    result: PoliceResult
    status: Literal["recorded"] = "recorded"


class PendingRequest(Model):
    request_id: str
    professional_id: str
    district: str
    requested_at: str


class PendingRequestsOut(Model):
    requests: list[PendingRequest]
    next_cursor: NextCursor


# --- workflow steps (the state machine's Lambda payloads) --------------------------------------


class _Step(Model):
    model_config = ConfigDict(extra="ignore")

    professional_id: str = Field(min_length=1)
    execution: str = ""


class CheckDocuments(_Step):
    action: Literal["check_documents"]


class RequestPolice(_Step):
    action: Literal["request_police"]
    request_id: str = Field(min_length=1)
    task_token: str = Field(min_length=1)


class Escalate(_Step):
    action: Literal["escalate"]
    request_id: str = Field(min_length=1)
    escalation: int = Field(ge=1)


class AwaitAnswer(_Step):
    action: Literal["await_answer"]
    request_id: str = Field(min_length=1)
    task_token: str = Field(min_length=1)


class PoliceAnswer(Model):
    """What the callback hands the waiting task (SendTaskSuccess output)."""

    result: PoliceResult
    case_refs: list[str] = Field(default_factory=list)
    remarks: str | None = None
    answered_at: str


class Decide(_Step):
    action: Literal["decide"]
    request_id: str = Field(min_length=1)
    answer: PoliceAnswer


class StepError(Model):
    Error: str = "Unknown"
    Cause: str | None = None


class HandleFailure(_Step):
    action: Literal["handle_failure"]
    request_id: str | None = None
    error: StepError = Field(default_factory=StepError)


StepEvent = Annotated[
    CheckDocuments | RequestPolice | Escalate | AwaitAnswer | Decide | HandleFailure,
    Field(discriminator="action"),
]
