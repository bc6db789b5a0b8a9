"""Run deployed Lambda functions in this process, from the repository's own source.

moto normally runs a function in a Docker container; there is none here. Instead
`InProcessLambda.invoke` (installed over `LambdaFunction._invoke_lambda` by `patches.py`) imports
the handler from the function's CodeUri + Handler, exactly as the Lambda Python runtime would
(code directory and layer directories on `sys.path`), and calls it with the deployed function's
environment variables and a LambdaContext. The answer is the one moto expects from a container:
`(payload, errored, logs)`; a raised exception becomes Lambda's error payload
`{"errorType": <class name>, "errorMessage": ...}` so Step Functions Retry/Catch match on the
exception's class name, as they do on AWS.

`os.environ` is process-wide, so invocations are serialized by one lock and the environment is
restored after each. Known differences from Lambda, documented rather than hidden:
- modules of the shared layer are imported once for all functions (one Python process);
- the function timeout is reported by `get_remaining_time_in_millis` but not enforced;
- a handler that synchronously invokes another function would wait on the lock: it gives up after
  `lock_timeout` seconds with a `Runtime.EmbeddedDeadlock` error instead of hanging forever.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import re
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from aws_lambda_powertools.utilities import parameters

logger = logging.getLogger(__name__)

Handler = Callable[[Any, Any], Any]


@dataclass(frozen=True)
class HandlerSource:
    """Where a function's code lives in the repository (CodeUri, Handler, layer ContentUris)."""

    code_dir: Path
    handler: str
    layer_dirs: tuple[Path, ...] = ()


@dataclass
class LambdaContext:
    """The context object the Lambda Python runtime passes (what Powertools reads of it)."""

    function_name: str
    function_version: str
    invoked_function_arn: str
    memory_limit_in_mb: int
    aws_request_id: str
    log_group_name: str
    log_stream_name: str
    deadline_ms: int
    identity: Any = None
    client_context: Any = None

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self.deadline_ms - int(time.time() * 1000))


@dataclass
class Invocation:
    """One finished invocation, kept for tooling that wants to see what ran."""

    function_name: str
    event: Any
    result: Any
    error: dict[str, Any] | None
    request_id: str
    started: float
    seconds: float


@dataclass
class InProcessLambda:
    """Dispatches invocations of deployed functions to their handlers, one at a time."""

    region: str
    lock_timeout: float = 120.0
    sources: dict[str, HandlerSource] = field(default_factory=dict)
    history: list[Invocation] = field(default_factory=list)
    _handlers: dict[str, Handler] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        # A new runtime is a cold start for every function. The shared layer's modules stay
        # imported, so process-wide caches they fill must go: Powertools Parameters keeps its
        # Secrets Manager client, bound to the embedded AWS of an earlier stack.
        parameters.clear_caches()  # type: ignore[no-untyped-call]  # untyped in Powertools

    def register(self, function_name: str, source: HandlerSource) -> None:
        self.sources[function_name] = source
        self._handlers.pop(function_name, None)

    def invoke(self, fn: Any, event: Any = None) -> tuple[str, bool, str]:
        """moto's `_invoke_lambda` contract for LambdaFunction `fn`: (payload, errored, logs)."""
        if isinstance(event, str | bytes):
            event = json.loads(event or "{}")
        if event is None:
            event = {}
        request_id = str(uuid.uuid4())
        name = str(fn.function_name)
        source = self.sources.get(name)
        if source is None:
            error = _error_payload(
                "Runtime.HandlerNotFound",
                f"function {name} has no local source registered with the embedded runtime",
                request_id,
            )
            return json.dumps(error), True, ""
        if not self._lock.acquire(timeout=self.lock_timeout):
            error = _error_payload(
                "Runtime.EmbeddedDeadlock",
                f"{name} waited {self.lock_timeout}s for another in-process invocation",
                request_id,
            )
            return json.dumps(error), True, ""
        started = time.time()
        try:
            with _lambda_environment(self._runtime_env(fn, source), source):
                context = self._context(fn, request_id, started)
                try:
                    handler = self._handler(name, source)
                except Exception as exc:  # what the runtime reports for a broken module
                    logger.warning("%s: cannot import %s: %s", name, source.handler, exc)
                    kind = "Runtime.HandlerNotFound" if isinstance(exc, AttributeError) else None
                    error = _error_payload(
                        kind or "Runtime.ImportModuleError",
                        f"Unable to import module {source.handler!r}: {exc}",
                        request_id,
                        exc,
                    )
                    self._record(name, event, None, error, request_id, started)
                    return json.dumps(error), True, ""
                try:
                    result = handler(event, context)
                    payload = json.dumps(result)
                except Exception as exc:
                    logger.warning("%s raised %s: %s", name, type(exc).__name__, exc)
                    logger.debug("%s traceback", name, exc_info=True)
                    error = _error_payload(type(exc).__name__, str(exc), request_id, exc)
                    self._record(name, event, None, error, request_id, started)
                    return json.dumps(error), True, ""
            self._record(name, event, result, None, request_id, started)
            return payload, False, ""
        finally:
            self._lock.release()

    def _record(
        self,
        name: str,
        event: Any,
        result: Any,
        error: dict[str, Any] | None,
        request_id: str,
        started: float,
    ) -> None:
        self.history.append(
            Invocation(name, event, result, error, request_id, started, time.time() - started)
        )

    def _handler(self, name: str, source: HandlerSource) -> Handler:
        """Import the handler module once per function, under a name unique to the function."""
        cached = self._handlers.get(name)
        if cached is not None:
            return cached
        module_path, _, attribute = source.handler.rpartition(".")
        if not module_path:
            raise ImportError(f"Handler {source.handler!r} must be <module>.<function>")
        module = _load_module(name, source.code_dir, module_path)
        handler = getattr(module, attribute)
        if not callable(handler):
            raise TypeError(f"{source.handler} is not callable")
        self._handlers[name] = handler
        return handler  # type: ignore[no-any-return]

    def _runtime_env(self, fn: Any, source: HandlerSource) -> dict[str, str]:
        """What the Lambda runtime sets, then the function's own variables (which win)."""
        name = str(fn.function_name)
        env = {
            "AWS_LAMBDA_FUNCTION_NAME": name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(fn.memory_size),
            "AWS_LAMBDA_FUNCTION_VERSION": str(fn.version),
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{name}",
            "AWS_LAMBDA_LOG_STREAM_NAME": f"embedded/[{fn.version}]",
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{fn.run_time}",
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
            "LAMBDA_TASK_ROOT": str(source.code_dir),
            "_HANDLER": source.handler,
            # What `sam local invoke` sets: Powertools Tracer disables itself (no X-Ray daemon).
            "AWS_SAM_LOCAL": "true",
        }
        env.update({str(k): str(v) for k, v in (fn.environment_vars or {}).items()})
        return env

    def _context(self, fn: Any, request_id: str, started: float) -> LambdaContext:
        name = str(fn.function_name)
        return LambdaContext(
            function_name=name,
            function_version=str(fn.version),
            invoked_function_arn=str(fn.function_arn),
            memory_limit_in_mb=int(fn.memory_size),
            aws_request_id=request_id,
            log_group_name=f"/aws/lambda/{name}",
            log_stream_name=f"embedded/[{fn.version}]{request_id}",
            deadline_ms=int((started + float(fn.timeout)) * 1000),
        )


def _error_payload(
    error_type: str, message: str, request_id: str, exc: BaseException | None = None
) -> dict[str, Any]:
    """The payload Lambda returns for an unhandled exception."""
    stack = traceback.format_tb(exc.__traceback__) if exc is not None else []
    return {
        "errorMessage": message,
        "errorType": error_type,
        "requestId": request_id,
        "stackTrace": [line.rstrip() for line in stack],
    }


def _load_module(function_name: str, code_dir: Path, module_path: str) -> ModuleType:
    """Import `module_path` (dotted, relative to `code_dir`) as a module unique to the function."""
    relative = Path(*module_path.split("."))
    file = code_dir / relative.with_suffix(".py")
    if not file.is_file():
        file = code_dir / relative / "__init__.py"
    if not file.is_file():
        raise ImportError(f"No module {module_path!r} in {code_dir}")
    unique = "agentsim_embedded_fn_" + re.sub(r"\W", "_", function_name) + "." + module_path
    spec = importlib.util.spec_from_file_location(unique, file)
    if spec is None or spec.loader is None:
        raise ImportError(f"Cannot load {file}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[unique] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(unique, None)
        raise
    return module


@contextmanager
def _lambda_environment(env: dict[str, str], source: HandlerSource) -> Iterator[None]:
    """Set the function's environment and import path for one invocation, then restore both."""
    saved_env = dict(os.environ)
    saved_path = list(sys.path)
    paths = [str(source.code_dir), *(str(p) for p in source.layer_dirs)]
    sys.path[:0] = [p for p in paths if p not in sys.path[: len(paths)]]
    os.environ.update(env)
    try:
        yield
    finally:
        # Undo key by key: other threads (moto, Step Functions) read os.environ meanwhile, so it
        # must never be empty, not even for an instant.
        for key in set(os.environ) - set(saved_env):
            os.environ.pop(key, None)
        for key, value in saved_env.items():
            if os.environ.get(key) != value:
                os.environ[key] = value
        sys.path[:] = saved_path
