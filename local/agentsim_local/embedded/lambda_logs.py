"""The functions' CloudWatch log events, appended to a log file (as `sam logs` shows them)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any


def append_lambda_logs(logs: Any, function_names: Iterable[str], path: Path) -> None:
    """Every event of each function's log group, one line each, prefixed by the function."""
    with path.open("a", encoding="utf-8") as out:
        for name in function_names:
            try:
                pages = logs.get_paginator("filter_log_events").paginate(
                    logGroupName=f"/aws/lambda/{name}"
                )
                for page in pages:
                    for event in page.get("events", []):
                        out.write(f"{name} {event['message'].rstrip()}\n")
            except logs.exceptions.ResourceNotFoundException:
                continue
