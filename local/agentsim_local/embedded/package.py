"""`sam build` + `sam package` for the local AWS: artifacts into its S3, a packaged copy.

The template itself is never changed: a copy has its local `CodeUri`, `ContentUri` and
`DefinitionUri` replaced by the S3 locations of what was uploaded, exactly the rewrite
`sam package` (`aws cloudformation package`) makes. Everything else, `Transform` included, is
left for CloudFormation to apply.

- A function directory is zipped as it is (our functions have no requirements of their own).
- A layer with `BuildMethod: makefile` is built by its makefile as `sam build` runs it
  (`agentsim_local.layer.build_layer`, wheels for this machine, since the local workers run
  here); a `pythonX.Y` layer without requirements is its directory under `python/`. Builds are
  cached under `.aws-sam/local/` by a hash of the layer's sources, as `sam build --cached` does.
"""

from __future__ import annotations

import copy
import fcntl
import functools
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentsim_local.embedded.cfn_yaml import load_template
from agentsim_local.layer import HOST, LAYER_SOURCE, ROOT, build_layer

Uploader = Callable[[str, bytes], tuple[str, str]]
"""(key hint, artifact bytes) -> (bucket, key) of the uploaded object."""

BUILD_CACHE = ROOT / ".aws-sam" / "local"
_SKIPPED = {"__pycache__", ".pytest_cache", ".mypy_cache", ".aws-sam"}


class PackageError(ValueError):
    """The template declares something this packager does not build (it says what)."""


@dataclass(frozen=True)
class Packaged:
    template: dict[str, Any]
    """The packaged copy, ready for CreateStack."""
    artifacts: dict[str, str]
    """Logical id -> s3:// URI of what was uploaded for it."""


def package(template_path: Path, upload: Uploader) -> Packaged:
    """Build and upload every local artifact of `template_path`; the packaged copy."""
    base = template_path.parent
    template = copy.deepcopy(load_template(template_path))
    artifacts: dict[str, str] = {}
    uploaded: dict[Path, tuple[str, str]] = {}

    def put(logical_id: str, hint: str, path: Path, data: Callable[[Path], bytes]) -> str:
        """Upload once per source path; the s3:// URI."""
        if path not in uploaded:
            uploaded[path] = upload(hint, data(path))
        bucket, key = uploaded[path]
        artifacts[logical_id] = f"s3://{bucket}/{key}"
        return artifacts[logical_id]

    globals_fn = template.get("Globals", {}).get("Function", {})
    if _local(globals_fn.get("CodeUri")):
        raise PackageError("Globals.Function.CodeUri: give each function its own CodeUri")
    for logical_id, props, metadata in _resources(template, "AWS::Serverless::LayerVersion"):
        path = _directory(base, props.get("ContentUri"), f"{logical_id}.ContentUri")
        if path is not None:
            method = str(metadata.get("BuildMethod", ""))
            props["ContentUri"] = put(
                logical_id, f"layers/{logical_id}", path, functools.partial(_layer, method=method)
            )
    for logical_id, props, _ in _resources(template, "AWS::Serverless::Function"):
        path = _directory(base, props.get("CodeUri"), f"{logical_id}.CodeUri")
        if path is not None:
            props["CodeUri"] = put(logical_id, f"functions/{path.name}", path, _zip)
    for logical_id, props, _ in _resources(template, "AWS::Serverless::StateMachine"):
        uri = props.get("DefinitionUri")
        if _local(uri):
            path = base / str(uri)
            if not path.is_file():
                raise PackageError(f"{logical_id}.DefinitionUri: {uri} not found")
            location = put(logical_id, f"statemachines/{path.stem}", path, Path.read_bytes)
            bucket, _, key = location.removeprefix("s3://").partition("/")
            props["DefinitionUri"] = {"Bucket": bucket, "Key": key}
    return Packaged(template, artifacts)


def artifact_key(hint: str, data: bytes) -> str:
    """Content-addressed, as `sam package` names artifacts."""
    return f"{hint}/{hashlib.sha256(data).hexdigest()[:32]}"


def _resources(template: dict[str, Any], kind: str) -> Iterator[tuple[str, Any, Any]]:
    for logical_id, resource in template.get("Resources", {}).items():
        if isinstance(resource, dict) and resource.get("Type") == kind:
            yield logical_id, resource.setdefault("Properties", {}), resource.get("Metadata", {})


def _local(uri: Any) -> bool:
    return isinstance(uri, str) and not uri.startswith("s3://")


def _directory(base: Path, uri: Any, what: str) -> Path | None:
    if not _local(uri):
        return None
    path = (base / str(uri)).resolve()
    if not path.is_dir():
        raise PackageError(f"{what}: {uri} is not a directory")
    return path


def _layer(path: Path, *, method: str) -> bytes:
    if method == "makefile":
        if path != LAYER_SOURCE.resolve():
            raise PackageError(f"{path}: only the agentsim layer's makefile build is known here")
        return _agentsim_layer()
    if method.startswith("python") and not (path / "requirements.txt").exists():
        return _zip(path, prefix="python")
    raise PackageError(f"{path}: layer BuildMethod {method or '(none)'} is not built locally")


def _agentsim_layer() -> bytes:
    """The makefile build for the host, from the cache when its sources did not change."""
    digest = hashlib.sha256()
    for file in _files(LAYER_SOURCE):
        digest.update(file.relative_to(LAYER_SOURCE).as_posix().encode())
        digest.update(file.read_bytes())
    zipped = BUILD_CACHE / f"AgentsimLayer-{HOST}-{digest.hexdigest()[:16]}.zip"
    BUILD_CACHE.mkdir(parents=True, exist_ok=True)
    # Stacks deployed at once (parallel test workers, two terminals) build the cache once.
    with (BUILD_CACHE / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not zipped.exists():
            for stale in BUILD_CACHE.glob(f"AgentsimLayer-{HOST}-*.zip"):
                stale.unlink()
            built = build_layer(BUILD_CACHE / "AgentsimLayer", platform=HOST)
            partial = zipped.with_suffix(".partial")
            built.zip_to(partial)
            partial.replace(zipped)
    return zipped.read_bytes()


def _files(path: Path) -> list[Path]:
    return sorted(
        p
        for p in path.rglob("*")
        if p.is_file()
        and not _SKIPPED.intersection(p.relative_to(path).parts)
        and p.suffix != ".pyc"
    )


def _zip(path: Path, prefix: str = "") -> bytes:
    """A deterministic zip of `path` (sorted, fixed timestamps), as `sam package` uploads."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in _files(path):
            relative = file.relative_to(path).as_posix()
            info = zipfile.ZipInfo(
                f"{prefix}/{relative}" if prefix else relative, (1980, 1, 1, 0, 0, 0)
            )
            info.external_attr = 0o644 << 16
            archive.writestr(info, file.read_bytes(), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def template_json(packaged: Packaged) -> str:
    return json.dumps(packaged.template)
