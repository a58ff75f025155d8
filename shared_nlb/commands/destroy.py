"""`shared-nlb destroy CONFIG [--nlb NAME] [--yes] [--endpoint-url URL] [--region R] [--outputs-file FILE]`.

The one way to tear a config's stacks down (DESIGN.md, "Safe changes": teardown only on purpose).
Every stack of the config (one per NLB; `--nlb` picks one) is read as deployed, and what goes is shown:
its resources by owner, and the TargetGroupBindings that must leave the GitOps tree first
(`shared_nlb.teardown`). After one confirmation (`--yes` as in deploy), each stack's termination
protection and its load balancer's deletion protection are lifted explicitly, and the stack is
deleted and waited for until it is gone. A stack that does not exist has nothing to destroy; one that
a destroy left half-done (DELETE_FAILED, or protections lifted and no deletion yet) is finished by
running the same command again. With --outputs-file, each destroyed stack's entry of that file is
emptied (`{}`: no outputs, as the stack has none), so that `shared-nlb manifests` renders no bindings
for it and GitOps prunes them.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from shared_nlb import atomic, mapped_ids
from shared_nlb.commands import config_inputs
from shared_nlb.config.state import ServiceState, State
from shared_nlb.deploy import read_deployed, record
from shared_nlb.deploy.change_sets import approve
from shared_nlb.deploy.execute import failures_printer
from shared_nlb.changeset import CloudFormation, outputs_file_text
from shared_nlb.changeset import deletion, events
from shared_nlb.commands.deploy import connect, console_for_output
from shared_nlb.config import Config, Unit, load_config
from shared_nlb.errors import UserError
from shared_nlb.teardown import inventory

# A status ending in _IN_PROGRESS means an operation is changing the stack ("Stack status codes"), and
# destroy does not cut into someone's deploy. Two are not such operations: REVIEW_IN_PROGRESS is a
# change set's empty stack, and DELETE_IN_PROGRESS a deletion already under way, which is waited for.
_DELETABLE_IN_PROGRESS = ("REVIEW_IN_PROGRESS", "DELETE_IN_PROGRESS")


def run(args: argparse.Namespace) -> int:
    if args.outputs_file:  # read and written again: it may not be the config
        atomic.refuse_inputs("--outputs-file", args.outputs_file, config_inputs(args.config))
    console = console_for_output()
    config = load_config(args.config)
    aws = connect(args, config)
    config = mapped_ids.for_endpoint(config, endpoint_url=aws.endpoint_url, region=aws.region)  # the stand-in's IDs, on the stand-in only
    config, _ = read_deployed.reconcile(console, aws, config)  # a lost state file still finds every deployed NLB
    units = select(config, args.nlb)
    recorded = read_outputs_file(args.outputs_file)  # before anything is deleted: a bad file stops nothing half-way
    if args.outputs_file and recorded is None:
        console.print(f"{args.outputs_file} does not exist: no outputs to remove")
    doomed: list[Unit] = []
    gone: list[str] = []
    for unit in units:
        stack = aws.stack(unit.stack_name)
        if stack is None:
            console.print(f"stack {unit.stack_name} (NLB {nlb_name(unit)}): nothing to destroy, it does not exist")
            gone.append(unit.stack_name)
            continue
        status = stack["StackStatus"]
        if status.endswith("_IN_PROGRESS") and status not in _DELETABLE_IN_PROGRESS:
            raise UserError(f"stack {unit.stack_name} is busy ({status}); nothing was deleted: run destroy again once it has settled")
        show(console, aws, unit, status)
        doomed.append(unit)
    try:
        if doomed:
            names = ", ".join(u.stack_name for u in doomed)
            question = f"delete stack{'s' if len(doomed) > 1 else ''} {names} and every resource listed, load balancer included (clients lose its DNS name)?"
            approve(console, question, assume_yes=args.yes)
        for unit in doomed:
            destroy_stack(console, aws, unit.stack_name)
            gone.append(unit.stack_name)
    finally:  # what is gone is recorded, even when a later stack fails
        if recorded is not None:
            forget_outputs(console, args.outputs_file, recorded, gone)
        forget_state(console, config, args.config, [unit for unit in units if unit.stack_name in gone])
    return 0


def forget_state(console: Any, config: Config, config_path: str, gone: list[Unit]) -> None:
    """The state file without what the destroyed stacks held: their NLBs leave `nlbs`, their services'
    target groups are forgotten (a later deploy creates them anew), their placement stays (a service
    still in the config comes back on the same NLB)."""
    if not gone:
        return
    state = config.state
    services = dict(state.services)
    for unit in gone:
        for service in unit.config.services:
            services[service.name] = ServiceState(nlb=state.of(service.name).nlb)
    shards = {unit.shard for unit in gone}
    left = State(services, nlbs=tuple(n for n in state.nlbs if n not in shards))
    for line in record.record(config.with_state(left), config_path, left):
        console.print(line)


def nlb_name(unit: Unit) -> str:
    """An NLB's name for `--nlb`: its name in `load_balancers` (`internal`, `internal-2`), or, with
    `load_balancer:`, the load balancer's own name."""
    return unit.shard or unit.config.load_balancer_name


def select(config: Config, nlb: str | None) -> list[Unit]:
    """The config's units, or the one NLB named `nlb`."""
    units = config.units()
    if nlb is None:
        return units
    found = [unit for unit in units if nlb_name(unit) == nlb]
    if not found:
        raise UserError(f"--nlb {nlb}: no such NLB in {config.name}; its NLBs: {', '.join(nlb_name(u) for u in units)}")
    return found


def show(console: Any, aws: CloudFormation, unit: Unit, status: str) -> None:
    """What goes with the stack, as deployed, and the bindings to remove first."""
    resources = aws.call("list the stack's resources", aws.cfn.describe_stack_resources, StackName=unit.stack_name)["StackResources"]
    found = inventory(unit.stack_name, resources, aws.labels, {s.name: s.namespace for s in unit.config.services})
    console.print(f"[bold]stack {unit.stack_name}[/] (NLB {nlb_name(unit)}, {status}) goes, with {found.count} resource(s):")
    for line in found.lines():
        console.print(line)


def destroy_stack(console: Any, aws: CloudFormation, stack_name: str) -> None:
    """Lift the stack's termination protection and its load balancers' deletion protection, delete it
    and wait until it is gone. A failure is one line saying that running destroy again finishes it."""
    if aws.set_termination_protection(stack_name, False):
        console.print(f"stack {stack_name}: termination protection lifted")
    protected = deletion.protected_load_balancers(aws, stack_name)
    deletion.unprotect_load_balancers(aws, protected)
    for arn in protected:
        console.print(f"load balancer {arn}: deletion protection lifted")
    try:
        with console.status(f"deleting stack {stack_name}"):
            aws.delete_stack(stack_name, on_event=failures_printer(console, aws))
    except events.StackFailed as failed:  # waited for by ID: said by name, with destroy's own next step
        said = f"stack {stack_name} ended in {failed.status}" + (f": {failed.detail}" if failed.detail else "")
        raise UserError(f"{said}; fix that and run destroy again: it finishes the deletion (what is deleted stays deleted)") from None
    console.print(f"stack {stack_name}: deleted")


def read_outputs_file(path: str | None) -> dict[str, Any] | None:
    """The outputs file to update, or None when none was given or it does not exist yet."""
    if path is None or not Path(path).exists():
        return None
    from shared_nlb.outputs import load_json

    data = load_json(path)
    if not isinstance(data, Mapping) or not all(isinstance(v, Mapping) for v in data.values()):
        raise UserError(f"{path}: is not the `cdk deploy --outputs-file` shape {{stackName: {{OutputKey: value}}}}; nothing was deleted")
    return {name: dict(values) for name, values in data.items()}


def forget_outputs(console: Any, path: str, recorded: dict[str, Any], gone: list[str]) -> None:
    """Empty the entries of the stacks that are gone, atomically; nothing is written when none changes."""
    emptied = sorted(name for name in gone if recorded.get(name))
    if not emptied:
        return
    atomic.write_file(path, outputs_file_text({**recorded, **{name: {} for name in emptied}}))
    console.print(f"wrote {path} (outputs of stack{'s' if len(emptied) > 1 else ''} {', '.join(emptied)} removed: `shared-nlb manifests` now renders no bindings for {'them' if len(emptied) > 1 else 'it'})")
