"""Demo data for ``make dev``: accounts to sign in with, and (as features land) things to look at.

``DEMO_DATA`` is the hook: each entry takes the ``DemoContext`` and adds its part, in order.
Later features append their seeders (verified professionals near Lucknow, an agency...) here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3

from local.provision import LocalResources
from sevamitra.auth import EMPLOYERS, OFFICERS


@dataclass(frozen=True)
class DemoAccount:
    role: str
    username: str  # the phone number, as the pool uses phone numbers as usernames
    password: str
    group: str | None = None

    def as_output(self) -> dict[str, str]:
        output = {"username": self.username, "password": self.password}
        return {**output, "group": self.group} if self.group else output


# Fixed, printed at start: local only, on a throw-away emulator.
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("citizen", "+919000000001", "Citizen#2026"),
    DemoAccount("officer", "+919000000002", "Officer#2026", OFFICERS),
    DemoAccount("employer", "+919000000003", "Employer#2026", EMPLOYERS),
)


@dataclass
class DemoContext:
    resources: LocalResources
    region: str
    accounts: dict[str, DemoAccount] = field(default_factory=dict)
    # role -> Cognito sub, for seeders that create data owned by a demo account.
    subs: dict[str, str] = field(default_factory=dict)


def create_account(idp: Any, pool_id: str, account: DemoAccount) -> str:
    """An administrator-created account with a permanent password (no forced change): the sub."""
    user = idp.admin_create_user(
        UserPoolId=pool_id,
        Username=account.username,
        UserAttributes=[
            {"Name": "phone_number", "Value": account.username},
            {"Name": "phone_number_verified", "Value": "true"},
        ],
        MessageAction="SUPPRESS",
    )["User"]
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username=account.username, Password=account.password, Permanent=True
    )
    if account.group:
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username=account.username, GroupName=account.group)
    attributes = {a["Name"]: a["Value"] for a in user.get("Attributes", [])}
    return str(attributes.get("sub", user["Username"]))


def create_demo_accounts(ctx: DemoContext) -> None:
    idp = boto3.client("cognito-idp", region_name=ctx.region)
    for account in DEMO_ACCOUNTS:
        ctx.subs[account.role] = create_account(idp, ctx.resources.user_pool_id, account)
        ctx.accounts[account.role] = account


DEMO_DATA: list[Callable[[DemoContext], None]] = [create_demo_accounts]


def seed(resources: LocalResources, region: str) -> DemoContext:
    ctx = DemoContext(resources=resources, region=region)
    for seeder in DEMO_DATA:
        seeder(ctx)
    return ctx
