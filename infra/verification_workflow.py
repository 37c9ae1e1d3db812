"""The verification state machine's definition: ``verification.asl.json`` with its ``${...}``
placeholders, and the substitutions both stacks fill in.

CDK: ``sfn.DefinitionBody.from_file(str(ASL_PATH))`` with
``definition_substitutions=substitutions({VERIFY_STEPS: fn.function_arn}, timeout_s)``.
The local stack: ``render(substitutions(...))`` and ``create_state_machine``. No CDK import here,
so the local stack and tests can use it cheaply.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from sevamitra.edge.routes import WORKFLOW_ENTRIES, Entry

ASL_PATH = Path(__file__).with_name("verification.asl.json")
# The state machine is ``<resource prefix>verification`` in both stacks (sevamitra-dev-verification).
STATE_MACHINE_SUFFIX = "verification"
TIMEOUT_PLACEHOLDER = "PoliceVerificationTimeoutSeconds"
_PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9_]+)\}")


def state_machine_name(resource_prefix: str) -> str:
    return f"{resource_prefix}{STATE_MACHINE_SUFFIX}"


def state_machine_arn(region: str, account: str, resource_prefix: str) -> str:
    return f"arn:aws:states:{region}:{account}:stateMachine:{state_machine_name(resource_prefix)}"


def function_arn_placeholder(entry: Entry) -> str:
    """``VerifyStepsFunctionArn`` for ``Entry(VERIFY, "steps")``."""
    words = [*entry.function.value.split("_"), *entry.module.split("_")]
    return "".join(word.capitalize() for word in words) + "FunctionArn"


def placeholders(text: str | None = None) -> set[str]:
    return set(_PLACEHOLDER.findall(ASL_PATH.read_text(encoding="utf-8") if text is None else text))


def substitutions(function_arns: Mapping[Entry, str], police_timeout_s: int) -> dict[str, str]:
    """The ``definition_substitutions``: one function ARN per workflow entry, and the police
    answer timeout in seconds (a string: the ASL parses it with ``States.StringToJson``)."""
    missing = [entry.name for entry in WORKFLOW_ENTRIES if entry not in function_arns]
    if missing:
        raise ValueError(f"no function ARN for workflow entries {missing}")
    if police_timeout_s < 1:
        raise ValueError("police_timeout_s must be at least 1")
    values = {function_arn_placeholder(entry): arn for entry, arn in function_arns.items()}
    values[TIMEOUT_PLACEHOLDER] = str(int(police_timeout_s))
    return values


def render(values: Mapping[str, str]) -> str:
    """The definition with every placeholder replaced, as CloudFormation would replace them."""
    text = ASL_PATH.read_text(encoding="utf-8")
    unknown = placeholders(text) - set(values)
    if unknown:
        raise ValueError(f"no value for placeholders {sorted(unknown)}")
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)
