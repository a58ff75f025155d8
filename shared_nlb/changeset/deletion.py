"""Deleting a whole stack, refused up front while anything would stop the deletion half-way; and the
stack's termination protection, which makes CloudFormation refuse a deletion before it starts."""

from __future__ import annotations

from shared_nlb.changeset import events
from shared_nlb.changeset.client import Connection
from shared_nlb.changeset.errors import error_code, user_error
from shared_nlb.errors import UserError

LOAD_BALANCER_TYPE = "AWS::ElasticLoadBalancingV2::LoadBalancer"


def delete_stack(aws: Connection, stack_name: str, *, on_event: events.OnEvent | None = None) -> None:
    """Delete the stack, refusing up front (nothing deleted) when termination protection or a load
    balancer's deletion protection is on: CloudFormation would otherwise delete the listeners and
    target groups first and then fail on the load balancer."""
    stack = aws.stack(stack_name)
    if stack is None:
        raise UserError(f"stack {stack_name} does not exist")
    if stack.get("EnableTerminationProtection"):
        raise UserError(f"stack {stack_name} has termination protection on; turn it off first (aws cloudformation update-termination-protection)")
    if protected_load_balancers(aws, stack_name):
        raise UserError(
            f"stack {stack_name} was not deleted: its load balancer has deletion protection on; "
            "set load_balancer.deletion_protection: false, deploy, then delete"
        )
    seen = events.event_ids(aws, stack_name)
    aws.call("delete the stack", aws.cfn.delete_stack, StackName=stack["StackId"])
    events.wait(aws, stack["StackId"], ok=("DELETE_COMPLETE",), seen=seen, on_event=on_event)


def protected_load_balancers(aws: Connection, stack_name: str) -> list[str]:
    """The ARNs of the stack's load balancers that have deletion protection on: ELB refuses to delete
    them until it is turned off ("Edit attributes for your Network Load Balancer", Deletion
    protection). A load balancer that is already gone has nothing to protect."""
    resources = aws.call("list the stack's resources", aws.cfn.describe_stack_resources, StackName=stack_name)["StackResources"]
    elbv2 = aws.client("elbv2")
    protected = []
    for resource in resources:
        arn = resource.get("PhysicalResourceId")
        if resource.get("ResourceType") != LOAD_BALANCER_TYPE or not arn:
            continue
        try:
            attributes = elbv2.describe_load_balancer_attributes(LoadBalancerArn=arn)["Attributes"]
        except Exception as error:
            if error_code(error) == "LoadBalancerNotFound":
                continue
            raise user_error(error, "read the load balancer's attributes", aws.endpoint_url) from None
        if any(a["Key"] == "deletion_protection.enabled" and a["Value"] == "true" for a in attributes):
            protected.append(arn)
    return protected


def set_termination_protection(aws: Connection, stack_name: str, enabled: bool) -> bool:
    """Make the stack's termination protection `enabled`, reading it from DescribeStacks
    (`EnableTerminationProtection`) and calling UpdateTerminationProtection only when it differs, as
    `cdk deploy` does. While it is on, CloudFormation refuses DeleteStack before deleting anything
    (AWS CloudFormation User Guide, "Protect CloudFormation stacks from being deleted"). Returns
    whether it changed."""
    stack = aws.stack(stack_name)
    if stack is None:
        raise UserError(f"stack {stack_name} does not exist")
    if bool(stack.get("EnableTerminationProtection")) == enabled:
        return False
    what = f"turn {'on' if enabled else 'off'} the stack's termination protection"
    aws.call(what, aws.cfn.update_termination_protection, StackName=stack["StackId"], EnableTerminationProtection=enabled)
    return True


def unprotect_load_balancers(aws: Connection, arns: list[str] | tuple[str, ...]) -> None:
    """Turn off the deletion protection of each load balancer, so that a stack deletion can delete it
    (ModifyLoadBalancerAttributes `deletion_protection.enabled`: "Edit attributes for your Network Load
    Balancer", Deletion protection)."""
    elbv2 = aws.client("elbv2")
    for arn in arns:
        attributes = [{"Key": "deletion_protection.enabled", "Value": "false"}]
        aws.call("turn off the load balancer's deletion protection", elbv2.modify_load_balancer_attributes, LoadBalancerArn=arn, Attributes=attributes)
