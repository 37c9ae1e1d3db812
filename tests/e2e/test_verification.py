"""Issue 4's acceptance over HTTP, as the clients would do it: a freshly signed-up citizen registers,
uploads a document with the presigned form, submits; the demo officer lists the pending police
request; the police system posts a signed callback; the profile turns ``verified``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
import requests

from tests.e2e.conftest import HTTP_TIMEOUT_S, PYTHONPATH, ROOT, Stack
from tests.e2e.test_api import assert_error
from tests.stories import CLEARED_HISTORY, identity
from verify.signature import HEADER, sign

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
WAIT_S = 20.0
T = TypeVar("T")


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _eventually(probe: Callable[[], T | None], what: str) -> T:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _registration() -> dict[str, Any]:
    aadhaar, mobile = identity(uuid.uuid4().int, series=7)
    return {
        "name": "Rekha Yadav",
        "mobile": mobile,
        "aadhaar": aadhaar,
        "services": ["tailor_blouse_stitching"],
        "location": {"lat": 26.8467, "lng": 80.9462},
        "district": "Lucknow",
        "qualification": {"kind": "none"},
    }


def _police_key(stack: Stack) -> bytes:
    key = stack.outputs.get("PoliceSecretValue")
    if not key:
        pytest.skip("the police key is in the outputs of a local stack only")
    return str(key).encode()


def test_citizen_registers_uploads_submits_and_is_verified_after_a_signed_police_callback(
    stack: Stack,
) -> None:
    # A freshly signed-up citizen registers as a professional
    citizen = _bearer(stack.id_token(*stack.sign_up_citizen()))
    registered = stack.request("POST", "/professionals", json=_registration(), headers=citizen)
    assert registered.status_code == 201, registered.text
    professional_id = registered.json()["id"]
    assert registered.json()["status"] == "pending_documents"

    # ... uploads the ID proof with the presigned POST the API returns (to the emulator's S3)
    requested = stack.request(
        "POST",
        f"/professionals/{professional_id}/documents",
        json={"kind": "id_proof", "content_type": "application/pdf", "size_bytes": len(PDF)},
        headers=citizen,
    )
    assert requested.status_code == 201, requested.text
    form = requested.json()["upload"]
    uploaded = requests.post(
        form["url"],
        data=form["fields"],
        files={"file": ("id.pdf", PDF, "application/pdf")},
        timeout=HTTP_TIMEOUT_S,
    )
    assert uploaded.status_code in (200, 201, 204), uploaded.text

    # ... and submits
    submitted = stack.request("POST", f"/professionals/{professional_id}/submit", headers=citizen)
    assert (submitted.status_code, submitted.json()) == (202, {"status": "verification_pending"})

    # The officer sees the pending police request
    officer = _bearer(stack.demo_token("officer"))

    def pending_request() -> str | None:
        listed = stack.get("/verification/requests", params={"status": "pending"}, headers=officer)
        assert listed.status_code == 200, listed.text
        mine = [r for r in listed.json()["requests"] if r["professional_id"] == professional_id]
        return mine[0]["request_id"] if mine else None

    request_id = _eventually(pending_request, "the pending police request")

    # The police system answers, signing the raw body with the shared key
    raw = json.dumps({"request_id": request_id, "result": "clear", "remarks": "No record"}).encode()
    answered = stack.request(
        "POST",
        "/verification/callback",
        data=raw,
        headers={"Content-Type": "application/json", HEADER: sign(_police_key(stack), int(time.time()), raw)},
    )
    assert answered.status_code == 200, answered.text

    # The professional is verified, and the history tells how
    def verified() -> dict[str, Any] | None:
        profile = stack.get(f"/professionals/{professional_id}", headers=citizen).json()
        return profile if profile["status"] == "verified" else None

    profile = _eventually(verified, "the professional to be verified")
    stages = [(entry["stage"], entry.get("outcome")) for entry in profile["verification"]["history"]]
    assert stages == CLEARED_HISTORY
    assert "case_refs" not in profile["verification"]  # officers only
    assert request_id not in {r["request_id"] for r in stack.get(
        "/verification/requests", params={"status": "pending"}, headers=officer
    ).json()["requests"]}  # fmt: skip


def test_an_unsigned_police_callback_is_401_over_http(stack: Stack) -> None:
    raw = json.dumps({"request_id": "vrq_unknown", "result": "clear"})
    assert_error(
        stack.request(
            "POST", "/verification/callback", data=raw, headers={"Content-Type": "application/json"}
        ),
        401,
        "invalid_signature",
    )


@pytest.mark.parametrize(("body", "code"), [('{"name": ', "malformed_json"), ("[1, 2]", "body_not_object")])
def test_a_post_body_that_is_not_a_json_object_is_400_over_http(stack: Stack, body: str, code: str) -> None:
    citizen = _bearer(stack.demo_token("citizen"))
    response = stack.request(
        "POST", "/professionals", data=body, headers={**citizen, "Content-Type": "application/json"}
    )
    assert_error(response, 400, code)


def test_demo_professionals_are_verified_and_waiting_for_the_police(local_only: Stack) -> None:
    demo = local_only.outputs["DemoProfessionals"]
    owner = _bearer(local_only.demo_token("professional"))
    assert local_only.get(f"/professionals/{demo['verified']}", headers=owner).json()["status"] == "verified"
    officer = _bearer(local_only.demo_token("officer"))
    waiting = local_only.get(f"/professionals/{demo['police_pending']}", headers=officer).json()
    assert waiting["status"] == "police_pending"
    listed = local_only.get("/verification/requests", params={"status": "pending"}, headers=officer).json()
    assert demo["police_pending"] in {r["professional_id"] for r in listed["requests"]}


def test_the_police_cli_signs_callbacks_the_api_accepts(local_only: Stack, server_log: Path) -> None:
    """``python -m local.police`` against the running stack: its signature passes (an unknown
    request is then 404, where a bad signature would be 401)."""
    outputs = server_log.parent / "outputs.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(ROOT / p) for p in PYTHONPATH)}
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        env.pop(name, None)  # the CLI must not depend on the shell's AWS settings
    ran = subprocess.run(
        [sys.executable, "-m", "local.police", "vrq_does_not_exist", "clear", "--outputs", str(outputs)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert ran.returncode == 1, ran.stderr
    status, answer = ran.stdout.split(" ", 1)
    assert status == "404", ran.stdout
    assert json.loads(answer)["error"]["code"] == "unknown_request"
