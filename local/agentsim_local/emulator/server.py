"""Run the emulator: `EmulatorServer` in a background thread (tests), `serve` in the foreground."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType
from typing import Any

import uvicorn

from agentsim_local.emulator.app import create_app
from agentsim_local.emulator.calls import CallLog
from agentsim_local.emulator.control import reset_all
from agentsim_local.emulator.faults import FaultRegistry
from agentsim_local.emulator.settings import EmulatorSettings, Provider
from agentsim_local.emulator.state import Store


class EmulatorServer:
    """The emulator on a real port (0 = any free port), serving in a daemon thread.

    `faults`, `calls` and `settings` are the live objects the server uses, so tests can change
    them directly as well as through the `/_emulator` control plane.
    """

    def __init__(
        self, port: int = 0, host: str = "127.0.0.1", settings: EmulatorSettings | None = None
    ) -> None:
        self.host = host
        self._requested_port = port
        self.store = Store(settings or EmulatorSettings())
        self.faults = FaultRegistry(self.store.settings.seed)
        self.calls = CallLog()
        self.app = create_app(self.store, self.faults, self.calls)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    # -- lifecycle ------------------------------------------------------------------------

    def start(self, timeout: float = 10.0) -> EmulatorServer:
        if self._thread is not None:
            return self
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self._requested_port))
        self._socket = sock
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=1,
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="agentsim-emulator", daemon=True
        )
        self._server, self._thread = server, thread
        thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the provider emulator did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addresses and state --------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._socket is None:
            raise RuntimeError("the emulator is not running")
        port: int = self._socket.getsockname()[1]
        return port

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_urls(self) -> dict[Provider, str]:
        return base_urls(self.url)

    @property
    def github_api_url(self) -> str:
        """The emulated GitHub REST API, as `GITHUB_API_URL` names it."""
        return github_api_url(self.url)

    def slack_webhook_url(self, token: str = "local-slack-token") -> str:  # noqa: S107
        """An incoming webhook of the emulated Slack."""
        return f"{self.url}/services/T0000LOCAL/B0000LOCAL/{token}"

    @property
    def settings(self) -> EmulatorSettings:
        return self.store.settings

    @settings.setter
    def settings(self, value: EmulatorSettings) -> None:
        self.store.settings = value

    def configure(self, **changes: Any) -> EmulatorSettings:
        """Change some settings (`configure(call_seconds=0.5)`); validated like the model."""
        self.store.settings = EmulatorSettings.model_validate(
            {**self.store.settings.model_dump(), **changes}
        )
        return self.store.settings

    def reset(self) -> None:
        """Forget every simulation, fault and logged call; re-seed the fixtures."""
        reset_all(self.store, self.faults, self.calls)


def base_urls(url: str) -> dict[Provider, str]:
    return {
        "omnidimension": f"{url}/api/v1",
        "bluejay": url,
        "synthflow": f"{url}/v2",
    }


def github_api_url(url: str) -> str:
    return f"{url}/api/v3"


def serve(port: int, host: str = "127.0.0.1", settings: EmulatorSettings | None = None) -> None:
    """Serve the emulator in the foreground until interrupted (`agentsim emulator --port N`).

    Prints nothing itself: the caller announces the base URLs (see `base_urls`).
    """
    emulator = EmulatorServer(port=port, host=host, settings=settings)
    config = uvicorn.Config(emulator.app, host=host, port=port, log_level="info", lifespan="off")
    uvicorn.Server(config).run()
