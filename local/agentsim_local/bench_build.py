"""Bench figures of the build: the layer's sizes and how long a fresh `make test` set-up takes.

Both are measured the way a user meets them: the layer through its makefile target (as `sam
build` runs it) and zipped as SAM zips it; the set-up as `uv sync --frozen` of both locked
environments into new directories, once with an empty package cache (a fresh machine) and once
with the cache this machine already has.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import time
import venv
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from agentsim_local.layer import ARM64, ROOT, BuiltLayer, build_layer, megabytes

LAYER_GOAL_BYTES = 5_000_000
UV = ROOT / ".uv" / "bin" / "uv"
ENVIRONMENTS = (
    ("project (.venv)", ROOT, ("--all-extras",)),
    ("template scanners (.venv-lint)", ROOT / "tools" / "template-lint", ()),
)


@dataclass(frozen=True)
class LayerSizes:
    zipped: int
    unzipped: int

    @classmethod
    def of(cls, layer: BuiltLayer, out: Path) -> LayerSizes:
        """The sizes of a built layer, zipped into `out` as SAM zips it."""
        return cls(zipped=layer.zip_to(out / "AgentsimLayer.zip"), unzipped=layer.unzipped_bytes())


@dataclass(frozen=True)
class InstallTimes:
    cold_seconds: float
    warm_seconds: float


def layer_sizes() -> LayerSizes:
    with tempfile.TemporaryDirectory(prefix="agentsim-layer-") as out:
        return LayerSizes.of(build_layer(Path(out) / "AgentsimLayer", platform=ARM64), Path(out))


def sync_seconds(cache: Path | None) -> float:
    """Seconds to install both locked environments into new directories."""
    env = dict(os.environ)
    if cache is not None:
        env["UV_CACHE_DIR"] = str(cache)
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="agentsim-venv-") as venvs:
        for index, (_, project, extra) in enumerate(ENVIRONMENTS):
            env["UV_PROJECT_ENVIRONMENT"] = str(Path(venvs) / f"env{index}")
            subprocess.run(  # noqa: S603 - our own pinned uv, fixed arguments
                [str(UV), "sync", "--frozen", "--quiet", "--no-install-project", *extra],
                cwd=project,
                env=env,
                check=True,
                capture_output=True,
            )
    return time.monotonic() - began


def bootstrap_seconds() -> float:
    """Seconds the Makefile spends bootstrapping uv itself from the package index."""
    version = re.search(r"^UV_VERSION := (\S+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert version is not None, "UV_VERSION not found in the Makefile"
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="agentsim-uv-") as home:
        venv.create(home, with_pip=True)
        subprocess.run(  # noqa: S603 - fixed arguments
            [
                f"{home}/bin/python",
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-cache-dir",
                "--disable-pip-version-check",
                f"uv=={version.group(1)}",
            ],
            check=True,
            capture_output=True,
        )
    return time.monotonic() - began


def install_times() -> InstallTimes:
    """The empty-cache figure includes bootstrapping uv, as on a fresh machine."""
    with tempfile.TemporaryDirectory(prefix="agentsim-uv-cache-") as cache:
        cold = bootstrap_seconds() + sync_seconds(Path(cache))
    return InstallTimes(cold_seconds=cold, warm_seconds=sync_seconds(None))


def print_section(console: Console) -> None:
    sizes = layer_sizes()
    table = Table(title="Build", title_justify="left")
    for name in ("figure", "measured", "goal"):
        table.add_column(name, justify="left" if name == "figure" else "right")
    table.add_row("layer zipped (arm64)", megabytes(sizes.zipped), megabytes(LAYER_GOAL_BYTES))
    table.add_row("layer unzipped (arm64)", megabytes(sizes.unzipped), "")
    if UV.exists():
        times = install_times()
        table.add_row("fresh `make test` set-up, empty cache", f"{times.cold_seconds:.1f}s", "")
        table.add_row("fresh `make test` set-up, warm cache", f"{times.warm_seconds:.1f}s", "")
    console.print(table)
