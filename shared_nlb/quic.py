"""AWS's rules for QUIC and TCP_QUIC listeners (NLB, November 2025), as plain functions of the
listeners' protocols and the NLB's settings: the config model and the construct both report them,
each in its own words (`services[i].protocol: ...`, `service 'x': ...`).

Sources, each quoted where its rule is:
- "Create a listener for your Network Load Balancer" (Elastic Load Balancing, Network Load
  Balancers), prerequisites;
- "Listeners for your Network Load Balancers", listener configuration;
- "Create a target group for your Network Load Balancer", requirements;
- "Enable zonal shift for your Network Load Balancer", prerequisites;
- the AWS Load Balancer Controller: QUIC in TargetGroupBinding from v2.15.0
  (config/crd/bases/elbv2.k8s.aws_targetgroupbindings.yaml, commit f462bc03b, first tag v2.15.0),
  IP targets only ("Instance targets do not support QUIC", pkg/backend/endpoint_types.go), and
  "QUIC does not work with NLB SG" (docs/guide/use_cases/quic/index.md).

Not found in any page reachable when this was written, so not enforced: a rule between QUIC and LCU
reservation (the LCU reservation page names TLS listeners only), or between QUIC and PrivateLink
endpoint services (the endpoint service pages name no listener protocol).
"""

from __future__ import annotations

from collections.abc import Sequence

QUIC_PROTOCOLS = ("QUIC", "TCP_QUIC")
# The first AWS Load Balancer Controller release whose TargetGroupBinding takes QUIC target groups
# (targetGroupProtocol enum QUIC;TCP_QUIC, commit f462bc03b "add quic / tcp quic to all places udp /
# tcp udp are mentioned", `git tag --contains` -> v2.15.0 first; v2.14.x lacks it).
CONTROLLER_SINCE = "v2.15.0"


def is_quic(protocol: str) -> bool:
    return protocol in QUIC_PROTOCOLS


def listener_problems(listeners: Sequence[tuple[str, str]], *, security_group: bool, dualstack: bool, without_group: str = "security_group: false") -> list[tuple[int, str]]:
    """(index of the listener, what is wrong) for every listener a QUIC rule refuses; `listeners` are
    the NLB's (service name, listener protocol) in order; `without_group` says how to build the NLB
    without a security group in the caller's terms."""
    found: list[tuple[int, str]] = []
    protocols = [protocol for _, protocol in listeners]
    quic = [i for i, protocol in enumerate(protocols) if is_quic(protocol)]
    if not quic:
        return found
    udp = [i for i, protocol in enumerate(protocols) if protocol in ("UDP", "TCP_UDP")]
    for i in quic:
        # "QUIC and TCP_QUIC listeners are not allowed on load balancers with associated security
        # groups" and "... not allowed on dualstack load balancers" ("Create a listener", prerequisites).
        if security_group:
            found.append((i, f"{protocols[i]} is not allowed on an NLB with a security group (AWS refuses QUIC and TCP_QUIC listeners there); give this NLB {without_group}"))
        if dualstack:
            found.append((i, f"{protocols[i]} is not allowed on a dualstack NLB; use ip_address_type: ipv4"))
        # "QUIC and TCP_QUIC listeners are not allowed on an Network Load Balancer that has UDP or
        # TCP_UDP listeners" (same page).
        if udp:
            found.append((i, f"{protocols[i]} is not allowed on an NLB that also has UDP or TCP_UDP listeners; move one to another NLB"))
    # "Only one QUIC or TCP_QUIC listener is allowed on an Network Load Balancer at any given time" (same page).
    for i in quic[1:]:
        found.append((i, f"{protocols[i]} is a second QUIC or TCP_QUIC listener on this NLB (the first is {listeners[quic[0]][0]!r}); AWS allows one per NLB: move it to another NLB"))
    return sorted(found)


def zonal_shift_allows(protocol: str) -> bool:
    """"The target group protocol must be TCP or TLS" for zonal shift on a cross-zone NLB ("Enable
    zonal shift for your Network Load Balancer"): a QUIC or TCP_QUIC target group is neither."""
    return protocol in ("TCP", "TLS")
