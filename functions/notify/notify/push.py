"""Mobile push through SNS platform applications (FCM, APNs): a registered device becomes a
platform endpoint; a notification is one ``Publish`` to it. Push is best effort: the inbox is the
record, so a failed push is logged (never its text) and not retried."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from sevamitra.data.errors import dependency_errors
from sevamitra.data.notifications import Device
from sevamitra.platform import aws
from sevamitra.platform.observability import logger


def _sns() -> Any:
    return aws.client("sns")


def create_endpoint(platform_application_arn: str, token: str) -> str:
    with dependency_errors("Registering the device"):
        response = _sns().create_platform_endpoint(
            PlatformApplicationArn=platform_application_arn, Token=token
        )
    return str(response["EndpointArn"])


def message(title: str, body: str, data: dict[str, str]) -> str:
    """One ``MessageStructure=json`` payload for both platforms."""
    return json.dumps(
        {
            "default": body,
            "GCM": json.dumps(
                {"notification": {"title": title, "body": body}, "data": data}, ensure_ascii=False
            ),
            "APNS": json.dumps(
                {"aps": {"alert": {"title": title, "body": body}}, **data}, ensure_ascii=False
            ),
        },
        ensure_ascii=False,
    )


def send(devices: list[Device], title: str, body: str, data: dict[str, str]) -> int:
    """Push to every device with an endpoint; the number reached."""
    reached = 0
    for device in devices:
        if not device.endpoint_arn:
            continue
        try:
            _sns().publish(
                TargetArn=device.endpoint_arn, MessageStructure="json", Message=message(title, body, data)
            )
            reached += 1
        except (ClientError, BotoCoreError) as exc:
            logger.warning("push failed", extra={"platform": device.platform, "error": type(exc).__name__})
    return reached
