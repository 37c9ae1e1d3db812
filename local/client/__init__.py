"""One client of a running Seva Mitra stack, for everything that talks to it from outside: the
walkthrough (``make demo``), the load script (``make load``), the e2e tests, the demo data and the
token and police helpers.

- ``local.client.stack.StackClient``: a stack from its outputs (``.local/outputs.json`` of
  ``make dev``, or a deployed stack's): accounts that sign up and sign in through its Cognito
  user pool, the API over HTTP, the police key;
- ``local.client.http``: the API over HTTP (``Api``), as one signed-in account (``Account``);
- ``local.client.cognito``: sign-up, sign-in and the pool's administrator calls;
- ``local.client.police``: the police callback key and callbacks signed with it;
- ``local.client.journey``: a professional's way to verification (register, upload, submit, the
  police request, the answer), written once over any ``Caller``, HTTP or in-process;
- ``local.client.uploads``: a document POSTed with the API's presigned form;
- ``local.client.launch``: ``python -m local.server`` started on free ports and waited for.

This module holds what they all share: the errors, ``poll_until`` and the sample documents.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar

# A small PDF and JPEG that pass the document check (the bytes are the declared type's): what the
# clients upload as an ID proof.
SAMPLE_PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
SAMPLE_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64

WAIT_S = 30.0
T = TypeVar("T")


class StackError(RuntimeError):
    """The stack did not do what its clients rely on."""


class Unexpected(StackError):
    """A call did not answer as the API promises."""


class TimedOut(StackError):
    """What a client waited for did not happen in time."""


class Caller(Protocol):
    """Calls the API as one account (or none): the JSON answer of a call that must answer ``status``,
    else ``Unexpected``; ``sent`` may carry a raw body (``data=``) and ``headers=``.
    ``local.client.http.Account`` calls over HTTP; the demo data's ``InProcess`` through the handlers."""

    def ok(self, method: str, path: str, body: Any = None, *, status: int = 200, **sent: Any) -> Any: ...


def poll_until(
    what: str, probe: Callable[[], T | None], *, timeout_s: float = WAIT_S, interval_s: float = 0.2
) -> T:
    """``probe()`` once it is truthy, polled every ``interval_s``; ``TimedOut`` after ``timeout_s``
    naming ``what``. For what happens asynchronously: the workflow, the scheduler."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimedOut(f"timed out after {timeout_s:g}s waiting for {what}")
        time.sleep(interval_s)


def outputs_path() -> Path:
    """Where ``make dev`` writes its outputs: ``$LOCAL_STATE_DIR/outputs.json`` (default ``.local``)."""
    return Path(os.environ.get("LOCAL_STATE_DIR", ".local")) / "outputs.json"


def load_outputs(path: Path | None = None) -> dict[str, Any]:
    """A stack's outputs file (default ``outputs_path()``); ``FileNotFoundError`` or ``ValueError``."""
    return dict(json.loads((path or outputs_path()).read_text(encoding="utf-8")))
