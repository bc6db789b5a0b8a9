"""The embedded stack as the CLI uses it: opened with the user's provider settings, and its API
function reachable through the Lambda API like API Gateway reaches it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from agentsim_local.errors import CliError
from agentsim_local.local_api import LocalApi, ProxyHandler

if TYPE_CHECKING:
    from agentsim_local.embedded import EmbeddedStack


@contextlib.contextmanager
def open_stack(**options: Any) -> Iterator[EmbeddedStack]:
    """The deployed embedded stack; provider URLs and keys come from the environment.

    Imported on use, so bad input is reported before moto and the SAM translator load.
    """
    from agentsim_local.embedded import EmbeddedStack  # noqa: PLC0415
    from agentsim_local.embedded.deploy import DeployError  # noqa: PLC0415

    stack = EmbeddedStack(**options)
    try:
        stack.start()
    except DeployError as exc:
        raise CliError(f"deploying {stack.template.name} failed: {exc}", exit_code=1) from None
    try:
        yield stack
    finally:
        stack.stop()


def local_api(
    stack: EmbeddedStack, *, port: int = 0, log: Callable[[str], None] = lambda line: None
) -> LocalApi:
    """The stack's REST API on localhost: its template's routes and stage, its API function."""
    return LocalApi(api_proxy(stack), port=port, routes=stack.routes, stage=stack.stage, log=log)


def api_proxy(stack: EmbeddedStack) -> ProxyHandler:
    """A proxy handler invoking the stack's API function through the (embedded) Lambda API."""
    function_name = stack.outputs["ApiFunctionName"]

    def invoke(event: dict[str, Any]) -> Mapping[str, Any]:
        failed, payload = stack.invoke(function_name, event)
        if failed or not isinstance(payload, dict):
            message = payload.get("errorMessage") if isinstance(payload, dict) else payload
            raise RuntimeError(f"API function failed: {message}")
        return payload

    return invoke
