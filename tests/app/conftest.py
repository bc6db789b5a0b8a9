"""Handlers in-process against moto and the provider emulator (see support/)."""

from support.aws_fixtures import (  # noqa: F401 (fixtures)
    aws,
    bus,
    secret,
    services,
    stack,
    state_machine,
    tables,
)
