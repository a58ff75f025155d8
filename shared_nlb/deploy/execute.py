"""Executing a deploy's change sets: one stack at a time, in an order Route 53 accepts, each failed
resource's event printed as it comes, labelled by its service."""

from __future__ import annotations

from typing import Any

from shared_nlb.changeset import CloudFormation, Plan


def execution_order(plans: list[Plan]) -> list[Plan]:
    """The order to execute the stacks' change sets in: the config's, except that a stack that removes
    DNS records goes first. Stacks share no resources (no cross-stack references), but a service
    moved to another entry by hand takes its record name along, and Route 53 refuses to create a
    record while another stack still holds one of that name ("Tried to create resource record set
    ... but it already exists", ChangeResourceRecordSets)."""
    return sorted(plans, key=lambda plan: not any(c.action == "Remove" and c.resource_type == "AWS::Route53::RecordSet" for c in plan.changes))


def execute(console: Any, aws: CloudFormation, plan: Plan) -> None:
    with console.status(f"executing change set on stack {plan.stack_name}") as status:
        print_failure = failures_printer(console, aws)

        def on_event(event: dict[str, Any]) -> None:
            status.update(aws.labels.event(event))
            print_failure(event)

        final = aws.execute(plan, on_event=on_event)
    console.print(f"stack {plan.stack_name}: {final}")


def failures_printer(console: Any, aws: CloudFormation) -> Any:
    """An `on_event` that prints each failed resource's event, labelled by its service, as it comes."""

    def on_event(event: dict[str, Any]) -> None:
        if event.get("ResourceStatusReason") and "FAILED" in event.get("ResourceStatus", ""):
            console.print(f"  {aws.labels.event(event)}")

    return on_event

