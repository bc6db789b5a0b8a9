"""Deploy a SAM template into the local AWS the way `sam deploy` does: package, CreateStack.

The packaged copy goes to the server's S3 and CreateStack gets its `TemplateURL` with the
parameter values; CloudFormation there applies the SAM transform and creates every resource.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentsim_local.embedded.package import artifact_key, package, template_json


class DeployError(RuntimeError):
    """The stack did not reach CREATE_COMPLETE; the message carries CloudFormation's reasons."""


@dataclass(frozen=True)
class Deployment:
    stack_name: str
    outputs: dict[str, str]
    resources: dict[str, str]
    """Logical id -> physical id."""
    seconds: float


def deploy(
    clients: Any,
    template_path: Path,
    *,
    stack_name: str,
    region: str,
    account_id: str,
    parameters: dict[str, str],
    timeout: float = 180.0,
) -> Deployment:
    """`clients(service)` gives a boto3 client of the local AWS."""
    started = time.monotonic()
    s3 = clients("s3")
    bucket = f"{stack_name.lower()}-artifacts-{account_id}"
    if region == "us-east-1":  # the one region that takes no LocationConstraint
        s3.create_bucket(Bucket=bucket)
    else:
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})

    def upload(hint: str, data: bytes) -> tuple[str, str]:
        key = artifact_key(hint, data)
        s3.put_object(Bucket=bucket, Key=key, Body=data)
        return bucket, key

    packaged = package(template_path, upload)
    template_key = artifact_key(f"templates/{stack_name}", template_json(packaged).encode())
    s3.put_object(Bucket=bucket, Key=template_key, Body=template_json(packaged).encode())
    declared = set(packaged.template.get("Parameters", {}))
    cfn = clients("cloudformation")
    cfn.create_stack(
        StackName=stack_name,
        TemplateURL=f"{s3.meta.endpoint_url}/{bucket}/{template_key}",
        Parameters=[
            {"ParameterKey": key, "ParameterValue": value}
            for key, value in parameters.items()
            if key in declared
        ],
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"],
    )
    stack = _wait_created(cfn, stack_name, timeout)
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    resources = {
        r["LogicalResourceId"]: r.get("PhysicalResourceId", "")
        for r in cfn.describe_stack_resources(StackName=stack_name)["StackResources"]
    }
    return Deployment(stack_name, outputs, resources, time.monotonic() - started)


def _wait_created(cfn: Any, stack_name: str, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        stack: dict[str, Any] = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
        status = stack["StackStatus"]
        if status == "CREATE_COMPLETE":
            return stack
        if not status.endswith("IN_PROGRESS") or time.monotonic() > deadline:
            events = cfn.describe_stack_events(StackName=stack_name)["StackEvents"]
            reasons = [
                f"{e['LogicalResourceId']}: {e.get('ResourceStatusReason')}"
                for e in events
                if e.get("ResourceStatusReason") and "FAILED" in e.get("ResourceStatus", "")
            ]
            reason = "; ".join(reasons) or stack.get("StackStatusReason", "")
            raise DeployError(f"stack {stack_name} is {status}: {reason}")
        time.sleep(0.2)
