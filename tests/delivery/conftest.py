"""Delivery fixtures: moto AWS (`support.aws_fixtures`) and the outside world
(`delivery_world`) over httpx.MockTransport."""

from __future__ import annotations

import httpx
import pytest
from delivery_world import World
from support.aws_fixtures import *  # noqa: F403 (the fixtures)

from agentsim.delivery.outbound import Outbound
from agentsim.delivery.urls import UrlPolicy


@pytest.fixture
def world() -> World:
    return World()


@pytest.fixture
def outbound(world: World) -> Outbound:
    client = httpx.Client(transport=httpx.MockTransport(world.handle))
    return Outbound(UrlPolicy(resolver=world.resolve), client)
