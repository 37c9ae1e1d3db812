"""The verify function's AWS clients, created lazily and once per cold start, and the police
callback key (Secrets Manager, cached for a few minutes so a rotated key is picked up)."""

from __future__ import annotations

import time
from functools import cache
from typing import Any

import boto3

from sevamitra.data.errors import dependency_errors
from sevamitra.settings import settings

KEY_CACHE_S = 300
_key_cache: dict[str, tuple[float, bytes]] = {}


@cache
def sfn() -> Any:
    return boto3.client("stepfunctions", region_name=settings().aws_region)


@cache
def _secrets() -> Any:
    return boto3.client("secretsmanager", region_name=settings().aws_region)


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
