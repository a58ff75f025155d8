"""`shared-nlb demo [--out DIR]`: the whole path offline, on the bundled example.

Starts the AWS stand-in (moto, patched: `shared_nlb.standin`) on 127.0.0.1 inside this process, creates
a VPC, subnets and client security groups standing for the example's (moto cannot take custom IDs, so
the config's IDs are mapped and the demo says so), deploys the stack through a change set exactly as
`shared-nlb deploy` does, writes `outputs.json` and the TargetGroupBinding tree, checks every binding
against the CRD, and prints what was built and what consolidating saves.
"""

from __future__ import annotations

import argparse
import time
from contextlib import ExitStack
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from shared_nlb import atomic, naming
from shared_nlb.changeset import CloudFormation, outputs_file_text
from shared_nlb.config import Config, load_config
from shared_nlb.errors import UserError

def example() -> Traversable:
    """The bundled example, package data of shared_nlb (examples/shared-nlb.yaml of a checkout links to it)."""
    return resources.files("shared_nlb").joinpath("examples", "shared-nlb.yaml")


def run(args: argparse.Namespace) -> int:
    from shared_nlb import standin

    standin.require_standin()
    from rich.console import Console

    from shared_nlb.deploy import recover
    from shared_nlb.deploy.change_sets import show_plan, synthesize
    from shared_nlb.deploy.execute import execute
    from shared_nlb.manifests import check_replaceable, write_tree

    started = time.monotonic()
    console = Console(highlight=False, soft_wrap=True)  # ARNs and paths stay whole on one line
    out = Path(args.out)
    with resources.as_file(example()) as example_path:  # a real file even from a zipped install
        config = load_config(example_path)
    check_replaceable(out / "manifests", config)  # before anything is written; checked again at the swap
    console.print(f"[bold]shared-nlb demo[/]: {_relative(example_path)} against an embedded AWS stand-in")
    with ExitStack() as running:
        with console.status("starting the AWS stand-in (moto) on 127.0.0.1"):
            aws = running.enter_context(standin.running(region=config.stack.region or standin.REGION))
        console.print(f"stand-in listening on {aws.endpoint_url} (in this process; stopped at the end)")
        mapped, mapping = standin.create_network(aws, config)
        console.print("moto cannot take custom IDs, so the example's are mapped to stand-in resources:")
        for configured, created in mapping.items():
            console.print(f"  {configured} -> {created}")
        template = synthesize(mapped, console)
        cloudformation = CloudFormation(endpoint_url=aws.endpoint_url, region=aws.region, session=aws.session(), poll_seconds=0.1)
        created = template  # a new stack, as deploy creates one: unprotected, then protected
        if mapped.load_balancer.deletion_protection:
            console.print(recover.PROTECTED_LATER)
            created = synthesize(recover.create_time(mapped), console)
        plan = cloudformation.create_change_set(mapped.stack_name, created, tags=mapped.stack.tags)
        show_plan(console, mapped, plan, rows=False)  # a new stack: every row would be Add
        if not plan.empty:
            execute(console, cloudformation, plan)
        recover.protect(console, cloudformation, mapped, plan, template_text=template)
        outputs = cloudformation.outputs(mapped.stack_name)
        listeners = _listeners(aws, outputs)
    tree = _bindings(mapped, outputs)
    atomic.write_file(out / "outputs.json", outputs_file_text(mapped.stack_name, outputs))
    atomic.write_file(out / f"{mapped.stack_name}.template.json", template)
    write_tree(out / "manifests", tree, mapped)
    _summary(console, mapped, outputs, listeners, tree, out)
    console.print(f"done in {time.monotonic() - started:.1f} s; the stand-in is stopped")
    return 0


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _listeners(aws: Any, outputs: dict[str, str]) -> list[tuple[int, str, str]]:
    """(port, protocol, target group ARN) of each listener, read back from the stand-in."""
    found = aws.client("elbv2").describe_listeners(LoadBalancerArn=outputs[naming.LOAD_BALANCER_ARN_OUTPUT])["Listeners"]
    rows = []
    for listener in found:
        action = next((a for a in listener.get("DefaultActions", []) if a.get("TargetGroupArn")), {})
        rows.append((listener["Port"], listener["Protocol"], action.get("TargetGroupArn", "")))
    return sorted(rows)


def _bindings(config: Config, outputs: dict[str, str]) -> dict[str, str]:
    """The manifests tree, its TargetGroupBindings checked against the CRD, each and across them
    (`crd.validate_bindings`: one target group, one binding). The tree is rendered once (the chart
    runs in jsii) and its bindings are read back from the written YAML: what is checked is what is
    written."""
    from shared_nlb.crd import validate_bindings
    from shared_nlb.manifests import render_tree_from_outputs

    tree = render_tree_from_outputs(config, {config.stack_name: outputs})
    docs = [doc for _, text in sorted(tree.items()) for doc in yaml.safe_load_all(text) if isinstance(doc, dict) and doc.get("kind") == "TargetGroupBinding"]
    problems = validate_bindings(docs)
    if problems:
        raise UserError(f"{len(problems)} CRD problem(s) in the generated bindings, first: {problems[0]}")
    return tree


def _summary(console: Any, config: Config, outputs: dict[str, str], listeners: list[tuple[int, str, str]], tree: dict[str, str], out: Path) -> None:
    by_arn = {outputs.get(naming.target_group_output_key(s.name)): s for s in config.services}
    console.print(f"[bold]NLB[/] {outputs[naming.LOAD_BALANCER_DNS_OUTPUT]}")
    for port, protocol, arn in listeners:
        service = by_arn.get(arn)
        target = f"{service.namespace}/{service.k8s_service}:{service.service_port}" if service else "?"
        console.print(f"  listener {port}/{protocol} -> {target}\n    target group {arn}")
    console.print(f"[bold]wrote[/] {out / 'outputs.json'}, {out / (config.stack_name + '.template.json')}, {out / 'manifests'}/:")
    for service in config.services:
        arn = outputs[naming.target_group_output_key(service.name)]
        console.print(f"  {out / 'manifests' / naming.manifest_path(service.namespace, service.name)}  TargetGroupBinding {naming.binding_name(service.name, arn)}")
    console.print(f"all {sum('TargetGroupBinding' in t for t in tree.values())} bindings valid against the TargetGroupBinding CRD")
    saving = _saving(config)
    if saving:
        console.print(saving)


def _saving(config: Config) -> str | None:
    try:
        from shared_nlb.cost import PRICES_AS_OF, estimate, usd

        cost = estimate(config)
    except (ImportError, UserError):  # no prices for the config's region: say nothing rather than guess
        return None
    return (
        f"[bold]cost[/]: one shared NLB instead of {cost.nlb_count_before} saves {usd(cost.monthly_saving_usd)} a month in {cost.region} "
        f"({usd(cost.monthly_before_usd)} -> {usd(cost.monthly_after_usd)}; fixed hourly charges, NLCUs not included; prices as of {PRICES_AS_OF})"
    )
