"""The README is the contract: two set-up commands, and .ci/run runs the test one verbatim."""
from __future__ import annotations

import re

from tests.conftest import REPO


def setup_commands() -> list[str]:
    readme = (REPO / "README.md").read_text()
    return [line for line in re.findall(r"^python3 -m venv .+$", readme, re.M)]


def test_readme_has_exactly_one_demo_and_one_test_command():
    commands = setup_commands()
    assert len(commands) == 2
    demo, tests = commands
    assert demo.endswith("alliance demo") and "pytest" in tests


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text().splitlines()
    assert setup_commands()[1] in ci
