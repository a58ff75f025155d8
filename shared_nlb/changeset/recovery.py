"""Getting a stack out of a status that stops every change set: what happened, whether the way out is
safe, and taking it. Statuses and what each allows: AWS CloudFormation User Guide, "Stack status codes".

- ROLLBACK_COMPLETE: a failed create, rolled back; the stack holds nothing and can only be deleted.
  Deleting it and creating it anew loses nothing, so its termination protection (which `cdk deploy`
  sets before it executes) is lifted too.
- ROLLBACK_FAILED, CREATE_FAILED, DELETE_FAILED: the stack can only be deleted (DeleteStack). shared-nlb
  deletes it itself only when its events prove it never reached CREATE_COMPLETE: then its outputs
  never existed, no outputs file or binding ever named its load balancer, and nothing was served from
  it. A rollback or deletion such a stack is stuck in is usually its load balancer's deletion
  protection (ELB refuses to delete a protected load balancer: "Edit attributes for your Network Load
  Balancer", Deletion protection), so deploy turns that off first, on that never-used load balancer.
  A stack that was once in service is not deleted by deploy: the way out is spelt out instead.
- UPDATE_ROLLBACK_FAILED: ContinueUpdateRollback resumes the rollback; the resources it cannot restore
  can be skipped (ResourcesToSkip: only those whose rollback failed; they are left as they are, and
  the next update sets them to the template: API reference, ContinueUpdateRollback).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from shared_nlb.changeset import deletion, events
from shared_nlb.changeset.client import Connection
from shared_nlb.changeset.labels import STACK_TYPE
from shared_nlb.changeset.states import FAILED_CREATE_PATH
from shared_nlb.errors import UserError

RECREATE, CONTINUE_ROLLBACK = "recreate", "continue-rollback"
# The statuses a stack can only be deleted from ("Stack status codes").
_DELETE_ONLY = ("ROLLBACK_FAILED", "CREATE_FAILED", "DELETE_FAILED")


@dataclass(frozen=True)
class Stuck:
    """A stack in a status that stops every change set, and the way out deploy takes."""

    stack_name: str
    stack_id: str
    status: str
    action: str  # RECREATE | CONTINUE_ROLLBACK
    explanation: str  # one line: what happened and what deploy does about it
    load_balancers: tuple[str, ...] = ()  # ARNs whose deletion protection deploy turns off first

    @property
    def question(self) -> str:
        if self.action == CONTINUE_ROLLBACK:
            return f"continue the rollback of stack {self.stack_name}, then update it?"
        return f"delete stack {self.stack_name} and create it anew?"


def assess(aws: Connection, stack_name: str) -> Stuck | None:
    """The way out of the stack's status, or None when the stack can take a change set (or does not
    exist). A stack that can only be deleted and that was once in service is a UserError spelling out
    the steps: deleting it is the owner's decision, not a deploy's."""
    stack = aws.stack(stack_name)
    status = stack["StackStatus"] if stack else None
    if stack is None or status not in ("ROLLBACK_COMPLETE", "UPDATE_ROLLBACK_FAILED", *_DELETE_ONLY):
        return None
    stack_id = stack["StackId"]
    if status == "ROLLBACK_COMPLETE":
        why = "its creation failed and was rolled back, so it holds nothing"
        return Stuck(stack_name, stack_id, status, RECREATE, f"stack {stack_name} is in {status}: {why}; deploy deletes it and creates it anew")
    if status == "UPDATE_ROLLBACK_FAILED":
        why = "an update failed and so did its rollback"
        return Stuck(stack_name, stack_id, status, CONTINUE_ROLLBACK, f"stack {stack_name} is in {status}: {why}; deploy continues the rollback (ContinueUpdateRollback), then updates the stack")
    protected = tuple(deletion.protected_load_balancers(aws, stack_name))
    history = stack_history(aws, stack_id)
    if history is None or not history <= FAILED_CREATE_PATH:
        raise UserError(_dead_end(aws, stack_name, status, history, protected))
    unprotect = f"turns off the deletion protection of its never-used load balancer ({', '.join(protected)}), " if protected else ""
    return Stuck(
        stack_name,
        stack_id,
        status,
        RECREATE,
        f"stack {stack_name} is in {status} and its events show it never reached CREATE_COMPLETE, so nothing was ever served from it: deploy {unprotect}deletes it and creates it anew",
        protected,
    )


def stack_history(aws: Connection, stack_id: str) -> set[str] | None:
    """Every status the stack itself has had, from all of its events (DescribeStackEvents returns
    them all, newest first, a page at a time); None when the oldest is not the stack's start (a
    history that cannot prove anything)."""
    own: list[dict[str, Any]] = []
    token = None
    while True:
        page = aws.call("read the stack's events", aws.cfn.describe_stack_events, StackName=stack_id, **({"NextToken": token} if token else {}))
        own += [e for e in page.get("StackEvents", []) if e.get("ResourceType") == STACK_TYPE and e.get("PhysicalResourceId", stack_id) == stack_id]
        token = page.get("NextToken")
        if not token:
            break
    first = own[-1] if own else {}
    if first.get("ResourceStatus") not in ("REVIEW_IN_PROGRESS", "CREATE_IN_PROGRESS"):
        return None
    return {e["ResourceStatus"] for e in own}


def _dead_end(aws: Connection, stack_name: str, status: str, history: set[str] | None, protected: tuple[str, ...]) -> str:
    """One line for a stack deploy will not delete: why, and the exact steps."""
    if history is None:
        why = "its events do not go back to its creation, so shared-nlb cannot tell whether it was ever in service"
    else:
        beyond = history - FAILED_CREATE_PATH
        why = f"it was in service (its events show {', '.join(sorted(s for s in beyond if s.endswith('_COMPLETE')) or sorted(beyond))})"
    steps = [f"aws elbv2 modify-load-balancer-attributes --load-balancer-arn {arn} --attributes Key=deletion_protection.enabled,Value=false" for arn in protected]
    steps.append(f"aws cloudformation delete-stack --stack-name {stack_name}")
    return (
        f"stack {stack_name} is in {status} and {why}; a stack in {status} can only be deleted, and deploy does not delete a load balancer clients may use: "
        f"if it is to go, run `{'`, then `'.join(steps)}`, then `shared-nlb deploy` creates it anew with a new load balancer (a new DNS name)"
    )


def get_out(aws: Connection, stuck: Stuck, *, skip: Sequence[str] = (), on_event: events.OnEvent | None = None) -> None:
    """Take the way out: delete the stack (after turning off its never-used load balancer's deletion
    protection), or continue its rollback, skipping `skip`; wait until it is done."""
    if stuck.action == RECREATE:
        # `cdk deploy` sets termination protection before it executes, so a failed create of its own
        # can carry it; such a stack never served anyone either.
        deletion.set_termination_protection(aws, stuck.stack_name, False)
        deletion.unprotect_load_balancers(aws, stuck.load_balancers)
        deletion.delete_stack(aws, stuck.stack_name, on_event=on_event)
        return
    seen = events.event_ids(aws, stuck.stack_id)
    aws.call("continue the rollback", aws.cfn.continue_update_rollback, StackName=stuck.stack_id, **({"ResourcesToSkip": list(skip)} if skip else {}))
    try:
        events.wait(aws, stuck.stack_id, ok=("UPDATE_ROLLBACK_COMPLETE",), seen=seen, on_event=on_event)
    except events.StackFailed as failed:
        raise UserError(_rollback_failed(aws, stuck, failed)) from None


def _rollback_failed(aws: Connection, stuck: Stuck, failed: events.StackFailed) -> str:
    """One line: what could not be restored, and the two ways on."""
    resources = [e for e in failed.failed if e.get("ResourceType") != STACK_TYPE]
    detail = "; ".join(aws.labels.failure(e) for e in resources) or "no resource named"
    skips = " ".join(f"--rollback-skip {e['LogicalResourceId']}" for e in resources) or "--rollback-skip LOGICAL_ID"
    return (
        f"stack {stuck.stack_name} is still in UPDATE_ROLLBACK_FAILED: continuing its rollback failed: {detail}; "
        f"fix what stops it and deploy again, or, if it cannot be restored, deploy again with {skips} "
        "(CloudFormation leaves it as it is, and the update that follows sets it to the config)"
    )
