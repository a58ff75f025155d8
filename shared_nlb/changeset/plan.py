"""What a change set would do, as read back from CloudFormation: a `Plan` of `Change`s."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    """One resource change of a change set, as CloudFormation describes it."""

    action: str  # Add | Modify | Remove | Import | Dynamic
    logical_id: str
    resource_type: str
    replacement: str = ""  # True | Conditional | False for Modify; "" otherwise
    physical_id: str | None = None
    # What a Modify changes, from the change's Details: property names, "Tags", or "Name (via X)" for
    # a property that refers to a replaced resource X; sorted, each once.
    changed: tuple[str, ...] = ()
    drift: str = ""  # a drift-aware change set's ResourceDriftStatus: MODIFIED | DELETED | IN_SYNC | ...; "" otherwise

    @property
    def repairs(self) -> bool:
        """A change of a drift-aware change set that sets a changed resource back or re-creates a deleted one."""
        return self.drift in ("MODIFIED", "DELETED")

    @property
    def replaced(self) -> bool:
        """A Modify that may give the resource a new physical ID."""
        return self.action == "Modify" and self.replacement in ("True", "Conditional")


@dataclass(frozen=True)
class Plan:
    """A described change set, not yet executed or deleted."""

    stack_name: str
    change_set_id: str  # "" once deleted (an empty change set is deleted as soon as it is described)
    kind: str  # CREATE | UPDATE
    changes: tuple[Change, ...]

    @property
    def empty(self) -> bool:
        return not self.changes
