"""SDK failures become domain exceptions here, so no handler ever sees a botocore error."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from botocore.exceptions import BotoCoreError, ClientError
from pynamodb.exceptions import PynamoDBException

from sevamitra.edge.errors import DependencyFailed, DomainError, Throttled

_THROTTLING = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "TooManyRequestsException",
}


def error_code(exc: BaseException) -> str | None:
    """The AWS error code of an SDK failure (a botocore ``ClientError``, or a pynamodb error
    raised from one)."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ClientError):
            return str(cause.response.get("Error", {}).get("Code"))
        cause = cause.__cause__
    return getattr(exc, "cause_response_code", None)


def is_throttling(exc: BaseException) -> bool:
    """Whether an SDK failure (or what it was raised from) is AWS throttling."""
    return error_code(exc) in _THROTTLING


@contextmanager
def dependency_errors(what: str) -> Iterator[None]:
    """Turn AWS SDK failures into ``Throttled`` (429) or ``DependencyFailed`` (503).

    Use it around calls whose expected outcomes (a failed condition, a missing item) the caller
    has already handled inside the block."""
    try:
        yield
    except (PynamoDBException, ClientError, BotoCoreError) as exc:
        raise dependency_error(what, exc) from exc


def dependency_error(what: str, exc: BaseException) -> DomainError:
    """The client's answer to an SDK failure of ``what``: 429 when AWS throttled it, else 503."""
    if is_throttling(exc):
        return Throttled(message=f"{what} is busy; retry shortly.")
    return DependencyFailed(message=f"{what} failed; it is safe to retry.")
