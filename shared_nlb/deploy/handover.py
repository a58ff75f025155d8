"""A listener port handed from one listener to another in the same stack: a renamed service, a port
moved from a removed service to a new one, or a service that stays and moves to a port another
listener gives up in the same deploy.

CloudFormation creates and updates resources before it deletes the removed ones (the clean-up phase,
UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: CloudFormation User Guide, "Stack status codes"), and it
updates resources that do not depend on each other in parallel, in no set order ("Update behaviors
of stack resources"). ELB refuses a listener on a port another listener of the load balancer holds
(DuplicateListener: "A listener with the specified port already exists", ELB API reference,
CreateListener and ModifyListener), and EC2 the same ingress rules twice (InvalidPermission.Duplicate).
So one change set that creates or moves a listener onto a port still held fails, or fails by chance.

Such a stack is deployed in phases: each phase leaves out the joining services whose port is still
held and keeps each moving service on the port it has, so that what holds a wanted port goes (or
moves) first; the next phase is worked out from what the previous one left deployed, until the
config itself is deployed. Clients of a handed port are refused from the phase that frees it until
the joining service's binding registers healthy pods. Two services that swap ports (or any cycle of
moves) cannot be deployed this way without a port nobody asked for: refused, in one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared_nlb import naming
from shared_nlb.changeset import CloudFormation
from shared_nlb.config import Config
from shared_nlb.deploy import change_sets, execute
from shared_nlb.errors import UserError

LISTENER = "AWS::ElasticLoadBalancingV2::Listener"


@dataclass(frozen=True)
class Handover:
    """Listener port `port`, held by the deployed listener `leaving`, wanted by service `joining`,
    whose own listener is not deployed yet (`from_port` None) or is deployed on `from_port`."""

    port: int
    leaving: str
    joining: str
    from_port: int | None = None


def _held(deployed: dict[str, Any]) -> dict[int, str]:
    """Deployed listener port -> the listener's logical ID."""
    resources = deployed.get("Resources", {})
    return {int(r["Properties"]["Port"]): name for name, r in resources.items() if r.get("Type") == LISTENER and str(r.get("Properties", {}).get("Port", "")).isdigit()}


def handovers(config: Config, deployed: dict[str, Any] | None) -> list[Handover]:
    """The ports `config`'s services want that another deployed listener holds now. A cycle of moves
    (two services swapping ports) is a UserError."""
    if not deployed:
        return []
    held = _held(deployed)
    port_of = {listener: port for port, listener in held.items()}
    found = []
    for service in sorted(config.services, key=lambda s: s.name):
        own = naming.listener_id(service.name)
        holder = held.get(service.listener_port)
        if holder is not None and holder != own:
            found.append(Handover(service.listener_port, holder, service.name, port_of.get(own)))
    _refuse_cycles(config, found)
    return found


def _refuse_cycles(config: Config, found: list[Handover]) -> None:
    """A moving service waits for the holder of its port; a holder that itself waits for the first
    one's port (through any number of services) never frees it."""
    listener_of = {naming.listener_id(s.name): s.name for s in config.services}
    waits_for = {h.joining: listener_of.get(h.leaving) for h in found if h.from_port is not None}
    for start in sorted(waits_for):
        path, at = [start], waits_for[start]
        while at is not None and at not in path:
            path.append(at)
            at = waits_for.get(at)
        if at == start:
            moves = ", ".join(f"{name} {_move(found, name)}" for name in path)
            raise UserError(
                f"stack {config.stack_name}: listener ports move in a cycle ({moves}): ELB never has two listeners on one port "
                "(DuplicateListener), so no order of changes deploys it; move one of them to a free port first (a deploy), then to its port"
            )


def _move(found: list[Handover], name: str) -> str:
    handover = next(h for h in found if h.joining == name)
    return f"{handover.from_port} -> {handover.port}"


def first_phase(config: Config, found: list[Handover]) -> Config:
    """What the next change set of a phased deploy deploys: `config` without the joining services
    whose port is held, and with each moving one kept on the port it has."""
    joining = {h.joining for h in found if h.from_port is None}
    staying = {h.joining: h.from_port for h in found if h.from_port is not None}
    services = [s.model_copy(update={"listener_port": staying[s.name]}) if s.name in staying else s for s in config.services if s.name not in joining]
    return config.model_copy(update={"services": services})


def describe(stack_name: str, found: list[Handover]) -> str:
    """One line for the deploy's output and the plan's."""
    ports = ", ".join(
        f"port {h.port} from {h.leaving} to service {h.joining}" + (f" (moving from {h.from_port})" if h.from_port is not None else "")
        for h in found
    )
    return (
        f"stack {stack_name}: listener {ports}: CloudFormation creates and updates before it deletes, so this deploy makes two change sets "
        "(or more, one per link of a chain of moves), the first frees the port, the next (shown when it is made) takes it; clients of the port are refused "
        "from the first until the new service's binding registers healthy pods"
    )


def finish(console: Any, aws: CloudFormation, config: Config) -> None:
    """After a phased stack's first change set: the next phases, each worked out from the template
    the last one left, until `config` itself is deployed. Each phase frees at least one wanted port
    (cycles were refused), so there are at most as many as services."""
    for _ in range(len(config.services) + 1):
        found = handovers(config, aws.template(config.stack_name))
        phase = first_phase(config, found) if found else config
        plan = aws.create_change_set(config.stack_name, change_sets.synthesize(phase, console), tags=config.stack.tags)
        change_sets.show_plan(console, config, plan, rows=False)
        if not plan.empty:
            execute.execute(console, aws, plan)
        if not found:
            return
    raise UserError(f"stack {config.stack_name}: listener ports still held after {len(config.services) + 1} change sets; run deploy again")
