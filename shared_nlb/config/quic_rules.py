"""The rules of one NLB that QUIC brings: its listeners (shared_nlb.quic), an NLB without a security
group (`load_balancer.security_group: false`, which QUIC needs), and the clusters that bind it.

A function of one NLB's config (a `Unit`'s), run beside the model's other rules of one NLB; it reads
the config through the attributes below only, so it imports no model (no import circle).
"""

from __future__ import annotations

from typing import Any

from shared_nlb import quic
from shared_nlb.config import controller as lbc


def problems(config: Any) -> list[tuple[str, str]]:
    """(path, what is wrong) for one NLB's config."""
    lb = config.load_balancer
    found = [
        (f"services[{index}].protocol", message)
        for index, message in quic.listener_problems([(s.name, s.protocol) for s in config.services], security_group=lb.security_group, dualstack=lb.ip_address_type == "dualstack")
    ]
    if not lb.security_group:
        found += _without_group(config)
    if any(quic.is_quic(s.protocol) for s in config.services):
        found += _controllers(config)
    return found


def _without_group(config: Any) -> list[tuple[str, str]]:
    found = []
    lists = [("clients", config.clients)] + [(f"services[{i}].clients", s.clients) for i, s in enumerate(config.services) if s.clients]
    for path, clients in lists:
        for index, client in enumerate(clients):
            # Without the NLB's group the clients are admitted on the pods, by the bindings'
            # networking.ingress, whose peers are a security group or an ipBlock (TargetGroupBinding
            # CRD, NetworkingPeer): a prefix list has no such peer.
            if client.prefix_list:
                found.append((f"{path}[{index}].prefix_list", "needs the NLB's security group (a binding admits security groups and CIDRs only); with load_balancer.security_group: false list its CIDRs or a security group"))
    # The ICMP rules of path MTU discovery are rules of the NLB's own group.
    if config.load_balancer.path_mtu_discovery:
        found.append(("load_balancer.path_mtu_discovery", "needs the NLB's security group; remove it with load_balancer.security_group: false"))
    # EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic is a setting of the NLB's security groups
    # (ELB API reference, SetSecurityGroups): an NLB without one has nothing to enforce.
    if config.privatelink is not None and config.privatelink.enforce_inbound_rules:
        found.append(("privatelink.enforce_inbound_rules", "needs the NLB's security group; remove it with load_balancer.security_group: false (the pods' rules admit the clients)"))
    for index, cluster in enumerate(config.clusters or []):
        # "EKS Auto Mode only supports Security Group Mode for Network Load Balancers" and "The
        # networking.ingress.ipBlock field in TargetGroupBinding spec is not supported" (Amazon EKS User
        # Guide, "Learn about VPC Networking and Load Balancing in EKS Auto Mode", considerations).
        if cluster.controller == lbc.AUTO_MODE:
            found.append((f"clusters[{index}].controller", f"eks-auto-mode cannot bind the target groups of an NLB without a security group (Auto Mode supports only Security Group Mode for NLBs); bind them from an aws-load-balancer-controller cluster, or keep load_balancer.security_group: true (then no QUIC)"))
    return found


def _controllers(config: Any) -> list[tuple[str, str]]:
    found = []
    for index, cluster in enumerate(config.clusters or []):
        if cluster.controller_version is not None and lbc.version_key(cluster.controller_version) < lbc.version_key(quic.CONTROLLER_SINCE):
            found.append((f"clusters[{index}].controller_version", f"cluster {cluster.name!r} runs {cluster.controller_version}, which has no QUIC target groups in its TargetGroupBinding (asked for by the QUIC or TCP_QUIC services); allowed: {quic.CONTROLLER_SINCE} or later"))
    return found
