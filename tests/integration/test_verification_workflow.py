"""The verification workflow: the real ASL (infra/verification.asl.json) executed by moto, its
Lambda steps running in-process, driven to each outcome."""

from __future__ import annotations

from local.provision import LocalResources
from tests.integration.conftest import Api
from tests.integration.verification_support import (
    callback,
    finished,
    professional,
    seed_professional,
    stages,
    start,
    waiting_request,
)


def test_clear_police_answer_verifies_the_professional(aws: LocalResources, api: Api) -> None:
    seed_professional()
    execution = start()
    request_id = waiting_request()

    response = callback(api, {"request_id": request_id, "result": "clear"})

    assert response.status == 200, response.body
    assert finished(execution) == "SUCCEEDED"
    assert professional().status == "verified"
    assert stages() == [
        ("submitted", None),
        ("document_check", "passed"),
        ("police_requested", None),
        ("police_answered", "clear"),
        ("decision", "verified"),
    ]
