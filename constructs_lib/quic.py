"""QUIC and TCP_QUIC listeners and target groups through aws-cdk-lib's L2 constructs.

Gap: aws-cdk-lib 2.275's `elbv2.Protocol` has no QUIC or TCP_QUIC (it names HTTP, HTTPS, TCP, TLS,
UDP and TCP_UDP), and `NetworkListener` / `NetworkTargetGroup` take only its members. So a QUIC
listener or target group is built as the protocol of the same port spaces (UDP for QUIC, TCP_UDP for
TCP_QUIC: no certificate, the same health checks) and its CloudFormation `Protocol` is overridden
(the escape hatch, `add_property_override`). Drop this module when the L2 names them.
"""

from __future__ import annotations

from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from constructs import Construct

from shared_nlb.quic import QUIC_PROTOCOLS

_CARRIERS = {"QUIC": elbv2.Protocol.UDP, "TCP_QUIC": elbv2.Protocol.TCP_UDP}


def name_of(protocol: elbv2.Protocol | str) -> str:
    """The protocol as AWS spells it: `elbv2.Protocol.TCP` -> `TCP`, `"QUIC"` -> `QUIC`."""
    return protocol if isinstance(protocol, str) else protocol.value


def l2_protocol(name: str) -> elbv2.Protocol:
    """The L2's protocol to build `name` with: itself, or for QUIC its carrier (see the module)."""
    return _CARRIERS.get(name) or elbv2.Protocol(name)


def from_name(name: str) -> elbv2.Protocol | str:
    """What `add_service` and `DeployedTargetGroup` take for a protocol AWS names `name`."""
    return name if name in QUIC_PROTOCOLS else elbv2.Protocol[name]


def finish(resource: Construct, name: str) -> None:
    """Give a listener or target group built with `l2_protocol(name)` its real protocol."""
    if name in _CARRIERS:
        resource.node.default_child.add_property_override("Protocol", name)
