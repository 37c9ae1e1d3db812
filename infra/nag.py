"""Acknowledging a cdk-nag finding: always on one construct, always with the reason."""

from __future__ import annotations

from aws_cdk import Acknowledgment, Validations
from constructs import IConstruct


def acknowledge(construct: IConstruct, rule: str, reason: str) -> None:
    """Accept finding ``rule`` (``AwsSolutions-IAM5[Resource::*]``) on ``construct``, for ``reason``."""
    Validations.of(construct).acknowledge(Acknowledgment(id=rule, reason=reason))
