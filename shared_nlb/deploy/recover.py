"""Deploy's steps around its change set that keep every failed deploy recoverable (DESIGN.md, "Safe
changes": no failed deploy is a dead end); `plan` says the same without changing anything.

- Before the change set, a stack that a failed deploy left in a status that stops every change set is
  got out of it (`shared_nlb.changeset.recovery`), after one line saying what happened and what
  deploy does, and after the same confirmation as the change set.
- A new stack's load balancer is created without deletion protection. With protection on, a failed
  create cannot roll back: CloudFormation's rollback deletes what it made, and ELB refuses to delete a
  protected load balancer, so the stack is left in ROLLBACK_FAILED. Without it, a failed create ends
  in ROLLBACK_COMPLETE, holding nothing, which the next deploy replaces. Once the stack is
  CREATE_COMPLETE, a second change set in the same run gives the load balancer the config's setting
  (an in-place Modify): between the two the load balancer serves no one yet, because nothing reads a
  stack's outputs before it exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from shared_nlb.changeset import Change, CloudFormation, Plan
from shared_nlb.changeset.deletion import LOAD_BALANCER_TYPE
from shared_nlb.changeset.recovery import CONTINUE_ROLLBACK, Stuck, assess, get_out
from shared_nlb.config import Config
from shared_nlb.deploy import change_sets
from shared_nlb.deploy.change_sets import approve
from shared_nlb.deploy.execute import execute, failures_printer

PROTECTED_LATER = (
    "new stack: its load balancer is created without deletion protection, so a failed create rolls back and leaves nothing; "
    "once the stack exists, a second change set turns deletion protection on (load_balancer.deletion_protection)"
)


LEFT_UNPROTECTED = (
    "stack {stack}: its load balancer is deployed without deletion protection, which the config turns on: "
    "an earlier deploy created the stack and stopped before its second change set; this change set finishes it"
)


def left_unprotected(aws: CloudFormation, config: Config) -> bool:
    """Whether an earlier deploy created the stack and stopped (an interrupt, a failure) before
    the second change set that protects its load balancer: the deployed template has deletion
    protection off where the config has it on."""
    if not config.load_balancer.deletion_protection:
        return False
    template = aws.template(config.stack_name) or {}
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") == LOAD_BALANCER_TYPE:
            attributes = resource.get("Properties", {}).get("LoadBalancerAttributes") or []
            return any(a.get("Key") == "deletion_protection.enabled" and str(a.get("Value")).lower() == "false" for a in attributes)
    return False


def create_time(config: Config) -> Config:
    """The config a new stack is created from: the same, with the load balancer unprotected."""
    return config.model_copy(update={"load_balancer": config.load_balancer.model_copy(update={"deletion_protection": False})})


def _creates(aws: CloudFormation, config: Config) -> bool:
    """Whether the next change set creates the stack (an empty one left by a change set counts as none)."""
    stack = aws.stack(config.stack_name)
    return stack is None or stack["StackStatus"] == "REVIEW_IN_PROGRESS"


def prepare(console: Any, aws: CloudFormation, config: Config, *, assume_yes: bool, skip: Sequence[str] = ()) -> Config:
    """Before deploy's change set: get the stack out of a failed status, and say how a new stack is
    created. Returns the config to synthesize the change set from."""
    stuck = assess(aws, config.stack_name)
    if stuck is not None:
        console.print(stuck.explanation)
        approve(console, stuck.question, assume_yes=assume_yes)
        get_out(aws, stuck, skip=skip, on_event=failures_printer(console, aws))
        console.print(f"stack {config.stack_name}: " + ("rollback complete; updating it" if stuck.action == CONTINUE_ROLLBACK else "deleted; creating it anew"))
    elif skip:
        console.print(f"--rollback-skip ignored: stack {config.stack_name} is not in UPDATE_ROLLBACK_FAILED")
    if config.load_balancer.deletion_protection and _creates(aws, config):
        console.print(PROTECTED_LATER)
        return create_time(config)
    if stuck is None and left_unprotected(aws, config):
        console.print(LEFT_UNPROTECTED.format(stack=config.stack_name))
    return config


def protect(console: Any, aws: CloudFormation, config: Config, plan: Plan, *, template_text: str | None = None) -> None:
    """After deploy created the stack unprotected: the config's deletion protection, in a second
    change set (a Modify of the load balancer alone). `template_text`: the config's template, when
    the caller has it already."""
    if plan.kind != "CREATE" or plan.empty or not config.load_balancer.deletion_protection:
        return
    console.print(f"stack {config.stack_name} created; turning on its load balancer's deletion protection (second change set)")
    second = aws.create_change_set(config.stack_name, template_text or change_sets.synthesize(config, console), tags=config.stack.tags)
    change_sets.show_plan(console, config, second, rows=False)
    if not second.empty:
        execute(console, aws, second)


@dataclass(frozen=True)
class Review:
    """What `plan` shows: the config deploy would synthesize, and whether the stack can take a change
    set now (`stuck`: not before deploy has got it out of its status)."""

    config: Config
    stuck: Stuck | None

    @property
    def unknown(self) -> bool:
        """No plan can be made: the stack's template is only known once its rollback is continued."""
        return self.stuck is not None and self.stuck.action == CONTINUE_ROLLBACK

    def plan(self, aws: CloudFormation, template_text: str, *, tags: dict[str, str]) -> Plan:
        """The change set deploy would make (one that is never executed, so another deploy's pending
        change set does not stop it); for a stack deploy first deletes, the CREATE it would make, read
        from the template (every resource an Add), since the stack cannot take one yet."""
        if self.stuck is None:
            return aws.create_change_set(self.config.stack_name, template_text, tags=tags, executes=False)
        import json

        resources = json.loads(template_text).get("Resources", {})
        return Plan(self.config.stack_name, "", "CREATE", tuple(Change("Add", k, r.get("Type", "")) for k, r in sorted(resources.items())))


def review(console: Any, aws: CloudFormation, config: Config) -> Review:
    """`plan`'s view of what deploy does before its change set, each step said in one line."""
    stuck = assess(aws, config.stack_name)
    if stuck is not None:
        console.print(f"{stuck.explanation} (plan changes nothing)")
        if stuck.action == CONTINUE_ROLLBACK:
            console.print(f"stack {config.stack_name}: its change set can be planned once the rollback is continued")
            return Review(config, stuck)
    if config.load_balancer.deletion_protection and (stuck is not None or _creates(aws, config)):
        console.print(PROTECTED_LATER)
        return Review(create_time(config), stuck)
    if stuck is None and left_unprotected(aws, config):
        console.print(LEFT_UNPROTECTED.format(stack=config.stack_name))
    return Review(config, stuck)
