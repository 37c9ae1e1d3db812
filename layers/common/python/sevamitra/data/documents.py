"""Documents in S3: presigned POST uploads whose policy fixes key, type and size, and existence
checks of the stored objects. Objects are private; the bucket denies public access."""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from sevamitra.errors import DependencyFailed
from sevamitra.professionals import MAX_DOCUMENT_BYTES
from sevamitra.settings import settings


@cache
def _s3() -> Any:
    return boto3.client("s3", region_name=settings().aws_region, config=Config(signature_version="s3v4"))


def document_key(professional_id: str, kind: str, document_id: str) -> str:
    """Every document of a professional lives under ``professionals/<id>/``."""
    return f"professionals/{professional_id}/{kind}/{document_id}"


def upload_form(key: str, content_type: str, sse: str) -> tuple[dict[str, str], list[Any]]:
    """Fields and policy conditions of an upload: exactly this key and content type, the server-
    side encryption header, and 1 byte .. 5 MiB. (boto3 adds the bucket and key conditions too.)"""
    fields = {"Content-Type": content_type, "x-amz-server-side-encryption": sse}
    conditions: list[Any] = [
        {"Content-Type": content_type},
        {"x-amz-server-side-encryption": sse},
        ["content-length-range", 1, MAX_DOCUMENT_BYTES],
    ]
    return fields, conditions


def presigned_upload(key: str, content_type: str, *, expires_in_s: int, sse: str) -> dict[str, Any]:
    """``{"url", "fields"}`` for an HTML-form POST straight to the bucket. Signing is local: no call."""
    fields, conditions = upload_form(key, content_type, sse)
    try:
        post: dict[str, Any] = _s3().generate_presigned_post(
            Bucket=settings().documents_bucket,
            Key=key,
            Fields=fields,
            Conditions=conditions,
            ExpiresIn=expires_in_s,
        )
    except (ClientError, BotoCoreError) as exc:
        raise DependencyFailed(message="Document storage is unavailable; it is safe to retry.") from exc
    return post


def object_exists(key: str) -> bool:
    """True when the object has been uploaded (content checks are the verification workflow's)."""
    try:
        _s3().head_object(Bucket=settings().documents_bucket, Key=key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return False
        raise DependencyFailed(message="Document storage is unavailable; it is safe to retry.") from exc
    except BotoCoreError as exc:
        raise DependencyFailed(message="Document storage is unavailable; it is safe to retry.") from exc
    return True
