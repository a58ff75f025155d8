"""`shared-nlb plan CONFIG [--endpoint-url URL] [--region R] [--fail-on-replace]`.

The deploy's change set of every stack of the config (one per NLB), shown and then deleted, never executed. It names every target group that
will be replaced and the TargetGroupBinding that must be re-created for it (`targetGroupARN` is
immutable in the controller). Exit 1 with --fail-on-replace when a replacement costs connectivity
(`shared_nlb.changeset.gate`: not for security group rules CloudFormation swaps in place). Each
deployed stack's drift is said per service (`shared_nlb.deploy.drift`): what was changed or deleted
outside CloudFormation, which deploy repairs; exit 1 with --fail-on-drift when there is any. It says
first what deploy would do before its change set (`shared_nlb.deploy.recover.review`); for a stack in
UPDATE_ROLLBACK_FAILED no change set can be planned, and --fail-on-replace exits 1.
"""

from __future__ import annotations

import argparse
from typing import Any

from shared_nlb import mapped_ids
from shared_nlb.deploy import change_sets, drift, handover, place, read_deployed, recover, stage
from shared_nlb.changeset import CloudFormation
from shared_nlb.changeset.gate import ReplaceGate
from shared_nlb.commands.deploy import connect, console_for_output
from shared_nlb.config import Config, load_config_with_notes


def run(args: argparse.Namespace) -> int:
    console = console_for_output()
    config, notes = load_config_with_notes(args.config)
    for note in notes:
        console.print(str(note), markup=False)
    aws = connect(args, config)
    config = mapped_ids.for_endpoint(config, endpoint_url=aws.endpoint_url, region=aws.region)  # the stand-in's IDs, on the stand-in only
    config, deployed = read_deployed.reconcile(console, aws, config)  # as deploy does: deployed services stay where they are
    config, steps = stage.steps(config, deployed, read_deployed.healthy_targets(aws, config))  # and a ready replacement is switched
    fails, drifts = False, []
    for unit in config.units():  # one change set per stack, each deleted once shown
        drifts += [found] if (found := drift.detect(console, aws, unit.stack_name)) else []  # as deploy: before its change set
        fails |= plan_stack(console, aws, unit.config, fail_on_replace=args.fail_on_replace)
    stage.show_steps(console, steps)
    place.show_placement(console, config, args.config)
    place.show_emptied(console, config, args.config)
    drift_fails = args.fail_on_drift and drift.fail_on_drift(console, drifts)
    return 1 if (fails and args.fail_on_replace) or drift_fails else 0


def plan_stack(console: Any, aws: CloudFormation, config: Config, *, fail_on_replace: bool) -> bool:
    """Show one stack's change set; whether --fail-on-replace fails on it."""
    review = recover.review(console, aws, config)  # a stuck stack takes no change set until deploy gets it out
    if review.unknown:  # no change set until deploy has continued the rollback
        if fail_on_replace:
            console.print("--fail-on-replace: fails: what deploy replaces is known only once the rollback is continued")
        return True
    handed = handover.handovers(review.config, aws.template(config.stack_name)) if review.stuck is None else []
    plan = review.plan(aws, change_sets.synthesize(review.config, console), tags=config.stack.tags)
    try:
        change_sets.show_plan(console, config, plan)
        if handed:  # deploy splits this stack's change in two (`shared_nlb.deploy.handover`)
            console.print(handover.describe(config.stack_name, handed))
    finally:
        aws.delete_change_set(plan)
    if not fail_on_replace:
        return False
    gate = ReplaceGate.of(plan)
    if message := gate.message(aws.labels):
        console.print(message)
    return gate.fails
