"""Test-wide environment: fake AWS credentials, fixed table prefix, no tracing, no real endpoints.

Set before any project module is imported, because settings are read once per process."""

from __future__ import annotations

import os

for _name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
    os.environ.pop(_name, None)
os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SECURITY_TOKEN": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "ap-south-1",
        "AWS_REGION": "ap-south-1",
        "STAGE": "test",
        "TABLE_PREFIX": "sevamitra-test-",
        "DOCUMENTS_BUCKET": "sevamitra-test-documents",
        "EVENT_BUS_NAME": "sevamitra-test",
        "IDENTITY_KEY_SECRET_ARN": "sevamitra-test/identity-key",
        "POLICE_SECRET_ARN": "sevamitra-test/police-callback",
        "CURSOR_KEY_SECRET_ARN": "sevamitra-test/cursor-key",
        # The ONDC seller platform: our key's secret and the work queue as local.provision makes them.
        "ONDC_SIGNING_KEY_SECRET_ARN": "sevamitra-test/ondc-signing-key",
        "ONDC_QUEUE_URL": "https://sqs.ap-south-1.amazonaws.com/123456789012/sevamitra-test-ondc-work",
        # The ARN local.provision gives the state machine (moto's fixed account id).
        "VERIFICATION_STATE_MACHINE_ARN": (
            "arn:aws:states:ap-south-1:123456789012:stateMachine:sevamitra-test-verification"
        ),
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_SERVICE_NAME": "sevamitra",
        "POWERTOOLS_METRICS_NAMESPACE": "SevaMitra",
        "POWERTOOLS_LOG_LEVEL": "INFO",
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        # /match is rate limited per account (MATCH_SEARCH_*). Tests search far more often than
        # a person does; the limit's own tests (tests/integration/test_match_limits.py) pass
        # their limits and clock explicitly.
        "MATCH_SEARCH_BURST": "100000",
        "MATCH_SEARCH_SUSTAINED": "100000",
    }
)
