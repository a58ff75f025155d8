"""`shared-nlb deploy CONFIG [--endpoint-url URL] [--region R] --outputs-file FILE [--yes]`.

Synthesize, create a change set per stack (one per NLB of the config), show them all, ask once,
execute them in the config's order, wait, and write the outputs of every stack in the `cdk deploy
--outputs-file` shape (atomically: a failed deploy leaves the old file as it was). An empty change set
is a success and still writes the outputs. With `load_balancers`, the placement of new services is
written beside the config before anything is executed. A stack a failed deploy left stuck is got out
of its status first, and a new stack is created unprotected, then protected (`shared_nlb.recoverable`).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from shared_nlb import atomic, deployed_placement, naming, recoverable, staging
from shared_nlb.changeset import ENDPOINT_DEFAULT_REGION, Change, CloudFormation, Plan, ResourceLabels, outputs_file_text
from shared_nlb.config import Config, load_config
from shared_nlb.errors import UserError

_ORDER = {"Add": 0, "Modify": 1, "Remove": 2}
# Wide enough for a table row of the longest logical ID (255 characters) and resource type.
_UNWRAPPED_WIDTH = 1000


def console_for_output() -> Any:
    """A terminal gets rich's layout at its width. Anything else (a CI log, a file, a pipe) gets lines
    that are never wrapped: a logical ID or an ARN folded over two lines no longer matches a search."""
    from rich.console import Console

    if sys.stdout.isatty():
        return Console(highlight=False)
    return Console(highlight=False, soft_wrap=True, width=_UNWRAPPED_WIDTH)


def run(args: argparse.Namespace) -> int:
    console = console_for_output()
    config = load_config(args.config)
    aws = connect(args, config)
    config = deployed_placement.adopt(console, aws, config)  # a lost or stale placement file never moves a service
    units = config.units()
    # Each stack is got out of a failed status first; a new one is created unprotected (`recoverable`).
    targets = [recoverable.prepare(console, aws, unit.config, assume_yes=args.yes, skip=args.rollback_skip) for unit in units]  # no failed deploy is a dead end
    templates = synthesize_all(targets, console)
    plans: list[tuple[Config, Plan]] = []
    try:
        for unit, target in zip(units, targets):
            template, steps = adapt_to_deployed(aws, unit.config, templates[target.stack_name])
            plan = aws.create_change_set(unit.stack_name, template, tags=unit.config.stack.tags)
            plans.append((unit.config, plan))
            show_plan(console, unit.config, plan)
            show_steps(console, steps)
    except BaseException:
        for _, plan in plans:  # a later stack's failure leaves no change set of an earlier one behind
            aws.delete_change_set(plan)
        raise
    show_placement(console, config, args.config)
    pending = [plan for _, plan in plans if not plan.empty]
    if pending:
        confirm_all(console, pending, assume_yes=args.yes, aws=aws)
    write_placement(console, config, args.config)  # before executing: a stack that took new services records them even if a later one fails
    # One at a time, and a failure stops before the next: one stack's blast radius at most.
    pending = execution_order(pending)
    for done, plan in enumerate(pending):
        try:
            execute(console, aws, plan)
        except BaseException:
            rest = pending[done + 1 :]
            for later in rest:
                aws.delete_change_set(later)
            if rest:
                console.print(f"not executed (change sets deleted, nothing changed): stack{'s' if len(rest) > 1 else ''} {', '.join(p.stack_name for p in rest)}")
            raise
    outputs = {}
    for unit_config, plan in plans:
        recoverable.protect(console, aws, unit_config, plan)  # a new stack was created unprotected, so that a failed create could roll back
        aws.set_termination_protection(unit_config.stack_name, unit_config.stack.termination_protection)  # only after a success: a failed create stays deletable
        outputs[unit_config.stack_name] = aws.outputs(unit_config.stack_name)
    atomic.write_file(args.outputs_file, outputs_file_text(outputs))
    counts = ", ".join(f"{len(values)} outputs of stack {name}" for name, values in outputs.items())
    console.print(f"wrote {args.outputs_file} ({counts})")
    return 0


def execution_order(plans: list[Plan]) -> list[Plan]:
    """The order to execute the stacks' change sets in: the config's, except that a stack that removes
    DNS records goes first. Stacks share no resources (no cross-stack references), but a service
    moved to another entry by hand takes its record name along, and Route 53 refuses to create a
    record while another stack still holds one of that name ("Tried to create resource record set
    ... but it already exists", ChangeResourceRecordSets)."""
    return sorted(plans, key=lambda plan: not any(c.action == "Remove" and c.resource_type == "AWS::Route53::RecordSet" for c in plan.changes))


def synthesize_all(configs: list[Config], console: Any) -> dict[str, str]:
    """stack name -> template of one-NLB configs, synthesized together."""
    from shared_nlb.synth import templates_of

    names = ", ".join(c.stack_name for c in configs)
    with console.status(f"synthesizing stack{'s' if len(configs) > 1 else ''} {names}"):
        return templates_of(configs)


def show_placement(console: Any, config: Config, config_path: str) -> None:
    """With `load_balancers`: the NLB each new service lands on (a service not in the committed
    placement file), so that a review sees it before anything is deployed."""
    if not config.load_balancers:
        return
    from shared_nlb.config import placement as placing

    placed = config.placement
    committed = config.committed_placement
    path = placing.path_beside(config_path)
    if not committed:  # a first placement: one line per NLB rather than one per service
        for unit in config.units():
            console.print(f"placement: {len(unit.config.services)} service(s) on NLB {unit.shard} (stack {unit.stack_name}); recorded in {path}")
        return
    stacks = {unit.shard: unit.stack_name for unit in config.units()}
    for service in config.services:
        if committed.get(service.name) != placed[service.name]:
            console.print(f"placement: new service {service.name} lands on NLB {placed[service.name]} (stack {stacks[placed[service.name]]}); recorded in {path}")


def write_placement(console: Any, config: Config, config_path: str) -> None:
    """Record the placement beside the config (`shared_nlb.placement_file`) when it changed."""
    from shared_nlb import placement_file

    if written := placement_file.record(config, config_path):
        console.print(f"wrote {written}: {placement_file.COMMIT_HINT}")


def connect(args: argparse.Namespace, config: Config) -> CloudFormation:
    region = args.region or config.stack.region or (ENDPOINT_DEFAULT_REGION if args.endpoint_url else None)
    return CloudFormation(endpoint_url=args.endpoint_url, region=region, labels=ResourceLabels(s.name for s in config.services))


def synthesize(config: Config, console: Any) -> str:
    from shared_nlb.synth import template_text

    with console.status(f"synthesizing stack {config.stack_name}"):
        return template_text(config)


def adapt_to_deployed(aws: CloudFormation, config: Config, template_text: str) -> tuple[str, list[staging.Step]]:
    """The synthesized template adapted to the deployed stack (`shared_nlb.staging`): target groups
    keep their deployed logical IDs, and a replacement is staged; the text is returned unchanged when
    nothing needs adapting."""
    import json

    deployed = aws.template(config.stack_name)
    if deployed is None:
        return template_text, []
    elbv2 = aws.client("elbv2")

    def healthy(logical_id: str) -> int:
        arn = aws.physical_id(config.stack_name, logical_id)
        found = aws.call("read the target group's health", elbv2.describe_target_health, TargetGroupArn=arn)["TargetHealthDescriptions"]
        return sum(1 for target in found if target.get("TargetHealth", {}).get("State") == "healthy")

    template = json.loads(template_text)
    adapted, steps = staging.adapt(template, deployed, [s.name for s in config.services], healthy)
    if adapted == template:
        return template_text, steps
    return json.dumps(adapted, indent=1) + "\n", steps


def show_steps(console: Any, steps: list[staging.Step]) -> None:
    """One line per service whose target group is being replaced in stages: what this run does, and
    what the next one waits for."""
    for step in steps:
        console.print(f"[bold]staged replacement[/]: {step.describe()}")


def replaced_target_groups(config: Config, plan: Plan) -> list[tuple[Any, Change]]:
    """(service, change) for every target group the plan replaces, in config order."""
    by_id = {naming.target_group_id(s.name): s for s in config.services}
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
    console.print(f"change set for stack {plan.stack_name} ({plan.kind}): " + ", ".join(f"{n} to {a.lower()}" for a, n in counts.items()) + f", {sum(c.replaced for c in plan.changes)} replaced")
    for service, change in replaced_target_groups(config, plan):
        old = naming.binding_name(service.name, change.physical_id) if change.physical_id else None
        was = f" (now {old})" if old else ""
        console.print(
            f"[bold]target group {change.logical_id} will be replaced[/]: TargetGroupBinding of "
            f"{service.namespace}/{service.k8s_service}{was} must be re-created: regenerate the manifests from the new outputs; "
            "the new binding has a new name and GitOps pruning removes the old one"
        )


def _table(console: Any, plan: Plan) -> None:
    from rich.table import Table

    table = Table(title=f"change set for stack {plan.stack_name} ({plan.kind})", title_justify="left")
    table.add_column("action")
    table.add_column("logical ID", overflow="fold")  # whole IDs, wrapped if need be: they are what users grep for
    table.add_column("type", overflow="fold")
    table.add_column("replacement")
    style = {"Add": "green", "Modify": "yellow", "Remove": "red"}
    for change in sorted(plan.changes, key=lambda c: (_ORDER.get(c.action, 3), c.logical_id)):
        replacement = change.replacement if change.action == "Modify" else ""
        table.add_row(
            f"[{style.get(change.action, '')}]{change.action}[/]",
            change.logical_id,
            change.resource_type.removeprefix("AWS::").replace("ElasticLoadBalancingV2", "ELBv2"),
            f"[bold red]{replacement}[/]" if change.replaced else replacement,
        )
    console.print(table)


def confirm(console: Any, plan: Plan, *, assume_yes: bool, aws: CloudFormation) -> None:
    """`recoverable.approve` for a change set, which is deleted when it is not approved."""
    confirm_all(console, [plan], assume_yes=assume_yes, aws=aws)


def confirm_all(console: Any, plans: list[Plan], *, assume_yes: bool, aws: CloudFormation) -> None:
    """One `recoverable.approve` for the change sets of every stack; all are deleted when not approved."""
    changes = sum(len(plan.changes) for plan in plans)
    where = f"stack {plans[0].stack_name}" if len(plans) == 1 else f"{len(plans)} stacks ({', '.join(p.stack_name for p in plans)})"
    sets = "the change set was" if len(plans) == 1 else "the change sets were"
    try:
        recoverable.approve(console, f"execute {changes} change(s) on {where}?", assume_yes=assume_yes, cancelled=f"{sets} deleted, nothing changed")
    except UserError:
        for plan in plans:
            aws.delete_change_set(plan)
        raise


def execute(console: Any, aws: CloudFormation, plan: Plan) -> None:
    with console.status(f"executing change set on stack {plan.stack_name}") as status:
        print_failure = recoverable.failures_printer(console, aws)

        def on_event(event: dict[str, Any]) -> None:
            status.update(aws.labels.event(event))
            print_failure(event)

        final = aws.execute(plan, on_event=on_event)
    console.print(f"stack {plan.stack_name}: {final}")
