"""Cognito: phone-number sign-up and sign-in, the app client, the staff groups.

Mirrors ``local/provision.py::create_user_pool``: phone number as username, self sign-up, an app
client without secret allowing SRP, USER_PASSWORD_AUTH and refresh, the custom attribute
``district`` (an officer's district, set by administrators: the client reads it, never writes it),
groups ``officers``,
``employers``, ``appellate`` (officers who decide appeals against bans) and ``helpline`` (call
centre staff who book for callers); staff accounts are created by administrators and put in their
group.

The app client is for the apps' own sign-in screens (API.md: SRP or USER_PASSWORD_AUTH, then
refresh tokens); there is no hosted UI and no federated sign-in, so OAuth is off: no authorization
code or implicit grant, no callback URL, no scopes to ask for."""

from __future__ import annotations

from aws_cdk import aws_cognito as cognito
from constructs import Construct

from infra import constants
from infra.constants import StageSettings
from infra.nag import acknowledge

# What the apps sign in with (refresh tokens are always allowed): ExplicitAuthFlows
# ALLOW_USER_SRP_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH and nothing else.
AUTH_FLOWS = cognito.AuthFlow(user_srp=True, user_password=True)
# What the app client may read, and so what its ID tokens carry: the phone number (a booking's
# other side calls it while the booking is accepted) and whether it is verified. Listed, as the
# local pool lists them (``local.provision.READ_ATTRIBUTES``), instead of "every attribute".
# And ``custom:district``: the district whose queues an officer hears of (notify's feeds).
READ_ATTRIBUTES = (
    cognito.ClientAttributes()
    .with_standard_attributes(phone_number=True, phone_number_verified=True)
    .with_custom_attributes(constants.DISTRICT_ATTRIBUTE)
)
# What the app client may write: only what sign-up sets (``local.provision.WRITE_ATTRIBUTES``).
# Never ``custom:district``: an officer must not move himself to another district's queues (left
# unset, a client may write every attribute).
WRITE_ATTRIBUTES = cognito.ClientAttributes().with_standard_attributes(phone_number=True)


class Accounts(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, stage: StageSettings) -> None:
        super().__init__(scope, construct_id)
        plan, threat_protection = cognito.FeaturePlan.ESSENTIALS, None
        if stage.cognito_threat_protection:
            plan = cognito.FeaturePlan.PLUS
            threat_protection = cognito.StandardThreatProtectionMode.FULL_FUNCTION
        self.user_pool = cognito.UserPool(
            self,
            "UserPool",
            user_pool_name=f"{stage.prefix}users",
            self_sign_up_enabled=True,
            sign_in_aliases=cognito.SignInAliases(phone=True),
            auto_verify=cognito.AutoVerifiedAttrs(phone=True),
            custom_attributes={
                constants.DISTRICT_ATTRIBUTE: cognito.StringAttribute(min_len=1, max_len=64, mutable=True)
            },
            password_policy=cognito.PasswordPolicy(
                min_length=8,
                require_digits=True,
                require_lowercase=True,
                require_uppercase=True,
                require_symbols=True,
            ),
            account_recovery=cognito.AccountRecovery.PHONE_ONLY_WITHOUT_MFA,
            mfa=cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(sms=True, otp=True),
            feature_plan=plan,
            standard_threat_protection_mode=threat_protection,
            deletion_protection=stage.deletion_protection,
            removal_policy=stage.removal_policy,
        )
        self.client = self.user_pool.add_client(
            "AppClient",
            user_pool_client_name=f"{stage.prefix}app",
            generate_secret=False,
            auth_flows=AUTH_FLOWS,
            read_attributes=READ_ATTRIBUTES,
            write_attributes=WRITE_ATTRIBUTES,
            disable_o_auth=True,
            prevent_user_existence_errors=True,
        )
        self.groups = {
            name: cognito.UserPoolGroup(self, name, user_pool=self.user_pool, group_name=name)
            for name in constants.USER_GROUPS
        }
        acknowledge(
            self.user_pool,
            "AwsSolutions-COG2",
            "Citizens and professionals sign in with a verified phone number; MFA is offered "
            "(SMS or authenticator) but not forced on every citizen of a public service.",
        )
        acknowledge(
            self.user_pool.node.find_child("smsRole"),
            "AwsSolutions-IAM5[Resource::*]",
            "Cognito texts verification codes to any citizen's phone number through SNS, and "
            "sns:Publish to a phone number has no resource ARN to scope it to.",
        )
        if not stage.cognito_threat_protection:
            acknowledge(
                self.user_pool,
                "AwsSolutions-COG8",
                f"Stage {stage.name} has no real users: the Plus plan (threat protection, billed "
                "per active user) is on in prod only.",
            )
