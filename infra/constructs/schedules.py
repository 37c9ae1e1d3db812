"""EventBridge rules that fire the scheduled jobs of ``sevamitra.edge.routes.SCHEDULED_JOBS``.

Each rule targets its ``Entry``'s function with a retry policy; an event that still fails lands in
the shared dead-letter queue, which has an alarm. With no jobs, nothing is created."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra import constants
from infra.constructs.monitoring import dead_letter_queue
from sevamitra.edge.routes import Entry, ScheduledJob


class Schedules(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        jobs: Sequence[ScheduledJob],
        function_for: Callable[[Entry], lambda_.IFunction],
    ) -> None:
        super().__init__(scope, construct_id)
        self.rules: dict[str, events.Rule] = {}
        self.dead_letters: sqs.Queue | None = None
        if not jobs:
            return
        self.dead_letters = dead_letter_queue(self, "DeadLetters", of="the scheduled jobs")
        for job in jobs:
            self.rules[job.entry.name] = events.Rule(
                self,
                job.entry.name,
                description=f"Fire {job.entry.name} every {job.every_minutes} minutes",
                schedule=events.Schedule.rate(Duration.minutes(job.every_minutes)),
                targets=[
                    targets.LambdaFunction(
                        function_for(job.entry),
                        dead_letter_queue=self.dead_letters,
                        retry_attempts=constants.SCHEDULE_RETRY_ATTEMPTS,
                        max_event_age=constants.SCHEDULE_MAX_EVENT_AGE,
                    )
                ],
            )
