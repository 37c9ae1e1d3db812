"""Upload a file with a presigned POST form from the API (``{"url", "fields"}``), as a client
does (``local.client.journey``: the demo data, the walkthrough, the load script, the e2e tests)."""

from __future__ import annotations

from typing import Any

import requests


class UploadRefused(RuntimeError):
    """Storage did not take the file (the form's policy refused it, or it expired)."""


def upload(
    form: dict[str, Any],
    content: bytes,
    *,
    filename: str,
    content_type: str = "application/pdf",
    timeout_s: float = 15,
) -> None:
    response = requests.post(
        form["url"], data=form["fields"], files={"file": (filename, content, content_type)}, timeout=timeout_s
    )
    if response.status_code >= 300:
        raise UploadRefused(f"document upload: {response.status_code} {response.text[:200]}")
