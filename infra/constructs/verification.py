"""Police verification: the Step Functions state machine (``infra/verification.asl.json``) and the
link that tells the police department system about requests and escalations.

- ``state_machine``: Standard (it waits days for the police), its definition the one ASL file with
  ``definition_substitutions`` from ``infra/verification_workflow.py``; its role may invoke the
  workflow's step functions and nothing else; it logs ALL events without execution data (no
  names, documents or case references in logs) to a log group with retention, and is traced.
- ``police_rule``: ``PoliceVerificationRequested`` and ``PoliceVerificationEscalated`` events on
  the stage's bus go to the police system's HTTPS endpoint through an EventBridge API destination
  whose connection sends an API key header. Endpoint and key are CloudFormation parameters
  (``PoliceSystemEndpoint``, ``PoliceSystemApiKey``: placeholders until set at deploy time, see
  docs/deploy.md). Failed deliveries are retried, then parked in ``police_dead_letters``.
- Alarms: failed and timed-out executions, and any message in the dead-letter queue.
"""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import CfnParameter, SecretValue
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra import constants
from infra.constants import StageSettings
from infra.constructs.monitoring import alarm, dead_letter_queue
from infra.nag import acknowledge
from infra.verification_workflow import ASL_PATH, state_machine_name, substitutions
from sevamitra.edge.routes import Entry
from sevamitra.platform.bus import POLICE_EVENT_TYPES, VERIFICATION_SOURCE


class VerificationWorkflow(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: StageSettings,
        steps: Mapping[Entry, lambda_.IFunction],
        event_bus: events.IEventBus,
        police_timeout_s: int = constants.POLICE_VERIFICATION_TIMEOUT_S,
    ) -> None:
        super().__init__(scope, construct_id)
        self.state_machine = self._state_machine(stage, steps, police_timeout_s)
        self.police_rule, self.police_dead_letters = self._police_link(event_bus)
        period = constants.ALARM_PERIOD
        alarm(
            self,
            "ExecutionsFailedAlarm",
            "A verification execution failed (a professional was sent back, or needs an operator)",
            self.state_machine.metric_failed(period=period, statistic="Sum"),
        )
        alarm(
            self,
            "ExecutionsTimedOutAlarm",
            "A verification execution timed out",
            self.state_machine.metric_timed_out(period=period, statistic="Sum"),
        )

    def _state_machine(
        self, stage: StageSettings, steps: Mapping[Entry, lambda_.IFunction], police_timeout_s: int
    ) -> sfn.StateMachine:
        name = state_machine_name(stage.prefix)
        log_group = logs.LogGroup(
            self,
            "Logs",
            log_group_name=f"/aws/vendedlogs/states/{name}",
            retention=stage.log_retention,
            removal_policy=stage.removal_policy,
        )
        role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("states.amazonaws.com"),
            description=f"{name}: invokes the verification steps, nothing else",
        )
        role.add_to_principal_policy(
            iam.PolicyStatement(
                sid="InvokeSteps",
                actions=["lambda:InvokeFunction"],
                resources=[function.function_arn for function in steps.values()],
            )
        )
        state_machine = sfn.StateMachine(
            self,
            "StateMachine",
            state_machine_name=name,
            state_machine_type=sfn.StateMachineType.STANDARD,
            definition_body=sfn.DefinitionBody.from_file(str(ASL_PATH)),
            definition_substitutions=substitutions(
                {entry: function.function_arn for entry, function in steps.items()}, police_timeout_s
            ),
            role=role,
            logs=sfn.LogOptions(destination=log_group, level=sfn.LogLevel.ALL, include_execution_data=False),
            tracing_enabled=True,
        )
        acknowledge(
            role.node.find_child("DefaultPolicy"),
            "AwsSolutions-IAM5[Resource::*]",
            "Log delivery (logs:*LogDelivery*, DescribeLogGroups...) and X-Ray (PutTraceSegments...) "
            "support no resource-level permissions; lambda:InvokeFunction is on the exact step ARNs.",
        )
        return state_machine

    def _police_link(self, event_bus: events.IEventBus) -> tuple[events.Rule, sqs.Queue]:
        endpoint = CfnParameter(
            self,
            constants.POLICE_ENDPOINT_PARAMETER,
            type="String",
            default=constants.POLICE_ENDPOINT_PLACEHOLDER,
            allowed_pattern="^https://.+",
            description="HTTPS endpoint of the police department system that receives verification "
            "requests and escalations (placeholder until agreed; docs/deploy.md)",
        )
        endpoint.override_logical_id(constants.POLICE_ENDPOINT_PARAMETER)
        api_key = CfnParameter(
            self,
            constants.POLICE_API_KEY_PARAMETER,
            type="String",
            no_echo=True,
            default="placeholder-set-at-deploy",
            min_length=1,
            description="API key the police department system expects in "
            f"{constants.POLICE_API_KEY_HEADER} (placeholder until set at deploy time)",
        )
        api_key.override_logical_id(constants.POLICE_API_KEY_PARAMETER)
        connection = events.Connection(
            self,
            "PoliceConnection",
            description="Seva Mitra -> police department system",
            authorization=events.Authorization.api_key(
                constants.POLICE_API_KEY_HEADER, SecretValue.cfn_parameter(api_key)
            ),
        )
        destination = events.ApiDestination(
            self,
            "PoliceDestination",
            connection=connection,
            endpoint=endpoint.value_as_string,
            http_method=events.HttpMethod.POST,
            rate_limit_per_second=constants.POLICE_RATE_LIMIT_PER_SECOND,
            description="Police verification requests and escalations",
        )
        dead_letters = dead_letter_queue(self, "PoliceDeadLetters", of="the police notification rule")
        rule = events.Rule(
            self,
            "PoliceRule",
            description="Send police verification requests and escalations to the police system",
            event_bus=event_bus,
            event_pattern=events.EventPattern(
                source=[VERIFICATION_SOURCE], detail_type=list(POLICE_EVENT_TYPES)
            ),
            targets=[
                targets.ApiDestination(
                    destination,
                    dead_letter_queue=dead_letters,
                    retry_attempts=constants.POLICE_RETRY_ATTEMPTS,
                    max_event_age=constants.POLICE_MAX_EVENT_AGE,
                )
            ],
        )
        return rule, dead_letters
