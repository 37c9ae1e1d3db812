"""The verify function's AWS clients, created lazily and once per cold start, the police
callback key (Secrets Manager, cached for a few minutes so a rotated key is picked up), and
resuming the workflow's waiting task (the callback's one Step Functions call: the callback does not
load the workflow's steps)."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from sevamitra.data.errors import dependency_errors
from sevamitra.platform import aws
from sevamitra.platform.settings import settings

if TYPE_CHECKING:
    from verify.models import PoliceAnswer

KEY_CACHE_S = 300
_key_cache: dict[str, tuple[float, bytes]] = {}


def sfn() -> Any:
    return aws.client("stepfunctions")


def send_answer(task_token: str, answer: PoliceAnswer) -> None:
    """Resume the waiting task. Raises ``ClientError`` (the caller decides what it means)."""
    sfn().send_task_success(taskToken=task_token, output=json.dumps(answer.model_dump()))


def _secrets() -> Any:
    return aws.client("secretsmanager")


def police_key() -> bytes:
    """The shared HMAC key: the ``SecretString`` of ``POLICE_SECRET_ARN``."""
    arn = settings().police_secret_arn
    cached = _key_cache.get(arn)
    if cached is not None and time.monotonic() - cached[0] < KEY_CACHE_S:
        return cached[1]
    with dependency_errors("Reading the police callback key"):
        key = _secrets().get_secret_value(SecretId=arn)["SecretString"].encode()
    _key_cache[arn] = (time.monotonic(), key)
    return key


def forget_police_key() -> None:
    _key_cache.clear()
