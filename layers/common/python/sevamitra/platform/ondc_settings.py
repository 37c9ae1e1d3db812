"""The ondc function's configuration (validated once per cold start).

Who we are on the network (``subscriber_id``, ``unique_key_id``: what the registry knows us by),
where our signing key is kept, the queue the asynchronous work goes through, and the registry
whose ``lookup`` gives buyer apps' public keys."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sevamitra.platform.settings import FROM_STACK, CommonSettings, settings_for


class OndcSettings(CommonSettings):
    ondc_subscriber_id: Annotated[str, FROM_STACK] = Field(
        default="sevamitra.local", alias="ONDC_SUBSCRIBER_ID"
    )
    ondc_subscriber_url: Annotated[str, FROM_STACK] = Field(
        default="http://127.0.0.1:3000/ondc", alias="ONDC_SUBSCRIBER_URL"
    )
    ondc_unique_key_id: Annotated[str, FROM_STACK] = Field(default="local-key-1", alias="ONDC_UNIQUE_KEY_ID")
    ondc_signing_key_secret_arn: Annotated[str, FROM_STACK] = Field(
        default="sevamitra-local/ondc-signing-key", alias="ONDC_SIGNING_KEY_SECRET_ARN"
    )
    ondc_queue_url: Annotated[str, FROM_STACK] = Field(default="", alias="ONDC_QUEUE_URL")
    ondc_registry_url: Annotated[str, FROM_STACK] = Field(
        default="http://127.0.0.1:3000/_local/ondc/registry", alias="ONDC_REGISTRY_URL"
    )
    # How long a buyer app's key from the registry is trusted before it is looked up again.
    ondc_registry_cache_s: int = Field(default=900, ge=0, alias="ONDC_REGISTRY_CACHE_S")
    # How long a callback we sign stays valid.
    ondc_callback_ttl_s: int = Field(default=300, ge=30, le=3600, alias="ONDC_CALLBACK_TTL_S")
    # Seconds a callback POST may take before it counts as failed (the queue retries it).
    ondc_callback_timeout_s: float = Field(default=10.0, gt=0, alias="ONDC_CALLBACK_TIMEOUT_S")
    # Professionals offered per search (the nearest first, as /match finds them).
    ondc_catalogue_size: int = Field(default=10, ge=1, le=50, alias="ONDC_CATALOGUE_SIZE")
    # What on_support gives buyer apps: the helpline (set per stage; empty: not given).
    ondc_support_phone: str = Field(default="", max_length=20, alias="ONDC_SUPPORT_PHONE")
    ondc_support_url: str = Field(default="", max_length=200, alias="ONDC_SUPPORT_URL")
    # A buyer app's customers may each hold this many bookings waiting for a professional.
    max_open_requests_citizen: int = Field(default=3, ge=1, alias="MAX_OPEN_REQUESTS_CITIZEN")


def ondc_settings() -> OndcSettings:
    return settings_for(OndcSettings)
