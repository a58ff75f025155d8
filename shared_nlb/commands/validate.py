"""`shared-nlb validate CONFIG [CONFIG ...]`: the config model only; never imports aws-cdk.

Every file is checked and every problem of every file reported, one line each (pre-commit passes all
the matching files at once); exit 2 when any file has a problem. A valid file's notes
(`shared_nlb.config.notes`) follow its `valid` line, one each.
"""

from __future__ import annotations

import argparse
import sys

from shared_nlb import mapped_ids
from shared_nlb.config import ConfigError, load_config_with_notes


def run(args: argparse.Namespace) -> int:
    failed = False
    for path in args.config:
        try:
            config, notes = load_config_with_notes(path)
            config = mapped_ids.for_endpoint(config)  # on the stand-in: every ID of the file mapped, or why not
        except ConfigError as error:
            print(error, file=sys.stderr)
            failed = True
            continue
        units = config.units()
        if len(units) == 1 and not config.load_balancers:
            print(f"{path}: valid: stack {config.stack_name}, NLB {config.load_balancer_name}, {len(config.services)} service(s)")
        else:
            nlbs = "; ".join(f"{u.shard}: stack {u.stack_name}, {len(u.config.services)} service(s)" for u in units)
            print(f"{path}: valid: {len(units)} NLB(s): {nlbs}")
        for note in notes:  # not problems: the file stays valid
            print(note)
    return 2 if failed else 0
