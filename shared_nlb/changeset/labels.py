"""Who a stack's logical ID belongs to, in words: `listener of service redis (RedisListener)`.

A config-built stack has flat logical IDs derived from service names (`shared_nlb.naming`), so the
naming functions, applied to the config's service names, are the inverse map. CloudFormation reports
failures by logical ID; these labels let every failure line name the service whose resource failed
(DESIGN.md, "Errors"), and `destroy` group what goes by service. Resources that belong to no service
(the load balancer, its security group, egress and path MTU rules, the endpoint service, controller
roles) are named as such; an ID nobody derives is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from shared_nlb import naming
from shared_nlb.changeset.errors import one_line

STACK_TYPE = "AWS::CloudFormation::Stack"
_SHARED = {
    naming.LOAD_BALANCER_ID: "the load balancer",
    naming.SECURITY_GROUP_ID: "the load balancer's security group",
    naming.ENDPOINT_SERVICE_ID: "the endpoint service",
    naming.ENDPOINT_SERVICE_PERMISSIONS_ID: "the endpoint service's allowed principals",
}
_ROLE_SUFFIX = naming.controller_role_id("")  # `<Cluster>ControllerRole`: the cluster's name is not read back
_SPACES = ("tcp", "udp")  # the IP protocols rules are keyed by (shared_nlb.ports.PORT_SPACES)
_EGRESS = re.compile(r"EgressTo(?P<space>[A-Z][a-z]+)(?P<port>\d+)")


class ResourceLabels:
    """Labels for the logical IDs of one config's stack; `ResourceLabels()` knows only the shared ones."""

    def __init__(self, service_names: Iterable[str] = ()):
        # Longest prefix first: `RedisCacheListener` is redis-cache's, not a `Redis...` of redis.
        self._services = sorted(set(service_names), key=lambda name: (-len(naming.pascal(name)), name))

    def __call__(self, logical_id: str) -> str:
        """`RedisListener` -> `listener of service redis (RedisListener)`."""
        owner = self._owner(logical_id)
        return f"{owner} ({logical_id})" if owner else logical_id

    def service(self, logical_id: str) -> tuple[str, str] | None:
        """The service a logical ID belongs to and what it is of it: `RedisListener` -> (`redis`,
        `listener`); None for shared resources and IDs nobody derives."""
        for exact in (True, False):  # a service's own ID before another service's prefix
            for name in self._services:
                kind = _service_resource(name, logical_id, exact=exact)
                if kind:
                    return name, kind
        return None

    def _owner(self, logical_id: str) -> str | None:
        if logical_id in _SHARED:
            return _SHARED[logical_id]
        if found := self.service(logical_id):
            return f"{found[1]} of service {found[0]}"
        egress = _EGRESS.match(logical_id)
        if egress and logical_id.startswith(naming.egress_rule_id(egress["space"].lower(), int(egress["port"]))):
            return f"egress rule to {egress['space'].lower()} port {egress['port']}"
        if logical_id.startswith(naming.path_mtu_rule_id("")):
            return "path MTU discovery rule"
        if logical_id.endswith(_ROLE_SUFFIX) and logical_id != _ROLE_SUFFIX:
            return "controller role of a cluster in another account"
        return None

    def event(self, event: dict[str, Any]) -> str:
        """A stack event as one line: `CREATE_FAILED listener of service redis (RedisListener): reason`;
        the stack's own events say `stack NAME`."""
        logical_id = event.get("LogicalResourceId", "")
        who = f"stack {logical_id}" if event.get("ResourceType") == STACK_TYPE else self(logical_id)
        reason = event.get("ResourceStatusReason")
        return f"{event.get('ResourceStatus', '')} {who}" + (f": {one_line(reason)}" if reason else "")

    def failure(self, event: dict[str, Any]) -> str:
        """A failed resource event as `listener of service redis (RedisListener): reason`."""
        return f"{self(event.get('LogicalResourceId', ''))}: {one_line(event.get('ResourceStatusReason') or event.get('ResourceStatus', ''))}"

    def mentioned(self, text: str) -> list[str]:
        """The labels of the logical IDs `text` names (a change set's StatusReason), in order of
        appearance; only IDs with an owner, so ordinary words are never taken for IDs."""
        found: list[str] = []
        for word in dict.fromkeys(re.findall(r"[A-Za-z][A-Za-z0-9]+", text)):
            if self._owner(word):
                found.append(self(word))
        return found


def _service_resource(name: str, logical_id: str, *, exact: bool) -> str | None:
    """What `logical_id` is of service `name`, by the naming functions: its own IDs (`exact`), or
    the prefixes of its rule IDs and of resources added beside its own, such as a staged target group."""
    if exact:
        own = {
            naming.target_group_id(name): "target group",
            naming.listener_id(name): "listener",
            naming.dns_record_id(name): "DNS record",
            naming.dns_record_id(name, ipv6=True): "DNS record (AAAA)",
            naming.alarm_id(name): "no-healthy-targets alarm",
        }
        return own.get(logical_id)
    if any(logical_id.startswith(naming.ingress_rule_id(name, space, "")) for space in _SPACES):
        return "ingress rule"
    if logical_id.startswith(naming.target_group_id(name)):
        return "target group"
    if logical_id.startswith(naming.listener_id(name)):
        return "listener"
    return None
