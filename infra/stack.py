"""``SevaMitra-<stage>``: the one stack, composed of one construct per capability."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from aws_cdk import Aspects, CfnOutput, Stack
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.access import Documents, Secret
from infra.constants import StageSettings
from infra.constructs.anchors import AuditAnchors
from infra.constructs.api import Api
from infra.constructs.auth import Accounts
from infra.constructs.data import Data
from infra.constructs.documents import DocumentStore
from infra.constructs.events import Events
from infra.constructs.functions import Functions
from infra.constructs.igrs import Igrs
from infra.constructs.keys import Keys
from infra.constructs.messaging import Messaging
from infra.constructs.ondc import Ondc
from infra.constructs.operations import NotifyAlarms, Operations
from infra.constructs.portal import Portal
from infra.constructs.schedules import Schedules
from infra.constructs.secrets import Secrets
from infra.constructs.verification import VerificationWorkflow
from infra.grants import Resources
from sevamitra.edge.routes import (
    IGRS_DELIVERY,
    INBOUND_SMS,
    NOTIFY_EVENTS,
    ONDC_WORKER,
    ROUTES,
    SCHEDULED_JOBS,
    WORKFLOW_ENTRIES,
    Entry,
    Function,
    Route,
    ScheduledJob,
)


class SevaMitraStack(Stack):
    """The web portal, tables, documents bucket, user pool, secrets, event bus, the five API
    functions, the workflow steps (``verification_steps``), the verification workflow and the scheduled jobs.

    The verification workflow (Step Functions, its ASL a file in ``infra/``) is built from
    ``verification_steps`` (``Entry`` -> function) and handed to
    ``functions.allow_verification_start(state_machine)``, which grants ``states:StartExecution``
    and sets ``VERIFICATION_STATE_MACHINE_ARN`` on every function whose access asks for it, and
    ``states:SendTaskSuccess`` to those that answer it (the police callback).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: StageSettings,
        layer_dir: Path,
        routes: Sequence[Route] = ROUTES,
        workflow_entries: Sequence[Entry] = WORKFLOW_ENTRIES,
        scheduled_jobs: Sequence[ScheduledJob] = SCHEDULED_JOBS,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        # The web portal first: unless the stage names its origins, the API and the document
        # uploads allow exactly the portal's own origin.
        self.portal = Portal(self, "Portal", stage=stage)
        if not stage.allowed_origins:
            stage = replace(stage, allowed_origins=(self.portal.origin,))
        self.stage = stage
        self.keys = Keys(self, "Keys", stage=stage)
        self.data = Data(self, "Data", stage=stage, key=self.keys.tables)
        self.documents = DocumentStore(self, "Documents", stage=stage, key=self.keys.documents)
        self.accounts = Accounts(self, "Accounts", stage=stage)
        self.secrets = Secrets(self, "Secrets", stage=stage)
        self.events = Events(self, "Events", stage=stage)
        self.igrs = Igrs(self, "Igrs", stage=stage, bus=self.events.bus)
        self.anchors = AuditAnchors(self, "AuditAnchors", stage=stage, access_logs=self.documents.access_logs)
        self.messaging = Messaging(self, "Messaging", stage=stage, inbound_key=self.keys.inbound_sms)
        self.ondc = Ondc(self, "Ondc", stage=stage)
        self.functions = Functions(
            self,
            "Functions",
            stage=stage,
            layer_dir=layer_dir,
            resources=Resources(
                tables=self.data.tables,
                table_indexes={logical: self.data.index_names(logical) for logical in self.data.tables},
                bucket=self.documents.bucket,
                secrets={**self.secrets.by_name, Secret.ONDC_SIGNING_KEY: self.ondc.signing_key},
                event_bus=self.events.bus,
                sms_resources=self.messaging.sms_resources,
                user_pool_arn=self.accounts.user_pool.user_pool_arn,
                anchor_bucket=self.anchors.bucket,
            ),
            model_settings={
                **self.messaging.settings,
                "contacts_key_setting": self.keys.contacts.key_arn,
                "user_pool_id": self.accounts.user_pool.user_pool_id,
                "audit_anchor_bucket": self.anchors.bucket.bucket_name,
                "igrs_endpoint": self.igrs.endpoint,
                "igrs_secret_arn": self.secrets.igrs_key.secret_arn,
                **self.ondc.settings,
            },
        )
        self.api_functions: dict[Function, lambda_.Function] = {
            function: self.functions.api(function) for function in Function
        }
        self.messaging.wire(
            bus=self.events.bus,
            consumer=self.functions.entry(NOTIFY_EVENTS),
            inbound_sms=self.functions.entry(INBOUND_SMS),
        )
        self.igrs.wire(self.functions.entry(IGRS_DELIVERY))
        self.ondc.connect(self.api_functions[Function.ONDC], self.functions.entry(ONDC_WORKER))
        self.verification_steps: dict[Entry, lambda_.Function] = {
            entry: self.functions.entry(entry) for entry in workflow_entries
        }
        self.verification = VerificationWorkflow(
            self,
            "Verification",
            stage=stage,
            steps=self.verification_steps,
            event_bus=self.events.bus,
            police_timeout_s=stage.police_verification_timeout_s,
        )
        self.functions.allow_verification_start(self.verification.state_machine)
        self.schedules = Schedules(self, "Schedules", jobs=scheduled_jobs, function_for=self.functions.entry)
        self.api = Api(
            self,
            "Api",
            stage=stage,
            routes=routes,
            functions=self.api_functions,
            user_pool=self.accounts.user_pool,
        )
        self.portal.connect_to_api(
            f"https://{self.api.rest_api.rest_api_id}.execute-api.{self.region}.{self.url_suffix}"
        )
        self._production_readiness(scheduled_jobs)
        self._outputs()

    def _production_readiness(self, scheduled_jobs: Sequence[ScheduledJob]) -> None:
        """Once every function exists: key grants and upload encryption, the API functions' CORS
        origins, asynchronous failure handling, alarms to the topic, the dashboard."""
        for function, access in self.functions.each():
            self.keys.grant(function.role, access)  # type: ignore[arg-type]
            writes_documents = access.documents is not None and access.documents is not Documents.READ
            if self.keys.documents is not None and writes_documents:
                # Presigned uploads must ask for SSE-KMS with the documents key (docs/deploy.md).
                self.functions.add_settings(
                    function, documents_sse="aws:kms", documents_kms_key_id=self.keys.documents.key_arn
                )
        origins = ",".join(self.stage.allowed_origins)
        for function in self.api_functions.values():
            self.functions.add_settings(function, allowed_origins_setting=origins)
        self.operations = Operations(self, "Operations", stage=self.stage, key=self.keys.alarms)
        self.operations.invoked_asynchronously([self.functions.entry(job.entry) for job in scheduled_jobs])
        self.operations.api_alarms(self.api.rest_api)
        self.operations.police_escalation_alarm()
        self.operations.build_dashboard(
            rest_api=self.api.rest_api,
            functions={function.node.scope.node.id: function for function, _ in self.functions.each()},  # type: ignore[union-attr]
            tables=self.data.tables,
            state_machine=self.verification.state_machine,
            queues=[node for node in self.node.find_all() if isinstance(node, sqs.Queue)],
        )
        Aspects.of(self).add(NotifyAlarms(self.operations.topic))

    def _outputs(self) -> None:
        """Stable names: the keys of ``.local/outputs.json`` (API.md 'Local run')."""
        for name, value, description in (
            ("ApiUrl", self.api.url, "Base URL of the API"),
            ("UserPoolId", self.accounts.user_pool.user_pool_id, "Cognito user pool"),
            ("UserPoolClientId", self.accounts.client.user_pool_client_id, "Cognito app client"),
            ("DocumentsBucket", self.documents.bucket.bucket_name, "Documents bucket"),
            ("PoliceSecretArn", self.secrets.police_key.secret_arn, "Police callback shared key"),
            ("IgrsSecretArn", self.secrets.igrs_key.secret_arn, "Shared key with IGRS (both ways)"),
            ("AuditAnchorBucket", self.anchors.bucket.bucket_name, "Write-once audit anchors"),
            ("PortalUrl", self.portal.url, "The web portal (CloudFront)"),
            ("PortalBucket", self.portal.bucket.bucket_name, "Where make deploy publishes web/dist"),
            ("PortalDistributionId", self.portal.distribution.distribution_id, "The portal's distribution"),
            ("OndcSubscriberId", self.ondc.settings["ondc_subscriber_id"], "Our ONDC subscriber_id"),
            ("OndcUniqueKeyId", self.ondc.settings["ondc_unique_key_id"], "Our key's unique_key_id"),
            (
                "OndcSigningKeySecretArn",
                self.ondc.signing_key.secret_arn,
                "python -m ondc.keys <arn>: the public key",
            ),
        ):
            CfnOutput(self, name, value=value, description=description)
