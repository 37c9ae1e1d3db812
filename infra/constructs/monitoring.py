"""The alarms and dead-letter queues every construct uses, built one way.

``alarm(...)``: fires on the first occurrence in a period (at this scale any error, throttle,
failed execution or parked event is worth a look) and treats missing data as fine.
``dead_letter_queue(...)``: an encrypted, SSL-only queue that keeps events 14 days, with an alarm
on any message in it.
"""

from __future__ import annotations

from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra import constants
from infra.nag import acknowledge


def alarm(
    scope: Construct, construct_id: str, description: str, metric: cloudwatch.IMetric
) -> cloudwatch.Alarm:
    return cloudwatch.Alarm(
        scope,
        construct_id,
        alarm_description=description,
        metric=metric,
        threshold=1,
        evaluation_periods=1,
        comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
    )


def dead_letter_queue(scope: Construct, construct_id: str, *, of: str) -> sqs.Queue:
    """The dead-letter queue ``construct_id`` of ``of`` (what parks events in it), and its alarm."""
    queue = sqs.Queue(
        scope,
        construct_id,
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
        retention_period=constants.DLQ_RETENTION,
    )
    acknowledge(queue, "AwsSolutions-SQS3", f"This queue is the dead-letter queue of {of}.")
    alarm(
        scope,
        f"{construct_id}Alarm",
        f"An event of {of} failed after its retries",
        queue.metric_approximate_number_of_messages_visible(
            period=constants.ALARM_PERIOD, statistic="Maximum"
        ),
    )
    return queue
