"""What the CLI's CI modules share: the sample Bluejay request (three digital humans, one of
which fails; ~5 s a run on the local stack), the `agentsim` entry point and the environment it
runs in, the stack options, and a JUnit file read as a JUnit reader reads it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from junitparser import JUnitXml, TestSuite

from agentsim_local.demo import REQUESTS
from agentsim_local.embedded import EmbeddedStack

REQUEST = REQUESTS / "bluejay.json"  # gate 0.6: 2 of 3 pass; `min_pass_rate=0.9` fails it
AGENTSIM = str(Path(sys.executable).parent / "agentsim")


def cli_env() -> dict[str, str]:
    """This machine's environment minus what would change the CLI's behaviour (a real CI's
    step summary, agentsim defaults)."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "AGENTSIM_", "AWS_"))
    }
    return {**env, "AWS_DEFAULT_REGION": "us-east-1"}


def only_suite(path: Path) -> TestSuite:
    """The one testsuite of a JUnit file, as a JUnit reader reads it."""
    (suite,) = list(JUnitXml.fromfile(str(path)))
    assert isinstance(suite, TestSuite)
    return suite


def aws(stack: EmbeddedStack) -> list[str]:
    return ["--stack", stack.stack_name, "--endpoint-url", stack.endpoint_url]
