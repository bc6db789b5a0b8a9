"""Reports of a run for CI: JUnit XML (`--junit`), a Markdown summary (`--summary`, and appended
to `$GITHUB_STEP_SUMMARY` when that is set) and GitHub step outputs (`--github-output`).

Module map: `cases` (the API's case items as reported, third-party text made safe), `junit`
(the XML), `summary` (the Markdown). `write_reports` writes whichever the command was asked for.
"""

from __future__ import annotations

import argparse
import os
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentsim_local.errors import CliError
from agentsim_local.outcome import Outcome
from agentsim_local.reports.cases import Case, cases_of
from agentsim_local.reports.junit import junit_document, write_junit
from agentsim_local.reports.summary import summary_markdown

STEP_SUMMARY_ENV = "GITHUB_STEP_SUMMARY"

__all__ = ["Case", "Reports", "cases_of", "summary_markdown", "write_junit"]


@dataclass(frozen=True)
class Reports:
    """Where a command writes its reports; all optional."""

    junit: Path | None = None
    summary: Path | None = None
    step_summary: Path | None = None
    github_output: Path | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace, env: Mapping[str, str] | None = None) -> Reports:
        env = os.environ if env is None else env
        step_summary = env.get(STEP_SUMMARY_ENV)
        return cls(
            junit=_path(getattr(args, "junit", None)),
            summary=_path(getattr(args, "summary", None)),
            step_summary=Path(step_summary) if step_summary else None,
            github_output=_path(getattr(args, "github_output", None)),
        )

    @property
    def need_cases(self) -> bool:
        return any((self.junit, self.summary, self.step_summary))

    def write(
        self,
        record: Mapping[str, Any],
        outcome: Outcome,
        read_cases: Callable[[], Sequence[Mapping[str, Any]]],
    ) -> None:
        """Write every report asked for; `read_cases` is called only when one needs them."""
        if self.github_output:
            write_outputs(self.github_output, record)
        if not self.need_cases:
            return
        cases = cases_of(read_cases())
        self.write_documents([(record, cases, outcome)], summary_markdown(record, cases, outcome))

    def write_documents(
        self, runs: Sequence[tuple[Mapping[str, Any], Sequence[Case], Outcome]], markdown: str
    ) -> None:
        """The JUnit document of `runs` and the Markdown, wherever they were asked for."""
        try:
            if self.junit:
                self.junit.parent.mkdir(parents=True, exist_ok=True)
                junit_document(runs).write(self.junit, encoding="utf-8", xml_declaration=True)
            if self.summary:
                self.summary.parent.mkdir(parents=True, exist_ok=True)
                self.summary.write_text(markdown, encoding="utf-8")
            if self.step_summary:
                with self.step_summary.open("a", encoding="utf-8") as out:
                    out.write(markdown + "\n")
        except OSError as exc:
            raise CliError(f"{exc.filename}: cannot write ({exc.strerror})", exit_code=1) from None


def write_outputs(path: Path, record: Mapping[str, Any]) -> None:
    """Append the run's id, status, verdict and report URL as GitHub step outputs.

    Each value is written in the multi-line form (`name<<DELIMITER`) with a delimiter that
    cannot occur in it, as @actions/core writes them, so no value can smuggle in another output.
    """
    outputs = {
        "run-id": record.get("run_id"),
        "status": record.get("status"),
        "verdict": record.get("verdict") or "NONE",
        "report-url": record.get("report_url"),
    }
    try:
        with path.open("a", encoding="utf-8") as out:
            for name, value in outputs.items():
                text = "" if value is None else str(value)
                delimiter = f"ghadelimiter_{uuid.uuid4()}"
                out.write(f"{name}<<{delimiter}\n{text}\n{delimiter}\n")
    except OSError as exc:
        raise CliError(f"{path}: cannot write ({exc.strerror})", exit_code=1) from None


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None
