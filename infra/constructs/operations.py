"""What the people who run a stage need: alarm notifications, failure queues for asynchronous
invocations, the API and escalation alarms, and one dashboard.

- ``topic``: the one SNS topic every alarm of the stack notifies (KMS-encrypted with the alarms
  key, HTTPS-only publishing), with an e-mail subscription when the ``alarm_email`` context is set.
  ``NotifyAlarms`` (an aspect) adds the topic to every alarm of the stack, whoever created it.
- ``async_failures``: functions invoked asynchronously (EventBridge -> scheduled jobs) get an
  on-failure destination (an SQS queue with an alarm), no Lambda retry and a maximum event age,
  and in prod reserved concurrency 1 so that two sweeps of one job never overlap.
  The verification steps are invoked synchronously by Step Functions (Retry/Catch in the ASL and
  the ExecutionsFailed alarm cover them), so they need no asynchronous configuration.
- Alarms: the API's 5xx share of requests and p99 latency; police requests escalated for want of an
  answer (the ``PoliceVerificationEscalated`` metric of the verify steps).
- ``dashboard``: API requests, 4xx, 5xx and latency; per-function errors, duration and throttles;
  DynamoDB throttled requests; state machine executions; dead-letter queue depths.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import jsii
from aws_cdk import Duration, IAspect
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_destinations as destinations
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct, IConstruct

from infra import constants
from infra.constants import StageSettings
from infra.constructs.monitoring import alarm, dead_letter_queue

_WIDGET_WIDTH = 12


@jsii.implements(IAspect)
class NotifyAlarms:
    """Every CloudWatch alarm in scope notifies ``topic`` when it fires."""

    def __init__(self, topic: sns.ITopic) -> None:
        self._action = cloudwatch_actions.SnsAction(topic)

    def visit(self, node: IConstruct) -> None:
        if isinstance(node, cloudwatch.Alarm):
            node.add_alarm_action(self._action)


class Operations(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: StageSettings,
        key: kms.IKey,
    ) -> None:
        super().__init__(scope, construct_id)
        self._stage = stage
        self.topic = sns.Topic(
            self,
            "AlarmTopic",
            topic_name=f"{stage.prefix}alarms",
            display_name=f"Seva Mitra {stage.name} alarms",
            master_key=key,
            enforce_ssl=True,
        )
        if stage.alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(stage.alarm_email))
        self.async_failures: sqs.Queue | None = None
        self.dashboard: cloudwatch.Dashboard | None = None

    def invoked_asynchronously(self, functions: Sequence[lambda_.Function]) -> None:
        """On-failure destination, retries, event age and (per stage) reserved concurrency for
        ``functions`` (the scheduled jobs)."""
        if not functions:
            return
        if self.async_failures is None:
            self.async_failures = dead_letter_queue(
                self, "AsyncFailures", of="an asynchronously invoked function (a scheduled job)"
            )
        for function in functions:
            function.configure_async_invoke(
                on_failure=destinations.SqsDestination(self.async_failures),
                retry_attempts=constants.ASYNC_RETRY_ATTEMPTS,
                max_event_age=constants.ASYNC_MAX_EVENT_AGE,
            )
            if self._stage.scheduled_reserved_concurrency is not None:
                cfn = function.node.default_child
                cfn.reserved_concurrent_executions = self._stage.scheduled_reserved_concurrency  # type: ignore[union-attr]

    def api_alarms(self, rest_api: apigateway.RestApi) -> None:
        period = constants.ALARM_PERIOD
        errors_5xx = rest_api.metric_server_error(period=period, statistic="Average")
        cloudwatch.Alarm(
            self,
            "Api5xxRateAlarm",
            alarm_description=f"{self._stage.prefix}api: more than "
            f"{constants.API_5XX_RATE_THRESHOLD:.0%} of requests answered 5xx in 5 minutes",
            metric=errors_5xx,
            threshold=constants.API_5XX_RATE_THRESHOLD,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        cloudwatch.Alarm(
            self,
            "ApiLatencyP99Alarm",
            alarm_description=f"{self._stage.prefix}api: p99 latency above "
            f"{constants.API_P99_LATENCY_MS} ms for {constants.API_LATENCY_EVALUATION_PERIODS} periods",
            metric=rest_api.metric_latency(period=period, statistic="p99"),
            threshold=constants.API_P99_LATENCY_MS,
            evaluation_periods=constants.API_LATENCY_EVALUATION_PERIODS,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )

    def police_escalation_alarm(self) -> cloudwatch.Alarm:
        return alarm(
            self,
            "PoliceEscalatedAlarm",
            "A police verification request got no answer in time and was escalated",
            escalations_metric(),
        )

    def build_dashboard(
        self,
        *,
        rest_api: apigateway.RestApi,
        functions: Mapping[str, lambda_.IFunction],
        tables: Mapping[str, dynamodb.ITable],
        state_machine: sfn.IStateMachine,
        queues: Iterable[sqs.IQueue],
    ) -> cloudwatch.Dashboard:
        period = constants.ALARM_PERIOD
        by_name = sorted(functions.items())

        def per_function(title: str, metric_of: str, statistic: str) -> cloudwatch.GraphWidget:
            return cloudwatch.GraphWidget(
                title=title,
                width=_WIDGET_WIDTH,
                left=[
                    getattr(function, metric_of)(period=period, statistic=statistic, label=name)
                    for name, function in by_name
                ],
            )

        dashboard = cloudwatch.Dashboard(
            self,
            "Dashboard",
            dashboard_name=f"{self._stage.prefix}operations",
            default_interval=Duration.hours(3),
        )
        dashboard.add_widgets(
            cloudwatch.GraphWidget(
                title="API requests, 4xx, 5xx",
                width=_WIDGET_WIDTH,
                left=[
                    rest_api.metric_count(period=period, statistic="Sum", label="requests"),
                    rest_api.metric_client_error(period=period, statistic="Sum", label="4xx"),
                    rest_api.metric_server_error(period=period, statistic="Sum", label="5xx"),
                ],
            ),
            cloudwatch.GraphWidget(
                title="API latency (ms)",
                width=_WIDGET_WIDTH,
                left=[
                    rest_api.metric_latency(period=period, statistic=statistic, label=statistic)
                    for statistic in ("p50", "p90", "p99")
                ],
            ),
        )
        dashboard.add_widgets(
            per_function("Function errors", "metric_errors", "Sum"),
            per_function("Function throttles", "metric_throttles", "Sum"),
        )
        dashboard.add_widgets(
            per_function("Function duration p99 (ms)", "metric_duration", "p99"),
            cloudwatch.GraphWidget(
                title="DynamoDB throttled requests",
                width=_WIDGET_WIDTH,
                left=[
                    cloudwatch.Metric(
                        namespace="AWS/DynamoDB",
                        metric_name=metric_name,
                        dimensions_map={"TableName": table.table_name},
                        period=period,
                        statistic="Sum",
                        label=f"{logical} {kind}",
                    )
                    for logical, table in sorted(tables.items())
                    for metric_name, kind in (
                        ("ReadThrottleEvents", "reads"),
                        ("WriteThrottleEvents", "writes"),
                    )
                ],
            ),
        )
        dashboard.add_widgets(
            cloudwatch.GraphWidget(
                title="Verification executions",
                width=_WIDGET_WIDTH,
                left=[
                    state_machine.metric_started(period=period, statistic="Sum", label="started"),
                    state_machine.metric_succeeded(period=period, statistic="Sum", label="succeeded"),
                    state_machine.metric_failed(period=period, statistic="Sum", label="failed"),
                    state_machine.metric_timed_out(period=period, statistic="Sum", label="timed out"),
                    escalations_metric().with_(label="police escalations"),
                ],
            ),
            cloudwatch.GraphWidget(
                title="Dead-letter queue depths",
                width=_WIDGET_WIDTH,
                left=[
                    queue.metric_approximate_number_of_messages_visible(
                        period=period, statistic="Maximum", label="/".join(queue.node.path.split("/")[-2:])
                    )
                    for queue in queues
                ],
            ),
        )
        self.dashboard = dashboard
        return dashboard


def escalations_metric() -> cloudwatch.Metric:
    """Police requests escalated for want of an answer, as the verify steps count them."""
    return cloudwatch.Metric(
        namespace=constants.POWERTOOLS_METRICS_NAMESPACE,
        metric_name=constants.POLICE_ESCALATED_METRIC,
        dimensions_map={"service": constants.POWERTOOLS_SERVICE_NAME},
        period=constants.ALARM_PERIOD,
        statistic="Sum",
    )
