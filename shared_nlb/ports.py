"""Which ports and protocols a service needs opened, as plain data: shared by the config model, the
construct and the TargetGroupBinding chart, so the NLB's egress and the pods' ingress cannot drift.
Imports nothing heavy (`shared-nlb validate` uses it without starting jsii).
"""

from __future__ import annotations

from collections.abc import Iterable

# Listener protocol -> the IP protocols its port occupies. AWS keys NLB listeners by port; TLS
# terminates at the NLB and reaches targets over TCP; TCP_UDP is one listener taking both. QUIC runs
# over UDP (RFC 9000), and "to support both TCP and QUIC on the same port, create a TCP_QUIC
# listener" ("Listeners for your Network Load Balancers").
PORT_SPACES: dict[str, tuple[str, ...]] = {"TCP": ("tcp",), "TLS": ("tcp",), "UDP": ("udp",), "TCP_UDP": ("tcp", "udp"), "QUIC": ("udp",), "TCP_QUIC": ("tcp", "udp")}


def target_protocol(listener_protocol: str) -> str:
    """The target group's protocol: TLS ends at the NLB, so its targets get TCP. The rest pass
    through: "the target groups for a TCP_QUIC listener must use the TCP_QUIC protocol" (and TCP_UDP
    likewise; "Listeners for your Network Load Balancers")."""
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


def rules_text(rules: Iterable[tuple[str, int]]) -> str:
    """`tcp/6379,tcp/8080`: target rules as a stack output holds them (`<Service>TargetRules`)."""
    return ",".join(f"{space}/{port}" for space, port in rules)


def parse_rules_text(text: str) -> tuple[tuple[str, int], ...] | None:
    """The inverse of `rules_text`; None when `text` is not of that form."""
    rules = []
    for item in text.split(","):
        space, _, port = item.partition("/")
        if space not in ("tcp", "udp") or not port.isdigit() or not 1 <= int(port) <= 65535:
            return None
        rules.append((space, int(port)))
    return tuple(rules) if rules else None
