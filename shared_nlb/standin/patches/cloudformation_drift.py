"""The CloudFormation fixes for drift: stack drift detection (DetectStackDrift,
DescribeStackDriftDetectionStatus, DescribeStackResourceDrifts), and drift-aware change sets
(CreateChangeSet with DeploymentMode REVERT_DRIFT), which moto 5.2.5 has neither of.

What a resource's drift is comes from `shared_nlb.standin.drift`. moto is imported inside each fix,
so importing this module does not need moto.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from shared_nlb.standin.drift import SECURITY_GROUP, repair_security_group, resource_drift
from shared_nlb.standin.patches.state import replace

# The stack statuses drift can be detected in (CloudFormation User Guide, "Detect unmanaged
# configuration changes to stacks and resources with drift detection", Considerations).
DETECTABLE = ("CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "UPDATE_ROLLBACK_FAILED")
DRIFTED = ("MODIFIED", "DELETED")
# DescribeStackResourceDrifts' MaxResults: 1-100 (API reference).
MAX_RESULTS = 100


def _stack_drift_detection() -> None:
    """Not in TOOLCHAIN.md: moto has no drift detection: DetectStackDrift,
    DescribeStackDriftDetectionStatus and DescribeStackResourceDrifts are not implemented. Answers
    them as CloudFormation does (API reference of each): DetectStackDrift starts a detection on a
    stack in a status that allows one and returns its ID; the status says DETECTION_COMPLETE,
    DRIFTED or IN_SYNC and how many resources drifted; the resource drifts of the stack's latest
    detection list each resource as IN_SYNC, MODIFIED (with its property differences), DELETED or
    NOT_CHECKED, filtered by status and a page of at most 100 at a time. The stand-in detects at
    once; on AWS a detection takes a while, which the status call says (DETECTION_IN_PROGRESS)."""
    from moto.cloudformation.exceptions import ValidationError
    from moto.cloudformation.responses import CloudFormationResponse
    from moto.core.responses import ActionResult

    def detect_stack_drift(self):
        backend = self.cloudformation_backend
        stack = backend.get_stack(self._get_param("StackName"))
        if stack.status not in DETECTABLE:
            raise ValidationError(stack.name, message=f"Stack {stack.name} is in {stack.status}: drift can be detected only in {', '.join(DETECTABLE)}")
        resources = stack.resource_map
        drifts = [resource_drift(resources, name, self.current_account, self.region) for name in sorted(resources._resource_json_map)]
        now = datetime.now(timezone.utc)
        drifted = sum(1 for d in drifts if d["StackResourceDriftStatus"] in DRIFTED)
        detection = {
            "StackId": stack.stack_id,
            "StackDriftDetectionId": str(uuid.uuid4()),
            "StackDriftStatus": "DRIFTED" if drifted else "IN_SYNC",
            "DetectionStatus": "DETECTION_COMPLETE",
            "DriftedStackResourceCount": drifted,
            "Timestamp": now,
        }
        _detections(backend)[detection["StackDriftDetectionId"]] = (detection, [d | {"StackId": stack.stack_id, "Timestamp": now} for d in drifts])
        return ActionResult({"StackDriftDetectionId": detection["StackDriftDetectionId"]})

    def describe_stack_drift_detection_status(self):
        found = _detections(self.cloudformation_backend).get(self._get_param("StackDriftDetectionId"))
        if found is None:
            raise ValidationError(message="Stack drift detection ID not found")
        return ActionResult(found[0])

    def describe_stack_resource_drifts(self):
        backend = self.cloudformation_backend
        stack = backend.get_stack(self._get_param("StackName"))
        latest = [drifts for detection, drifts in _detections(backend).values() if detection["StackId"] == stack.stack_id][-1:]
        wanted = self._get_param("StackResourceDriftStatusFilters") or []
        found = [d for d in (latest[0] if latest else []) if not wanted or d["StackResourceDriftStatus"] in wanted]
        start = int(self._get_param("NextToken") or 0)
        size = min(int(self._get_param("MaxResults") or MAX_RESULTS), MAX_RESULTS)
        page = found[start : start + size]
        more = start + size < len(found)
        return ActionResult({"StackResourceDrifts": page, **({"NextToken": str(start + size)} if more else {})})

    replace(CloudFormationResponse, "detect_stack_drift", detect_stack_drift)
    replace(CloudFormationResponse, "describe_stack_drift_detection_status", describe_stack_drift_detection_status)
    replace(CloudFormationResponse, "describe_stack_resource_drifts", describe_stack_resource_drifts)


def _detections(backend: Any) -> dict[str, tuple[dict[str, Any], list[dict[str, Any]]]]:
    """The region's drift detections, oldest first: ID -> (status, resource drifts)."""
    return backend.__dict__.setdefault("standin_drift_detections", {})


def _drift_aware_change_sets() -> None:
    """Not in TOOLCHAIN.md: moto ignores CreateChangeSet's DeploymentMode, so a change set of the
    deployed template is empty ("didn't contain changes") whatever was changed or deleted outside
    CloudFormation, as any change set is on AWS. A drift-aware change set (DeploymentMode
    REVERT_DRIFT, CloudFormation User Guide, "Using drift-aware change sets") compares the template
    with each resource's actual state, lists each drifted resource with its ResourceDriftStatus
    (ResourceChange reference), and its execution sets a modified resource back to the template and
    re-creates a deleted one, updating what refers to it (as that guide's deleted-bucket example
    does). Lists and executes them so; a re-created resource's change says Replacement True, since
    it comes back with a new physical ID."""
    from moto.cloudformation import parsing
    from moto.cloudformation.models import Change, ChangeSet
    from moto.cloudformation.responses import CloudFormationResponse

    original_create = CloudFormationResponse.create_change_set
    original_apply = ChangeSet.apply

    def create_change_set(self):
        result = original_create(self)
        if self._get_param("DeploymentMode") != "REVERT_DRIFT":
            return result
        change_set = self.cloudformation_backend.change_sets[result.result["Id"]]
        resources = change_set.stack.resource_map
        drifts = [resource_drift(resources, name, self.current_account, self.region) for name in sorted(resources._resource_json_map)]
        drifted = {d["LogicalResourceId"]: d for d in drifts if d["StackResourceDriftStatus"] in DRIFTED}
        change_set.deployment_mode = "REVERT_DRIFT"
        change_set.stack_drift_status = "DRIFTED" if drifted else "IN_SYNC"
        change_set.standin_drifted = drifted
        listed = {c.logical_resource_id for c in change_set.changes}
        for change in change_set.changes:
            change.resource_drift_status = drifted.get(change.logical_resource_id, {}).get("StackResourceDriftStatus", "IN_SYNC")
        for name, drift in drifted.items():
            if name in listed:
                continue
            change = Change("Modify", name, drift["ResourceType"])
            change.physical_resource_id = drift["PhysicalResourceId"]
            change.replacement = "True" if drift["StackResourceDriftStatus"] == "DELETED" else "False"
            change.resource_drift_status = drift["StackResourceDriftStatus"]
            change_set.changes.append(change)
        if drifted and change_set.status == "FAILED":  # the template is the deployed one: the drift is the change
            change_set.status, change_set.execution_status, change_set.status_reason = "CREATE_COMPLETE", "AVAILABLE", None
        return result

    def apply(self):
        original_apply(self)
        drifted = getattr(self, "standin_drifted", {})
        resources = self.stack.resource_map
        account, region = resources._account_id, resources._region_name
        for name in sorted(n for n, d in drifted.items() if d["StackResourceDriftStatus"] == "DELETED"):
            resources._parsed_resources.pop(name, None)
            _ = resources[name]  # moto's way to create a resource: its map creates on first access
            for dependent in sorted(_referring(resources._resource_json_map, name)):
                resources._parsed_resources[dependent] = parsing.parse_and_update_resource(dependent, resources._resource_json_map[dependent], resources, account, region)
        for name in sorted(n for n, d in drifted.items() if d["StackResourceDriftStatus"] == "MODIFIED"):
            if drifted[name]["ResourceType"] == SECURITY_GROUP:  # its update changes rules only where the template did
                repair_security_group(resources, resources[name])
            else:
                resources._parsed_resources[name] = parsing.parse_and_update_resource(name, resources._resource_json_map[name], resources, account, region)

    replace(CloudFormationResponse, "create_change_set", create_change_set)
    replace(ChangeSet, "apply", apply)


def _referring(resource_json_map: dict[str, Any], name: str) -> set[str]:
    """The resources whose properties refer to `name` (Ref or Fn::GetAtt)."""

    def refers(value: Any) -> bool:
        if isinstance(value, dict):
            if value.get("Ref") == name or (isinstance(value.get("Fn::GetAtt"), list) and value["Fn::GetAtt"][:1] == [name]):
                return True
            return any(refers(v) for v in value.values())
        if isinstance(value, list):
            return any(refers(v) for v in value)
        return False

    return {other for other, resource in resource_json_map.items() if other != name and refers(resource.get("Properties"))}
