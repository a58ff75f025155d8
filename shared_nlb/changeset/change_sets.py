"""Change sets: created (CREATE for a new stack, else UPDATE) once the stack can take one, waited for,
read back as a `Plan`, and deleted again when not executed."""

from __future__ import annotations

import time
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


def create_change_set(aws: Connection, stack_name: str, template_text: str, *, name: str = "shared-nlb", tags: Mapping[str, str] | None = None) -> Plan:
    """Create a change set (CREATE for a new stack, else UPDATE), wait for it, and describe it.
    A change set with no changes gives an empty Plan (its change set already deleted). `tags` are
    the stack's own tags (CloudFormation also propagates them to the resources), as `cdk deploy`
    passes them; None leaves them out (an empty mapping removes the stack's tags)."""
    stack = aws.stack(stack_name)
    status = stack["StackStatus"] if stack else None
    if status in WAY_OUT:  # CloudFormation would refuse the change set ("Stack status codes")
        raise UserError(f"stack {stack_name} is in {status}: {WAY_OUT[status]}")
    if status and status.endswith("_IN_PROGRESS") and status != "REVIEW_IN_PROGRESS":
        raise UserError(f"stack {stack_name} is busy ({status}); wait until it finishes, then try again")
    if status == "REVIEW_IN_PROGRESS":  # an empty stack left by an earlier change set: start over
        _delete_empty_stack(aws, stack_name)
        status = None
    kind = "UPDATE" if status else "CREATE"
    if kind == "UPDATE":
        _delete_quietly(aws, stack_name, name)
    created = aws.call(
        "create the change set",
        aws.cfn.create_change_set,
        StackName=stack_name,
        ChangeSetName=name,
        ChangeSetType=kind,
        Description="shared-nlb",
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
    return Plan(stack_name, change_set_id, kind, tuple(_changes(aws, described, change_set_id, stack_name)))


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
            )
        token = page.get("NextToken")
        if not token:
            return
        page = aws.call("describe the change set", aws.cfn.describe_change_set, ChangeSetName=change_set_id, StackName=stack_name, NextToken=token)


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


def _delete_quietly(aws: Connection, stack_name: str, change_set: str) -> None:
    """Delete a change set by ID, or every change set of the stack with that name (a leftover of
    an interrupted run); listing first, because deleting a missing one is an error."""
    if change_set.startswith("arn:"):
        aws.call("delete the change set", aws.cfn.delete_change_set, ChangeSetName=change_set, StackName=stack_name)
        return
    try:
        summaries = aws.cfn.list_change_sets(StackName=stack_name).get("Summaries", [])
    except Exception:  # no stack, no change sets
        return
    for summary in summaries:
        if summary.get("ChangeSetName") == change_set and summary.get("StackName") == stack_name:
            aws.call("delete the change set", aws.cfn.delete_change_set, ChangeSetName=summary["ChangeSetId"], StackName=stack_name)
