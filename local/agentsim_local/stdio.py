"""Keeping stdout for the CLI while in-process Lambda handlers log to "their" stdout.

Lambda functions log JSON lines to stdout (Powertools). Run in-process, those lines would mix
with `--json` output and progress bars, so while the embedded stack runs, stdout (the Python
object and file descriptor 1) points elsewhere and the CLI writes to a duplicate of the original.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


@contextlib.contextmanager
def stdout_diverted(to: TextIO) -> Iterator[TextIO]:
    """Send everything written to stdout into `to`; yield a stream to the original stdout."""
    original = sys.stdout
    original.flush()
    try:
        fd = original.fileno()
    except (OSError, ValueError, io.UnsupportedOperation):
        fd = None  # a capture object (tests): swapping the Python object is all there is
    if fd is None:
        sys.stdout = to
        try:
            yield original
        finally:
            to.flush()
            sys.stdout = original
        return
    saved = os.dup(fd)
    os.dup2(to.fileno(), fd)
    sys.stdout = to
    real = open(saved, "w", encoding="utf-8", closefd=True, buffering=1)  # noqa: SIM115
    try:
        yield real
    finally:
        real.flush()
        to.flush()
        os.dup2(saved, fd)
        sys.stdout = original
        real.close()


@contextlib.contextmanager
def lambda_log(path: Path) -> Iterator[TextIO]:
    """The file in-process Lambda logs go to.

    Python `logging` records of the embedded runtime (a handler's exception, with its
    traceback) and Python warnings (Powertools' "no metrics to publish") go there too, as they
    would in CloudWatch, instead of to stderr between the progress lines.
    """
    with path.open("a", encoding="utf-8", buffering=1) as log:
        handler = logging.StreamHandler(log)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root = logging.getLogger()
        root.addHandler(handler)
        logging.captureWarnings(True)
        try:
            yield log
        finally:
            logging.captureWarnings(False)
            root.removeHandler(handler)


@contextlib.contextmanager
def lambda_output(command: str) -> Iterator[tuple[Path, TextIO]]:
    """While a command runs the embedded stack: Lambda logs and stdout into the command's log
    file (`log_file`); yields that file's path and a stream to the original stdout."""
    path = log_file(command)
    with lambda_log(path) as log, stdout_diverted(log) as real_stdout:
        yield path, real_stdout


def error_lines(path: Path, limit: int = 20) -> list[str]:
    """The last error lines of a Lambda log, to show why a run failed without opening it."""
    markers = ('"level":"ERROR"', '"level": "ERROR"', " ERROR ", " WARNING ", "Error:")
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    return [line[:300] for line in lines if any(m in line for m in markers)][-limit:]


def log_file(command: str) -> Path:
    """Where a command's Lambda logs go: one file per command, overwritten by the next run."""
    path = Path(tempfile.gettempdir()) / "agentsim" / f"{command}.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("", encoding="utf-8")
    return path
