"""The document check: stored size within 5 MiB and bytes that really are the declared type."""

from __future__ import annotations

import pytest

from sevamitra.data.documents import StoredObject
from sevamitra.domain.documents import (
    MAX_DOCUMENT_BYTES,
    CheckedDocument,
    DocumentContentType,
    DocumentKind,
    DocumentRecord,
    FailedDocument,
    bytes_match,
    required_kinds,
)
from sevamitra.domain.professionals import Professional, ProfessionalStatus, Verification
from sevamitra.domain.ratecard import rate_card
from verify.workflow import inspect_documents, judge

NOW = "2026-11-27T10:00:00Z"

PDF = b"%PDF-1.4\n"
JPEG = b"\xff\xd8\xff\xdb"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("content_type", "head", "expected"),
    [
        ("application/pdf", PDF, True),
        ("image/jpeg", JPEG, True),
        ("image/png", PNG, True),
        ("application/pdf", PNG, False),
        ("image/png", JPEG, False),
        ("image/jpeg", b"\xff\xd8", False),
        ("image/png", b"\x89PNG\r\n\x1a", False),
        ("image/gif", b"GIF89a", False),
        ("application/pdf", b"", False),
    ],
)
def test_bytes_must_start_with_the_declared_type_magic(
    content_type: str, head: bytes, expected: bool
) -> None:
    assert bytes_match(content_type, head) is expected


@pytest.mark.parametrize(
    ("stored", "reason"),
    [
        (StoredObject(MAX_DOCUMENT_BYTES, PDF), None),
        (StoredObject(MAX_DOCUMENT_BYTES + 1, PDF), "too_large"),
        (StoredObject(1024, PNG), "wrong_type"),
        (StoredObject(0, b""), "wrong_type"),
        (None, "missing"),
    ],
)
def test_judge_names_why_a_document_fails(stored: StoredObject | None, reason: str | None) -> None:
    assert judge("application/pdf", stored) == reason


def _professional(services: list[str], documents: dict[str, str]) -> Professional:
    """A submitted professional whose ``documents`` map names these keys (PDFs, as recorded)."""
    return Professional(
        id="pro_1",
        status=ProfessionalStatus.VERIFICATION_PENDING,
        name="A",
        registered_by="self",
        aadhaar_hash="a",
        aadhaar_last4="1234",
        mobile_hash="m",
        mobile_last4="3210",
        services=services,
        lat=27.18,
        lng=78.0,
        district="Agra",
        documents={
            DocumentKind(kind): DocumentRecord(
                document_id=f"doc_{kind}",
                key=key,
                content_type=DocumentContentType.PDF,
                size_bytes=10,
                requested_at=NOW,
            )
            for kind, key in documents.items()
        },
        verification=Verification(stage="submitted"),
        created_at=NOW,
        updated_at=NOW,
    )


def _qualified() -> str:
    return next(s.id for s in rate_card().values() if s.requires_qualification)


def _plain() -> str:
    return next(s.id for s in rate_card().values() if not s.requires_qualification)


def test_qualification_is_required_only_for_services_that_need_one() -> None:
    assert required_kinds([_plain()]) == ["id_proof"]
    assert required_kinds([_plain(), _qualified()]) == ["id_proof", "qualification"]


def test_missing_required_document_and_bad_upload_are_both_named() -> None:
    stored = {"k/id": StoredObject(10, PNG)}
    professional = _professional([_qualified()], {"id_proof": "k/id"})

    problems = inspect_documents(professional, stored.get).problems

    assert problems == [
        FailedDocument(kind=DocumentKind.QUALIFICATION, reason="missing"),
        FailedDocument(kind=DocumentKind.ID_PROOF, reason="wrong_type"),
    ]


def test_optional_photo_never_uploaded_is_not_a_problem() -> None:
    stored = {"k/id": StoredObject(10, PDF)}
    professional = _professional([_plain()], {"id_proof": "k/id", "photo": "k/photo"})

    assert inspect_documents(professional, stored.get).problems == []


def test_the_check_pins_the_version_and_etag_it_read_of_every_stored_document() -> None:
    stored = {
        "k/id": StoredObject(10, PDF, "version-1", "etag-1"),
        "k/photo": StoredObject(3, PNG, "v-9", "e-9"),
    }
    professional = _professional([_plain()], {"id_proof": "k/id", "photo": "k/photo", "qualification": "k/q"})

    check = inspect_documents(professional, stored.get)

    assert check.problems == [FailedDocument(kind=DocumentKind.PHOTO, reason="wrong_type")]
    assert check.checked == [
        CheckedDocument(
            kind=DocumentKind.ID_PROOF,
            document_id="doc_id_proof",
            key="k/id",
            version_id="version-1",
            etag="etag-1",
            size_bytes=10,
        ),
        CheckedDocument(
            kind=DocumentKind.PHOTO,
            document_id="doc_photo",
            key="k/photo",
            version_id="v-9",
            etag="e-9",
            size_bytes=3,
        ),
    ]
