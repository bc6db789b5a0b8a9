"""moto AWS with the template's tables, the stack secret and the emulator (see support/)."""

from support.aws_fixtures import *  # noqa: F403 (the fixtures)
