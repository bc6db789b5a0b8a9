"""The log of provider calls the emulator received (served at `GET /_emulator/calls`)."""

from __future__ import annotations

import threading
import time
from typing import Any

from agentsim_local.emulator.settings import Provider


class CallLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: list[dict[str, Any]] = []

    def record(
        self,
        provider: Provider,
        method: str,
        path: str,
        status: int,
        *,
        query: str = "",
        fault: str | None = None,
    ) -> None:
        entry = {
            "provider": provider,
            "method": method,
            "path": path,
            "query": query,
            "status": status,
            "fault": fault,
            "at": time.time(),
        }
        with self._lock:
            self._calls.append(entry)

    def list(self, provider: Provider | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(c) for c in self._calls if provider is None or c["provider"] == provider]

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()
