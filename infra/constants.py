"""Every name, size, timeout and per-stage setting of the CDK app, in one place."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_logs as logs

from sevamitra.platform import observability

APP = "sevamitra"
DEFAULT_STAGE = "dev"

# Context keys (cdk.json defaults, `--context key=value` overrides).
CONTEXT_STAGE = "stage"
CONTEXT_LAYER_DIR = "layer_dir"
CONTEXT_ALLOWED_ORIGINS = "allowed_origins"
CONTEXT_ALARM_EMAIL = "alarm_email"
DEFAULT_LAYER_DIR = "build/layer"
# The portal's build (make web), published after cdk deploy by infra/publish_portal.py.
PORTAL_DIST = Path(__file__).resolve().parent.parent / "web" / "dist"

# Functions: sizes and timeouts. API Gateway gives up after 29 s; workflow and scheduled
# entries run unattended and may page through more items.
API_MEMORY_MB = 512
API_TIMEOUT = Duration.seconds(15)
ENTRY_MEMORY_MB = 512
ENTRY_TIMEOUT = Duration.seconds(60)
FUNCTIONS_ROOT = Path(__file__).resolve().parent.parent / "functions"

# Powertools: the names the shared package logs and emits metrics under.
POWERTOOLS_SERVICE_NAME = observability.SERVICE
POWERTOOLS_METRICS_NAMESPACE = observability.METRICS_NAMESPACE

# Alarms: any error or throttle in a 5-minute window is worth a look at this scale.
ALARM_PERIOD = Duration.minutes(5)

# Scheduled jobs: EventBridge retries, then parks the event in the dead-letter queue.
SCHEDULE_RETRY_ATTEMPTS = 2
SCHEDULE_MAX_EVENT_AGE = Duration.hours(1)
DLQ_RETENTION = Duration.days(14)

# Verification workflow: an unanswered police request is escalated after this (the ASL gets it as
# a substitution). Police notifications (``sevamitra.platform.bus.POLICE_EVENT_TYPES``) go to the police
# department system's HTTPS endpoint through an EventBridge API destination: retried, then parked
# in a dead-letter queue with an alarm.
POLICE_VERIFICATION_TIMEOUT_S = 7 * 24 * 3600
POLICE_RETRY_ATTEMPTS = 20
POLICE_MAX_EVENT_AGE = Duration.hours(24)
POLICE_RATE_LIMIT_PER_SECOND = 10
# CloudFormation parameters of the police system link, set at deploy time (docs/deploy.md).
POLICE_ENDPOINT_PARAMETER = "PoliceSystemEndpoint"
POLICE_API_KEY_PARAMETER = "PoliceSystemApiKey"
POLICE_API_KEY_HEADER = "X-Api-Key"
POLICE_ENDPOINT_PLACEHOLDER = "https://police-system.invalid/seva-mitra/verification-events"

# IGRS delivery (infra/constructs/igrs.py, docs/igrs.md): the endpoint is a placeholder until
# IGRS issues the real one (stack parameter IgrsEndpoint, docs/deploy.md). The bus rule retries
# putting an event in the IGRS queue for up to a day, then parks it in the dead-letter queue.
IGRS_PLACEHOLDER_ENDPOINT = "https://igrs.example.invalid/sevamitra"
IGRS_RETRY_ATTEMPTS = 20
IGRS_MAX_EVENT_AGE_HOURS = 24
# One message per invocation: one slow IGRS call does not hold back (or fail) nine others.
IGRS_BATCH_SIZE = 1
# Audit anchors are kept immutable (S3 Object Lock, compliance mode) this long: ten years where
# the stage protects its data (prod), a day elsewhere (a dev stack's bucket must be removable).
AUDIT_ANCHOR_RETENTION_DAYS = 3650
AUDIT_ANCHOR_DEV_RETENTION_DAYS = 1

# Notifications (infra/constructs/messaging.py). Stack parameters of the SMS service (placeholders
# until the DLT registration and the two-way number exist, docs/deploy.md) and of push.
SMS_ORIGINATION_IDENTITY_PARAMETER = "SmsOriginationIdentity"
SMS_ORIGINATION_IDENTITY_PLACEHOLDER = "arn:aws:sms-voice:ap-south-1:000000000000:phone-number/set-at-deploy"
SMS_DLT_ENTITY_PARAMETER = "SmsDltEntityId"
SMS_DLT_TEMPLATES_PARAMETER = "SmsDltTemplateIds"
SMS_MAX_PRICE_PARAMETER = "SmsMaxPrice"
SMS_MAX_PRICE_DEFAULT = "0.05"
SMS_SENDER_ID_PARAMETER = "SmsSenderId"
FCM_PARAMETER = "FcmPlatformApplicationArn"
APNS_PARAMETER = "ApnsPlatformApplicationArn"
# Domain events to notify: records per invocation; EventBridge's retries putting one in the queue.
NOTIFY_BATCH_SIZE = 10
NOTIFY_TARGET_RETRY_ATTEMPTS = 20
NOTIFY_TARGET_MAX_EVENT_AGE = Duration.hours(24)
# An inbound SMS whose handling failed is tried twice more (Lambda asynchronous retries).
INBOUND_SMS_RETRY_ATTEMPTS = 2

# The ONDC registry whose lookup gives buyer apps' signing keys (stack parameter OndcRegistryUrl;
# ONDC's staging registry until the stage is onboarded to pre-production or production).
ONDC_REGISTRY_URL = "https://staging.registry.ondc.org"

# Documents bucket.
NONCURRENT_VERSION_EXPIRY = Duration.days(90)
ABORT_INCOMPLETE_UPLOAD_AFTER = Duration.days(1)
ACCESS_LOG_EXPIRY = Duration.days(365)

# Cognito groups (API.md: staff roles come from `cognito:groups`).
# ``appellate``: officers who decide appeals against confirmed bans (also in ``officers``).
# ``helpline``: staff of the toll-free call centre, who book for callers by mobile number.
USER_GROUPS = ("officers", "employers", "appellate", "helpline")
# The user pool's custom attribute of an officer's district (``custom:district`` in tokens).
DISTRICT_ATTRIBUTE = "district"

# CORS (API Gateway preflight on every resource; the functions' responses: ALLOWED_ORIGINS).
CORS_ALLOWED_HEADERS = ("Authorization", "Content-Type", "Idempotency-Key", "Accept-Language")
CORS_MAX_AGE = Duration.hours(1)

# WAF (prod): requests per client IP in any 5-minute window before the rate rule blocks it. UP
# offices and mobile carriers put many citizens behind one NAT address, hence generous.
WAF_RATE_LIMIT_PER_5_MIN = 2000

# WAF (prod): the public card (GET /professionals/{id}/card, no sign-in) per client IP in any
# 5-minute window. Scanning ID cards is a handful of requests; walking professional ids to collect
# names is not. Above it: 429 ``throttled``, like the rate rule above.
WAF_CARD_RATE_LIMIT_PER_5_MIN = 100

# KMS: customer-managed keys (prod) wait this long before deletion once scheduled.
KEY_PENDING_WINDOW = Duration.days(30)
DEV_KEY_PENDING_WINDOW = Duration.days(7)

# Asynchronously invoked functions (EventBridge -> scheduled jobs): no Lambda retry (the next
# tick is the retry), an event older than this is dropped to the on-failure queue.
ASYNC_RETRY_ATTEMPTS = 0
ASYNC_MAX_EVENT_AGE = Duration.minutes(10)

# API alarms: 5xx share of requests and p99 latency, over the alarm period.
API_5XX_RATE_THRESHOLD = 0.01
API_P99_LATENCY_MS = 3000
API_LATENCY_EVALUATION_PERIODS = 3

# A police request unanswered within POLICE_VERIFICATION_TIMEOUT_S is escalated; the verify steps
# count each escalation in this metric (Powertools EMF, namespace POWERTOOLS_METRICS_NAMESPACE,
# dimension service=POWERTOOLS_SERVICE_NAME).
POLICE_ESCALATED_METRIC = observability.POLICE_ESCALATED_METRIC


@dataclass(frozen=True)
class StageSettings:
    """What differs between a developer's stage and production."""

    name: str
    log_level: str
    log_retention: logs.RetentionDays
    # Tables and log groups: RETAIN (+ deletion protection) in prod, DESTROY in dev.
    removal_policy: RemovalPolicy
    deletion_protection: bool
    # Browser origins allowed to call the API (CORS) and to POST documents to the bucket. Empty:
    # exactly the stage's own portal (its CloudFront origin, known at deploy time); the context
    # ``allowed_origins`` names them instead (a portal served from another domain).
    allowed_origins: tuple[str, ...]
    throttle_rate_limit: int
    throttle_burst_limit: int
    # Cognito Plus feature plan: adaptive threat protection, billed per monthly active user.
    cognito_threat_protection: bool
    # An unanswered police request is escalated after this many seconds (and waited for again).
    police_verification_timeout_s: int = POLICE_VERIFICATION_TIMEOUT_S
    # Tables and the documents bucket encrypted with customer-managed KMS keys (else AWS-owned /
    # AWS-managed keys); the alarm topic always has its own key.
    customer_managed_keys: bool = False
    # A WAFv2 web ACL (rate rule + AWS managed rule groups) on the API stage.
    web_acl: bool = False
    # Reserved concurrency of each scheduled job (None: unreserved): 1 means two sweeps of one
    # job never overlap. Reserving needs an account concurrency quota above the default of new
    # accounts (docs/deploy.md), so dev leaves it unreserved.
    scheduled_reserved_concurrency: int | None = None
    # Where alarm notifications are e-mailed (context ``alarm_email``); None: the topic only.
    alarm_email: str | None = None

    @property
    def prefix(self) -> str:
        """``sevamitra-<stage>-``: the TABLE_PREFIX the functions get, and every resource name."""
        return f"{APP}-{self.name}-"

    @property
    def stack_name(self) -> str:
        return f"SevaMitra-{self.name}"

    def table_name(self, logical: str) -> str:
        return f"{self.prefix}{logical}"

    def function_name(self, suffix: str) -> str:
        return f"{self.prefix}{suffix}"

    @property
    def event_bus_name(self) -> str:
        return f"{APP}-{self.name}"

    @property
    def identity_key_secret_name(self) -> str:
        return f"{APP}-{self.name}/identity-key"

    @property
    def cursor_key_secret_name(self) -> str:
        return f"{APP}-{self.name}/cursor-key"

    @property
    def police_secret_name(self) -> str:
        return f"{APP}-{self.name}/police-callback"

    @property
    def igrs_secret_name(self) -> str:
        return f"{APP}-{self.name}/igrs-callback"


STAGES: dict[str, StageSettings] = {
    "dev": StageSettings(
        name="dev",
        log_level="DEBUG",
        log_retention=logs.RetentionDays.TWO_WEEKS,
        removal_policy=RemovalPolicy.DESTROY,
        deletion_protection=False,
        allowed_origins=(),
        throttle_rate_limit=50,
        throttle_burst_limit=100,
        cognito_threat_protection=False,
    ),
    "prod": StageSettings(
        name="prod",
        log_level="INFO",
        log_retention=logs.RetentionDays.SIX_MONTHS,
        removal_policy=RemovalPolicy.RETAIN,
        deletion_protection=True,
        allowed_origins=(),
        throttle_rate_limit=500,
        throttle_burst_limit=1000,
        cognito_threat_protection=True,
        customer_managed_keys=True,
        web_acl=True,
        scheduled_reserved_concurrency=1,
    ),
}


def stage_settings(
    stage: str, allowed_origins: str | None = None, alarm_email: str | None = None
) -> StageSettings:
    """The settings of ``stage``; ``allowed_origins`` (comma-separated) overrides the CORS origins,
    ``alarm_email`` subscribes an address to the alarm topic."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}: use one of {', '.join(sorted(STAGES))}")
    settings = STAGES[stage]
    if allowed_origins:
        origins = tuple(origin.strip() for origin in allowed_origins.split(",") if origin.strip())
        settings = replace(settings, allowed_origins=origins)
    if alarm_email:
        settings = replace(settings, alarm_email=alarm_email.strip())
    return settings
