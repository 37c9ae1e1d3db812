"""Sending SMS: AWS End User Messaging SMS (``pinpoint-sms-voice-v2`` ``SendTextMessage``) in AWS,
a recording outbox in the local stack and the tests (moto does not implement the service).

India's carriers deliver an application-to-person SMS only when it names the sender's DLT entity
id and the DLT template id its text was registered under: both come from configuration
(``SMS_DLT_ENTITY_ID``, ``SMS_DLT_TEMPLATE_IDS``, stack parameters), never from code. Message
bodies are never logged; numbers are (redacted to their last four digits by the log formatter).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Protocol

from pydantic import Field

from sevamitra.data.errors import dependency_errors
from sevamitra.platform import aws
from sevamitra.platform.clock import iso, utc_now
from sevamitra.platform.observability import logger
from sevamitra.platform.settings import FROM_STACK, CommonSettings, settings_for

END_USER_MESSAGING = "end_user_messaging"
LOCAL = "local"


class SmsSettings(CommonSettings):
    """What sending an SMS needs; the functions that send (notify, and book for SMS replies) read
    this model, so the stack gives them these variables."""

    # ``end_user_messaging`` when deployed; ``local`` records into ``LOCAL_OUTBOX``.
    sms_transport: Annotated[str, FROM_STACK] = Field(default=LOCAL, alias="SMS_TRANSPORT")
    # The phone number, pool or sender ID (ARN or id) messages are sent from: a two-way number so
    # that professionals can reply.
    sms_origination_identity: Annotated[str, FROM_STACK] = Field(default="", alias="SMS_ORIGINATION_IDENTITY")
    sms_configuration_set: Annotated[str, FROM_STACK] = Field(default="", alias="SMS_CONFIGURATION_SET")
    sms_dlt_entity_id: Annotated[str, FROM_STACK] = Field(default="", alias="SMS_DLT_ENTITY_ID")
    # JSON object: template name (``<kind>.<language>``) -> DLT template id.
    sms_dlt_template_ids: Annotated[str, FROM_STACK] = Field(default="{}", alias="SMS_DLT_TEMPLATE_IDS")
    # Most the service may pay for one message (USD, as a string); empty: the account's limit only.
    sms_max_price: str = Field(default="", alias="SMS_MAX_PRICE")

    @property
    def template_ids(self) -> dict[str, str]:
        try:
            parsed = json.loads(self.sms_dlt_template_ids or "{}")
        except json.JSONDecodeError:
            return {}
        return {str(k): str(v) for k, v in parsed.items()} if isinstance(parsed, dict) else {}


def sms_settings() -> SmsSettings:
    return settings_for(SmsSettings)


@dataclass(frozen=True)
class SmsMessage:
    to: str  # E.164, +91XXXXXXXXXX
    body: str
    template: str  # ``<kind>.<language>``: picks the DLT template id


class SmsTransport(Protocol):
    def send(self, message: SmsMessage) -> str:
        """Send ``message``; the service's message id. Raises ``DependencyFailed`` / ``Throttled``."""
        ...


class EndUserMessaging:
    """``SendTextMessage`` with the DLT entity and template ids as ``DestinationCountryParameters``."""

    def __init__(self, config: SmsSettings, client: Any = None) -> None:
        self._config = config
        self._client = client

    def request(self, message: SmsMessage) -> dict[str, Any]:
        config = self._config
        country: dict[str, str] = {}
        if config.sms_dlt_entity_id:
            country["IN_ENTITY_ID"] = config.sms_dlt_entity_id
        template_id = config.template_ids.get(message.template)
        if template_id:
            country["IN_TEMPLATE_ID"] = template_id
        else:
            logger.error("no DLT template id configured", extra={"template": message.template})
        params: dict[str, Any] = {
            "DestinationPhoneNumber": message.to,
            "MessageBody": message.body,
            "MessageType": "TRANSACTIONAL",
            "Context": {"template": message.template},
        }
        if config.sms_origination_identity:
            params["OriginationIdentity"] = config.sms_origination_identity
        if config.sms_configuration_set:
            params["ConfigurationSetName"] = config.sms_configuration_set
        if config.sms_max_price:
            params["MaxPrice"] = config.sms_max_price
        if country:
            params["DestinationCountryParameters"] = country
        return params

    def send(self, message: SmsMessage) -> str:
        client = self._client or aws.client("pinpoint-sms-voice-v2")
        with dependency_errors("Sending an SMS"):
            response = client.send_text_message(**self.request(message))
        return str(response.get("MessageId", ""))


@dataclass(frozen=True)
class RecordedSms:
    to: str
    body: str
    at: str
    template: str


class LocalOutbox:
    """Every SMS the local stack would send, in order (``GET /_local/sms``)."""

    def __init__(self) -> None:
        self._messages: list[RecordedSms] = []
        self._changed = threading.Condition()

    def send(self, message: SmsMessage) -> str:
        with self._changed:
            self._messages.append(RecordedSms(message.to, message.body, iso(utc_now()), message.template))
            self._changed.notify_all()
            return f"local-{len(self._messages)}"

    def messages(self, to: str | None = None) -> list[RecordedSms]:
        with self._changed:
            return [m for m in self._messages if to is None or m.to == to]

    def clear(self) -> None:
        with self._changed:
            self._messages.clear()


LOCAL_OUTBOX = LocalOutbox()


@cache
def transport() -> SmsTransport:
    config = sms_settings()
    if config.sms_transport == END_USER_MESSAGING:
        return EndUserMessaging(config)
    return LOCAL_OUTBOX


def send_sms(message: SmsMessage) -> str:
    return transport().send(message)
