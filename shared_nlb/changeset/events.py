"""Executing a change set and waiting for a stack to settle, reporting its new events as they come;
the same wait serves deletions."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from shared_nlb.changeset.client import Connection
from shared_nlb.changeset.errors import one_line
from shared_nlb.changeset.labels import STACK_TYPE
from shared_nlb.changeset.plan import Plan
from shared_nlb.changeset.states import CANCELLED, NEXT_STEP
from shared_nlb.errors import UserError

OnEvent = Callable[[dict[str, Any]], None]


def execute(aws: Connection, plan: Plan, *, on_event: OnEvent | None = None) -> str:
    """Execute a plan's change set and wait for the stack; return its final status."""
    started = event_ids(aws, plan.stack_name)
    aws.call("execute the change set", aws.cfn.execute_change_set, ChangeSetName=plan.change_set_id, StackName=plan.stack_name)
    return wait(aws, plan.stack_name, ok=("CREATE_COMPLETE", "UPDATE_COMPLETE"), seen=started, on_event=on_event)


def event_ids(aws: Connection, stack_name: str) -> set[str]:
    """The stack's events so far, to leave out of what a wait reports."""
    return {e["EventId"] for e in _events(aws, stack_name)}


def _events(aws: Connection, stack_name: str) -> list[dict[str, Any]]:
    try:
        return aws.cfn.describe_stack_events(StackName=stack_name)["StackEvents"]
    except Exception:  # a stack that does not exist yet (or no longer) has no events
        return []


def wait(aws: Connection, stack_name: str, *, ok: tuple[str, ...], seen: set[str], on_event: OnEvent | None = None) -> str:
    """Poll until the stack leaves *_IN_PROGRESS; report new events oldest first; `StackFailed` naming
    every resource that failed meanwhile (by service) unless the final status is in `ok`."""
    failed: list[dict[str, Any]] = []
    while True:
        stack = aws.stack(stack_name, fresh=True)
        status = stack["StackStatus"] if stack else "DELETE_COMPLETE"
        fresh = [e for e in reversed(_events(aws, stack_name)) if e["EventId"] not in seen]
        for event in fresh:
            seen.add(event["EventId"])
            if event.get("ResourceStatus", "").endswith("FAILED"):
                failed.append(event)
            if on_event:
                on_event(event)
        if not status.endswith("_IN_PROGRESS"):
            break
        time.sleep(aws.poll_seconds)
    if status not in ok:
        raise StackFailed(aws, stack_name, status, failed)
    return status


def _causes(failed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first failure of each resource, for a reason of its own (a sibling's cancellation is not
    one); the stack's own failure events only when no resource says more."""
    first: dict[str, dict[str, Any]] = {}
    for event in failed:
        reason = event.get("ResourceStatusReason") or ""
        if event.get("ResourceType") != STACK_TYPE and not reason.startswith(CANCELLED):
            first.setdefault(event.get("LogicalResourceId", ""), event)
    return list(first.values()) or [e for e in failed if e.get("ResourceStatusReason")][:1]


class StackFailed(UserError):
    """A stack operation that ended in a status the caller did not want: its one line names the
    resources that failed (their service, their logical ID, CloudFormation's reason) and the next step."""

    def __init__(self, aws: Connection, stack_name: str, status: str, failed: list[dict[str, Any]]):
        self.stack_name, self.status = stack_name, status
        self.failed = _causes(failed)
        detail = "; ".join(aws.labels.failure(e) if e.get("ResourceType") != STACK_TYPE else one_line(e["ResourceStatusReason"]) for e in self.failed)
        self.detail = detail  # what failed, for a caller whose next step is not a deploy's
        step = NEXT_STEP.get(status)
        super().__init__(f"stack {stack_name} ended in {status}" + (f": {detail}" if detail else "") + (f"; {step}" if step else ""))
