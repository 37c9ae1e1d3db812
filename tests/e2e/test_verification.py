"""Verification over HTTP around the story (the story itself, from registration to verified, is in
``test_whole_story.py``): the police callback's signature, bodies that are not JSON objects, the
demo professionals, the police CLI, and an upload form posted again after the document check."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests

from local.client import SAMPLE_PDF as PDF
from local.client import journey
from local.paths import ROOT, pythonpath
from sevamitra.edge.errors import MESSAGES
from tests.e2e.conftest import HTTP_TIMEOUT_S, Stack
from tests.e2e.story import new_identity, registration, somewhere_in_lucknow
from tests.e2e.test_api import assert_error

pytestmark = pytest.mark.e2e


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_an_unsigned_police_callback_is_401_over_http(stack: Stack) -> None:
    raw = json.dumps({"request_id": "vrq_unknown", "result": "clear"})
    assert_error(
        stack.request(
            "POST", "/verification/callback", data=raw, headers={"Content-Type": "application/json"}
        ),
        401,
        "invalid_signature",
    )


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ('{"name": ', "malformed_json"),
        ("[1, 2]", "body_not_object"),
        ('{"x":' + "[" * 1000 + "]" * 1000 + "}", "malformed_json"),  # nested past the parser's stack
    ],
    ids=["truncated", "array", "nested-1000-deep"],
)
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
    env = {**os.environ, "PYTHONPATH": pythonpath()}
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


def test_a_form_posted_again_after_the_check_leaves_the_decision_on_the_checked_bytes(
    local_only: Stack,
) -> None:
    """The hostile tester's swap, over HTTP: upload, submit, and once the check has passed post
    the same form again with other bytes. The emulator accepts the post (moto enforces no POST
    policy; S3 would too while the form is valid), yet the decision names the version the check
    read, and reading that version gives the checked bytes. New forms are refused meanwhile."""
    pro, officer = local_only.signed_up(), local_only.as_demo("officer")
    aadhaar, mobile = new_identity()
    pid = journey.register(
        pro, registration(aadhaar, mobile, somewhere_in_lucknow(), "plumber_tap_leak_repair")
    )["id"]
    asked = {"kind": "id_proof", "content_type": "application/pdf", "size_bytes": len(PDF)}
    form = pro.ok("POST", f"/professionals/{pid}/documents", asked, status=201)["upload"]
    _post_form(form, PDF)
    journey.submit(pro, pid)
    request_id = journey.police_request(officer, pid)  # the document check has passed

    _post_form(form, FORGED_PDF)
    documents = _documents_bucket(local_only)
    bucket, key = local_only.outputs["DocumentsBucket"], form["fields"]["key"]
    assert documents.get_object(Bucket=bucket, Key=key)["Body"].read() == FORGED_PDF  # it landed
    locked = pro.call("POST", f"/professionals/{pid}/documents", asked, headers={"Accept-Language": "hi"})
    assert assert_error(locked, 409, "documents_locked")["message"] == MESSAGES["documents_locked"][1]

    journey.cleared(local_only.police(), pro, pid, request_id)
    [decision] = officer.ok("GET", f"/professionals/{pid}/audit")["entries"]
    [checked] = decision["evidence"]["documents"]
    assert (decision["action"], checked["kind"], checked["key"]) == ("verified", "id_proof", key)
    assert (checked["etag"], checked["size_bytes"]) == (
        hashlib.md5(PDF, usedforsecurity=False).hexdigest(),
        len(PDF),
    )
    pinned = documents.get_object(Bucket=bucket, Key=key, VersionId=checked["version_id"])
    assert pinned["Body"].read() == PDF


FORGED_PDF = b"%PDF-1.7\n% somebody else's ID card\n%%EOF\n"


def _post_form(form: dict[str, Any], body: bytes) -> None:
    posted = requests.post(
        form["url"],
        data=form["fields"],
        files={"file": ("id.pdf", body, "application/pdf")},
        timeout=HTTP_TIMEOUT_S,
    )
    assert posted.status_code in (200, 201, 204), posted.text


def _documents_bucket(stack: Stack) -> Any:
    return boto3.client(
        "s3",
        region_name=stack.region,
        endpoint_url=stack.outputs["AwsEndpointUrl"],
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
