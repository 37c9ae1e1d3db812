"""README.md's folder table, command table and file references stay true as the tree changes."""

from __future__ import annotations

import re
from fnmatch import fnmatch

from local.paths import ROOT

README = (ROOT / "README.md").read_text()
# Shell examples are not references to the tree.
PROSE = re.sub(r"^```.*?^```", "", README, flags=re.MULTILINE | re.DOTALL)
# Where a path named in a table row may start: the root, the layer (``sevamitra/edge/routes.py``),
# the shared package (``edge/``), a function's folder (``verify/steps.py``), the CDK app.
BASES = ("", "layers/common/python/", "layers/common/python/sevamitra/", "functions/*/", "infra/")


def _table_after(heading: str) -> list[str]:
    """The first cell of each row of the first table after ``heading``, without its backticks."""
    section = README.split(heading, 1)[1]
    rows = re.findall(r"^\| `([^`]+)` \|", section.split("\n## ", 1)[0], flags=re.MULTILINE)
    assert rows, f"no table under {heading!r}"
    return rows


def _ignored() -> set[str]:
    return {
        line.strip().strip("/")
        for line in (ROOT / ".gitignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }


def _is_ignored(name: str) -> bool:
    """Whether .gitignore ignores a top-level folder of that name (patterns such as
    ``*.egg-info`` included: an editable install writes one into a fresh clone)."""
    return any(fnmatch(name, pattern) for pattern in _ignored())


def _exists(pattern: str) -> bool:
    return next(ROOT.glob(pattern), None) is not None


def test_every_make_target_with_a_help_line_is_in_the_command_table_and_no_other():
    # Given the targets `make help` lists (its own pattern, a `## ` comment on the rule line)
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z-]+):.*## ", makefile, flags=re.MULTILINE))
    # When the README's command table is read
    commands = _table_after("## Everyday commands")
    assert all(command.startswith("make ") for command in commands)
    documented = [command.split()[1] for command in commands]
    assert len(documented) == len(set(documented)), "a target with two rows"
    assert set(documented) == targets


def test_the_folder_table_has_every_top_level_folder_and_only_those():
    folders = {
        path.name
        for path in ROOT.iterdir()
        if path.is_dir() and not path.name.startswith(".") and not _is_ignored(path.name)
    }
    documented = [row.split("/", 1)[0] for row in _table_after("| folder | what lives there |")]
    assert len(documented) == len(set(documented)), "a folder with two rows"
    assert set(documented) == folders


def test_every_path_the_readme_names_exists():
    """``functions/<name>/<name>/`` means every function; ``results/*.json`` at least one file."""
    ignored = _ignored()
    references = {
        token
        for token in re.findall(r"`([^`\s]+)`", PROSE)
        if "/" in token
        and ":" not in token
        and not token.startswith(("../", "http"))  # beside the repository, on the web
        and token.split("/", 1)[0] not in ignored  # build output
    }
    assert len(references) > 10, "the pattern finds the paths"
    missing = [
        token
        for token in sorted(references)
        if not any(_exists(base + re.sub(r"<[^>]+>", "*", token).strip("/")) for base in BASES)
    ]
    assert missing == []
