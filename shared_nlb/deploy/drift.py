"""Drift of what shared-nlb owns, per service: `plan` says it (and fails on it with
--fail-on-drift), `deploy` repairs it and says what it repaired.

A listener deleted by hand, a health check changed, an ingress rule revoked: the template is the
deployed one, so an ordinary change set has nothing to do (CloudFormation compares the new template
with the previous one, not with the resources) and the service stays down while the outputs and
manifests look healthy. Each stack's drift is read with CloudFormation's drift detection
(`shared_nlb.changeset.drift`, which says why that and not describing the resources); a drifted
stack gets a drift-aware change set from deploy (DeploymentMode REVERT_DRIFT: CloudFormation sets
each changed property back to the template and re-creates each deleted resource, updating what
refers to it), shown and confirmed like any other, and each repair is said once it is executed.
"""

from __future__ import annotations

from typing import Any

from shared_nlb.changeset import CloudFormation, Plan, ResourceLabels
from shared_nlb.changeset.drift import DETECTABLE, ResourceDrift, StackDrift
from shared_nlb.errors import UserError

_WHAT = {"MODIFIED": "changed outside CloudFormation", "DELETED": "deleted outside CloudFormation"}


def detect(console: Any, aws: CloudFormation, stack_name: str) -> StackDrift | None:
    """The stack's drift, each drifted resource said in one line by service; None (said when the
    stack exists) when drift cannot be detected in the stack's status, or there is no stack."""
    stack = aws.stack(stack_name)
    if stack is None:
        return None
    if stack["StackStatus"] not in DETECTABLE:
        console.print(f"drift: stack {stack_name} is in {stack['StackStatus']}: CloudFormation detects drift only in {', '.join(sorted(DETECTABLE))}; not checked")
        return None
    try:
        with console.status(f"detecting drift of stack {stack_name}"):
            found = aws.detect_drift(stack_name)
    except UserError as error:  # e.g. a plan role without the drift permissions: the plan goes on without it
        console.print(f"drift: stack {stack_name}: not checked: {error}", markup=False)
        return StackDrift(stack_name, (), failure=str(error), ran=False)
    for line in describe(found, aws.labels) if found else []:
        console.print(line, markup=False)
    return found


def describe(found: StackDrift, labels: ResourceLabels) -> list[str]:
    """One line per drifted resource, by service (the stack's own resources last), then one for the
    stack."""
    lines = [f"drift: {_owner(found.stack_name, resource, labels)}: {_WHAT.get(resource.status, resource.status)}{_properties(resource)}" for resource in _by_service(found.resources, labels)]
    unchecked = f"; {found.not_checked} resource(s) of a type CloudFormation cannot check for drift" if found.not_checked else ""
    failed = f"; the detection failed for some resources ({_cut(found.failure, 200)}): those were not checked" if found.failure else ""
    if found.drifted:
        lines.append(f"drift: stack {found.stack_name}: {len(found.resources)} resource(s) changed or deleted outside CloudFormation; deploy sets them back to the template{unchecked}{failed}")
    else:
        lines.append(f"drift: stack {found.stack_name}: none, every checked resource is as deployed{unchecked}{failed}")
    return lines


def _by_service(resources: tuple[ResourceDrift, ...], labels: ResourceLabels) -> list[ResourceDrift]:
    def key(resource: ResourceDrift) -> tuple[int, str, str]:
        owner = labels.service(resource.logical_id)
        return (0, owner[0], resource.logical_id) if owner else (1, "", resource.logical_id)

    return sorted(resources, key=key)


def _owner(stack_name: str, resource: ResourceDrift, labels: ResourceLabels) -> str:
    owner = labels.service(resource.logical_id)
    if owner:
        return f"service {owner[0]} (stack {stack_name}): {owner[1]} ({resource.logical_id})"
    return f"stack {stack_name}: {labels(resource.logical_id)}"


def _properties(resource: ResourceDrift) -> str:
    """`: HealthCheckIntervalSeconds is 10, the template says 30; ...`, values cut to a readable length."""
    said = []
    for p in resource.properties:
        name = p.path.strip("/").replace("/", ".")
        if p.kind == "ADD":
            said.append(f"{name} was added ({_cut(p.actual)})")
        elif p.kind == "REMOVE":
            said.append(f"{name} was removed (the template says {_cut(p.expected)})")
        else:
            said.append(f"{name} is {_cut(p.actual)}, the template says {_cut(p.expected)}")
    return ": " + "; ".join(said) if said else ""


def fail_on_drift(console: Any, drifts: list[StackDrift]) -> bool:
    """`plan --fail-on-drift`: whether it fails (a stack drifted, or one could not be checked at all:
    a gate that cannot look does not pass), said in one line."""
    drifted = [d for d in drifts if d.drifted]
    unknown = [d.stack_name for d in drifts if not d.ran]
    if drifted:
        console.print(f"--fail-on-drift: fails: {sum(len(d.resources) for d in drifted)} resource(s) drifted in stack(s) {', '.join(d.stack_name for d in drifted)}")
    elif unknown:
        console.print(f"--fail-on-drift: fails: the drift of stack(s) {', '.join(unknown)} could not be detected")
    return bool(drifted or unknown)


def _cut(text: str, limit: int = 80) -> str:
    """A value from AWS on one line, cut to `limit` characters with '...' (a property can be a whole list)."""
    flat = " ".join(text[: limit * 2].split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def say_repaired(console: Any, aws: CloudFormation, plan: Plan, found: StackDrift) -> None:
    """After a drift-aware change set was executed: one line per resource it set back or re-created,
    and one per drifted resource it did not touch (a type CloudFormation cannot revert)."""
    repaired = {change.logical_id: change for change in plan.changes if change.repairs}
    for resource in _by_service(found.resources, aws.labels):
        who = _owner(plan.stack_name, resource, aws.labels)
        if resource.logical_id not in repaired:
            console.print(f"drift not repaired: {who}: the drift-aware change set did not include it; set it back to the template by hand", markup=False)
        elif resource.status == "DELETED":
            console.print(f"repaired: {who}: re-created, as the template says", markup=False)
        else:
            console.print(f"repaired: {who}: set back to the template" + (f" ({', '.join(p.path.strip('/') for p in resource.properties)})" if resource.properties else ""), markup=False)
