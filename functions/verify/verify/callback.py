"""The police callback and the officers' list of pending requests.

Callback order (docs/decisions.md): look the request up; an answered request answers a repeat
(200) or a conflict (409) at once; otherwise resume the waiting task with ``SendTaskSuccess``
first and record the answer after. The task token is single-use, so Step Functions itself makes
sure only one answer ever moves the workflow; nothing is written unless that succeeded, so a
503 is safe to retry.
"""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError

from sevamitra.data import verifications as repo
from sevamitra.data.verifications import RequestState
from sevamitra.edge import cursors
from sevamitra.edge.auth import Caller
from sevamitra.edge.errors import Conflict, DependencyFailed, NotFound, Throttled
from sevamitra.platform.clock import Clock, iso, utc_now
from sevamitra.platform.observability import logger
from verify.aws import send_answer
from verify.models import CallbackIn, CallbackOut, PendingRequest, PendingRequestsOut, PoliceAnswer

LIST_ROUTE = "GET /verification/requests"


def answer_request(callback: CallbackIn, *, now: Clock = utc_now) -> CallbackOut:
    request = repo.get_request(callback.request_id)
    if request is None:
        raise NotFound("unknown_request", f"No verification request {callback.request_id!r}.")
    recorded = CallbackOut(request_id=callback.request_id, result=callback.result)
    if request.result is not None:
        if request.result == callback.result:
            return recorded
        raise Conflict("already_decided")
    if request.state != RequestState.PENDING or not request.task_token:
        raise Conflict("request_closed")
    answer = PoliceAnswer(
        result=callback.result,
        case_refs=callback.case_refs,
        remarks=callback.remarks,
        answered_at=iso(now()),
    )
    try:
        send_answer(request.task_token, answer)
    except (ClientError, BotoCoreError) as exc:
        # A stale token (the workflow is between an escalation and waiting again, or another
        # answer just won) or Step Functions being down: nothing is recorded, the client retries.
        code = exc.response.get("Error", {}).get("Code") if isinstance(exc, ClientError) else None
        logger.warning(
            "could not resume the workflow", extra={"request_id": request.request_id, "code": code}
        )
        raise DependencyFailed(
            message="The verification workflow did not take the answer; retry shortly."
        ) from exc
    # The workflow has the answer; recording it here too lets a repeat be answered at once (the
    # decision step records it as well, so a failure here loses nothing). Throttled or failed,
    # the answer stands: a 429 or 503 now would ask the police to retry a delivered answer.
    try:
        repo.record_answer(
            request.request_id, answer.result, answer.case_refs, answer.remarks, answer.answered_at
        )
    except (DependencyFailed, Throttled):
        logger.warning("answer delivered but not recorded yet", extra={"request_id": request.request_id})
    logger.info("police answer delivered", extra={"request_id": request.request_id, "result": answer.result})
    return recorded


def pending_requests(
    caller: Caller, *, district: str | None, limit: int, cursor: str | None
) -> PendingRequestsOut:
    """Officers: unanswered police requests (of one district), newest first, one page."""
    caller.require_officer()
    scope = cursors.scope_of(LIST_ROUTE, caller.sub, "pending", district)
    page = repo.list_pending(district, limit=limit, state=cursors.decode(cursor, scope))
    return PendingRequestsOut(
        requests=[
            PendingRequest(
                request_id=r.request_id,
                professional_id=r.professional_id,
                district=r.district,
                requested_at=r.requested_at,
            )
            for r in page.items
        ],
        next_cursor=cursors.encode(page.state, scope),
    )
