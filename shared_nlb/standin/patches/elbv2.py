"""The ELBv2 fixes: load balancers (type, attributes, `net/` ARNs, deletion protection), target groups
(updated or replaced as CloudFormation would), listeners (weighted forward actions, updates,
certificates that must exist, one listener per port), removals, a network load balancer's security
groups (none added to one created without), and `Fn::GetAtt` of load balancers and target groups.

moto is imported inside each fix, so importing this module does not need moto.
"""

from __future__ import annotations

from typing import Any

from shared_nlb.standin.classify import TARGET_GROUP, replaces
from shared_nlb.standin.patches.state import ports_given_up, replace, replaced_target_groups


def _network_load_balancer_from_template() -> None:
    """Gap 1: `AWS::ElasticLoadBalancingV2::LoadBalancer` ignores `Type`, `IpAddressType`,
    `LoadBalancerAttributes` and `Tags`, so every load balancer is an application one and a TCP
    listener fails. Creates it as the template says, and updates attributes and subnets in place
    (moto has no update for it: a modified load balancer would become `None` in the stack). Subnets
    change in place as ELB's SetSubnets changes them: "You can enable or disable the Availability
    Zones for your Network Load Balancer at any time" ("Update the Availability Zones for your Network
    Load Balancer"), and CloudFormation updates `Subnets` without replacing the load balancer."""
    from moto.elbv2.models import FakeLoadBalancer, elbv2_backends

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json["Properties"]
        backend = elbv2_backends[account_id][region_name]
        load_balancer = backend.create_load_balancer(
            resource_name,
            properties.get("SecurityGroups") or [],
            properties.get("Subnets") or [],
            subnet_mappings=properties.get("SubnetMappings"),
            scheme=properties.get("Scheme", "internet-facing"),
            loadbalancer_type=properties.get("Type", "application"),
            ip_address_type=properties.get("IpAddressType", "ipv4"),
            tags=properties.get("Tags") or [],
        )
        _set_attributes(backend, load_balancer.arn, properties)
        return load_balancer

    def update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        backend = elbv2_backends[account_id][region_name]
        properties = cloudformation_json["Properties"]
        _set_attributes(backend, original_resource.arn, properties)
        subnets = properties.get("Subnets")
        if subnets and sorted(subnets) != sorted(s.id for s in original_resource.subnets):
            _set_subnets(backend, original_resource, subnets)
        return original_resource

    replace(FakeLoadBalancer, "create_from_cloudformation_json", classmethod(create))
    replace(FakeLoadBalancer, "update_from_cloudformation_json", classmethod(update))


def _set_subnets(backend: Any, balancer: Any, subnets: list[str]) -> None:
    """moto's SetSubnets, which wants two Availability Zones as an application load balancer does; a
    network load balancer may have one (its subnets are still one per zone, as moto checks)."""
    if len(subnets) > 1:
        backend.set_subnets(balancer.arn, subnets, [])
    else:
        balancer.subnets = [backend.ec2_backend.get_subnet(subnet) for subnet in subnets]


def _set_attributes(backend: Any, arn: str, properties: dict[str, Any]) -> None:
    attributes = {item["Key"]: str(item["Value"]) for item in properties.get("LoadBalancerAttributes") or []}
    if attributes:
        backend.modify_load_balancer_attributes(arn, attributes)


def _network_load_balancer_arns() -> None:
    """Gap 1 (ARNs): every load balancer's ARN says `loadbalancer/app/`, and so do its listeners'
    (`listener/app/`); ELB's ARN of a network load balancer says `loadbalancer/net/`. Templates depend
    on it: CDK writes an NLB's `LoadBalancer` metric dimension as the `net/<name>/<id>` part of its
    listener's ARN, which with `app/` names an application load balancer. Gives a network load
    balancer (and so its listeners) its `net/` ARN; tags follow it."""
    from moto.elbv2.models import ELBv2Backend

    original = ELBv2Backend.create_load_balancer

    def create_load_balancer(self, *args, **kwargs):
        balancer = original(self, *args, **kwargs)
        if balancer.type == "network":
            arn = balancer.arn.replace(":loadbalancer/app/", ":loadbalancer/net/", 1)
            self.load_balancers[arn] = self.load_balancers.pop(balancer.arn)
            self.tagging_service.copy_tags(balancer.arn, arn)
            self.tagging_service.delete_all_tags_for_resource(balancer.arn)
            balancer.arn = arn
        return balancer

    replace(ELBv2Backend, "create_load_balancer", create_load_balancer)


def _deletion_protection() -> None:
    """Gap 1 (attributes): `deletion_protection.enabled` is stored but never checked, so a protected
    load balancer can be deleted. Refuses as ELB does (OperationNotPermitted)."""
    from moto.elbv2.exceptions import ELBClientError
    from moto.elbv2.models import ELBv2Backend

    original = ELBv2Backend.delete_load_balancer

    def delete_load_balancer(self, arn):
        balancer = self.load_balancers.get(arn)
        if balancer is not None and balancer.attrs.get("deletion_protection.enabled") == "true":
            raise ELBClientError("OperationNotPermitted", f"Load balancer '{arn}' cannot be deleted because deletion protection is enabled")
        return original(self, arn)

    replace(ELBv2Backend, "delete_load_balancer", delete_load_balancer)


def _target_group_updates() -> None:
    """Gap 4: target group updates show as Modify but are not applied (moto has no update for target
    groups: the stack's reference becomes `None`), and `TargetGroupAttributes` are ignored. Replaces the
    target group when a replacing property changes (`replaces`, the change set's rule: new ARN; the old
    one is deleted after the execution), and otherwise applies health check and attribute changes in
    place."""
    from moto.elbv2.models import FakeTargetGroup, elbv2_backends

    original_create = FakeTargetGroup.create_from_cloudformation_json.__func__

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        target_group = original_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        _apply_target_group(elbv2_backends[account_id][region_name], target_group.arn, cloudformation_json["Properties"])
        target_group.standin_properties = cloudformation_json["Properties"]
        return target_group

    def update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        properties = cloudformation_json["Properties"]
        if replaces(TARGET_GROUP, original_resource.standin_properties, properties):
            replacement = create(cls, new_resource_name, cloudformation_json, account_id, region_name)
            replaced_target_groups.append((account_id, region_name, original_resource.arn))
            return replacement
        _apply_target_group(elbv2_backends[account_id][region_name], original_resource.arn, properties)
        original_resource.standin_properties = properties
        return original_resource

    replace(FakeTargetGroup, "create_from_cloudformation_json", classmethod(create))
    replace(FakeTargetGroup, "update_from_cloudformation_json", classmethod(update))


def _apply_target_group(backend: Any, arn: str, properties: dict[str, Any]) -> None:
    backend.modify_target_group(
        arn,
        health_check_proto=properties.get("HealthCheckProtocol"),
        health_check_port=properties.get("HealthCheckPort"),
        health_check_path=properties.get("HealthCheckPath"),
        health_check_interval=properties.get("HealthCheckIntervalSeconds"),
        health_check_timeout=properties.get("HealthCheckTimeoutSeconds"),
        healthy_threshold_count=properties.get("HealthyThresholdCount"),
        unhealthy_threshold_count=properties.get("UnhealthyThresholdCount"),
    )
    attributes = {item["Key"]: str(item["Value"]) for item in properties.get("TargetGroupAttributes") or []}
    if attributes:
        backend.modify_target_group_attributes(arn, attributes)


def _removals() -> None:
    """Gap 5 (deletes): removing a listener or a target group from the template, or deleting the
    stack, leaves them behind (moto has no delete for either), so the target group stays and the
    port stays taken. Gives both a delete, so removals and stack deletion clean up. moto removes
    resources before it updates the ones that referred to them, while CloudFormation removes them in
    its clean-up phase, after the updates (stack status UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, "Stack
    status codes" in the CloudFormation User Guide); a target group a listener still forwards to (the
    listener's update, which comes later in moto, switches it away) is deleted after the execution,
    as a replaced one is. `cloudformation._creates_before_deletes` puts removals after the updates;
    the queue still serves a stack's deletion, where moto deletes in no fixed order."""
    from moto.elbv2.exceptions import ResourceInUseError
    from moto.elbv2.models import FakeListener, FakeTargetGroup, elbv2_backends

    def delete_target_group(self, account_id, region_name):
        backend = elbv2_backends[account_id][region_name]
        if self.arn in backend.target_groups:
            try:
                backend.delete_target_group(self.arn)
            except ResourceInUseError:
                replaced_target_groups.append((account_id, region_name, self.arn))

    def delete_listener(self, account_id, region_name):
        backend = elbv2_backends[account_id][region_name]
        if any(self.arn in lb.listeners for lb in backend.load_balancers.values()):
            backend.delete_listener(self.arn)

    replace(FakeTargetGroup, "delete", delete_target_group)
    replace(FakeListener, "delete", delete_listener)


def _weighted_forward_from_template() -> None:
    """Gap 7: an `AWS::ElasticLoadBalancingV2::Listener` whose forward action has a `ForwardConfig`
    (weighted target groups, which NLB listeners take since November 2025) fails with a KeyError on
    create and update: moto's template reader keeps only `TargetGroupArn` of a forward action. Passes
    such actions through whole, as moto's CreateListener API does."""
    from moto.elbv2.exceptions import InvalidActionTypeError
    from moto.elbv2.models import ALLOWED_ACTIONS, ELBv2Backend

    def convert_and_validate_properties(self, properties):
        actions = []
        for index, action in enumerate(properties["DefaultActions"]):
            if action["Type"] == "forward" and "ForwardConfig" in action:
                actions.append({"Type": "forward", "ForwardConfig": action["ForwardConfig"]})
            elif action["Type"] == "forward":
                actions.append({"Type": "forward", "TargetGroupArn": action["TargetGroupArn"]})
            elif action["Type"] in ALLOWED_ACTIONS:
                actions.append(action)
            else:
                raise InvalidActionTypeError(action["Type"], index + 1)
        return actions

    replace(ELBv2Backend, "convert_and_validate_properties", convert_and_validate_properties)


def _elbv2_get_att() -> None:
    """Not in TOOLCHAIN.md: `Fn::GetAtt` of a load balancer's `CanonicalHostedZoneID`,
    `LoadBalancerFullName` or `SecurityGroups` is left unresolved (moto logs a warning and the
    `Fn::GetAtt` itself becomes the value: a Route 53 alias to the NLB gets the text
    "{'Fn::GetAtt': ...}" as its hosted zone), and a target group has no `Fn::GetAtt` at all: an
    AttributeError, which fails a resource that uses one (a CloudWatch alarm's `TargetGroup` dimension
    is `TargetGroupFullName`) and, in an output, takes all of the stack's outputs out of
    DescribeStacks. Answers them from the resource, as DescribeLoadBalancers and DescribeTargetGroups
    do."""
    from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
    from moto.elbv2.models import FakeLoadBalancer, FakeTargetGroup

    original = FakeLoadBalancer.get_cfn_attribute

    def load_balancer_attribute(self, attribute_name):
        # The full name is the ARN's resource path after "loadbalancer/", as CloudWatch's dimension wants
        values = {
            "CanonicalHostedZoneID": lambda: self.canonical_hosted_zone_id,
            "LoadBalancerFullName": lambda: self.arn.split(":loadbalancer/", 1)[1],
            "SecurityGroups": lambda: list(self.security_groups),
        }
        return values[attribute_name]() if attribute_name in values else original(self, attribute_name)

    def target_group_attribute(self, attribute_name):
        values = {
            "TargetGroupFullName": lambda: self.arn.rsplit(":", 1)[1],
            "TargetGroupName": lambda: self.name,
            "TargetGroupArn": lambda: self.arn,
            "LoadBalancerArns": lambda: list(self.load_balancer_arns),
        }
        if attribute_name not in values:
            raise UnformattedGetAttTemplateException()
        return values[attribute_name]()

    replace(FakeLoadBalancer, "get_cfn_attribute", load_balancer_attribute)
    replace(FakeTargetGroup, "get_cfn_attribute", target_group_attribute)


def _listener_updates() -> None:
    """Not in TOOLCHAIN.md: moto's listener update goes through its ModifyListener, which refuses the
    TLS, UDP and TCP_UDP protocols (UnsupportedProtocol), so updating such a listener fails the stack;
    and it checks certificates for HTTPS only, so a TLS listener may be given a certificate that does
    not exist (moto's create refuses one, with classic ELB's wording). ELBv2 refuses a certificate
    that is in neither ACM nor IAM with CertificateNotFound, on CreateListener and ModifyListener alike
    (API reference, errors of both); this does, and updates any listener in place."""
    from moto.elbv2.models import FakeAction, FakeListener, elbv2_backends

    original_create = FakeListener.create_from_cloudformation_json.__func__

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        _certificates_exist(account_id, region_name, cloudformation_json["Properties"])
        return original_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)

    def update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        properties = cloudformation_json["Properties"]
        _certificates_exist(account_id, region_name, properties)
        listener = original_resource
        certificates = [c["CertificateArn"] for c in properties.get("Certificates") or []]
        listener.port, listener.protocol = properties.get("Port", listener.port), properties.get("Protocol", listener.protocol)
        listener.ssl_policy, listener.alpn_policy = properties.get("SslPolicy"), properties.get("AlpnPolicy")
        listener.certificate, listener.certificates = (certificates[0] if certificates else None), certificates
        actions = [FakeAction(action) for action in elbv2_backends[account_id][region_name].convert_and_validate_properties(properties)]
        listener.default_actions = actions
        listener._default_rule[0].actions = actions
        return listener

    replace(FakeListener, "create_from_cloudformation_json", classmethod(create))
    replace(FakeListener, "update_from_cloudformation_json", classmethod(update))


def _certificates_exist(account_id: str, region_name: str, properties: dict[str, Any]) -> None:
    from moto.acm.models import CertificateNotFound, acm_backends
    from moto.elbv2.exceptions import ELBClientError
    from moto.iam.models import iam_backends

    for certificate in properties.get("Certificates") or []:
        arn = certificate.get("CertificateArn", "")
        try:
            acm_backends[account_id][region_name].get_certificate(arn)
        except CertificateNotFound:
            if iam_backends[account_id]["aws"].get_certificate_by_arn(arn) is None:
                raise ELBClientError("CertificateNotFound", f"Certificate '{arn}' not found") from None


def _duplicate_listeners() -> None:
    """Not in TOOLCHAIN.md: a second listener on a port its load balancer already listens on is
    accepted (moto compares the port with the listener ARNs it keys them by, so its own check never
    matches), and so is a listener moved onto such a port. ELB refuses both with DuplicateListener, "A
    listener with the specified port already exists" (ELB API reference, CreateListener and
    ModifyListener, Errors); so does this, on the API and through CloudFormation (create and update
    of an `AWS::ElasticLoadBalancingV2::Listener`). An update that moves a listener onto a port another
    listener of the same update moves away from is refused too, whatever the order: CloudFormation
    updates both in parallel ("Update behaviors of stack resources"), so on AWS it fails whenever the
    first move comes first (`patches.state.ports_given_up`)."""
    from moto.elbv2.models import ELBv2Backend, FakeListener, elbv2_backends

    original_create = ELBv2Backend.create_listener
    original_modify = ELBv2Backend.modify_listener
    original_update = FakeListener.update_from_cloudformation_json.__func__

    def create_listener(self, load_balancer_arn, protocol, port, *args, **kwargs):
        _port_free(self, load_balancer_arn, port)
        return original_create(self, load_balancer_arn, protocol, port, *args, **kwargs)

    def modify_listener(self, arn, port=None, *args, **kwargs):
        if port is not None:
            _port_free(self, _load_balancer_of(self, arn), port, listener_arn=arn)
        return original_modify(self, arn, port, *args, **kwargs)

    def update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        # the template's update may set the port itself (`_listener_updates`), past ModifyListener
        port = cloudformation_json["Properties"].get("Port")
        if port is not None:
            _port_free(elbv2_backends[account_id][region_name], original_resource.load_balancer_arn, port, listener_arn=original_resource.arn)
            if str(port) != str(original_resource.port) and (original_resource.load_balancer_arn, str(port)) in ports_given_up:
                # another listener of the update gives this port up: on AWS, whichever goes first wins
                from moto.elbv2.exceptions import DuplicateListenerError

                raise DuplicateListenerError()
        return original_update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name)

    replace(ELBv2Backend, "create_listener", create_listener)
    replace(ELBv2Backend, "modify_listener", modify_listener)
    replace(FakeListener, "update_from_cloudformation_json", classmethod(update))


def _load_balancer_of(backend: Any, listener_arn: str) -> str | None:
    return next((arn for arn, balancer in backend.load_balancers.items() if listener_arn in balancer.listeners), None)


def _port_free(backend: Any, load_balancer_arn: str | None, port: Any, *, listener_arn: str | None = None) -> None:
    """Refuse `port` when another listener of the load balancer has it (ports compared as numbers:
    the API passes text, templates numbers)."""
    from moto.elbv2.exceptions import DuplicateListenerError

    balancer = backend.load_balancers.get(load_balancer_arn)
    if balancer is None:
        return  # moto's own call answers LoadBalancerNotFound
    if any(str(listener.port) == str(port) for arn, listener in balancer.listeners.items() if arn != listener_arn):
        raise DuplicateListenerError()


def _network_load_balancer_security_groups() -> None:
    """Not in TOOLCHAIN.md: a network load balancer created without security groups takes some later,
    by SetSecurityGroups or by a template whose `SecurityGroups` changes (the template's change is not
    even applied: a load balancer's update here only sets attributes). ELB refuses the first with
    InvalidConfigurationRequest ("You can't perform this operation on a Network Load Balancer unless
    you specified a security group for the load balancer when you created it", ELB API reference,
    SetSecurityGroups); CloudFormation updates `SecurityGroups` in place, through that call (it is
    not among the resource type's `createOnlyProperties`, which are Name, Type and Scheme), so the
    update fails. Refuses both as ELB does, and applies a change of a load balancer that
    has security groups."""
    from moto.elbv2.exceptions import ELBClientError
    from moto.elbv2.models import ELBv2Backend, FakeLoadBalancer, elbv2_backends

    original_set = ELBv2Backend.set_security_groups
    original_update = FakeLoadBalancer.update_from_cloudformation_json.__func__

    def set_security_groups(self, arn, sec_groups):
        balancer = self.load_balancers.get(arn)
        if balancer is not None and balancer.type == "network" and not balancer.security_groups:
            # ELB's own wording, as its SetSecurityGroups answers (quoted in
            # kubernetes-sigs/cluster-api-provider-aws issue 4790)
            raise ELBClientError("InvalidConfigurationRequest", "You cannot set security groups on a Network Load Balancer which was created without any security groups.")
        return original_set(self, arn, sec_groups)

    def update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        wanted = cloudformation_json["Properties"].get("SecurityGroups") or []
        if sorted(wanted) != sorted(original_resource.security_groups):
            elbv2_backends[account_id][region_name].set_security_groups(original_resource.arn, wanted)
        return original_update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name)

    replace(ELBv2Backend, "set_security_groups", set_security_groups)
    replace(FakeLoadBalancer, "update_from_cloudformation_json", classmethod(update))
