"""The Lambda layer, built exactly as `sam build` builds it, and what it weighs.

`sam build` runs `layers/agentsim/Makefile` (`BuildMethod: makefile`); so does this module, with
the same target and an `ARTIFACTS_DIR` of ours. `platform="host"` builds wheels for this machine
(the local stack and the cold-import benchmark run the handlers here); the default is Lambda's
arm64. The zip is made the way SAM zips a layer (deflate, default level).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from agentsim_local.errors import CliError

ROOT = Path(__file__).resolve().parents[2]
LAYER_SOURCE = ROOT / "layers" / "agentsim"
BUILD_TARGET = "build-AgentsimLayer"
ARM64 = "manylinux2014_aarch64"
HOST = "host"
RUNTIME_PACKAGES = frozenset(
    {"boto3", "botocore", "s3transfer", "urllib3", "jmespath", "dateutil", "six"}
)
"""Top-level import names the Lambda Python runtime provides: never in the layer."""


@dataclass(frozen=True)
class BuiltLayer:
    """A built layer: `root` holds `python/` as Lambda mounts it under /opt."""

    root: Path
    platform: str

    @property
    def site(self) -> Path:
        return self.root / "python"

    def top_level(self) -> set[str]:
        """Import names at the top of the layer (packages and single modules)."""
        names = set()
        for entry in self.site.iterdir():
            if entry.name.endswith(".dist-info") or entry.name == "__pycache__":
                continue
            names.add(entry.name.split(".", 1)[0])
        return names

    def unzipped_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.site.rglob("*") if p.is_file())

    def zip_to(self, path: Path) -> int:
        """Zip `python/` as SAM does; the zip's size in bytes."""
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for file in sorted(p for p in self.site.rglob("*") if p.is_file()):
                archive.write(file, file.relative_to(self.root).as_posix())
        return path.stat().st_size


def python_313() -> str:
    """The interpreter the build runs: Lambda's CPython minor version, with pip (as under SAM).

    Our own virtualenv has no pip (uv made it), so this is the interpreter it was made from.
    """
    if sys.version_info[:2] == (3, 13):
        base = Path(sys.base_prefix) / "bin" / "python3.13"
        if base.exists():
            return str(base)
    found = shutil.which("python3.13")
    if found is None:
        raise CliError("building the layer needs Python 3.13 (python3.13 not found)")
    return found


def build_layer(out: Path, *, platform: str = ARM64) -> BuiltLayer:
    """Run the layer's makefile target into `out` (emptied first)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    command = [
        "make",
        "--silent",
        "-C",
        str(LAYER_SOURCE),
        BUILD_TARGET,
        f"ARTIFACTS_DIR={out}",
        f"LAYER_PLATFORM={platform}",
        f"PYTHON={python_313()}",
    ]
    env = {**os.environ, "PIP_NO_WARN_SCRIPT_LOCATION": "1", "PIP_ROOT_USER_ACTION": "ignore"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # noqa: S603
    if done.returncode != 0:
        raise CliError(
            f"layer build failed:\n{done.stderr.strip() or done.stdout.strip()}", exit_code=1
        )
    return BuiltLayer(out, platform)


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.2f} MB"


def command(args: argparse.Namespace) -> int:
    """`agentsim layer`: build it and print its sizes (and anything the runtime already has)."""
    out = Path(args.out).resolve()
    layer = build_layer(out / "AgentsimLayer", platform=args.platform)
    zipped = layer.zip_to(out / "AgentsimLayer.zip")
    print(
        f"AgentsimLayer ({layer.platform}): {megabytes(zipped)} zipped, "
        f"{megabytes(layer.unzipped_bytes())} unzipped -> {out / 'AgentsimLayer.zip'}"
    )
    shadowed = sorted(layer.top_level() & RUNTIME_PACKAGES)
    if shadowed:
        print(
            f"error: the layer ships what the runtime has: {', '.join(shadowed)}", file=sys.stderr
        )
        return 1
    return 0
