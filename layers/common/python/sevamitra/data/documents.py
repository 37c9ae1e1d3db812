"""Documents in S3: presigned POST uploads whose policy fixes key, type and size (registration),
and what is really stored under a key (registration's submit, the workflow's document check).
Objects are private; the bucket denies public access."""

from __future__ import annotations

from typing import Any, NamedTuple

from botocore.exceptions import ClientError

from sevamitra.data.errors import dependency_errors
from sevamitra.domain.documents import MAX_DOCUMENT_BYTES, SNIFF_BYTES
from sevamitra.platform import aws
from sevamitra.platform.settings import settings

_NOT_FOUND = frozenset({"404", "NoSuchKey", "NotFound"})


def _s3() -> Any:
    return aws.client("s3")


def _not_found(exc: ClientError) -> bool:
    return exc.response.get("Error", {}).get("Code") in _NOT_FOUND


def upload_form(
    key: str, content_type: str, sse: str, kms_key_id: str = ""
) -> tuple[dict[str, str], list[Any]]:
    """Fields and policy conditions of an upload: exactly this key and content type, the server-
    side encryption header (and, with ``aws:kms``, the customer-managed key, else S3 would use
    ``aws/s3``), and 1 byte .. 5 MiB. (botocore adds the bucket and key conditions too.)"""
    fields = {"Content-Type": content_type, "x-amz-server-side-encryption": sse}
    if kms_key_id:
        fields["x-amz-server-side-encryption-aws-kms-key-id"] = kms_key_id
    conditions: list[Any] = [{name: value} for name, value in fields.items()]
    conditions.append(["content-length-range", 1, MAX_DOCUMENT_BYTES])
    return fields, conditions


def presigned_upload(
    key: str, content_type: str, *, expires_in_s: int, sse: str, kms_key_id: str = ""
) -> dict[str, Any]:
    """``{"url", "fields"}`` for an HTML-form POST straight to the bucket. Signing is local: no call."""
    fields, conditions = upload_form(key, content_type, sse, kms_key_id)
    with dependency_errors("Document storage"):
        post: dict[str, Any] = _s3().generate_presigned_post(
            Bucket=settings().documents_bucket,
            Key=key,
            Fields=fields,
            Conditions=conditions,
            ExpiresIn=expires_in_s,
        )
    return post


def _size(key: str) -> int | None:
    """The stored object's size, or None when nothing is stored under ``key``."""
    with dependency_errors("Document storage"):
        try:
            response = _s3().head_object(Bucket=settings().documents_bucket, Key=key)
        except ClientError as exc:
            if _not_found(exc):
                return None
            raise
    return int(response["ContentLength"])


def object_exists(key: str) -> bool:
    """True when the object has been uploaded (content checks are the verification workflow's)."""
    return _size(key) is not None


class StoredObject(NamedTuple):
    """What the document check needs of a stored object: its size and its first bytes, and which
    version of the key those are (S3 version id, ``None`` on an unversioned bucket; ETag without
    quotes), so the check can pin what it passed."""

    size: int
    head: bytes
    version_id: str | None = None
    etag: str = ""


def stored_object(key: str) -> StoredObject | None:
    """Size and first ``SNIFF_BYTES`` bytes of the newest object at ``key``, or None when nothing
    was uploaded. Only the head is read, whatever the object's size, and it is read from the very
    version HeadObject described (by version id, or by ETag where there is none), so a post
    landing in between cannot pair one version's size with another's bytes."""
    with dependency_errors("Document storage"):
        try:
            described = _s3().head_object(Bucket=settings().documents_bucket, Key=key)
        except ClientError as exc:
            if _not_found(exc):
                return None
            raise
    size = int(described["ContentLength"])
    version_id = described.get("VersionId")
    etag = str(described["ETag"]).strip('"')
    if size == 0:
        return StoredObject(0, b"", version_id, etag)
    same_version = {"VersionId": version_id} if version_id else {"IfMatch": f'"{etag}"'}
    with dependency_errors("Document storage"):
        body = _s3().get_object(
            Bucket=settings().documents_bucket, Key=key, Range=f"bytes=0-{SNIFF_BYTES - 1}", **same_version
        )["Body"]
        return StoredObject(size, body.read(SNIFF_BYTES), version_id, etag)


def presigned_download(key: str, content_type: str, filename: str, *, expires_in_s: int) -> str:
    """A presigned GET of ``key`` valid for ``expires_in_s``, whose response S3 sends as
    ``content_type`` and as an attachment named ``filename``, whatever the uploader declared:
    a crafted upload is saved as a file, never rendered as a page from the bucket's origin.
    Signing is local: no call."""
    with dependency_errors("Document storage"):
        url: str = _s3().generate_presigned_url(
            "get_object",
            Params={
                "Bucket": settings().documents_bucket,
                "Key": key,
                "ResponseContentType": content_type,
                "ResponseContentDisposition": f'attachment; filename="{filename}"',
            },
            ExpiresIn=expires_in_s,
        )
    return url
