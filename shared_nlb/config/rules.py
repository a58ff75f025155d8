"""Rules between fields and between services: duplicates, clients open to the internet, listener ports
and IDs shared by two services, and the NLB's egress rules that the quotas count.

They read the models only through the attributes and `problems()` methods the protocols below name,
so this module does not import them (the models import it: no import circle).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Protocol

from shared_nlb import naming, ports, quic
from shared_nlb.config.limits import MAX_CAPACITY_UNITS_PER_ZONE, MIN_CAPACITY_UNITS_PER_ZONE



class Client(Protocol):
    """What the rules read of a `model.Client`."""

    source: str

    def problems(self, path: str, scheme: str) -> list[tuple[str, str]]: ...


class Service(Protocol):
    """What the rules read of a `model.Service`."""

    name: str
    listener_port: int
    protocol: str

    def problems(self, path: str) -> list[tuple[str, str]]: ...

    def target_rules(self) -> list[tuple[str, int]]: ...


class LoadBalancerSettings(Protocol):
    """What the rules read of a `model.LoadBalancerSettings`."""

    minimum_capacity_units: int | None
    zonal_shift: bool
    cross_zone: bool


# Public client CIDRs wider than these are treated like 0.0.0.0/0: an internal service has no business
# admitting a sixteenth of the IPv4 internet, and such a range is almost always a typo.
WIDE_IPV4_PREFIX = 8
WIDE_IPV6_PREFIX = 16


def _is_wide(cidr: str) -> bool:
    network = ipaddress.ip_network(cidr)
    if network.prefixlen == 0:
        return True
    # Private ranges (fd00::/8, ...) cannot admit the internet, however wide.
    return network.prefixlen < (WIDE_IPV4_PREFIX if network.version == 4 else WIDE_IPV6_PREFIX) and not network.is_private


def egress_rules(services: Iterable[Service]) -> list[tuple[str, int]]:
    """(protocol, port) pairs the NLB must reach inside the VPC: every service's `target_rules`."""
    return sorted({rule for service in services for rule in service.target_rules()})


def largest_fit(counts: list[int], fixed: int, quota: int) -> int:
    """The most listeners one NLB may take so that its security group stays within `quota` rules
    whichever of them it holds: the largest m whose m largest `counts` (rules per listener) and
    `fixed` (rules of the group itself) fit; 0 when not even one does.

    >>> largest_fit([2, 2, 2, 4], 0, 7)
    2
    """
    total, fit = fixed, 0
    for count in sorted(counts, reverse=True):
        if total + count > quota:
            break
        total, fit = total + count, fit + 1
    return fit


def _duplicates(path: str, values: list[str], what: str) -> list[tuple[str, str]]:
    seen: dict[str, int] = {}
    found = []
    for index, value in enumerate(values):
        if value in seen:
            found.append((f"{path}[{index}]", f"{what} {value} is already listed at {path}[{seen[value]}]"))
        else:
            seen[value] = index
    return found


def _client_list_problems(path: str, clients: list[Client], scheme: str) -> list[tuple[str, str]]:
    found = []
    for index, client in enumerate(clients):
        found += client.problems(f"{path}[{index}]", scheme)
    found += _duplicates(path, [c.source for c in clients], "client")
    return found


def services_problems(indexed: list[tuple[int, Service]], *, one_nlb: bool = True) -> list[tuple[str, str]]:
    """Rules of each service and between services; takes (index, service) so that it can run on the
    services that are valid on their own while other parts of the file are not. Without `one_nlb`
    (the services of several NLBs) listener ports are not compared: each NLB has its own."""
    found: list[tuple[str, str]] = []
    names: dict[str, tuple[int, str]] = {}
    ids: dict[str, tuple[int, str]] = {}
    ports: dict[int, tuple[int, str]] = {}
    other_protocols: dict[int, str] = {}
    for index, service in indexed:
        path = f"services[{index}]"
        found += service.problems(path)
        if service.name in names:
            first, _ = names[service.name]
            found.append((f"{path}.name", f"{service.name!r} is already used by services[{first}]; names must be unique"))
            continue
        names[service.name] = (index, service.name)
        pascal = naming.pascal(service.name)
        if pascal in ids:
            first, other = ids[pascal]
            found.append((f"{path}.name", f"{service.name!r} gives the same IDs ({pascal}) as services[{first}] {other!r}; rename one"))
        ids.setdefault(pascal, (index, service.name))
        # AWS keys NLB listeners by port alone: a second listener on a port fails with DuplicateListener,
        # whatever its protocol ("Listeners for your Network Load Balancers": "To support both TCP and
        # UDP on the same port, create a TCP_UDP listener").
        if not one_nlb:
            continue
        if service.listener_port in ports:
            first, other = ports[service.listener_port]
            hint = "; for TCP and UDP on one port use one service with protocol: TCP_UDP" if {service.protocol, other_protocols[first]} in ({"TCP", "UDP"}, {"TLS", "UDP"}) else ""
            found.append((f"{path}.listener_port", f"{service.listener_port} is already used by services[{first}] {other!r}{hint}"))
        else:
            ports[service.listener_port] = (index, service.name)
        other_protocols[index] = service.protocol
    return found


def load_balancer_settings_problems(load_balancer: LoadBalancerSettings, indexed: list[tuple[int, Service]], zones: int) -> list[tuple[str, str]]:
    """AWS's rules between the NLB's settings (zonal shift, LCU reservation) and its services;
    `zones`: the subnet count, one subnet per Availability Zone (0 when the subnets are invalid)."""
    found: list[tuple[str, str]] = []
    units = load_balancer.minimum_capacity_units
    if units is not None:
        # "LCU reservation is not supported on Network Load Balancers using TLS listeners" ("Request
        # Load balancer Capacity Unit reservation for your Network Load Balancer").
        tls = [f"services[{i}] {s.name!r}" for i, s in indexed if s.protocol == "TLS"]
        if tls:
            found.append(("load_balancer.minimum_capacity_units", f"LCU reservation is not supported on an NLB with TLS listeners ({', '.join(tls)}); remove it or move the TLS services to another NLB"))
        # The reservation is spread evenly over the zones (same page); 2,750-45,000 per zone, as
        # aws-cdk-lib's NetworkLoadBalancer checks minimumCapacityUnit (limits.py).
        if zones and not MIN_CAPACITY_UNITS_PER_ZONE * zones <= units <= MAX_CAPACITY_UNITS_PER_ZONE * zones:
            found.append(("load_balancer.minimum_capacity_units", f"{units} is {units / zones:g} LCUs per zone over {zones} subnets; allowed: {MIN_CAPACITY_UNITS_PER_ZONE}-{MAX_CAPACITY_UNITS_PER_ZONE} per zone, {MIN_CAPACITY_UNITS_PER_ZONE * zones}-{MAX_CAPACITY_UNITS_PER_ZONE * zones} for {zones} subnets"))
    if load_balancer.zonal_shift and load_balancer.cross_zone:
        # "If you enable cross-zone load balancing for the load balancer, every target group attached
        # to the load balancer must meet the following requirements before you can enable zonal shift.
        # The target group protocol must be TCP or TLS." ("Enable zonal shift for your Network Load
        # Balancer"). A TLS service's target group is TCP. The other requirement there, connection
        # termination for unhealthy targets disabled, the construct meets on every target group.
        for index, service in indexed:
            if not quic.zonal_shift_allows(ports.target_protocol(service.protocol)):
                found.append((f"services[{index}].protocol", f"{service.protocol} is not allowed with load_balancer.zonal_shift and cross_zone both on: zonal shift of a cross-zone NLB needs TCP or TLS target groups; allowed: TCP or TLS, or turn off cross_zone or zonal_shift"))
    return found
