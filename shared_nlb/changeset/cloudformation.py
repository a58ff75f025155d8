"""`CloudFormation`, the one handle the commands use: the connection, with each job's functions as
its methods."""

from __future__ import annotations

from collections.abc import Mapping

from shared_nlb.changeset import change_sets, deletion, drift, events
from shared_nlb.changeset.client import Connection
from shared_nlb.changeset.plan import Plan


class CloudFormation(Connection):
    """A stack's change sets and outputs through boto3: real AWS by default, or `endpoint_url`."""

    def create_change_set(
        self, stack_name: str, template_text: str, *, name: str | None = None, tags: Mapping[str, str] | None = None, executes: bool = True, revert_drift: bool = False
    ) -> Plan:
        """See `change_sets.create_change_set`."""
        return change_sets.create_change_set(self, stack_name, template_text, name=name, tags=tags, executes=executes, revert_drift=revert_drift)

    def detect_drift(self, stack_name: str) -> drift.StackDrift | None:
        """See `drift.detect`."""
        return drift.detect(self, stack_name)

    def delete_change_set(self, plan: Plan) -> None:
        """See `change_sets.delete_change_set`."""
        change_sets.delete_change_set(self, plan)

    def execute(self, plan: Plan, *, on_event: events.OnEvent | None = None) -> str:
        """See `events.execute`."""
        return events.execute(self, plan, on_event=on_event)

    def wait(self, stack_name: str, *, ok: tuple[str, ...], seen: set[str], on_event: events.OnEvent | None = None) -> str:
        """See `events.wait`."""
        return events.wait(self, stack_name, ok=ok, seen=seen, on_event=on_event)

    def delete_stack(self, stack_name: str, *, on_event: events.OnEvent | None = None) -> None:
        """See `deletion.delete_stack`."""
        deletion.delete_stack(self, stack_name, on_event=on_event)

    def set_termination_protection(self, stack_name: str, enabled: bool) -> bool:
        """See `deletion.set_termination_protection`."""
        return deletion.set_termination_protection(self, stack_name, enabled)
