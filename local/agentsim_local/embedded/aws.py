"""Embedded AWS: a moto server on 127.0.0.1 inside this process, used by every boto3 client.

The server is real HTTP, so handlers (which create boto3 clients lazily), Step Functions'
own service calls and `aws --endpoint-url <endpoint_url>` from another terminal all talk to the
same state. `AWS_ENDPOINT_URL` points every boto3 client of the process at it; dummy credentials
make sure nothing can reach a real account. `MOTO_PORT` tells moto's Step Functions interpreter
where its own Lambda/DynamoDB/EventBridge calls go. Everything is restored by `stop()`.
"""

from __future__ import annotations

import logging
import os
import time
from typing import ClassVar, Self

from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.moto_api._internal.models import moto_api_backend
from moto.server import ThreadedMotoServer
from moto.stepfunctions.parser.models import stepfunctions_parser_backends

from agentsim_local.embedded.lambda_runtime import InProcessLambda
from agentsim_local.embedded.patches import EventDeliveries, MotoPatches

_CLEARED = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE")

logger = logging.getLogger(__name__)


class EmbeddedAws:
    """Start/stop moto with the in-process Lambda runtime; a context manager.

    One at a time per process: the environment, moto's patches and its state are process-wide.
    """

    _running: ClassVar[EmbeddedAws | None] = None

    def __init__(self, region: str = "us-east-1", port: int = 0) -> None:
        self.region = region
        self.account_id = DEFAULT_ACCOUNT_ID
        self.runtime = InProcessLambda(region=region)
        self.deliveries = EventDeliveries()
        self._requested_port = port
        self._server: ThreadedMotoServer | None = None
        self._patches: MotoPatches | None = None
        self._saved_env: dict[str, str | None] = {}
        self._werkzeug_level = logging.NOTSET
        self.endpoint_url = ""

    def start(self) -> Self:
        if EmbeddedAws._running is not None:
            raise RuntimeError(
                "another embedded AWS is running in this process; stop it before starting one"
            )
        EmbeddedAws._running = self
        # One access-log line per AWS call would drown everything else.
        werkzeug = logging.getLogger("werkzeug")
        self._werkzeug_level = werkzeug.level
        werkzeug.setLevel(logging.WARNING)
        self._patches = MotoPatches(self.runtime, self.deliveries).__enter__()
        try:
            server = ThreadedMotoServer(
                ip_address="127.0.0.1", port=self._requested_port, verbose=False
            )
            server.start()
            self._server = server
            host, port = server.get_host_and_port()
            self.endpoint_url = f"http://{host}:{port}"
            self._set_env(
                {
                    "AWS_ENDPOINT_URL": self.endpoint_url,
                    "AWS_DEFAULT_REGION": self.region,
                    "AWS_REGION": self.region,
                    "AWS_ACCESS_KEY_ID": "testing",
                    "AWS_SECRET_ACCESS_KEY": "testing",
                    "AWS_SESSION_TOKEN": "testing",
                    "MOTO_PORT": str(port),
                    **dict.fromkeys(_CLEARED),
                }
            )
        except BaseException:
            self.stop()
            raise
        return self

    def _set_env(self, values: dict[str, str | None]) -> None:
        for key, value in values.items():
            self._saved_env.setdefault(key, os.environ.get(key))
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

    def stop(self) -> None:
        """Stop running executions, reset moto's state, stop the server, undo every change."""
        if EmbeddedAws._running is not self:
            return  # never started (or already stopped): nothing of ours to undo
        self._stop_executions()
        self.deliveries.join(timeout=30)
        if self._server is not None:
            self._server.stop()
            self._server = None
        moto_api_backend.reset()
        if self._patches is not None:
            self._patches.__exit__(None, None, None)
            self._patches = None
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._saved_env.clear()
        logging.getLogger("werkzeug").setLevel(self._werkzeug_level)
        EmbeddedAws._running = None

    def _stop_executions(self, grace: float = 10.0) -> None:
        """Stop running executions and give their threads `grace` seconds to wind down (a task
        in flight finishes its Lambda call first), so none is cut off mid-call by the shutdown."""
        backend = stepfunctions_parser_backends[self.account_id][self.region]
        running = [
            execution
            for machine in list(backend.state_machines)
            for execution in list(machine.executions)
            if execution.status == "RUNNING"
        ]
        for execution in running:
            try:
                backend.stop_execution(execution.execution_arn)
            except Exception:  # already finishing: nothing left to stop
                logger.debug("could not stop %s", execution.execution_arn, exc_info=True)
        deadline = time.monotonic() + grace
        while any(e.status == "RUNNING" for e in running) and time.monotonic() < deadline:
            time.sleep(0.1)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
