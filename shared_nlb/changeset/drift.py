"""Drift: what CloudFormation finds changed or deleted outside it in a stack, resource by resource.

Read with CloudFormation's own drift detection rather than by describing each resource: it compares
every resource type the stack holds with the template the stack was deployed from (what shared-nlb
would otherwise model again per type, and get wrong), and its verdict is the one the console shows
and the one a drift-aware change set repairs (`create_change_set(revert_drift=True)`). Its limits,
each handled here (CloudFormation User Guide, "Detect unmanaged configuration changes to stacks and
resources with drift detection"; API reference of each call):

- DetectStackDrift only starts a detection; it runs asynchronously, "up to several minutes" for a
  large stack, so DescribeStackDriftDetectionStatus is polled until it leaves DETECTION_IN_PROGRESS;
- only stacks in CREATE_COMPLETE, UPDATE_COMPLETE, UPDATE_ROLLBACK_COMPLETE or UPDATE_ROLLBACK_FAILED
  can be checked: any other status (a stack being changed, a new one) is not checked, and says so;
- DETECTION_FAILED still has results "for resources on which CloudFormation successfully completed
  drift detection": they are read, and the failure is said;
- only properties the template sets are compared (a service default changed by hand is not drift);
  a type without drift support is NOT_CHECKED, counted, never taken for in sync;
- DescribeStackResourceDrifts answers at most 100 resources a page.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from shared_nlb.changeset.client import Connection
from shared_nlb.errors import UserError

# How long a detection may run before the run goes on without it (said as not checked): AWS gives
# "up to several minutes" for a large stack; a detection stuck longer must not hold a deploy forever.
DETECTION_LIMIT_SECONDS = 15 * 60

DETECTABLE = frozenset({"CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "UPDATE_ROLLBACK_FAILED"})
DRIFTED = ("MODIFIED", "DELETED")


@dataclass(frozen=True)
class PropertyDrift:
    """One property of a resource that is not as the template says (PropertyDifference)."""

    path: str  # /HealthCheckIntervalSeconds
    expected: str
    actual: str
    kind: str  # ADD | REMOVE | NOT_EQUAL


@dataclass(frozen=True)
class ResourceDrift:
    """A resource changed (MODIFIED) or deleted (DELETED) outside CloudFormation."""

    logical_id: str
    resource_type: str
    status: str
    properties: tuple[PropertyDrift, ...] = ()


@dataclass(frozen=True)
class StackDrift:
    """One stack's drift detection: its drifted resources, how many resources could not be checked,
    and why the detection failed, if it did (in part, or, `ran` false, as a whole)."""

    stack_name: str
    resources: tuple[ResourceDrift, ...]
    not_checked: int = 0
    failure: str | None = None
    ran: bool = True  # False: the detection could not be started or read (`failure` says why)

    @property
    def drifted(self) -> bool:
        return bool(self.resources)


def detect(aws: Connection, stack_name: str, *, limit_seconds: int = DETECTION_LIMIT_SECONDS) -> StackDrift | None:
    """Detect the stack's drift and wait for the result, at most `limit_seconds` (then a UserError);
    None when the stack does not exist or is in a status drift cannot be detected in."""
    stack = aws.stack(stack_name)
    if stack is None or stack["StackStatus"] not in DETECTABLE:
        return None
    stack_id = stack["StackId"]
    detection = aws.call("start the drift detection", aws.cfn.detect_stack_drift, StackName=stack_id)["StackDriftDetectionId"]
    deadline = time.monotonic() + limit_seconds
    while True:
        status = aws.call("read the drift detection's status", aws.cfn.describe_stack_drift_detection_status, StackDriftDetectionId=detection)
        if status["DetectionStatus"] != "DETECTION_IN_PROGRESS":
            break
        if time.monotonic() > deadline:
            raise UserError(f"the drift detection {detection} did not finish within {limit_seconds // 60} minutes")
        time.sleep(aws.poll_seconds)
    failure = (status.get("DetectionStatusReason") or "no reason given") if status["DetectionStatus"] == "DETECTION_FAILED" else None
    drifts = _resource_drifts(aws, stack_id)
    resources = tuple(sorted((_resource(d) for d in drifts if d["StackResourceDriftStatus"] in DRIFTED), key=lambda r: r.logical_id))
    return StackDrift(stack_name, resources, sum(1 for d in drifts if d["StackResourceDriftStatus"] == "NOT_CHECKED"), failure)


def _resource_drifts(aws: Connection, stack_id: str) -> list[dict[str, Any]]:
    """Every drifted or unchecked resource of the stack's latest detection, all pages."""
    found: list[dict[str, Any]] = []
    token = None
    while True:
        page = aws.call(
            "read the resources' drift",
            aws.cfn.describe_stack_resource_drifts,
            StackName=stack_id,
            StackResourceDriftStatusFilters=[*DRIFTED, "NOT_CHECKED"],
            MaxResults=100,
            **({"NextToken": token} if token else {}),
        )
        found += page.get("StackResourceDrifts", [])
        token = page.get("NextToken")
        if not token:
            return found


def _resource(drift: dict[str, Any]) -> ResourceDrift:
    properties = tuple(
        PropertyDrift(p.get("PropertyPath", ""), str(p.get("ExpectedValue", "")), str(p.get("ActualValue", "")), p.get("DifferenceType", "NOT_EQUAL"))
        for p in drift.get("PropertyDifferences") or []
    )
    return ResourceDrift(drift["LogicalResourceId"], drift.get("ResourceType", ""), drift["StackResourceDriftStatus"], properties)
