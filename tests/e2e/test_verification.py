"""Verification over HTTP around the story (the story itself, from registration to verified, is in
``test_whole_story.py``): the police callback's signature, bodies that are not JSON objects, the
demo professionals, and the police CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from local.paths import ROOT, pythonpath
from tests.e2e.conftest import Stack
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
