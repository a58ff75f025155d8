"""A listener port handed from a service that leaves a stack to one that joins it: a renamed service,
or a port moved from a removed service to a new one.

CloudFormation creates and updates resources before it deletes the removed ones (the clean-up phase,
UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: CloudFormation User Guide, "Stack status codes"), so one change
set would create the new listener while the old one still holds the port, which ELB refuses
(DuplicateListener: "A listener with the specified port already exists", ELB API reference,
CreateListener), and the same ingress rules twice, which EC2 refuses (InvalidPermission.Duplicate).
Such a stack is deployed in two change sets: the first without the joining services (the leaving
ones' listeners, rules and target groups go), the second with them. Clients of the handed port are
refused from the first change set until the joining service's binding registers healthy pods.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared_nlb import naming
from shared_nlb.config import Config

LISTENER = "AWS::ElasticLoadBalancingV2::Listener"


@dataclass(frozen=True)
class Handover:
    """Listener port `port`, held by the deployed listener `leaving`, wanted by the new service `joining`."""

    port: int
    leaving: str
    joining: str


def handovers(config: Config, deployed: dict[str, Any] | None) -> list[Handover]:
    """The ports one of `config`'s services takes from a deployed listener of another, for a service
    whose own listener is not deployed yet (one already deployed changes its port in place)."""
    if not deployed:
        return []
    resources = deployed.get("Resources", {})
    held = {int(r["Properties"]["Port"]): name for name, r in resources.items() if r.get("Type") == LISTENER and str(r.get("Properties", {}).get("Port", "")).isdigit()}
    found = []
    for service in sorted(config.services, key=lambda s: s.name):
        own = naming.listener_id(service.name)
        holder = held.get(service.listener_port)
        if own not in resources and holder is not None and holder != own:
            found.append(Handover(service.listener_port, holder, service.name))
    return found


def first_phase(config: Config, found: list[Handover]) -> Config:
    """`config` without the joining services: what the first of the two change sets deploys."""
    joining = {h.joining for h in found}
    return config.model_copy(update={"services": [s for s in config.services if s.name not in joining]})


def describe(stack_name: str, found: list[Handover]) -> str:
    """One line for the deploy's output and the plan's."""
    ports = ", ".join(f"port {h.port} from {h.leaving} to service {h.joining}" for h in found)
    return (
        f"stack {stack_name}: listener {ports}: CloudFormation creates before it deletes, so this deploy makes two change sets, "
        "the first removes the old listener, the second (shown when it is made) adds the new one; clients of the port are refused "
        "from the first until the new service's binding registers healthy pods"
    )
