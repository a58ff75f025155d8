"""`shared-nlb deploy CONFIG [--endpoint-url URL] [--region R] --outputs-file FILE [--yes]`.

The steps of a deploy, in their order, from `shared_nlb.deploy`: read what is deployed (it wins over
the state file), decide which staged replacements switch, get stuck stacks out of their status,
detect what drifted (a drifted stack's change set is drift-aware and repairs it), synthesize from
the config and its state, create a change set per stack (one per NLB), show them all, ask once,
record the state beside the config, execute in an order Route 53 accepts, say what was repaired,
protect new stacks, and write the outputs of every stack in the `cdk deploy --outputs-file` shape (atomically: a
failed deploy leaves the old file as it was). An empty change set is a success and still writes the
outputs. This module parses the arguments and prints.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from shared_nlb import atomic, mapped_ids
from shared_nlb.changeset import ENDPOINT_DEFAULT_REGION, CloudFormation, Plan, ResourceLabels, outputs_file_text
from shared_nlb.commands import config_inputs
from shared_nlb.config import Config, load_config_with_notes
from shared_nlb.deploy import change_sets, drift, execute, handover, place, read_deployed, record, recover, stage
from shared_nlb.errors import UserError

# Wide enough for a table row of the longest logical ID (255 characters) and resource type.
_UNWRAPPED_WIDTH = 1000


# Notes that hold for every stack of a run alike: said once per run, however many stacks they
# concern (seven NLBs printed the same paragraph seven times).
ONCE_PER_RUN = frozenset({recover.PROTECTED_LATER})


def console_for_output() -> Any:
    """A terminal gets rich's layout at its width. Anything else (a CI log, a file, a pipe) gets lines
    that are never wrapped: a logical ID or an ARN folded over two lines no longer matches a search.
    Either says each note of `ONCE_PER_RUN` once."""
    from rich.console import Console

    class OncePerRun(Console):
        """rich's Console, printing a note of `ONCE_PER_RUN` only the first time it is asked to."""

        said: set[str]

        def print(self, *objects: Any, **kwargs: Any) -> None:
            if len(objects) == 1 and isinstance(objects[0], str) and objects[0] in ONCE_PER_RUN:
                said = self.__dict__.setdefault("said", set())
                if objects[0] in said:
                    return
                said.add(objects[0])
            super().print(*objects, **kwargs)

    if sys.stdout.isatty():
        return OncePerRun(highlight=False)
    return OncePerRun(highlight=False, soft_wrap=True, width=_UNWRAPPED_WIDTH)


def run(args: argparse.Namespace) -> int:
    atomic.refuse_inputs("--outputs-file", args.outputs_file, config_inputs(args.config))
    console = console_for_output()
    config, notes = load_config_with_notes(args.config)
    for note in notes:  # as plan and validate say them: a deploy run without a plan still reads them
        console.print(str(note), markup=False)
    aws = connect(args, config)
    config = mapped_ids.for_endpoint(config, endpoint_url=aws.endpoint_url, region=aws.region)  # the stand-in's IDs, on the stand-in only
    config, deployed = read_deployed.reconcile(console, aws, config)  # a lost or stale state file never moves a service
    staged_config = config
    config, steps = stage.steps(config, deployed, read_deployed.healthy_targets(aws, config))  # a ready replacement is switched in the state
    units = config.units()
    # Each stack is got out of a failed status first; a new one is created unprotected (`shared_nlb.deploy.recover`).
    targets = [recover.prepare(console, aws, unit.config, assume_yes=args.yes, skip=args.rollback_skip) for unit in units]  # no failed deploy is a dead end
    # What was changed or deleted outside CloudFormation: a drift-aware change set sets it back (`drift`).
    drifted = {unit.stack_name: found for unit in units if (found := drift.detect(console, aws, unit.stack_name)) and found.drifted}
    # A port handed from a leaving service to a joining one: two change sets (`handover`).
    handed = {target.stack_name: handover.handovers(target, aws.template(target.stack_name)) for target in targets}
    templates = change_sets.synthesize_all([handover.first_phase(t, handed[t.stack_name]) if handed[t.stack_name] else t for t in targets], console)
    plans: list[tuple[Config, Plan]] = []
    try:
        for unit, target in zip(units, targets):
            plan = aws.create_change_set(unit.stack_name, templates[target.stack_name], tags=unit.config.stack.tags, revert_drift=unit.stack_name in drifted)
            plans.append((unit.config, plan))
            change_sets.show_plan(console, unit.config, plan)
            if handed[target.stack_name]:
                console.print(handover.describe(target.stack_name, handed[target.stack_name]))
    except BaseException:  # a later stack's failure leaves no change set of an earlier one behind
        change_sets.delete_all(aws, [plan for _, plan in plans])
        raise
    stage.show_steps(console, steps)
    place.show_placement(console, config, args.config)
    place.show_emptied(console, config, args.config)
    pending = [plan for _, plan in plans if not plan.empty]
    if pending:
        change_sets.confirm_all(console, pending, assume_yes=args.yes, aws=aws)
    try:
        # Before executing: a stack that took new services records them even if a later one fails,
        # and the state is what the change sets were built from (`cdk diff` then shows nothing to do).
        write_state(console, config, args.config)
    except BaseException:  # a state that cannot be written: no change set is left to execute later
        change_sets.delete_all(aws, pending)
        console.print("the state file could not be written: the change sets were deleted, nothing changed")
        raise
    # One at a time, and a failure stops before the next: one stack's blast radius at most.
    pending = execute.execution_order(pending)
    for done, plan in enumerate(pending):
        try:
            execute.execute(console, aws, plan)
        except BaseException as error:
            rest = pending[done + 1 :]
            change_sets.delete_all(aws, rest)
            if not isinstance(error, Exception):  # an interrupt: CloudFormation goes on without this run
                execute.say_where_each_stack_is(console, aws, pending[: done + 1])
            if rest:
                console.print(f"not executed (change sets deleted, nothing changed): stack{'s' if len(rest) > 1 else ''} {', '.join(p.stack_name for p in rest)}")
            if config is not staged_config:  # a switch that did not happen is not recorded as done
                write_state(console, staged_config, args.config)
            raise
    for _, plan in plans:
        if plan.stack_name in drifted:
            drift.say_repaired(console, aws, plan, drifted[plan.stack_name])
    for target in targets:  # the next change sets of a handed port, each from what the last one left
        if handed[target.stack_name]:
            handover.finish(console, aws, target)
    outputs = {}
    for done, (unit_config, plan) in enumerate(plans):
        try:
            recover.protect(console, aws, unit_config, plan)  # a new stack was created unprotected, so that a failed create could roll back
            aws.set_termination_protection(unit_config.stack_name, unit_config.stack.termination_protection)  # only after a success: a failed create stays deletable
        except BaseException:
            for left, _ in plans[done:]:  # what an interrupt here leaves, and that a deploy again finishes it
                console.print(f"stack {left.stack_name}: deployed; its protections (deletion, termination) and the outputs file are not done: `shared-nlb deploy` again finishes them")
            raise
        outputs[unit_config.stack_name] = aws.outputs(unit_config.stack_name)
    try:
        atomic.write_file(args.outputs_file, outputs_file_text(outputs))
    except UserError as error:  # the stacks are deployed: only the file is missing
        raise UserError(f"{error}; every stack is deployed: once it can be written, `shared-nlb deploy` again writes it (nothing else to change)") from None
    counts = ", ".join(f"{len(values)} outputs of stack {name}" for name, values in outputs.items())
    console.print(f"wrote {args.outputs_file} ({counts})")
    return 0


def write_state(console: Any, config: Config, config_path: str) -> None:
    """Record the state beside the config (`shared_nlb.deploy.record`) when it changed."""
    for line in record.record(config, config_path):
        console.print(line)


def connect(args: argparse.Namespace, config: Config) -> CloudFormation:
    region = args.region or config.stack.region or (ENDPOINT_DEFAULT_REGION if args.endpoint_url else None)
    return CloudFormation(endpoint_url=args.endpoint_url, region=region, labels=ResourceLabels(s.name for s in config.services), remember=True)

