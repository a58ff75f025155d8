"""`shared-nlb plan CONFIG [--endpoint-url URL] [--region R] [--fail-on-replace]`.

The deploy's change set, shown and then deleted, never executed. It names every target group that
will be replaced and the TargetGroupBinding that must be re-created for it (`targetGroupARN` is
immutable in the controller). Exit 1 with --fail-on-replace when anything would be replaced.
"""

from __future__ import annotations

import argparse

from shared_nlb.commands.deploy import adapt_to_deployed, connect, console_for_output, show_plan, show_steps, synthesize
from shared_nlb.config import load_config


def run(args: argparse.Namespace) -> int:
    console = console_for_output()
    config = load_config(args.config)
    aws = connect(args, config)
    template, steps = adapt_to_deployed(aws, config, synthesize(config, console))
    plan = aws.create_change_set(config.stack_name, template, name="shared-nlb-plan", tags=config.stack.tags)
    try:
        show_plan(console, config, plan)
        show_steps(console, steps)
    finally:
        aws.delete_change_set(plan)
    replaced = [c.logical_id for c in plan.changes if c.replaced]
    if replaced and args.fail_on_replace:
        console.print(f"--fail-on-replace: {len(replaced)} resource(s) would be replaced: {', '.join(sorted(replaced))}")
        return 1
    return 0
