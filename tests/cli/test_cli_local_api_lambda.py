"""The local API in front of a function deployed in embedded AWS, invoked through Lambda.

Uses the embedded runtime's own small SAM app (tests/e2e/fixtures/mini), whose API function
echoes the proxy event it receives, so this pins the HTTP -> proxy event -> Lambda path
independently of agentsim's handlers (the end-to-end tests cover those).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from agentsim_local.local_api import LocalApi
from agentsim_local.local_stack import local_api, open_stack

MINI = Path(__file__).parents[1] / "e2e" / "fixtures" / "mini" / "template.yaml"

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def api() -> Iterator[LocalApi]:
    with (
        open_stack(template=MINI, stack_name="mini-cli") as stack,
        local_api(stack) as server,
    ):
        yield server


def test_a_real_http_request_reaches_the_deployed_function_as_a_proxy_event(
    api: LocalApi,
) -> None:
    response = httpx.post(
        f"{api.url}/things?colour=blue", json={"a": 1}, headers={"X-Test": "yes"}, timeout=30
    )

    assert response.status_code == 201
    assert response.headers["X-Seen-Path"] == "/things"
    assert response.json() == {
        "method": "POST",
        "path": "/things",
        "query": {"colour": "blue"},
        "body": {"a": 1},
        "header": "yes",
    }


def test_a_route_the_template_does_not_declare_answers_403(api: LocalApi) -> None:
    response = httpx.get(f"{api.url}/things", timeout=30)

    assert response.status_code == 403
    assert response.json() == {"message": "Missing Authentication Token"}
