"""Helpers for the verification tests: seeded professionals with stored documents, executions
of the real state machine, signed police callbacks, and the events on the bus."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import boto3

from local.client import SAMPLE_JPEG, SAMPLE_PDF, poll_until
from local.provision import cached_client
from register import logic
from register.logic import Registration
from register.models import DocumentRequestIn
from sevamitra.data import professionals as professionals_repo
from sevamitra.data.models import ProfessionalModel
from sevamitra.domain.documents import MAX_DOCUMENT_BYTES
from sevamitra.edge import pii, signing
from sevamitra.edge.auth import Caller
from sevamitra.platform.clock import iso, utc_now
from sevamitra.platform.settings import settings
from tests.integration.conftest import POLICE_KEY, Api, ApiResponse

PDF, JPEG = SAMPLE_PDF, SAMPLE_JPEG
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
# A service that needs no qualification, and one that does.
PLAIN_SERVICE = "electrician_fan_installation"

T = TypeVar("T")


def qualified_service() -> str:
    from sevamitra.domain.ratecard import rate_card

    return next(s.id for s in rate_card().values() if s.requires_qualification)


def seed_professional(
    documents: dict[str, tuple[str, bytes | None]] | None = None,
    *,
    services: list[str] | None = None,
    professional_id: str = "pro_test",
    district: str = "Lucknow",
) -> str:
    """A professional as registration leaves it after submit, made by registration's own logic
    (so the workflow reads exactly the records registration writes): registered, one upload
    requested per kind with its object stored (``None`` bytes: requested but never uploaded),
    submitted as submission 1 (``verification_pending``, stage ``submitted``) with submit's own
    write. The execution is not started: tests start it (``start``) on the state machine they want."""
    documents = {"id_proof": ("application/pdf", PDF)} if documents is None else documents
    caller = Caller(sub=f"sub-{professional_id}", groups=frozenset())
    registration = Registration(
        request={
            "name": "Ramesh Kumar",
            "services": services or [PLAIN_SERVICE],
            "location": {"lat": 26.85, "lng": 80.95},
            "district": district,
            "qualification": {"kind": "iti", "title": "Electrician"},
        },
        aadhaar=pii.Identity(f"aadhaar-{professional_id}", "1234"),
        mobile=pii.Identity(f"mobile-{professional_id}", "3210"),
    )
    logic.register_professional(caller, registration, ids=lambda _: professional_id)
    s3 = cached_client("s3", settings().aws_region)
    for kind, (content_type, body) in documents.items():
        request = DocumentRequestIn.model_validate(
            {
                "kind": kind,
                "content_type": content_type,
                "size_bytes": min(len(body or b"x"), MAX_DOCUMENT_BYTES),
            }
        )
        upload = logic.request_document_upload(
            caller, professional_id, request, ids=lambda _, kind=kind: f"doc_{kind}"
        )
        if body is not None:
            s3.put_object(
                Bucket=settings().documents_bucket, Key=upload.record.key, Body=body, ContentType=content_type
            )
    # Submit's own write, without its checks: the workflow must catch what submit would refuse.
    registered = professionals_repo.load_professional(professional_id)
    professionals_repo.begin_submission(registered, 1, registered.documents, iso(utc_now()))
    return professional_id


def professional(professional_id: str = "pro_test") -> ProfessionalModel:
    return ProfessionalModel.get(professional_id, consistent_read=True)


def history(professional_id: str = "pro_test") -> list[dict[str, Any]]:
    return list(professional(professional_id).verification.as_dict()["history"])


def stages(professional_id: str = "pro_test") -> list[tuple[str, str | None]]:
    return [(entry["stage"], entry.get("outcome")) for entry in history(professional_id)]


def sfn() -> Any:
    return cached_client("stepfunctions", settings().aws_region)


def start(
    professional_id: str = "pro_test", *, state_machine_arn: str | None = None, attempt: int = 1
) -> str:
    """Start the workflow as registration's submit does."""
    return str(
        sfn().start_execution(
            stateMachineArn=state_machine_arn or settings().verification_state_machine_arn,
            name=f"{professional_id}-{attempt}",
            input=json.dumps({"professional_id": professional_id}),
        )["executionArn"]
    )


def waiting_for_police(
    professional_id: str = "pro_test", *, district: str = "Lucknow", state_machine_arn: str | None = None
) -> tuple[str, str]:
    """A professional as submit leaves them (``seed_professional``), the workflow started and
    waiting for the police: (execution arn, request id)."""
    seed_professional(professional_id=professional_id, district=district)
    execution = start(professional_id, state_machine_arn=state_machine_arn)
    return execution, waiting_request(professional_id)


def eventually(probe: Callable[[], T | None], *, timeout: float = 8.0, what: str = "condition") -> T:
    return poll_until(what, probe, timeout_s=timeout, interval_s=0.05)


def finished(execution_arn: str, *, timeout: float = 8.0) -> str:
    def status() -> str | None:
        current = str(sfn().describe_execution(executionArn=execution_arn)["status"])
        return None if current == "RUNNING" else current

    return eventually(status, timeout=timeout, what=f"execution {execution_arn} to finish")


def waiting_request(professional_id: str = "pro_test", *, timeout: float = 8.0) -> str:
    """The request id once the workflow waits for the police (request stored with its token)."""
    from sevamitra.data.verifications import get_request

    def probe() -> str | None:
        item = professional(professional_id)
        request_id = (item.verification.as_dict() if item.verification else {}).get("request_id")
        if item.status != "police_pending" or not request_id:
            return None
        request = get_request(request_id)
        return request_id if request and request.task_token else None

    return eventually(probe, timeout=timeout, what=f"{professional_id} to wait for the police")


def task_token(request_id: str) -> str | None:
    """The token a police callback for ``request_id`` would resume now."""
    from sevamitra.data.verifications import get_request

    request = get_request(request_id)
    return request.task_token if request else None


def police_deadline_passes(execution_arn: str, request_id: str) -> str:
    """The police deadline of the task now waiting for ``request_id`` passes at once: its wait
    ends exactly as moto's own timer ends it (``CallbackOutcomeTimedOut`` -> ``States.Timeout``,
    caught into Escalate). Tests use the stage's real timeout (7 days) and call this, so the
    escalation happens when the test says, never while an answer is on its way. Returns the
    token that timed out. (SendTaskFailure cannot stand in: ``States.*`` error names are
    reserved.)"""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.stepfunctions.parser.asl.eval.callback.callback import CallbackOutcomeTimedOut
    from moto.stepfunctions.parser.models import stepfunctions_parser_backends

    token = task_token(request_id)
    assert token, f"nothing waits for {request_id}"
    backend = stepfunctions_parser_backends[DEFAULT_ACCOUNT_ID][settings().aws_region]
    execution = backend.describe_execution(execution_arn)
    endpoint = execution.exec_worker.env.callback_pool_manager.get(token)
    assert endpoint is not None, f"{execution_arn} has no task waiting on the token of {request_id}"
    endpoint.notify(CallbackOutcomeTimedOut(callback_id=token))
    return token


def waiting_again(request_id: str, *, timed_out: str, timeout: float = 8.0) -> str:
    """The new token once the workflow waits for ``request_id`` again after the task holding
    ``timed_out`` timed out (the request is still pending). Answer only then: Step Functions
    refuses a timed-out task's token (TaskTimedOut: the callback is 503 and the police retry),
    but moto still takes it, and the answer would go to a task that no longer waits."""
    from sevamitra.data.verifications import RequestState, get_request

    def probe() -> str | None:
        request = get_request(request_id)
        if request is None or request.state != RequestState.PENDING:
            return None
        return request.task_token if request.task_token not in (None, timed_out) else None

    return eventually(probe, timeout=timeout, what=f"the workflow to wait for {request_id} again")


def callback(
    api: Api,
    body: dict[str, Any] | str,
    *,
    key: bytes = POLICE_KEY.encode(),
    timestamp: int | None = None,
    header: str | None = None,
) -> ApiResponse:
    """POST /verification/callback signed as a police system signs it (or with ``header``)."""
    raw = body if isinstance(body, str) else json.dumps(body)
    if header is None:
        header = signing.sign(key, int(time.time()) if timestamp is None else timestamp, raw.encode())
    return api("POST", "/verification/callback", body=raw, headers={signing.HEADER: header})


@dataclass
class EventTap:
    """Events on the stage bus, via a rule -> SQS target (as a subscriber would see them)."""

    queue_url: str
    received: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def wait_for(self, detail_type: str, *, timeout: float = 8.0) -> list[dict[str, Any]]:
        """The details of every ``detail_type`` event so far, once there is at least one: a step
        records its stage first and publishes after, so the event may trail what the test saw."""

        def arrived() -> list[dict[str, Any]]:
            self.received.extend(self.detail_types())
            return [detail for kind, detail in self.received if kind == detail_type]

        return eventually(arrived, timeout=timeout, what=f"a {detail_type} event")

    def detail_types(self) -> list[tuple[str, dict[str, Any]]]:
        sqs = cached_client("sqs", settings().aws_region)
        seen = []
        while True:
            messages = sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10).get(
                "Messages", []
            )
            if not messages:
                return seen
            for message in messages:
                event = json.loads(message["Body"])
                seen.append((event["detail-type"], event["detail"]))
                sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])


def tap_events() -> EventTap:
    region = settings().aws_region
    sqs = boto3.client("sqs", region_name=region)
    queue_url = sqs.create_queue(QueueName="verification-events")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    events = boto3.client("events", region_name=region)
    events.put_rule(
        Name="verification-events",
        EventBusName=settings().event_bus_name,
        EventPattern=json.dumps({"source": ["sevamitra.verification"]}),
    )
    events.put_targets(
        Rule="verification-events",
        EventBusName=settings().event_bus_name,
        Targets=[{"Id": "queue", "Arn": queue_arn}],
    )
    return EventTap(queue_url)
