"""The whole `shared-nlb.yaml` (`Config`), with `stack:` and `network:`; the other sections are models of
their own (`load_balancer`, `service`, `reach`, `clusters`), every default on its field and the
docstring under it.

Field checks (types, ranges, formats, unknown keys) run in pydantic; rules that relate fields (TLS needs
a certificate, listener ports are unique, quotas) run in the `problems()` methods, in the style of
aws-cdk's `validate(): string[]`, so a field error never hides a rule error elsewhere.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, PlainValidator, PrivateAttr

from shared_nlb import naming, ports
from shared_nlb.config import placement as placing
from shared_nlb.config import quic_rules
from shared_nlb.config import state as states
from shared_nlb.config.base import _Model
from shared_nlb.config.clusters import Cluster, clusters_problems
from shared_nlb.config.fields import Bool, DnsName1035, SubnetId, TargetCidr, VpcId, _account, _pattern, _tags, _version, _vpc_cidr
from shared_nlb.config.limits import MAX_LISTENERS_PER_NLB, MAX_LOAD_BALANCER_NAME, MAX_NLBS_PER_REGION, MAX_RULES_PER_SECURITY_GROUP, MAX_STACK_NAME
from shared_nlb.config.load_balancer import Client, LoadBalancerEntry, LoadBalancerSettings
from shared_nlb.config.reach import Alarms, Dns, PrivateLink
from shared_nlb.config.rules import _client_list_problems, _duplicates, egress_rules, largest_fit, load_balancer_settings_problems, services_problems
from shared_nlb.config.service import Service
from shared_nlb.config.units import Unit


class StackSettings(_Model):
    """`stack:`: how the CloudFormation stack is named, placed and tagged. All optional."""

    name: Annotated[
        str | None,
        PlainValidator(_pattern(r"[A-Za-z][A-Za-z0-9-]*", "a stack name: a letter, then letters, digits and '-'")),
    ] = None
    "Stack name; default `shared-nlb-<name>`."
    account: Annotated[str | None, PlainValidator(_account)] = None
    "AWS account ID; default: environment-agnostic (the CLI's credentials decide)."
    region: Annotated[
        str | None, PlainValidator(_pattern(r"[a-z]{2}(-[a-z]+)+-\d", "an AWS region such as ap-northeast-2"))
    ] = None
    "AWS region; default: environment-agnostic."
    export_outputs: Bool = False
    "Export every output as `<stack>-<OutputKey>` for other stacks' `Fn::ImportValue`. Default: false."
    tags: Annotated[dict[str, str], PlainValidator(_tags)] = Field(default_factory=dict)
    "Tags on the stack and every resource that takes tags. Default: none."
    termination_protection: Bool = True
    "CloudFormation termination protection on the stack: DeleteStack, and so `cdk destroy`, is refused before anything is deleted; `shared-nlb destroy` lifts it on purpose. Default: true; false opts out."


class Network(_Model):
    """`network:`: the existing VPC the NLB lives in (imported by ID, no context lookup)."""

    vpc_id: VpcId
    "ID of the existing VPC (vpc-...)."
    vpc_cidr: Annotated[str, PlainValidator(_vpc_cidr)]
    "The VPC's CIDR: the NLB's egress is limited to it, on target ports only."
    subnet_ids: Annotated[list[SubnetId], Field(min_length=1)]
    "Subnets of the NLB, at most one per Availability Zone: the private subnets. With `load_balancer:` its NLB's whatever the scheme (public subnets then, for `internet-facing`); with `load_balancers`, those of every internal entry without `subnet_ids` of its own (an internet-facing entry must name its own)."
    target_cidrs: Annotated[list[TargetCidr] | None, Field(min_length=1)] = None
    "Where the pods live: the NLB's only egress, on target and health check ports. Default: `[vpc_cidr]`; add a secondary CIDR for EKS custom networking (pods in 100.64.0.0/10, say)."

    @property
    def pod_cidrs(self) -> list[str]:
        return list(self.target_cidrs) if self.target_cidrs is not None else [self.vpc_cidr]


# Top-level sections an entry of load_balancers may replace for its own NLBs (DESIGN.md, "Several load
# balancers, several clusters" and "Reach and operations").
_ENTRY_SECTIONS = ("clients", "dns", "privatelink", "alarms")


class Config(_Model):
    """The whole `shared-nlb.yaml` (DESIGN.md, "Config file")."""

    version: Annotated[int, PlainValidator(_version)]
    "Format version; only 1 exists."
    name: DnsName1035
    "DNS label; the stack and NLB names derive from it."
    stack: StackSettings = Field(default_factory=StackSettings)
    network: Network
    "The existing VPC and subnets."
    load_balancer: LoadBalancerSettings = Field(default_factory=LoadBalancerSettings)
    load_balancers: Annotated[list[LoadBalancerEntry] | None, Field(min_length=1)] = None
    "Several NLBs instead of `load_balancer:`, one stack each; a service picks one with `load_balancer`. Default: the one NLB of `load_balancer:`."
    clients: list[Client] = Field(default_factory=list)
    "Who may connect to every listener (a service's own `clients` replaces this list)."
    services: Annotated[list[Service], Field(min_length=1)]
    "The in-cluster services, one listener each."
    dns: Dns | None = None
    "A Route 53 alias record `<service>.<zone_name>` per service, to the NLB. Default: none (clients use the NLB's own DNS name)."
    privatelink: PrivateLink | None = None
    "The NLB as a VPC endpoint service for other accounts' VPCs. Default: none."
    alarms: Alarms | None = None
    "A CloudWatch alarm per service when it has no healthy target, sent to an SNS topic. Default: none."
    clusters: Annotated[list[Cluster] | None, Field(min_length=1)] = None
    "The Kubernetes clusters that bind every target group, each with its own manifests tree (`<out>/<cluster>/`). Default: one cluster, the tree directly in `<out>`."

    # The state committed beside the config (`shared_nlb.config.state`); not a YAML key.
    _state: states.State = PrivateAttr(default_factory=lambda: states.State(complete=False))  # no file: nothing recorded

    # The name of the config file's config, for a `Unit`'s one-NLB config (whose `name` is the NLB's).
    _family: str | None = PrivateAttr(default=None)

    @property
    def family_name(self) -> str:
        """The config's own `name`, also for the one-NLB config of one of its NLBs (`units()`)."""
        return self._family or self.name

    def with_state(self, state: states.State) -> Config:
        """This config with the committed state of its services (`<config>.state.yaml`)."""
        copy = self.model_copy()
        copy._state = state
        return copy

    def with_placement(self, placement: dict[str, str]) -> Config:
        """This config with its services' NLBs replaced by `placement`, the rest of its state kept."""
        return self.with_state(self._state.with_placement(placement))

    @property
    def state(self) -> states.State:
        """The state as read from the file beside the config (empty without one)."""
        return self._state

    def target_groups(self, service: Service) -> tuple[states.TargetGroupState, states.TargetGroupState | None]:
        """(live target group, staged replacement or None) of one of this config's services: what
        the config asks for, kept from replacing the deployed group (`shared_nlb.config.state.resolve`)."""
        check = service.health_check
        wanted = states.TargetGroupState(
            naming.target_group_id(service.name), service.pod_port, service.target_protocol, states.HealthCheckState(check.protocol, check.port, check.path)
        )
        digest = naming.target_group_digest(wanted.port, wanted.protocol, self.network.vpc_id)
        return states.resolve(self._state.of(service.name), wanted, naming.staged_target_group_id(service.name, digest))

    def recorded_state(self) -> states.State:
        """The state a synthesis of this config records: each service's NLB (with `load_balancers`),
        live target group and staged replacement, for the config's services only."""
        placement = self.placement
        recorded = {}
        for service in self.services:
            live, staged = self.target_groups(service)
            recorded[service.name] = states.ServiceState(placement.get(service.name), live, staged)
        return states.State(recorded, nlbs=tuple(sorted({unit.shard for unit in self.units() if unit.shard is not None})))

    def entry_of(self, service: Service) -> str | None:
        """The name of the `load_balancers` entry that holds `service` (None without `load_balancers`):
        its `load_balancer`; else the entry of the NLB the state places it on (a deployed service stays
        where it is, whatever the order of the entries: an adopted entry need not be the first); else
        the first entry."""
        if not self.load_balancers:
            return None
        if service.load_balancer:
            return service.load_balancer
        shard = self._state.of(service.name).nlb
        if shard is not None:
            for entry in self.load_balancers:
                if placing.shard_number(entry.name, shard) is not None:
                    return entry.name
        return self.load_balancers[0].name

    @property
    def committed_placement(self) -> dict[str, str]:
        """The placement as read from the file beside the config (empty without one)."""
        return self._state.placement

    @property
    def placement(self) -> dict[str, str]:
        """service name -> NLB (shard) name, for a config with `load_balancers:`; empty otherwise."""
        if not self.load_balancers:
            return {}
        entries = [(e.name, e.max_listeners) for e in self.load_balancers]
        return placing.place(entries, [(s.name, self.entry_of(s) or "") for s in self.services], self._state.placement)

    def units(self) -> list[Unit]:
        """Every NLB of the config with its stack, in entry order, then shard order."""
        if not self.load_balancers:
            return [Unit(self, indexes=tuple(range(len(self.services))))]
        placement = self.placement
        units = []
        for index, entry in enumerate(self.load_balancers):
            shards: dict[int, list[int]] = {}
            for position, service in enumerate(self.services):
                number = placing.shard_number(entry.name, placement.get(service.name, ""))
                if self.entry_of(service) == entry.name and number is not None:
                    shards.setdefault(number, []).append(position)
            for shard in self._state.nlbs:  # an NLB whose last service left: planned emptied, until retired
                number = placing.shard_number(entry.name, shard)
                if number is not None:
                    shards.setdefault(number, [])
            for number, positions in sorted(shards.items()):
                units.append(self._unit(index, entry, placing.shard_name(entry.name, number), positions))
        return units

    def _adopted(self) -> LoadBalancerEntry | None:
        return next((e for e in self.load_balancers or [] if e.adopt), None)

    def shard_stack_name(self, shard: str) -> str:
        """The stack of one NLB of `load_balancers`: `<stack.name>-<NLB>`, else `shared-nlb-<name>-<NLB>`;
        the adopted NLB keeps the stack of the `load_balancer:` config (`stack.name` or `shared-nlb-<name>`)."""
        adopted = self._adopted()
        if adopted is not None and shard == adopted.name:
            return self.stack.name or naming.default_stack_name(self.name)
        return f"{self.stack.name}-{shard}" if self.stack.name else naming.default_stack_name(f"{self.name}-{shard}")

    def _unit(self, index: int, entry: LoadBalancerEntry, shard: str, positions: list[int]) -> Unit:
        # The adopted NLB keeps every name a `load_balancer:` config gave it: the config's own name
        # (the security group's description derives from it, and EC2 replaces a group whose
        # description changes), the stack and the NLB name.
        adopted = entry.adopt and shard == entry.name
        name = self.name if adopted else f"{self.name}-{shard}"
        settings = {key: getattr(entry, key) for key in LoadBalancerSettings.model_fields if key != "name"}
        if adopted:
            settings["name"] = entry.load_balancer_name
        own = frozenset(key for key in _ENTRY_SECTIONS if getattr(entry, key) is not None)
        stack_name = self.stack.name if adopted else (f"{self.stack.name}-{shard}" if self.stack.name else None)
        network = self.network if entry.subnet_ids is None else self.network.model_copy(update={"subnet_ids": list(entry.subnet_ids)})
        config = self.model_copy(
            update={
                "name": name,
                "stack": self.stack.model_copy(update={"name": stack_name}),
                "network": network,
                "load_balancer": LoadBalancerSettings.model_construct(**settings),
                "load_balancers": None,
                "services": [self.services[p] for p in positions],
                **{key: getattr(entry, key) for key in own},
            }
        )
        config._state = states.State({s.name: self._state.of(s.name) for s in config.services}, self._state.complete)
        config._family = self.family_name
        # A unit with no service is an NLB whose last service left: its stack is updated to hold none.
        return Unit(config, entry=index, shard=shard, indexes=tuple(positions), own=own, adopted=adopted, own_subnets=entry.subnet_ids is not None)

    @property
    def stack_name(self) -> str:
        return self.stack.name or naming.default_stack_name(self.name)

    @property
    def load_balancer_name(self) -> str:
        return self.load_balancer.name or naming.default_load_balancer_name(self.name)

    @property
    def tree_owner(self) -> str:
        """The name that marks the manifests tree as this config's: its NLB's name, or with
        `load_balancers` the config's (`shared-nlb-<name>`), which a new NLB of an entry leaves as it is."""
        adopted = self._adopted()
        if adopted is not None:  # the tree the `load_balancer:` config wrote stays this config's
            return adopted.load_balancer_name or naming.default_load_balancer_name(self.name)
        return naming.default_load_balancer_name(self.name) if self.load_balancers else self.load_balancer_name

    def clients_of(self, service: Service) -> list[Client]:
        return list(self.clients if service.clients is None else service.clients)

    def inbound_rule_count(self) -> int:
        """The inbound rules the NLB's group holds, as the quota counts them (VPC quotas, "Inbound or
        outbound rules per security group": a rule referencing a prefix list counts as its max
        entries): per service, each client in each of its port spaces; with path MTU discovery, one
        ICMP rule per distinct client source."""
        return sum(self.service_rule_count(s) for s in self.services) + self.path_mtu_rule_count(self.services)

    def service_rule_count(self, service: Service) -> int:
        """The inbound rules one service's listener takes: each client in each of its port spaces."""
        return sum(c.rule_weight for c in self.clients_of(service)) * len(service.port_spaces)

    def path_mtu_rule_count(self, services: list[Service]) -> int:
        """The ICMP rules path MTU discovery adds for `services`: one per distinct client source."""
        if not self.load_balancer.path_mtu_discovery:
            return 0
        distinct = {c.source: c for s in services for c in self.clients_of(s)}
        return sum(c.rule_weight for c in distinct.values())

    def problems(self) -> list[tuple[str, str]]:
        if self.load_balancers is None:
            found = [
                (f"services[{index}].load_balancer", "is only for configs with load_balancers; remove it or list the NLBs under load_balancers")
                for index, service in enumerate(self.services)
                if service.load_balancer is not None
            ]
            return found + self._one_nlb_problems()
        units = self.units()
        found = self._load_balancers_problems(units)
        found += services_problems(list(enumerate(self.services)), one_nlb=False)  # names are unique across NLBs too
        for unit in units:
            over = unit.config.inbound_rule_count() > MAX_RULES_PER_SECURITY_GROUP  # the fix is worked out only when needed
            fix = self._max_listeners_fix(units, unit) if over else ""
            found += [unit.in_file(path, message) for path, message in unit.config._one_nlb_problems(fix)]
        return found

    def _load_balancers_problems(self, units: list[Unit]) -> list[tuple[str, str]]:
        entries = self.load_balancers or []
        found = []
        if "load_balancer" in self.model_fields_set:
            found.append(("load_balancer", "cannot be used with load_balancers; move its settings into an entry of load_balancers"))
        names = [e.name for e in entries]
        seen: dict[str, int] = {}
        for index, entry in enumerate(entries):
            if entry.name in seen:
                found.append((f"load_balancers[{index}].name", f"{entry.name!r} is already used by load_balancers[{seen[entry.name]}]; names must be unique"))
            seen.setdefault(entry.name, index)
            # `a-2` is the second NLB of an entry `a`: two entries must not be able to name one NLB.
            for other in names:
                if other != entry.name and placing.shard_number(other, entry.name):
                    found.append((f"load_balancers[{index}].name", f"{entry.name!r} is the name of the second or later NLB of entry {other!r}; choose another name"))
        adopting = [i for i, e in enumerate(entries) if e.adopt]
        for index in adopting[1:]:
            found.append((f"load_balancers[{index}].adopt", f"only one entry may adopt the NLB of the load_balancer: config; load_balancers[{adopting[0]}] does already"))
        for index, entry in enumerate(entries):
            if entry.load_balancer_name is not None and not entry.adopt:
                found.append((f"load_balancers[{index}].load_balancer_name", "is only for the adopted NLB (adopt: true); the other NLB names derive from the config's and the entry's names"))
        for shard in self._state.nlbs:
            if not any(placing.shard_number(name, shard) for name in names):
                found.append(("load_balancers", f"NLB {shard} is deployed (the state file) but no entry holds it now; put its entry back and retire the NLB with `shared-nlb destroy CONFIG --nlb {shard}` before removing the entry"))
        found += self._entry_subnet_problems(entries)
        for index, service in enumerate(self.services):
            if service.load_balancer is not None and service.load_balancer not in seen:
                found.append((f"services[{index}].load_balancer", f"{service.load_balancer!r} is not an entry of load_balancers; allowed: {', '.join(names)}"))
        for unit in units:
            assert unit.entry is not None
            entry = entries[unit.entry]
            if len(unit.config.services) > entry.max_listeners:
                found.append((f"load_balancers[{unit.entry}].max_listeners", f"{entry.max_listeners}, but NLB {unit.shard} already holds {len(unit.config.services)} services (the state file); a placed service never moves: raise max_listeners or move services to another entry"))
        # ELB quota "Network Load Balancers per Region" (Quotas for your Network Load Balancers): 50 by default.
        if len(units) > MAX_NLBS_PER_REGION:
            found.append(("load_balancers", f"the services need {len(units)} NLBs; allowed: at most {MAX_NLBS_PER_REGION} per region (ELB quota 'Network Load Balancers per Region'), unless the quota was raised: raise max_listeners or split the config"))
        return found

    def _entry_subnet_problems(self, entries: list[LoadBalancerEntry]) -> list[tuple[str, str]]:
        """Which scheme needs which subnets. `network.subnet_ids` are the private subnets (README,
        "Config reference"), where an internet-facing NLB gets public addresses nobody can route to:
        the nodes of an internet-facing NLB have public addresses and need subnets with a route to an
        internet gateway (ELB API reference: CreateLoadBalancer Scheme; SetSubnets, "The IDs of the
        public subnets"), which is why aws-cdk-lib places an internet-facing load balancer in the VPC's
        public subnets by default (aws-elasticloadbalancingv2, lib/shared/base-load-balancer.ts)."""
        found = []
        private = set(self.network.subnet_ids)
        for index, entry in enumerate(entries):
            if entry.scheme != "internet-facing":
                continue
            if entry.subnet_ids is None:
                found.append((f"load_balancers[{index}].subnet_ids", "is required for scheme internet-facing: the entry would otherwise sit in network.subnet_ids, the private subnets, where nobody on the internet reaches it; allowed: the IDs of public subnets (a route to an internet gateway), one per Availability Zone"))
                continue
            if entry.adopt:  # the subnets the deployed `load_balancer:` NLB has, whatever network.subnet_ids now says
                continue
            for position, subnet in enumerate(entry.subnet_ids):
                if subnet in private:
                    found.append((f"load_balancers[{index}].subnet_ids[{position}]", f"{subnet} is one of network.subnet_ids, the private subnets; allowed: public subnets (a route to an internet gateway) for scheme internet-facing"))
        return found

    def _max_listeners_fix(self, units: list[Unit], unit: Unit) -> str:
        """For the rules quota message of one NLB of an entry: the largest `max_listeners` with which
        any NLB of the entry stays within the quota, whichever of the entry's services it holds (none
        when not one service fits, or the entry's max is that low already)."""
        assert unit.entry is not None
        entry = (self.load_balancers or [])[unit.entry]
        held = [(u.config, s) for u in units if u.entry == unit.entry for s in u.config.services]
        fixed = unit.config.path_mtu_rule_count([s for _, s in held])
        fit = largest_fit([config.service_rule_count(s) for config, s in held], fixed, MAX_RULES_PER_SECURITY_GROUP)
        return f"set load_balancers[{unit.entry}].max_listeners: {fit}" if 0 < fit < entry.max_listeners else ""

    def _one_nlb_problems(self, max_listeners_fix: str | None = None) -> list[tuple[str, str]]:
        """Every rule of one NLB. `max_listeners_fix`: what the rules quota message suggests for an
        NLB of a `load_balancers` entry (`_max_listeners_fix`); None for the NLB of `load_balancer:`."""
        found: list[tuple[str, str]] = []
        if len(self.stack_name) > MAX_STACK_NAME:
            found.append(("stack.name", f"{self.stack_name!r} is {len(self.stack_name)} characters; allowed: at most {MAX_STACK_NAME}"))
        lb_path = "load_balancer.name" if self.load_balancer.name else "name"
        lb_name = self.load_balancer_name
        if len(lb_name) > MAX_LOAD_BALANCER_NAME:
            found.append((lb_path, f"gives the NLB name {lb_name!r} of {len(lb_name)} characters; allowed: at most {MAX_LOAD_BALANCER_NAME} (shorten it or set load_balancer.name)"))
        if lb_name.lower().startswith("internal-"):
            found.append((lb_path, f"gives the NLB name {lb_name!r}; AWS does not allow names starting with 'internal-'"))
        found += _duplicates("network.subnet_ids", self.network.subnet_ids, "subnet")
        found += _duplicates("network.target_cidrs", self.network.target_cidrs or [], "CIDR")
        found += _client_list_problems("clients", self.clients, self.load_balancer.scheme)
        for index, service in enumerate(self.services):
            if service.clients:
                found += _client_list_problems(f"services[{index}].clients", service.clients, self.load_balancer.scheme)
        found += services_problems(list(enumerate(self.services)))
        if not self.clients:
            orphans = [s.name for s in self.services if s.clients is None]
            if orphans:
                found.append(("clients", f"is empty and services {', '.join(orphans)} have no clients of their own, so nobody could connect; list security_group, cidr or prefix_list sources"))
        found += self._address_family_problems()
        found += self._quota_problems(max_listeners_fix)
        found += load_balancer_settings_problems(self.load_balancer, list(enumerate(self.services)), len(self.network.subnet_ids))
        if self.dns is not None:
            found += self.dns.problems("dns", [(f"services[{i}] {s.name!r}", s.name) for i, s in enumerate(self.services)])
        if self.alarms is not None:
            found += self.alarms.problems("alarms", self.stack.region)
        if self.privatelink is not None:
            found += self.privatelink.problems("privatelink")
            found += self.privatelink.bypass_problems("privatelink", self._narrower_services())
        found += clusters_problems(list(enumerate(self.clusters or [])), self.stack.account)
        found += quic_rules.problems(self)
        return found

    def _narrower_services(self) -> list[str]:
        """`services[i] 'name'` of each service whose own clients leave out a source that another
        listener of the NLB admits."""
        sources = [{c.source for c in self.clients_of(s)} for s in self.services]
        widest = set().union(*sources)
        return [f"services[{i}] {s.name!r}" for i, s in enumerate(self.services) if s.clients is not None and not widest <= sources[i]]

    def _address_family_problems(self) -> list[tuple[str, str]]:
        found = []
        if self.load_balancer.ip_address_type == "dualstack":
            # A UDP listener on a dualstack NLB needs IPv6 target groups and the NLB's IPv6 source NAT
            # prefix (LoadBalancer EnablePrefixForIpv6SourceNat, "Network Load Balancers with UDP
            # listeners"; IPv6 target groups need IP targets of that family); shared-nlb's target
            # groups and bindings are IPv4.
            for index, service in enumerate(self.services):
                if service.protocol in ("UDP", "TCP_UDP"):
                    found.append((f"services[{index}].protocol", f"{service.protocol} on a dualstack NLB needs IPv6 target groups and an IPv6 source NAT prefix, which shared-nlb does not build; use load_balancer.ip_address_type: ipv4 or a TCP protocol"))
        else:
            # An ipv4 NLB has no IPv6 address for an IPv6 client to reach; the controller refuses the
            # same ("unsupported v6 cidr ... when lb is not dualstack", pkg/service/model_build_managed_sg.go).
            lists = [("clients", self.clients)] + [(f"services[{i}].clients", s.clients) for i, s in enumerate(self.services) if s.clients]
            for path, clients in lists:
                for index, client in enumerate(clients):
                    if client.cidr and ":" in client.cidr:
                        found.append((f"{path}[{index}].cidr", f"{client.cidr} is IPv6, but the NLB is ipv4 and has no IPv6 address; set load_balancer.ip_address_type: dualstack or remove it"))
        return found

    def _quota_problems(self, max_listeners_fix: str | None) -> list[tuple[str, str]]:
        found = []
        listeners = len(self.services)
        if listeners > MAX_LISTENERS_PER_NLB:
            found.append(("services", f"{listeners} listeners on one NLB; allowed: at most {MAX_LISTENERS_PER_NLB} (ELB quota 'Listeners per Network Load Balancer')"))
        inbound = self.inbound_rule_count()
        if inbound > MAX_RULES_PER_SECURITY_GROUP:
            if max_listeners_fix is None:  # one NLB: as many NLBs as it takes, with load_balancers
                fit = largest_fit([self.service_rule_count(s) for s in self.services], self.path_mtu_rule_count(self.services), MAX_RULES_PER_SECURITY_GROUP)
                max_listeners_fix = f"list the NLB under load_balancers with max_listeners: {fit}" if fit else ""
            # With two clients, neither a shared group nor a prefix list may be at hand: fewer listeners
            # per NLB always fit, whatever the clients (docs/several-nlbs.md, "Quotas and limits checked").
            fix = f", or {max_listeners_fix} (the most listeners whose rules fit in one group)" if max_listeners_fix else ""
            found.append(("clients", f"{inbound} inbound security group rules (clients x listener ports x protocols, a prefix list counted as its max entries, plus path MTU discovery); allowed: at most {MAX_RULES_PER_SECURITY_GROUP} per security group (VPC quota); use a shared client security group or prefix list{fix}"))
        outbound = len(egress_rules(self.services)) * len(self.network.pod_cidrs)
        if outbound > MAX_RULES_PER_SECURITY_GROUP:
            found.append(("services", f"{outbound} outbound security group rules (distinct target and health check ports x protocols x target CIDRs); allowed: at most {MAX_RULES_PER_SECURITY_GROUP} per security group (VPC quota)"))
        return found
