"""`shared-nlb validate CONFIG`: the config model only; never imports aws-cdk."""

from __future__ import annotations

import argparse

from shared_nlb.config import load_config


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    print(f"{args.config}: valid: stack {config.stack_name}, NLB {config.load_balancer_name}, {len(config.services)} service(s)")
    return 0
