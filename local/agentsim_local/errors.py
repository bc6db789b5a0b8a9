"""The one error type the CLI turns into a one-line message and a non-zero exit."""

from __future__ import annotations


class CliError(Exception):
    """A problem the user can fix (bad file, unknown provider, unreachable URL): no traceback."""

    def __init__(self, message: str, *, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class Terminated(BaseException):
    """SIGTERM, raised in the main thread as Ctrl-C raises KeyboardInterrupt, so that a command
    unwinds: it stops what it started (a run, servers) before the process ends."""
