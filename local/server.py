"""``make dev``: the whole stack in one process, on an in-process AWS emulator.

Order matters: the moto server starts first and the SDK environment (endpoint, fake credentials,
region) and ``VERIFICATION_STATE_MACHINE_ARN`` (moto's ARNs are predictable) are set before
anything creates a boto3 client, reads the functions' settings or imports the pynamodb models,
which read their settings at import. Then moto is configured (Step Functions executes ASL, Lambda
without Docker, Lambda invocations of ``<resource prefix><function>-<module>`` routed to the
in-process handlers), the resources and the verification workflow are provisioned from the shared
definitions, demo data is seeded, ``outputs.json`` is written, and the API Gateway emulation and
the scheduler start. Ctrl-C or SIGTERM stops everything in reverse; exit code 0.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import signal
import socket
import sys
import threading
import urllib.request
import warnings
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from moto.server import ThreadedMotoServer

from local import atomic_dynamodb

if TYPE_CHECKING:
    from local.demo import DemoContext
    from local.events import EventPump
    from local.gateway import Gateway
    from local.igrs import FakeIgrs
    from local.ondc import WorkPump
    from local.scheduler import Scheduler
    from local.settings import LocalSettings

log = logging.getLogger("local.server")

REGION = "ap-south-1"
MOTO_CONFIG = {"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}


def _check_port_free(host: str, port: int) -> None:
    """Fail fast: ``ThreadedMotoServer.start`` waits forever when its port is taken."""
    if port == 0:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


def point_sdk_at_emulator(endpoint_url: str, moto_port: int) -> None:
    """Every AWS client of this process (boto3, pynamodb via botocore) talks to the emulator with
    fake credentials; never to a real account, whatever the shell has configured."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        os.environ.pop(name, None)
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": endpoint_url,
            "MOTO_PORT": str(moto_port),  # the Step Functions interpreter calls localhost:$MOTO_PORT
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
        }
    )
    os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")


def configure_moto(endpoint_url: str) -> None:
    request = urllib.request.Request(  # noqa: S310  (the emulator's loopback URL)
        f"{endpoint_url}/moto-api/config",
        data=json.dumps(MOTO_CONFIG).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        response.read()


def write_outputs(path: Path, outputs: dict[str, Any]) -> None:
    """Written atomically: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".json.partial")
    partial.write_text(json.dumps(outputs, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    partial.replace(path)


class LocalStack:
    """Everything ``make dev`` runs: started in order by ``start``, stopped in reverse by ``stop``."""

    def __init__(self) -> None:
        self.moto: ThreadedMotoServer | None = None
        self.gateway: Gateway | None = None
        self.scheduler: Scheduler | None = None
        self.events: EventPump | None = None
        self.igrs_events: EventPump | None = None
        self.igrs: FakeIgrs | None = None
        self.anchoring: Scheduler | None = None
        self.ondc_work: WorkPump | None = None
        self.outputs: dict[str, Any] = {}
        self.outputs_path: Path | None = None
        self.demo: DemoContext | None = None
        self.config: LocalSettings | None = None

    def start(self) -> None:
        from local.settings import LocalSettings

        early = LocalSettings()
        _check_port_free(early.host, early.moto_port)
        # Concurrent writers must not see moto's unlocked transactions (local/atomic_dynamodb.py).
        atomic_dynamodb.install()
        self.moto = ThreadedMotoServer(ip_address=early.host, port=early.moto_port, verbose=False)
        self.moto.start()
        moto_host, moto_port = self.moto.get_host_and_port()
        endpoint_url = f"http://{moto_host}:{moto_port}"
        point_sdk_at_emulator(endpoint_url, moto_port)
        os.environ["VERIFICATION_STATE_MACHINE_ARN"] = LocalSettings().local_state_machine_arn
        # The fake IGRS on loopback, before any function reads IGRS_ENDPOINT (local/igrs.py).
        from local.igrs import FakeIgrs

        igrs_key = secrets.token_hex(32)
        self.igrs = FakeIgrs(igrs_key.encode(), host=early.host)
        self.igrs.start()
        os.environ["IGRS_ENDPOINT"] = self.igrs.url

        # Only now: these create SDK clients or read settings at import.
        from infra.portal_policy import portal_config
        from local.authorizer import cognito_verifier
        from local.demo import seed
        from local.events import EventPump
        from local.gateway import Gateway
        from local.lambdas import install_lambda_router
        from local.ondc import WorkPump, new_signing_secret
        from local.portal import PortalSite
        from local.provision import provision
        from local.scheduler import Scheduler
        from sevamitra.edge.routes import AUDIT_ANCHORING, IGRS_DELIVERY, SCHEDULED_JOBS

        config = self.config = LocalSettings()
        configure_moto(endpoint_url)
        install_lambda_router(config.resource_prefix)
        police_key = secrets.token_hex(32)
        ondc_secret = new_signing_secret()
        resources = provision(
            config,
            police_key=police_key,
            identity_key=secrets.token_hex(32),
            igrs_key=igrs_key,
            ondc_signing_secret=ondc_secret,
        )
        if resources.verification_state_machine_arn != config.verification_state_machine_arn:
            raise RuntimeError("the verification state machine is not where the functions look for it")
        # notify finds the phone numbers of managing accounts in the user pool.
        os.environ["USER_POOL_ID"] = resources.user_pool_id
        # Domain events reach notify as in AWS: bus -> rule -> queue -> function (local/events.py).
        self.events = EventPump(resources.notify_queue_url, config.aws_region)
        self.events.start()
        # Escalations and decisions reach IGRS the same way: bus -> rule -> queue -> function.
        self.igrs_events = EventPump(resources.igrs_queue_url, config.aws_region, entry=IGRS_DELIVERY)
        self.igrs_events.start()
        self.demo = seed(resources, config.aws_region, police_key=police_key)

        verifier = cognito_verifier(
            endpoint_url, config.aws_region, resources.user_pool_id, resources.user_pool_client_id
        )
        self.gateway = Gateway(verifier, host=config.host, port=config.port, stage=config.stage)
        ondc = self._ondc(resources.ondc_queue_url, self.gateway.url, ondc_secret)
        self.outputs = {
            "ApiUrl": self.gateway.url,
            "UserPoolId": resources.user_pool_id,
            "UserPoolClientId": resources.user_pool_client_id,
            "AwsEndpointUrl": endpoint_url,
            "DocumentsBucket": resources.documents_bucket,
            "PoliceSecretArn": resources.police_secret_arn,
            "IgrsSecretArn": resources.igrs_secret_arn,
            "AuditAnchorBucket": resources.audit_anchor_bucket,
            "PortalUrl": f"{self.gateway.url}/app/",
            **ondc,
            # Local only: a deployed stack never exports these.
            "Region": config.aws_region,
            "PoliceSecretValue": police_key,
            "IgrsSecretValue": igrs_key,
            "IgrsUrl": self.igrs.url,
            "VerificationStateMachineArn": resources.verification_state_machine_arn,
            "DemoAccounts": {role: a.as_output() for role, a in self.demo.accounts.items()},
            "DemoProfessionals": dict(self.demo.professionals),
        }
        # Same origin as the API; the browser calls the emulator itself for Cognito and uploads
        # (moto's server answers CORS for any origin).
        self.gateway.portal = PortalSite(portal_config(self.outputs), connect_to=(endpoint_url,))
        self.outputs_path = config.outputs_path
        write_outputs(self.outputs_path, self.outputs)
        self.gateway.start()
        self.igrs.api_url = self.gateway.url
        self.scheduler = Scheduler(
            config.schedule_interval_s,
            jobs=[job for job in SCHEDULED_JOBS if job != AUDIT_ANCHORING],
            region=config.aws_region,
            prefix=config.resource_prefix,
        )
        self.scheduler.start()
        # Anchoring keeps its own clock (AUDIT_ANCHOR_INTERVAL_S), whatever SCHEDULE_INTERVAL_S is.
        from sevamitra.data.anchors import anchor_settings

        self.anchoring = Scheduler(
            anchor_settings().audit_anchor_interval_s,
            jobs=[AUDIT_ANCHORING],
            region=config.aws_region,
            prefix=config.resource_prefix,
        )
        self.anchoring.start()
        self.ondc_work = WorkPump(resources.ondc_queue_url, config.aws_region)
        self.ondc_work.start()

    @staticmethod
    def _ondc(queue_url: str, api_url: str, signing_secret: str) -> dict[str, str]:
        """Who the local seller platform is on the network (set before the ondc function first
        reads its settings) and the outputs a buyer app needs: our ids and public key."""
        from sevamitra.edge.beckn_signing import key_from_secret, public_key_b64
        from sevamitra.platform.ondc_settings import OndcSettings

        os.environ.update(
            {
                "ONDC_QUEUE_URL": queue_url,
                "ONDC_SUBSCRIBER_URL": f"{api_url}/ondc",
                "ONDC_REGISTRY_URL": f"{api_url}/_local/ondc/registry",
            }
        )
        config = OndcSettings()
        return {
            "OndcSubscriberId": config.ondc_subscriber_id,
            "OndcUniqueKeyId": config.ondc_unique_key_id,
            "OndcSigningPublicKey": public_key_b64(key_from_secret(signing_secret)),
        }

    def stop(self) -> None:
        if self.ondc_work:
            self.ondc_work.stop()
        if self.gateway:
            self.gateway.stop()
        if self.scheduler:
            self.scheduler.stop()
        if self.anchoring:
            self.anchoring.stop()
        if self.events:
            self.events.stop()
        if self.igrs_events:
            self.igrs_events.stop()
        if self.igrs:
            self.igrs.stop()
        if self.moto:
            self.moto.stop()

    def banner(self) -> str:
        assert self.config is not None
        assert self.demo is not None
        config = self.config
        lines = [
            "",
            f"Seva Mitra local stack: {self.outputs['ApiUrl']}",
            f"  web portal        {self.outputs['PortalUrl']}",
            f"  AWS emulator      {self.outputs['AwsEndpointUrl']}",
            f"  outputs           {self.outputs_path}",
            f"  police key        {self.outputs['PoliceSecretValue']}",
            f"  clocks            booking accept {config.booking_accept_timeout_s}s, "
            f"complaint SLA {config.complaint_sla_s}s (answer within {config.complaint_response_s}s), "
            f"police {config.police_verification_timeout_s}s, "
            f"scheduler every {config.schedule_interval_s:g}s",
            f"  IGRS (fake)       {self.outputs['IgrsUrl']}",
            '  IGRS calls back: POST <IGRS (fake)>/_fake/grievances/<reference>/status {"status"}',
            "  demo accounts (username / password):",
            *(
                f"    {a.role:<12} {a.username} / {a.password}" + (f"  [{a.group}]" if a.group else "")
                for a in self.demo.accounts.values()
            ),
            *(
                f"  ID token: python -m local.token {a.username} '{a.password}'   (see docs/local.md)"
                for a in list(self.demo.accounts.values())[:1]
            ),
            "  demo professionals:",
            *(f"    {story:<14} {pid}" for story, pid in self.demo.professionals.items()),
            "  answer a police request: python -m local.police <request_id> clear",
            f"  SMS sent: GET {self.outputs['ApiUrl']}/_local/sms?to=<+91 mobile>; "
            f'a reply: POST {self.outputs["ApiUrl"]}/_local/sms {{"from", "body"}}',
            "Ctrl-C to stop.",
            "",
        ]
        return "\n".join(lines)


def _configure_logging() -> None:
    from local.logs import redacting_handler

    # Every line through the PII redactor (local/logs.py): a client can put an Aadhaar anywhere.
    logging.basicConfig(level=logging.INFO, handlers=[redacting_handler()])
    # moto's server logs every SDK call it serves, botocore every client it makes: the gateway's
    # access lines and the handlers' own logs are what matter.
    for noisy in ("werkzeug", "botocore", "pynamodb"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # Metrics are not published locally (POWERTOOLS_METRICS_DISABLED); not a warning per request.
    warnings.filterwarnings("ignore", message="No application metrics to publish")


def main() -> int:
    _configure_logging()
    stopping = threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        log.info("received %s, stopping", signal.Signals(signum).name)
        stopping.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    stack = LocalStack()
    try:
        stack.start()
    except OSError as exc:
        print(f"local stack could not start: {exc} (is PORT or MOTO_PORT in use?)", file=sys.stderr)
        stack.stop()
        return 1
    except Exception:
        log.exception("local stack could not start")
        stack.stop()
        return 1
    print(stack.banner(), flush=True)
    while not stopping.wait(0.5):
        pass
    stack.stop()
    log.info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
