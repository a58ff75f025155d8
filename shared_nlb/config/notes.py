"""What a valid config does that its reader may not expect: one line each, printed by `validate` and
`plan` beside their output, never an error (the config stays valid). Each note names the field that
changes it.

- A UDP service's health check is not UDP: AWS has none, so the NLB checks its pods over TCP (or
  HTTP/HTTPS), on the target port unless `health_check.port` names another.
"""

from __future__ import annotations

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
    return found
