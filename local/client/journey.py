"""A professional's way to verification, step by step, as the apps make it: register, upload the
ID proof with the presigned form, submit; the workflow checks the document and files a police
request, which the officers' list shows; the police answer; the profile turns ``verified``.

Written once over any ``Caller``: the walkthrough, the load script and the e2e tests call the API
over HTTP (``local.client.http.Account``), the demo data through the handlers in process (the
gateway is not up yet then). Each step checks what API.md promises for it (``Unexpected``
otherwise) and each wait gives up after ``timeout_s`` (``TimedOut``).
"""

from __future__ import annotations

from typing import Any

from local.client import SAMPLE_PDF, WAIT_S, Caller, Unexpected, poll_until
from local.client.police import Police
from local.client.uploads import upload


def register(pro: Caller, body: dict[str, Any]) -> dict[str, Any]:
    """``POST /professionals``: the new profile (201, ``pending_documents``)."""
    profile = dict(pro.ok("POST", "/professionals", body, status=201))
    if profile.get("status") != "pending_documents":
        raise Unexpected(f"a new registration is {profile.get('status')}, not pending_documents")
    return profile


def upload_document(
    pro: Caller,
    professional_id: str,
    *,
    kind: str = "id_proof",
    content: bytes = SAMPLE_PDF,
    content_type: str = "application/pdf",
) -> None:
    """Ask for the presigned form and POST the file with it to the documents bucket."""
    form = pro.ok(
        "POST",
        f"/professionals/{professional_id}/documents",
        {"kind": kind, "content_type": content_type, "size_bytes": len(content)},
        status=201,
    )
    extension = content_type.rsplit("/", 1)[-1]
    upload(form["upload"], content, filename=f"{kind}.{extension}", content_type=content_type)


def submit(pro: Caller, professional_id: str) -> dict[str, Any]:
    """``POST /professionals/{id}/submit``: 202 ``verification_pending``; the workflow starts."""
    submitted = dict(pro.ok("POST", f"/professionals/{professional_id}/submit", status=202))
    if submitted != {"status": "verification_pending"}:
        raise Unexpected(f"submit answered {submitted}")
    return submitted


# How many pages of the officers' queue a look-up reads before trying again.
MAX_PAGES = 20


def police_request(officer: Caller, professional_id: str, *, timeout_s: float = WAIT_S) -> str:
    """The id of the police request the workflow files for the professional, once the officers'
    pending list shows it."""

    def listed() -> str | None:
        # Newest first: a new request is on the first page unless many came after it; then the
        # pages that follow (each by the cursor of the one before) hold it.
        path = "/verification/requests?status=pending"
        for _ in range(MAX_PAGES):
            page = officer.ok("GET", path)
            found = [r["request_id"] for r in page["requests"] if r["professional_id"] == professional_id]
            if found or not page.get("next_cursor"):
                return found[0] if found else None
            path = f"/verification/requests?status=pending&cursor={page['next_cursor']}"
        return None

    return poll_until(f"the police request of {professional_id}", listed, timeout_s=timeout_s)


def wait_for_status(
    reader: Caller, professional_id: str, status: str, *, timeout_s: float = WAIT_S
) -> dict[str, Any]:
    """The profile, once its status is ``status``."""

    def seen() -> dict[str, Any] | None:
        profile = dict(reader.ok("GET", f"/professionals/{professional_id}"))
        return profile if profile["status"] == status else None

    return poll_until(f"{professional_id} to be {status}", seen, timeout_s=timeout_s)


def submit_for_verification(
    pro: Caller, officer: Caller, professional_id: str, *, timeout_s: float = WAIT_S
) -> str:
    """Upload the ID proof, submit, and wait for the police request: its id."""
    upload_document(pro, professional_id)
    submit(pro, professional_id)
    return police_request(officer, professional_id, timeout_s=timeout_s)


def cleared(
    police: Police,
    reader: Caller,
    professional_id: str,
    request_id: str,
    *,
    timeout_s: float = WAIT_S,
    **extra: Any,
) -> dict[str, Any]:
    """The police answer ``clear`` (with ``extra``: ``remarks``...): the profile, once verified."""
    police.answer(request_id, "clear", **extra)
    return wait_for_status(reader, professional_id, "verified", timeout_s=timeout_s)
