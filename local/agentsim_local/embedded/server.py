"""The local AWS: a ministack server process of its own, on 127.0.0.1, for as long as we need it.

ministack pins an exact botocore, so it lives in `.venv-ministack` (made by `make ministack` from
`tools/ministack/uv.lock`) and runs as a separate process: `python -m ministack`, configured
only through its documented environment variables (`BIND_HOST`, `GATEWAY_PORT`, `LOG_LEVEL`,
`MINISTACK_REGION`; https://github.com/ministackorg/ministack#configuration). Its Lambda
workers are its own child processes on that interpreter (Python 3.13).

The server gets a process group of its own, so `stop()` ends it and every worker it spawned,
and nothing else; `stop()` also runs at interpreter exit and on SIGTERM, and a Ctrl-C unwinds
through the callers' `with` blocks to it. Its output (and so its Lambda workers' log lines)
goes to the log file it is given, never to the terminal.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import FrameType
from typing import Any, Self

ROOT = Path(__file__).resolve().parents[3]
PYTHON_ENV = "AGENTSIM_MINISTACK_PYTHON"
"""Overrides the interpreter (default: the repository's `.venv-ministack/bin/python`)."""
ACCOUNT_ID = "000000000000"
"""ministack's default account (`MINISTACK_ACCOUNT_ID`)."""
HEALTH_PATH = "/_ministack/health"
_PASSED_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT")
"""The only variables of ours the server (and so every Lambda worker) inherits: nothing of the
user's AWS configuration, virtualenv or PYTHONPATH leaks into the handlers."""


CONCURRENCY_ENV = "AGENTSIM_LOCAL_CONCURRENCY"
"""Overrides how many Lambda invocations may run at once (default: `default_concurrency`)."""


def default_concurrency() -> int:
    """The local account's Lambda concurrency limit: 8 per core, at least 16.

    ministack gives each concurrent invocation a worker process of its own, as AWS gives it an
    execution environment, but here every cold start shares this machine's cores: unbounded, a
    burst of 100 runs starts 150 workers at once and their imports outlast the functions'
    timeouts. Past the limit an invocation is throttled (`TooManyRequestsException`) as AWS does
    at an account's concurrency quota, and the callers' retries (the workflow's, the webhook
    clients') take it again once a worker is free.
    """
    explicit = os.environ.get(CONCURRENCY_ENV)
    if explicit:
        return int(explicit)
    return max(16, 8 * (os.cpu_count() or 1))


class ServerError(RuntimeError):
    """ministack is not installed, did not start, or did not become healthy."""


def ministack_python() -> Path:
    python = Path(os.environ.get(PYTHON_ENV) or ROOT / ".venv-ministack" / "bin" / "python")
    if not python.exists():
        raise ServerError(f"{python} not found: run `make ministack` (installs it from its lock)")
    return python


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


class MinistackServer:
    """One ministack process; a context manager. `endpoint_url` is where every client goes."""

    host = "127.0.0.1"

    def __init__(
        self,
        *,
        log_path: Path,
        region: str = "us-east-1",
        port: int = 0,
        startup_timeout: float = 60.0,
        concurrency: int | None = None,
    ) -> None:
        self.log_path = log_path
        self.concurrency = concurrency or default_concurrency()
        self.region = region
        self.account_id = ACCOUNT_ID
        self.port = port
        self.startup_timeout = startup_timeout
        self.endpoint_url = ""
        self._process: subprocess.Popen[bytes] | None = None
        self._tmpdir: Path | None = None
        self._previous_sigterm: Any = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> Self:
        python = ministack_python()
        attempts = 1 if self.port else 3  # a free port can be taken before the server binds it
        for attempt in range(attempts):
            port = self.port or free_port(self.host)
            try:
                self._spawn(python, port)
                self._wait_healthy()
                break
            except ServerError:
                self.stop()
                if attempt == attempts - 1 or self._port_taken(port) is False:
                    raise
        self._catch_sigterm()
        atexit.register(self.stop)
        return self

    def _spawn(self, python: Path, port: int) -> None:
        self._tmpdir = Path(tempfile.mkdtemp(prefix="agentsim-ministack-"))
        env = {key: os.environ[key] for key in _PASSED_ENV if key in os.environ}
        env.update(
            {
                "BIND_HOST": self.host,  # its default is 0.0.0.0: every interface
                "GATEWAY_PORT": str(port),
                "MINISTACK_REGION": self.region,
                "LOG_LEVEL": "INFO",
                # Its pid file, Lambda code and layer directories land here, removed by stop().
                "TMPDIR": str(self._tmpdir),
                "PYTHONUNBUFFERED": "1",
                "LAMBDA_ACCOUNT_CONCURRENCY": str(self.concurrency),
            }
        )
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                [str(python), "-m", "ministack"],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=self._tmpdir,
                start_new_session=True,  # its own process group: stop() ends it and its workers
            )
        self.port = port
        self.endpoint_url = f"http://{self.host}:{port}"

    def _wait_healthy(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise ServerError(
                    f"ministack exited with {self._process.returncode}: {self._log_tail()}"
                )
            try:
                with urllib.request.urlopen(self.endpoint_url + HEALTH_PATH, timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        raise ServerError(f"ministack not healthy after {self.startup_timeout:.0f}s")

    def _port_taken(self, port: int) -> bool:
        return "already in use" in self._log_tail()

    def _log_tail(self, size: int = 2000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-size:]
        except OSError:
            return ""

    def _catch_sigterm(self) -> None:
        """A SIGTERM to us unwinds like Ctrl-C (so `with` blocks stop the server) instead of
        ending the process on the spot, which would leave the server running."""
        if threading.current_thread() is not threading.main_thread():
            return

        def unwind(signum: int, frame: FrameType | None) -> None:
            raise SystemExit(128 + signum)

        self._previous_sigterm = signal.signal(signal.SIGTERM, unwind)

    def stop(self) -> None:
        """End the server and all its workers (its process group), then remove its files."""
        atexit.unregister(self.stop)
        if self._previous_sigterm is not None:
            with contextlib.suppress(ValueError):
                signal.signal(signal.SIGTERM, self._previous_sigterm)
            self._previous_sigterm = None
        process, self._process = self._process, None
        if process is not None:
            _end_group(process)
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _end_group(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """SIGTERM the process group, then SIGKILL whatever of it is left (workers included)."""
    group = process.pid  # start_new_session: the group id is the leader's pid
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=grace)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=grace)
    ends = time.monotonic() + grace  # its workers, killed too, may take a moment to go
    while group_alive(group) and time.monotonic() < ends:
        time.sleep(0.05)


def group_alive(group: int) -> bool:
    """Whether a live process of the process group `group` still exists (tests use it).

    A killed worker stays a zombie until its new parent reaps it, and in a container that parent
    (PID 1) may never do so: a zombie runs nothing, so where `/proc` lists processes only live
    ones count.
    """
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        state, pgrp = fields[0], int(fields[2])
        if pgrp == group and state not in {"Z", "X"}:
            return True
    return False
