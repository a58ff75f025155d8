"""The change sets of a deploy: synthesize each stack's template (from the config and its state, the
same bytes `cdk synth` writes), show each change set as a table with the bindings a replacement
affects, and ask once for all of them (`--yes`, or a yes at a terminal)."""

from __future__ import annotations

import sys
from typing import Any

from shared_nlb import naming
from shared_nlb.changeset import Change, CloudFormation, Plan
from shared_nlb.config import Config
from shared_nlb.errors import UserError

_ORDER = {"Add": 0, "Modify": 1, "Remove": 2}


def synthesize(config: Config, console: Any) -> str:
    """One NLB's template (a `Unit`'s config)."""
    from shared_nlb.synth import template_text

    with console.status(f"synthesizing stack {config.stack_name}"):
        return template_text(config)


def synthesize_all(configs: list[Config], console: Any) -> dict[str, str]:
    """stack name -> template of one-NLB configs, synthesized together."""
    from shared_nlb.synth import templates_of

    names = ", ".join(c.stack_name for c in configs)
    with console.status(f"synthesizing stack{'s' if len(configs) > 1 else ''} {names}"):
        return templates_of(configs)


def replaced_target_groups(config: Config, plan: Plan) -> list[tuple[Any, Change]]:
    """(service, change) for every target group the plan replaces, in config order."""
    by_id = {naming.target_group_id(s.name): s for s in config.services}
    for service in config.services:  # a group that became live after a staged replacement has an ID of its own
        by_id.update({group.logical_id: service for group in config.target_groups(service) if group is not None})
    changes = {c.logical_id: c for c in plan.changes if c.replaced}
    return [(service, changes[tg_id]) for tg_id, service in by_id.items() if tg_id in changes]


def show_plan(console: Any, config: Config, plan: Plan, *, rows: bool = True) -> None:
    """The change set as a table (one row per resource; only counts when `rows` is false), then the
    bindings a replacement affects."""
    if plan.empty:
        console.print(f"stack {plan.stack_name}: no changes")
        return
    if rows:
        _table(console, plan)
    counts = {a: sum(1 for c in plan.changes if c.action == a) for a in _ORDER}
    repairs = sum(c.repairs for c in plan.changes)
    repaired = f", {repairs} drifted (set back to the template, a deleted one re-created)" if repairs else ""
    console.print(f"change set for stack {plan.stack_name} ({plan.kind}): " + ", ".join(f"{n} to {a.lower()}" for a, n in counts.items()) + f", {sum(c.replaced for c in plan.changes)} replaced{repaired}")
    for service, change in replaced_target_groups(config, plan):
        old = naming.binding_name(service.name, change.physical_id) if change.physical_id else None
        was = f" (now {old})" if old else ""
        console.print(
            f"[bold]target group {change.logical_id} will be replaced[/]: TargetGroupBinding of "
            f"{service.namespace}/{service.k8s_service}{was} must be re-created: regenerate the manifests from the new outputs; "
            "the new binding has a new name and GitOps pruning removes the old one"
        )


def _table(console: Any, plan: Plan) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"change set for stack {plan.stack_name} ({plan.kind})", title_justify="left")
    table.add_column("action")
    table.add_column("logical ID", overflow="fold")  # whole IDs, wrapped if need be: they are what users grep for
    table.add_column("type", overflow="fold")
    table.add_column("replacement")
    table.add_column("what changes", overflow="fold")  # why a Modify is there, as the change set says
    style = {"Add": "green", "Modify": "yellow", "Remove": "red"}
    for change in sorted(plan.changes, key=lambda c: (_ORDER.get(c.action, 3), c.logical_id)):
        replacement = change.replacement if change.action == "Modify" else ""
        table.add_row(
            f"[{style.get(change.action, '')}]{change.action}[/]",
            change.logical_id,
            change.resource_type.removeprefix("AWS::").replace("ElasticLoadBalancingV2", "ELBv2"),
            f"[bold red]{replacement}[/]" if change.replaced else replacement,
            escape(", ".join(change.changed)),
        )
    console.print(table)


def approve(console: Any, question: str, *, assume_yes: bool, cancelled: str = "nothing changed") -> None:
    """deploy's confirmation: --yes, or a yes at a terminal; anything else changes nothing (`cancelled`
    says what was undone)."""
    if assume_yes:
        return
    if not sys.stdin.isatty():
        raise UserError("not executed: confirmation needs a terminal; pass --yes to execute without asking")
    from rich.prompt import Confirm

    if not Confirm.ask(question, default=False, console=console):
        raise UserError(f"not executed: cancelled; {cancelled}")


def confirm(console: Any, plan: Plan, *, assume_yes: bool, aws: CloudFormation) -> None:
    """`approve` for a change set, which is deleted when it is not approved."""
    confirm_all(console, [plan], assume_yes=assume_yes, aws=aws)


def confirm_all(console: Any, plans: list[Plan], *, assume_yes: bool, aws: CloudFormation) -> None:
    """One `approve` for the change sets of every stack; all are deleted when not approved."""
    changes = sum(len(plan.changes) for plan in plans)
    where = f"stack {plans[0].stack_name}" if len(plans) == 1 else f"{len(plans)} stacks ({', '.join(p.stack_name for p in plans)})"
    sets = "the change set was" if len(plans) == 1 else "the change sets were"
    try:
        approve(console, f"execute {changes} change(s) on {where}?", assume_yes=assume_yes, cancelled=f"{sets} deleted, nothing changed")
    except BaseException as error:  # a no, or an interrupt at the prompt: no change set is left to execute later
        delete_all(aws, plans)
        if not isinstance(error, UserError):
            console.print(f"interrupted at the confirmation: {sets} deleted, nothing changed")
        raise


def delete_all(aws: CloudFormation, plans: list[Plan]) -> None:
    """Delete this run's change sets (and the empty stacks of CREATE ones), each whatever the others do."""
    for plan in plans:
        try:
            aws.delete_change_set(plan)
        except Exception:  # noqa: BLE001  (one that cannot be deleted is named by the caller's state lines)
            continue

