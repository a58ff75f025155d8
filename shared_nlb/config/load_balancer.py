"""`load_balancer:` and the entries of `load_balancers:`: an NLB's settings, and its clients."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, PlainValidator

from shared_nlb import naming
from shared_nlb.config.base import _Model
from shared_nlb.config.fields import Bool, ClientCidr, DnsName1035, PrefixListId, SecurityGroupId, SubnetId, _capacity_units, _integer, _one_of, _pattern
from shared_nlb.config.limits import CLIENT_ROUTING_POLICIES, MAX_LISTENERS_PER_NLB
from shared_nlb.config.reach import Alarms, Dns, PrivateLink
from shared_nlb.config.rules import WIDE_IPV4_PREFIX, WIDE_IPV6_PREFIX, _is_wide


# An NLB's own name (ELBv2 CreateLoadBalancer Name): what `load_balancer.name` and an adopted entry's
# `load_balancer_name` may be; its length and prefix are rules of `Config`.
_NlbName = Annotated[str | None, PlainValidator(_pattern(r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?", "letters, digits and '-', not starting or ending with '-'"))]


class AccessLogs(_Model):
    """`load_balancer.access_logs:`: where the NLB writes TLS access logs."""

    bucket: Annotated[
        str, PlainValidator(_pattern(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", "an S3 bucket name (3-63 lowercase letters, digits, '.', '-')"))
    ]
    prefix: Annotated[str | None, PlainValidator(_pattern(r"[^/](.*[^/])?", "a key prefix not starting or ending with '/'"))] = None
    "Key prefix inside the bucket; default: none."


class LoadBalancerSettings(_Model):
    """`load_balancer:`: the NLB itself. All optional; every default is the safe one."""

    name: _NlbName = None
    "NLB name; default `shared-nlb-<name>`. At most 32 characters, not starting with `internal-`."
    scheme: Annotated[str, PlainValidator(_one_of("internal", "internet-facing"))] = "internal"
    "`internal` unless `internet-facing` is written here."
    ip_address_type: Annotated[str, PlainValidator(_one_of("ipv4", "dualstack"))] = "ipv4"
    "Addresses of the NLB (`dualstack` adds IPv6 listeners). Target groups stay IPv4, so the bindings' `ipAddressType` is always ipv4. Default: ipv4."
    cross_zone: Bool = False
    "Cross-zone load balancing; default false, the AWS default (no inter-AZ data charges)."
    deletion_protection: Bool = True
    "Default true: deleting the stack or replacing the NLB fails until this is set to false and deployed."
    access_logs: AccessLogs | None = None
    "Default: off (NLB access logs cover TLS listeners only)."
    path_mtu_discovery: Bool = False
    "Let clients' ICMP 'fragmentation needed' (IPv6: 'packet too big') reach the NLB, as AWS recommends for NLB security groups for path MTU discovery; one more inbound rule per client source. Default: false."
    zonal_shift: Bool = False
    "ARC zonal shift integration (attribute `zonal_shift.config.enabled`): lets you or zonal autoshift move traffic away from an impaired Availability Zone. Default: false, as AWS."
    client_routing_policy: Annotated[str | None, PlainValidator(_one_of(*CLIENT_ROUTING_POLICIES))] = None
    "How the NLB's DNS name spreads clients over its zones (attribute `dns_record.client_routing_policy`): `availability_zone_affinity` (100% zonal affinity), `partial_availability_zone_affinity` (85%) or `any_availability_zone`. Default: unset, AWS's `any_availability_zone`."
    minimum_capacity_units: Annotated[int | None, PlainValidator(_capacity_units)] = None
    "LCU reservation (`MinimumLoadBalancerCapacity`), spread evenly over the subnets' zones: 2750-45000 per zone; not with TLS listeners. Billed while reserved. Default: none."
    security_group: Bool = True
    "false: the NLB has no security group, which QUIC and TCP_QUIC listeners need (AWS refuses them on an NLB with one). Clients are then enforced on the pods only (the bindings' ingress from the clients and the VPC's CIDR); prefix list clients and path MTU discovery need the group. AWS cannot add or remove an NLB's groups later: changing it replaces the NLB. Default: true."


class Client(_Model):
    """One source allowed to reach the listeners: exactly one of security_group, cidr, prefix_list."""

    security_group: SecurityGroupId | None = None
    cidr: ClientCidr | None = None
    prefix_list: PrefixListId | None = None
    description: Annotated[str | None, PlainValidator(_pattern(r"[A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*]{1,255}", "up to 255 letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*"))] = None
    "Text for the security group rules; default: derived from the source."
    allow_anywhere: Bool = False
    "Must be true for a CIDR wider than /8 (IPv4) or /16 (IPv6), 0.0.0.0/0 and ::/0 included; only an internet-facing NLB may have it."
    max_entries: Annotated[int | None, PlainValidator(_integer(1, 1000))] = None
    "Prefix lists only, required there: the list's max entries, which is what a rule referencing it counts against the 60-rule quota."

    @property
    def rule_weight(self) -> int:
        """What one rule from this source counts against the rules-per-security-group quota: a
        prefix list counts as its max entries (VPC quotas, "Inbound or outbound rules per security
        group"); anything else as one."""
        return self.max_entries or 1 if self.prefix_list else 1

    @property
    def key(self) -> str:
        return naming.client_key(security_group=self.security_group, cidr=self.cidr, prefix_list=self.prefix_list)

    @property
    def source(self) -> str:
        return self.security_group or self.cidr or self.prefix_list or ""

    def problems(self, path: str, scheme: str) -> list[tuple[str, str]]:
        given = [k for k in ("security_group", "cidr", "prefix_list") if getattr(self, k)]
        if len(given) != 1:
            what = "none" if not given else " and ".join(given)
            return [(path, f"has {what}; allowed: exactly one of security_group, cidr, prefix_list")]
        if self.cidr and _is_wide(self.cidr):
            reach = "every address" if self.cidr.endswith("/0") else "a large part of the internet"
            if scheme != "internet-facing":
                return [(f"{path}.cidr", f"{self.cidr} opens the listeners to {reach}; allowed only with load_balancer.scheme: internet-facing and allow_anywhere: true on this client")]
            if not self.allow_anywhere:
                return [(f"{path}.cidr", f"{self.cidr} opens the listeners to {reach}; to ask for it, add allow_anywhere: true to this client")]
        elif self.allow_anywhere:
            return [(f"{path}.allow_anywhere", f"is only for CIDRs wider than /{WIDE_IPV4_PREFIX} (IPv4) or /{WIDE_IPV6_PREFIX} (IPv6), such as 0.0.0.0/0; remove it")]
        if self.prefix_list and self.max_entries is None:
            return [(f"{path}.max_entries", "required for a prefix list: a rule that references it counts as its max entries against the 60 rules of a security group (VPC quotas); give the list's MaxEntries")]
        if self.max_entries is not None and not self.prefix_list:
            return [(f"{path}.max_entries", "is only for prefix_list clients; remove it")]
        return []


class LoadBalancerEntry(LoadBalancerSettings):
    """One entry of `load_balancers:`: an NLB's settings, its own clients, and how many listeners it
    takes before the entry grows another NLB of the same settings (`shared_nlb.config.placement`)."""

    name: DnsName1035  # type: ignore[assignment]  # the entry's label here, not the NLB's AWS name
    "DNS label of the entry: its NLBs are `<name>`, `<name>-2`, ...; their stacks `shared-nlb-<config name>-<NLB>` and their NLB names the same."
    max_listeners: Annotated[int, PlainValidator(_integer(1, MAX_LISTENERS_PER_NLB))] = MAX_LISTENERS_PER_NLB
    f"1-{MAX_LISTENERS_PER_NLB} (the quota); past it, the entry's next service goes to a new NLB of the same settings. Default: {MAX_LISTENERS_PER_NLB}."
    clients: list[Client] | None = None
    "Replaces the top-level clients for this entry's NLBs. Default: the top-level list."
    dns: Dns | None = None
    "Replaces the top-level `dns` for this entry's NLBs (the records of its services). Default: the top-level one."
    privatelink: PrivateLink | None = None
    "Replaces the top-level `privatelink` for this entry's NLBs (each its own endpoint service). Default: the top-level one."
    alarms: Alarms | None = None
    "Replaces the top-level `alarms` for this entry's services. Default: the top-level one."
    adopt: Bool = False
    "The entry's first NLB is the one this config deployed with `load_balancer:`: it keeps that stack (`stack.name` or `shared-nlb-<name>`), its NLB name and every logical ID, so moving to `load_balancers` replaces nothing. At most one entry. Default: false."
    load_balancer_name: _NlbName = None
    "With `adopt`: the adopted NLB's name, when `load_balancer.name` gave it one. Default: `shared-nlb-<name>`."
    subnet_ids: Annotated[list[SubnetId] | None, Field(min_length=1)] = None
    "Subnets of the entry's NLBs, at most one per Availability Zone (as `network.subnet_ids`). Required for `scheme: internet-facing`: public subnets, never those of `network.subnet_ids`. Default: `network.subnet_ids`, the private subnets (internal entries only)."
