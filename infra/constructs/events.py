"""The custom event bus the functions publish domain events to (bans, escalations, verdicts)."""

from __future__ import annotations

from aws_cdk import aws_events as events
from constructs import Construct

from infra.constants import StageSettings


class Events(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, stage: StageSettings) -> None:
        super().__init__(scope, construct_id)
        self.bus = events.EventBus(self, "Bus", event_bus_name=stage.event_bus_name)
