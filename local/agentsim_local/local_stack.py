"""The local stack as the CLI uses it: opened with the user's provider settings, its failures
to deploy or to start reported in one line."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from agentsim_local.errors import CliError

if TYPE_CHECKING:
    from agentsim_local.embedded import EmbeddedStack


@contextlib.contextmanager
def open_stack(**options: Any) -> Iterator[EmbeddedStack]:
    """The deployed local stack; provider URLs and keys come from the environment.

    Imported on use, so bad input is reported before boto3 loads.
    """
    from agentsim_local.embedded import EmbeddedStack  # noqa: PLC0415
    from agentsim_local.embedded.deploy import DeployError  # noqa: PLC0415
    from agentsim_local.embedded.package import PackageError  # noqa: PLC0415
    from agentsim_local.embedded.server import ServerError  # noqa: PLC0415

    stack = EmbeddedStack(**options)
    try:
        stack.start()
    except (DeployError, PackageError) as exc:
        raise CliError(f"deploying {stack.template.name} failed: {exc}", exit_code=1) from None
    except ServerError as exc:
        raise CliError(f"the local AWS did not start: {exc}", exit_code=1) from None
    try:
        yield stack
    finally:
        stack.stop()
