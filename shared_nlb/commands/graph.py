"""`shared-nlb graph CONFIG [--format mermaid|svg] [--out FILE]`: the topology; never imports aws-cdk."""

from __future__ import annotations

import argparse
import sys

from shared_nlb import atomic, graph
from shared_nlb.commands import config_inputs
from shared_nlb.config import load_config


def run(args: argparse.Namespace) -> int:
    if args.out:
        atomic.refuse_inputs("--out", args.out, config_inputs(args.config))
    config = load_config(args.config)
    text = graph.svg(config) if args.format == "svg" else graph.mermaid(config)
    if args.out:
        atomic.write_file(args.out, text)
        print(f"wrote {args.out}", file=sys.stderr)  # stderr: stdout stays free for the picture itself
    else:
        sys.stdout.write(text)
    return 0
