"""Professionals' documents: the kinds, the accepted file types and the 5 MiB limit, in one place.

Registration records each uploaded document in the professional's ``documents`` map
(kind -> ``StoredDocument.to_item()``) and signs the S3 POST policy with these limits; the
verification workflow's document check reads the stored objects and checks them against the same
limits, because the policy alone is not proof (moto, for one, enforces none of it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from sevamitra.ratecard import get_service

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024

DocumentKind = Literal["id_proof", "qualification", "photo"]
ContentType = Literal["application/pdf", "image/jpeg", "image/png"]

# The first bytes every file of the declared type starts with.
MAGIC_BYTES: dict[str, bytes] = {
    "application/pdf": b"%PDF-",
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
}
SNIFF_BYTES = max(len(magic) for magic in MAGIC_BYTES.values())


def bytes_match(content_type: str, head: bytes) -> bool:
    """Whether ``head`` (the object's first bytes) really is a file of ``content_type``."""
    magic = MAGIC_BYTES.get(content_type)
    return magic is not None and head.startswith(magic)


def required_kinds(service_ids: Iterable[str]) -> set[str]:
    """An ID proof always; a qualification when any chosen service requires one."""
    kinds = {"id_proof"}
    if any(get_service(service_id).requires_qualification for service_id in service_ids):
        kinds.add("qualification")
    return kinds


def document_key(professional_id: str, document_id: str) -> str:
    """The S3 key of an uploaded document (private bucket, never shown to clients)."""
    return f"professionals/{professional_id}/documents/{document_id}"


@dataclass(frozen=True)
class StoredDocument:
    """One entry of a professional's ``documents`` map, keyed by kind."""

    document_id: str
    key: str
    content_type: str

    def to_item(self) -> dict[str, str]:
        return {"document_id": self.document_id, "key": self.key, "content_type": self.content_type}

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> StoredDocument:
        return cls(
            document_id=str(item["document_id"]), key=str(item["key"]), content_type=str(item["content_type"])
        )
