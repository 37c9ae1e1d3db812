"""Professionals' documents, in one place: the kinds, the accepted file types and the 5 MiB limit,
where the objects live, the record registration keeps of each, and what makes one sound.

Registration records the latest requested upload of each kind in the professional's
``documents`` map (kind -> ``DocumentRecord``) and signs the S3 POST policy with these limits;
the verification workflow's document check reads the objects those records name and checks them
against the same limits, because the policy alone is not proof (moto, for one, enforces none of it).

An upload form stays valid for its whole lifetime, so it can be posted again after the check. The
bucket therefore keeps every version of an object (``BUCKET_VERSIONED``), and the check pins the
exact version it read (``CheckedDocument``): a second post adds a newer version, never changes the
one the check passed and the decision names.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Literal

from pydantic import ConfigDict

from sevamitra.domain.ratecard import get_service
from sevamitra.domain.types import Model

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024

# Every document object's key starts with this (``document_key``); IAM grants are scoped to it.
DOCUMENTS_PREFIX = "professionals/"

# The documents bucket is versioned, in the CDK stack and on the local stack alike (both read this).
BUCKET_VERSIONED = True


class DocumentKind(StrEnum):
    ID_PROOF = "id_proof"
    QUALIFICATION = "qualification"
    PHOTO = "photo"


class DocumentContentType(StrEnum):
    PDF = "application/pdf"
    JPEG = "image/jpeg"
    PNG = "image/png"


# The first bytes every file of the declared type starts with.
MAGIC_BYTES: dict[str, bytes] = {
    DocumentContentType.PDF: b"%PDF-",
    DocumentContentType.JPEG: b"\xff\xd8\xff",
    DocumentContentType.PNG: b"\x89PNG\r\n\x1a\n",
}
SNIFF_BYTES = max(len(magic) for magic in MAGIC_BYTES.values())


def bytes_match(content_type: str, head: bytes) -> bool:
    """Whether ``head`` (the object's first bytes) really is a file of ``content_type``."""
    magic = MAGIC_BYTES.get(content_type)
    return magic is not None and head.startswith(magic)


def required_kinds(service_ids: Iterable[str]) -> list[DocumentKind]:
    """An ID proof always; a qualification when any chosen service requires one."""
    kinds = [DocumentKind.ID_PROOF]
    if any(get_service(service_id).requires_qualification for service_id in service_ids):
        kinds.append(DocumentKind.QUALIFICATION)
    return kinds


def document_key(professional_id: str, kind: str, document_id: str) -> str:
    """The S3 key of an uploaded document: private, under the professional's own prefix."""
    return f"{DOCUMENTS_PREFIX}{professional_id}/{kind}/{document_id}"


class DocumentRecord(Model):
    """The latest requested upload of one kind: the object at ``key`` is the document, once
    uploaded. ``uploaded_at`` is set when submission found the object in the bucket."""

    model_config = ConfigDict(frozen=True)

    document_id: str
    key: str
    content_type: DocumentContentType
    size_bytes: int
    requested_at: str
    uploaded_at: str | None = None


class CheckedDocument(Model):
    """Exactly which bytes the document check read for one kind: the object's key, its S3
    version id (``None`` only on a bucket without versioning, where the ETag alone pins it) and
    ETag (without quotes), and its size. Readers after the check read this version, not the key's
    newest one."""

    model_config = ConfigDict(frozen=True)

    kind: DocumentKind
    document_id: str
    key: str
    version_id: str | None = None
    etag: str
    size_bytes: int


DocumentFault = Literal["missing", "too_large", "wrong_type"]


class FailedDocument(Model):
    """A document the check refused, and why: the professional uploads that kind again."""

    model_config = ConfigDict(frozen=True)

    kind: DocumentKind
    reason: DocumentFault
