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



def say_where_each_stack_is(console: Any, aws: CloudFormation, plans: list[Plan]) -> None:
    """After an interrupt: one line per stack whose change set was executed, with its status now. One
    still in progress goes on in CloudFormation; `deploy` run again waits for nothing and takes it
    from where it ends."""
    for plan in plans:
        try:
            stack = aws.stack(plan.stack_name, fresh=True)
        except Exception as error:  # noqa: BLE001  (an interrupt must still say what it knows)
            console.print(f"stack {plan.stack_name}: its status cannot be read ({error})")
            continue
        status = stack["StackStatus"] if stack else "gone"
        going_on = status.endswith("_IN_PROGRESS")
        console.print(f"stack {plan.stack_name}: {status}" + ("; CloudFormation goes on with it: run deploy again once it has finished" if going_on else ""))
