"""What a valid config does that its reader may not expect: one line each, printed by `validate` and
`plan` beside their output, never an error (the config stays valid). Each note names the field that
changes it.

- A UDP service's health check is not UDP: AWS has none, so the NLB checks its pods over TCP (or
  HTTP/HTTPS), on the target port unless `health_check.port` names another.
- A UDP or TCP_UDP service with targets outside the VPC's CIDR: AWS keeps the client's IP for them,
  so they must be in the NLB's VPC (a secondary CIDR) or a peered VPC of the same region; the config
  cannot tell a secondary CIDR of the VPC from a network behind a Transit Gateway, so it says so
  rather than refusing.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shared_nlb.config.model import Config


def notes(config: Config) -> list[tuple[str, str]]:
    """(field path, message) of every note of a valid config, for each of its NLBs, with the paths of
    the file's fields; each message starts with `note: `."""
    found: list[tuple[str, str]] = []
    for unit in config.units():
        found += [unit.in_file(path, message) for path, message in _one_nlb_notes(unit.config)]
    return found


def _one_nlb_notes(config: Config) -> list[tuple[str, str]]:
    found = []
    vpc = ipaddress.ip_network(config.network.vpc_cidr)
    outside = [cidr for cidr in config.network.pod_cidrs if not ipaddress.ip_network(cidr).subnet_of(vpc)]  # type: ignore[arg-type]
    for index, service in enumerate(config.services):
        path = f"services[{index}]"
        if service.protocol == "UDP":
            # HealthCheckProtocol: "The GENEVE, TLS, UDP, and TCP_UDP protocols are not supported for
            # health checks" (ELB API reference, CreateTargetGroup); NLBs default to TCP.
            check = service.health_check
            if check.port == "traffic-port":
                where = f"on the target port {service.pod_port}, which must then accept {check.protocol} connections too; set {path}.health_check.port to the TCP port the pods answer on"
            else:
                where = f"on port {check.port} ({path}.health_check.port)"
            found.append((f"{path}.health_check", f"note: AWS has no UDP health check: the NLB checks {service.name!r} over {check.protocol} {where}"))
        if service.protocol in ("UDP", "TCP_UDP") and outside:
            # "When client IP preservation is enabled, the traffic must flow directly from the Network
            # Load Balancer to the target. The target must be located in the same VPC as the Network
            # Load Balancer or in a peered VPC in the same region" ("Edit target group attributes for
            # your Network Load Balancer", Client IP preservation); UDP and TCP_UDP groups cannot
            # turn it off (same page).
            found.append((f"{path}.protocol", f"note: {service.protocol} keeps the client's IP (AWS cannot turn that off), so targets in {', '.join(outside)} (network.target_cidrs outside network.vpc_cidr) must be in the NLB's VPC (a secondary CIDR) or a peered VPC in the same region: not behind a Transit Gateway or in another region"))
    return found
