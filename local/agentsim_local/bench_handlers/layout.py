"""Lambda's layout for the handlers' figures: sys.path as Lambda builds it, and what it sets."""

from __future__ import annotations

import compileall
import importlib.util
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from agentsim_local.layer import ROOT, RUNTIME_PACKAGES, build_layer

HANDLERS = ("api", "trigger", "register", "start", "watch", "poll", "finish", "fail", "time_out")
LAMBDA_ENV = {
    "AWS_LAMBDA_FUNCTION_NAME": "agentsim-bench",
    "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
    "LAMBDA_TASK_ROOT": "/var/task",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "POWERTOOLS_SERVICE_NAME": "agentsim",
    "POWERTOOLS_METRICS_NAMESPACE": "agentsim",
    "RUNS_TABLE": "agentsim-runs",
    "RUN_ITEMS_TABLE": "agentsim-run-items",
    "SECRET_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:agentsim-bench",
    "STATE_MACHINE_ARN": "arn:aws:states:us-east-1:123456789012:stateMachine:agentsim-bench",
    "SUITE_STATE_MACHINE_ARN": "arn:aws:states:us-east-1:123456789012:stateMachine:agentsim-suite",
    "EVENT_BUS_NAME": "agentsim-bench-bus",
    "IDEMPOTENCY_TABLE": "agentsim-idempotency",
    "POLL_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/agentsim-poll",
}
"""What Lambda and the template set (each function reads its settings as it is imported):
Powertools sees a Lambda (tracing on) here."""


@dataclass(frozen=True)
class LambdaLayout:
    """sys.path as Lambda builds it, a directory per function holding only its code."""

    work: Path
    layer: tuple[Path, ...]
    runtime: Path

    @classmethod
    def prepare(cls, work: Path, layer: Sequence[Path] = ()) -> LambdaLayout:
        """In `work`: the layer, the runtime's packages, function copies. `layer`: directories
        standing where Lambda mounts the layer (`/opt/python`); by default the layer built as
        `sam build` builds it, for this machine."""
        site = tuple(layer) or (build_layer(work / "layer", platform="host").site,)
        runtime = work / "runtime"
        runtime.mkdir(parents=True, exist_ok=True)
        for name in sorted(RUNTIME_PACKAGES):
            source = _installed(name)
            link = runtime / source.name
            if not link.exists():
                link.symlink_to(source)
            # Lambda's copies are compiled; compile ours once (up-to-date files are skipped).
            if source.is_dir():
                compileall.compile_dir(source, quiet=1)
            else:
                compileall.compile_file(source, quiet=1)
        return cls(work, site, runtime)

    def task(self, handler: str) -> Path:
        """`/var/task` of `handler`: a copy of its modules (app.py and any beside it), no
        bytecode beside them."""
        task = self.work / "functions" / handler
        if not (task / "app.py").exists():
            task.mkdir(parents=True, exist_ok=True)
            for module in (ROOT / "functions" / handler).glob("*.py"):
                shutil.copy2(module, task / module.name)
        return task

    def sys_path(self, handler: str | None) -> list[str]:
        task = self.task(handler) if handler else self.work
        return [str(task), *map(str, self.layer), str(self.runtime)]


def _installed(name: str) -> Path:
    """Where this environment has the package (or single module) `name`."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"{name} is not installed here")
    origin = Path(spec.origin)
    return origin.parent if origin.name == "__init__.py" else origin
