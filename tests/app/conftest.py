"""Handlers in-process against moto and the provider emulator (see support/)."""

from support.aws_fixtures import *  # noqa: F403 (the fixtures)
