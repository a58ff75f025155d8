"""Which ports and protocols a service needs opened, as plain data: shared by the config model, the
construct and the TargetGroupBinding chart, so the NLB's egress and the pods' ingress cannot drift.
Imports nothing heavy (`shared-nlb validate` uses it without starting jsii).
"""

from __future__ import annotations

# Listener protocol -> the IP protocols its port occupies. AWS keys NLB listeners by port; TLS
# terminates at the NLB and reaches targets over TCP; TCP_UDP is one listener taking both.
PORT_SPACES: dict[str, tuple[str, ...]] = {"TCP": ("tcp",), "TLS": ("tcp",), "UDP": ("udp",), "TCP_UDP": ("tcp", "udp")}


def target_protocol(listener_protocol: str) -> str:
    """The target group's protocol: TLS ends at the NLB, so its targets get TCP."""
    return "TCP" if listener_protocol == "TLS" else listener_protocol


def target_rules(listener_protocol: str, target_port: int, health_check_port: int) -> list[tuple[str, int]]:
    """(ip protocol, port) the NLB must reach on the pods: the target port in each of the listener's
    port spaces, and the health check port over TCP (NLB health checks are TCP, HTTP or HTTPS, for
    UDP services too). Sorted, without duplicates.

    >>> target_rules("TCP_UDP", 53, 8080)
    [('tcp', 53), ('tcp', 8080), ('udp', 53)]
    """
    rules = {(space, target_port) for space in PORT_SPACES[listener_protocol]}
    rules.add(("tcp", health_check_port))
    return sorted(rules)
