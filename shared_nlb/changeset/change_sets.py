"""Change sets: created (CREATE for a new stack, else UPDATE) once the stack can take one, waited for,
read back as a `Plan`, and deleted again when not executed."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

from shared_nlb.changeset import events
from shared_nlb.changeset.client import Connection
from shared_nlb.changeset.errors import one_line
from shared_nlb.changeset.plan import Change, Plan
from shared_nlb.changeset.states import WAY_OUT
from shared_nlb.changeset.template import capabilities_argument, template_argument
from shared_nlb.errors import UserError

NO_CHANGES = ("didn't contain changes", "No updates are to be performed")
# Every change set shared-nlb makes is named `shared-nlb-<purpose>-<run>`: a run deletes only its own,
# and sees another run's by the prefix (an older release named its change sets `shared-nlb` and
# `shared-nlb-plan`).
PREFIX = "shared-nlb"


def run_name(purpose: str) -> str:
    """`shared-nlb-deploy-3f9a0c1d2e4b`: a change set name of this run alone (1-128 characters of
    letters, digits and '-', starting with a letter: CreateChangeSet ChangeSetName)."""
    return f"{PREFIX}-{purpose}-{uuid.uuid4().hex[:12]}"


def create_change_set(
    aws: Connection, stack_name: str, template_text: str, *, name: str | None = None, tags: Mapping[str, str] | None = None, executes: bool = True, revert_drift: bool = False
) -> Plan:
    """Create a change set (CREATE for a new stack, else UPDATE), wait for it, and describe it.
    A change set with no changes gives an empty Plan (its change set already deleted). `tags` are
    the stack's own tags (CloudFormation also propagates them to the resources), as `cdk deploy`
    passes them; None leaves them out (an empty mapping removes the stack's tags). `name`: default a
    name of this run (`run_name`). A change set another run made is never deleted; one that run may
    execute (`executes`: this one may too) stops this run with one line naming it. `revert_drift`: a
    drift-aware change set (DeploymentMode REVERT_DRIFT, CloudFormation User Guide, "Using
    drift-aware change sets"), which also sets what was changed outside CloudFormation back to the
    template and re-creates what was deleted; an ordinary one compares templates only, so an
    unchanged template repairs nothing."""
    stack = aws.stack(stack_name, fresh=True)  # what another run did meanwhile counts here
    status = stack["StackStatus"] if stack else None
    if status in WAY_OUT:  # CloudFormation would refuse the change set ("Stack status codes")
        raise UserError(f"stack {stack_name} is in {status}: {WAY_OUT[status]}")
    if status and status.endswith("_IN_PROGRESS") and status != "REVIEW_IN_PROGRESS":
        raise UserError(f"stack {stack_name} is busy ({status}); wait until it finishes, then try again")
    others = _other_runs(aws, stack_name) if status else []
    if status == "REVIEW_IN_PROGRESS":
        if others:  # another run is creating the stack
            raise UserError(f"stack {stack_name} is being created by another run (change set {_names(others)}); nothing changed: wait for it, or delete that change set if its run is gone")
        _delete_empty_stack(aws, stack_name)  # an empty stack left by an earlier change set: start over
        status = None
    elif executes and (pending := [o for o in others if o.get("ExecutionStatus") == "AVAILABLE" and not o["ChangeSetName"].startswith(f"{PREFIX}-plan")]):
        raise UserError(f"stack {stack_name} has a change set of another deploy waiting to be executed ({_names(pending)}); nothing changed: wait for that run, or delete the change set if its run is gone")
    kind = "UPDATE" if status else "CREATE"
    name = name or run_name("deploy" if executes else "plan")
    created = aws.call(
        "create the change set",
        aws.cfn.create_change_set,
        StackName=stack_name,
        ChangeSetName=name,
        ChangeSetType=kind,
        Description="shared-nlb",
        **({"DeploymentMode": "REVERT_DRIFT"} if revert_drift else {}),
        **({"Tags": [{"Key": k, "Value": v} for k, v in sorted(tags.items())]} if tags is not None else {}),
        **template_argument(aws, template_text),
        **capabilities_argument(template_text),
    )
    change_set_id = created["Id"]
    described = _wait_for_change_set(aws, change_set_id, stack_name)
    if described["Status"] == "FAILED":
        reason = described.get("StatusReason") or "no reason given"
        delete_change_set(aws, Plan(stack_name, change_set_id, kind, ()))
        if any(text in reason for text in NO_CHANGES):
            return Plan(stack_name, "", kind, ())  # no ID: its change set is already deleted
        owners = "".join(f"{label}: " for label in aws.labels.mentioned(reason))
        raise UserError(f"change set for stack {stack_name} failed: {owners}{one_line(reason)}")
    changes = tuple(_changes(aws, described, change_set_id, stack_name))
    if not changes and kind == "UPDATE":  # nothing to execute: not left behind for anyone to find
        delete_change_set(aws, Plan(stack_name, change_set_id, kind, ()))
        return Plan(stack_name, "", kind, ())
    return Plan(stack_name, change_set_id, kind, changes)


def _wait_for_change_set(aws: Connection, change_set_id: str, stack_name: str) -> dict[str, Any]:
    while True:
        described = aws.call("describe the change set", aws.cfn.describe_change_set, ChangeSetName=change_set_id, StackName=stack_name)
        if described["Status"] in ("CREATE_COMPLETE", "FAILED", "DELETE_COMPLETE", "DELETE_FAILED"):
            return described
        time.sleep(aws.poll_seconds)


def _changes(aws: Connection, first_page: dict[str, Any], change_set_id: str, stack_name: str) -> Iterator[Change]:
    """The changes of a described change set: `first_page` (the description the wait ended with),
    then any further pages."""
    page = first_page
    while True:
        for item in page.get("Changes") or []:
            change = item.get("ResourceChange") or {}
            action = change.get("Action", "")
            yield Change(
                action=action,
                logical_id=change.get("LogicalResourceId", ""),
                resource_type=change.get("ResourceType", ""),
                replacement=change.get("Replacement", "False") if action == "Modify" else "",
                physical_id=change.get("PhysicalResourceId"),
                changed=changed_parts(change.get("Details") or []),
                drift=change.get("ResourceDriftStatus", ""),
            )
        token = page.get("NextToken")
        if not token:
            return
        page = aws.call("describe the change set", aws.cfn.describe_change_set, ChangeSetName=change_set_id, StackName=stack_name, NextToken=token)


def changed_parts(details: list[dict[str, Any]]) -> tuple[str, ...]:
    """What a change's Details say changes (CloudFormation API Reference, "ResourceChangeDetail"):
    a property by its name (Attribute Properties), another attribute by its own (Tags, Metadata...),
    and "Name (via X)" where the value follows resource X, which is replaced (ChangeSource
    ResourceReference, CausingEntity X)."""
    parts = set()
    for detail in details:
        target = detail.get("Target") or {}
        part = target.get("Name") if target.get("Attribute") == "Properties" and target.get("Name") else target.get("Attribute")
        if not part:
            continue
        cause = detail.get("CausingEntity")
        parts.add(f"{part} (via {cause})" if detail.get("ChangeSource") == "ResourceReference" and cause else part)
    return tuple(sorted(parts))


def delete_change_set(aws: Connection, plan: Plan) -> None:
    """Delete a plan's change set; a CREATE plan's empty stack (REVIEW_IN_PROGRESS) goes too."""
    if not plan.change_set_id:  # an empty plan's change set was deleted when it was described
        return
    _delete_quietly(aws, plan.stack_name, plan.change_set_id)
    if plan.kind == "CREATE":
        stack = aws.stack(plan.stack_name)
        if stack and stack["StackStatus"] == "REVIEW_IN_PROGRESS":
            _delete_empty_stack(aws, plan.stack_name)


def _delete_empty_stack(aws: Connection, stack_name: str) -> None:
    """Delete the empty stack (REVIEW_IN_PROGRESS) a CREATE change set leaves, and wait until it is
    gone: deletion is asynchronous, and until DELETE_COMPLETE the name is taken (a CREATE change
    set under it fails with "already exists")."""
    aws.call("delete the empty stack", aws.cfn.delete_stack, StackName=stack_name)
    events.wait(aws, stack_name, ok=("DELETE_COMPLETE",), seen=set())


def _delete_quietly(aws: Connection, stack_name: str, change_set_id: str) -> None:
    """Delete this run's change set, by ID (never by name: another run's may have the same)."""
    aws.call("delete the change set", aws.cfn.delete_change_set, ChangeSetName=change_set_id, StackName=stack_name)


def _other_runs(aws: Connection, stack_name: str) -> list[dict[str, Any]]:
    """The stack's change sets that shared-nlb made in other runs (this run has made none yet)."""
    try:
        pages = list(aws.cfn.get_paginator("list_change_sets").paginate(StackName=stack_name))
    except Exception:  # no stack, no change sets
        return []
    return [s for page in pages for s in page.get("Summaries", []) if s.get("ChangeSetName", "").startswith(PREFIX) and s.get("StackName") == stack_name]


def _names(summaries: list[dict[str, Any]]) -> str:
    return ", ".join(sorted(f"{s['ChangeSetName']}, created {s.get('CreationTime', '?')}" for s in summaries))
