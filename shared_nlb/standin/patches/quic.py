"""The QUIC fix: moto 5.2.5 knows no QUIC or TCP_QUIC listener or target group, and so none of the
rules AWS sets for them (shared_nlb.quic, with their pages).

moto is imported inside the fix, so importing this module does not need moto.
"""

from __future__ import annotations

from typing import Any

from shared_nlb import quic
from shared_nlb.standin.patches.state import replace

# What moto is called with instead: the protocol of the same port spaces, which it knows.
_CARRIERS = {"QUIC": "UDP", "TCP_QUIC": "TCP_UDP"}


def _quic_listeners_and_target_groups() -> None:
    """Not in TOOLCHAIN.md: moto refuses a QUIC or TCP_QUIC listener (InvalidProtocolValue) and target
    group (ValidationError: not in its protocol enum), which ELB has taken since November 2025
    ("Listeners for your Network Load Balancers": TCP, TLS, UDP, TCP_UDP, QUIC, TCP_QUIC). Creates
    them (through moto's calls with the protocol of the same port spaces, then the real protocol set
    on the result), a target group's health check TCP unless given ("For Network Load Balancers ...
    the default is TCP", ELB API reference, CreateTargetGroup, HealthCheckProtocol). And refuses, as
    ELB does, a QUIC or TCP_QUIC listener on a network load balancer with security groups or a
    dualstack one, a second one, or one beside a UDP or TCP_UDP listener, and such a listener beside
    a QUIC one ("Create a listener for your Network Load Balancer", prerequisites), on create and on
    a template's update. ELB's error code for these is not documented: InvalidConfigurationRequest,
    with the rule in the message."""
    from moto.elbv2.models import ELBv2Backend, FakeListener, elbv2_backends

    original_listener = ELBv2Backend.create_listener
    original_group = ELBv2Backend.create_target_group
    original_update = FakeListener.update_from_cloudformation_json.__func__

    def create_listener(self, load_balancer_arn, protocol, port, *args, **kwargs):
        _allowed(self, load_balancer_arn, protocol, port)
        listener = original_listener(self, load_balancer_arn, _CARRIERS.get(protocol, protocol), port, *args, **kwargs)
        listener.protocol = protocol
        return listener

    def create_target_group(self, name, **kwargs):
        protocol = kwargs.get("protocol")
        if protocol in _CARRIERS:
            given = kwargs.get("healthcheck_protocol")
            group = original_group(self, name, **{**kwargs, "protocol": _CARRIERS[protocol], "healthcheck_protocol": given or "TCP"})
            group.protocol = protocol
            return group
        return original_group(self, name, **kwargs)

    def update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        protocol = cloudformation_json["Properties"].get("Protocol", original_resource.protocol)
        if protocol != original_resource.protocol:
            port = cloudformation_json["Properties"].get("Port", original_resource.port)
            _allowed(elbv2_backends[account_id][region_name], original_resource.load_balancer_arn, protocol, port, listener_arn=original_resource.arn)
        return original_update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name)

    replace(ELBv2Backend, "create_listener", create_listener)
    replace(ELBv2Backend, "create_target_group", create_target_group)
    replace(FakeListener, "update_from_cloudformation_json", classmethod(update))


def _allowed(backend: Any, load_balancer_arn: str | None, protocol: str, port: Any, *, listener_arn: str | None = None) -> None:
    """Refuse a listener of `protocol` on `port` of the load balancer as ELB would (shared_nlb.quic)."""
    from moto.elbv2.exceptions import ELBClientError

    balancer = backend.load_balancers.get(load_balancer_arn)
    if balancer is None or balancer.type != "network":
        return  # moto's own call answers
    others = [(f"listener on port {listener.port}", listener.protocol) for arn, listener in balancer.listeners.items() if arn != listener_arn]
    listeners = [*others, (f"listener on port {port}", protocol)]
    problems = quic.listener_problems(listeners, security_group=bool(balancer.security_groups), dualstack=balancer.ip_address_type == "dualstack", without_group="no security group (it cannot be removed: create the NLB without one)")
    mine = [message for index, message in problems if index == len(others)]
    if not mine and protocol in ("UDP", "TCP_UDP") and any(quic.is_quic(p) for _, p in others):
        mine = [f"{protocol} is not allowed on an NLB that has a QUIC or TCP_QUIC listener"]
    if mine:
        raise ELBClientError("InvalidConfigurationRequest", mine[0])
