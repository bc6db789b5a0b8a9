"""Handlers in-process against moto and the provider emulator (see support/)."""

from __future__ import annotations

import pytest
from support.aws_fixtures import *  # noqa: F403 (the fixtures)
from support.aws_fixtures import Stack
from support.handlers import LambdaContext, answer, load_handler
from support.hostile_api import Call


@pytest.fixture
def call(stack: Stack) -> Call:
    """The API function, called in-process with one event (a module may define its own)."""
    api = load_handler("api")
    return lambda event: answer(api.lambda_handler(event, LambdaContext()))
