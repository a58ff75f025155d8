"""`shared-nlb cost CONFIG [--region R] [--json]`: what one shared NLB saves; never imports aws-cdk."""

from __future__ import annotations

import argparse
import dataclasses
import json
from typing import TYPE_CHECKING

from shared_nlb.config import load_config
from shared_nlb.cost import CostEstimate, estimate, usd

if TYPE_CHECKING:
    from rich.console import Console


def render_table(result: CostEstimate, console: Console) -> None:
    from rich.table import Table

    table = Table(title=f"Monthly NLB cost, {result.region} ({result.hours_per_month} hours, fixed hourly part only)")
    table.add_column("")
    table.add_column("NLBs", justify="right")
    table.add_column("per month", justify="right")
    table.add_row("one NLB per Kubernetes Service", str(result.nlb_count_before), usd(result.monthly_before_usd))
    table.add_row("one shared NLB" if result.nlb_count_after == 1 else "shared NLBs (load_balancers)", str(result.nlb_count_after), usd(result.monthly_after_usd))
    table.add_row("saving", "", usd(result.monthly_saving_usd), style="bold")
    console.print(table)
    console.print(f"Price: ${result.nlb_hourly_usd} per NLB-hour, ${result.nlcu_hourly_usd} per NLCU-hour, {result.price_source}.")
    quota = f"{result.nlb_quota_per_region} NLBs per region (account default quota)"
    console.print(f"{result.kubernetes_services} Kubernetes Service(s), {result.services} listener(s) on the shared NLB{'s' if result.nlb_count_after > 1 else ''}.")
    if result.before_exceeds_quota:
        console.print(f"One NLB per Service ({result.nlb_count_before}) would exceed the {quota}.")
    else:
        console.print(f"One NLB per Service uses {result.nlb_count_before} of {quota}.")
    console.print(result.note)


def run(args: argparse.Namespace) -> int:
    result = estimate(load_config(args.config), region=args.region)
    if args.json:
        print(json.dumps(dataclasses.asdict(result), indent=2, sort_keys=True))
    else:
        from rich.console import Console  # only here: rich takes ~30 ms to import, --json needs none of it

        # No colour codes when piped; soft_wrap keeps long lines whole for copy and paste.
        render_table(result, Console(soft_wrap=True, highlight=False))
    return 0
