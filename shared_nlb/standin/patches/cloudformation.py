"""The CloudFormation fixes for change sets and their executions: which resources a change set
replaces (and updating those that reference them), outputs and exports refreshed after an execution,
imports in a stack created by a change set, the stack's tags from an UPDATE change set, and a change
set that does not exist deleted without error and described as not found (as the real `cdk` CLI
expects), and an update's order: creates and updates first, deletes in the clean-up phase.

moto is imported inside each fix, so importing this module does not need moto.
"""

from __future__ import annotations

from typing import Any

from shared_nlb.standin.classify import change_details, classify
from shared_nlb.standin.patches.state import delete_queued_target_groups, ports_given_up, replace, replaced_target_groups

LISTENER = "AWS::ElasticLoadBalancingV2::Listener"


def _change_set_replacements() -> None:
    """Not in TOOLCHAIN.md, found here: a change set's changes carry no `Replacement` or
    `PhysicalResourceId`, and a resource that references a replaced one (a listener forwarding to a
    replaced target group) is neither listed nor updated, so the listener keeps forwarding to the old
    target group. Lists and updates it, and says Replacement True / Conditional / False as
    CloudFormation does."""
    from moto.cloudformation.models import ChangeSet
    from moto.cloudformation.parsing import ResourceMap

    original_diff = ResourceMap.build_resource_diff

    def build_resource_diff(self, other_template, parameters=None):
        actions = original_diff(self, other_template, parameters)
        for name in classify(self._resource_json_map, other_template["Resources"]):
            if name not in actions["Modify"] and name in self._resource_json_map and name in other_template["Resources"]:
                actions["Modify"].append(name)
        return actions

    original_change_set_diff = ChangeSet.diff

    def diff(self):
        changes = original_change_set_diff(self)
        old = self.stack.resource_map._resource_json_map
        replacements = classify(old, self.template_dict.get("Resources", {}))
        for change in changes:
            parsed = self.stack.resource_map._parsed_resources.get(change.logical_resource_id)
            change.physical_resource_id = getattr(parsed, "physical_resource_id", None) if change.action != "Add" else None
            if change.action == "Modify":
                change.replacement = replacements.get(change.logical_resource_id, "False")
                new = self.template_dict.get("Resources", {}).get(change.logical_resource_id, {})
                change.scope, change.details = change_details(old.get(change.logical_resource_id, {}), new, replacements)
        return changes

    replace(ResourceMap, "build_resource_diff", build_resource_diff)
    replace(ChangeSet, "diff", diff)


def _executed_change_sets() -> None:
    """Gap 5 (outputs): `execute_change_set` adds resources but does not refresh Outputs or exports
    (a CREATE change set leaves the stack with no outputs at all). Refreshes both after execution,
    with CloudFormation's export-uniqueness check, and deletes replaced target groups afterwards."""
    from moto.cloudformation.exceptions import ValidationError
    from moto.cloudformation.models import CloudFormationBackend

    original = CloudFormationBackend.execute_change_set

    def execute_change_set(self, change_set_name, stack_name=None):
        replaced_target_groups.clear()
        original(self, change_set_name, stack_name)
        change_set = self.describe_change_set(change_set_name)
        stack = self.stacks[change_set.stack_id]
        stack._parse_template()
        stack.description = stack.template_dict.get("Description")
        stack.output_map = stack._create_output_map()
        mine = [name for name, export in self.exports.items() if export.exporting_stack_id == stack.stack_id]
        taken = set(self.exports) - set(mine)
        new = stack.exports
        if taken & {export.name for export in new}:
            raise ValidationError(stack.stack_id, message="Export names must be unique across a given region")
        for name in mine:
            del self.exports[name]
        for export in new:
            self.exports[export.name] = export
        delete_queued_target_groups()

    replace(CloudFormationBackend, "execute_change_set", execute_change_set)


def _executed_change_sets_retire_the_others() -> None:
    """Not in TOOLCHAIN.md: moto keeps every change set of a stack after one of them is executed, with
    its ExecutionStatus AVAILABLE. CloudFormation does not: "Unless you delete them, CloudFormation
    retains all change sets until you update the stack" (CloudFormation User Guide, "Delete a change set
    for a CloudFormation stack"). shared-nlb reads another run's pending change sets from that list, so
    a leftover that AWS would have removed would stop the next deploy. Removes the stack's change sets
    once one of them has been executed."""
    from moto.cloudformation.models import CloudFormationBackend

    original = CloudFormationBackend.execute_change_set

    def execute_change_set(self, change_set_name, stack_name=None):
        original(self, change_set_name, stack_name)
        executed = self.describe_change_set(change_set_name)
        for change_set_id in [k for k, c in self.change_sets.items() if c.stack_id == executed.stack_id]:
            del self.change_sets[change_set_id]

    replace(CloudFormationBackend, "execute_change_set", execute_change_set)


def _change_sets_listed_per_stack() -> None:
    """Not in TOOLCHAIN.md: moto's ListChangeSets answers every change set of the region, whatever
    `StackName` asks for; CloudFormation lists "the ID and status of each active change set for a
    stack" (API reference, ListChangeSets). Lists the change sets of the stack asked for (by name or
    ID) alone."""
    from moto.cloudformation.responses import CloudFormationResponse

    original = CloudFormationResponse.list_change_sets

    def list_change_sets(self):
        wanted = self._get_param("StackName")
        backend = self.cloudformation_backend
        stack = next((s for s in backend.stacks.values() if wanted in (s.name, s.stack_id) and s.status != "DELETE_COMPLETE"), None)
        saved = backend.change_sets
        backend.change_sets = {k: c for k, c in saved.items() if stack is not None and c.stack_id == stack.stack_id}
        try:
            return original(self)
        finally:
            backend.change_sets = saved

    replace(CloudFormationResponse, "list_change_sets", list_change_sets)


def _imports_in_change_set_stacks() -> None:
    """Not in TOOLCHAIN.md: a stack created by a CREATE change set cannot import. moto's
    `create_change_set` builds its stack without the region's exports (`create_stack` passes them,
    `create_change_set` does not), so every `Fn::ImportValue` fails with "No export named ... found"
    even when another stack exports that name; a CDK app whose stacks share a VPC cannot deploy. Gives
    the stack the region's exports as they stand when its change set executes, as CloudFormation
    resolves imports then."""
    from moto.cloudformation.models import CloudFormationBackend

    original = CloudFormationBackend.create_change_set

    def create_change_set(self, *args, **kwargs):
        change_set_id, stack_id = original(self, *args, **kwargs)
        stack = self.stacks[stack_id]
        # the backend's own dict, not a copy: exports added later are seen at execution
        stack.cross_stack_resources = stack.resource_map.cross_stack_resources = self.exports
        return change_set_id, stack_id

    replace(CloudFormationBackend, "create_change_set", create_change_set)


def _update_stack_tags() -> None:
    """Not in TOOLCHAIN.md: an executed UPDATE change set leaves the stack's own tags as they were at
    creation; CloudFormation replaces them with the change set's `Tags`, as `cdk deploy` relies on.
    moto reads an absent `Tags` as an empty one, so on the stand-in an UPDATE change set without
    `Tags` clears them; shared-nlb always passes the config's `stack.tags`."""
    from moto.cloudformation.models import CloudFormationBackend

    original = CloudFormationBackend.execute_change_set

    def execute_change_set(self, change_set_name, stack_name=None):
        original(self, change_set_name, stack_name)
        change_set = self.describe_change_set(change_set_name)
        if change_set.change_set_type == "UPDATE" and change_set.tags is not None:
            self.stacks[change_set.stack_id].tags = dict(change_set.tags)

    replace(CloudFormationBackend, "execute_change_set", execute_change_set)


def _missing_change_set_deletes() -> None:
    """Gap of the real CDK CLI (TOOLCHAIN.md, "The real CDK CLI against the stand-in"): DeleteChangeSet
    of a name that does not exist fails with an internal error (HTTP 500). `cdk deploy` deletes its
    change set by name before creating one, and retries that error for the better part of a minute.
    CloudFormation answers success while the stack exists; so does this."""
    from moto.cloudformation.models import CloudFormationBackend

    original = CloudFormationBackend.delete_change_set

    def delete_change_set(self, change_set_name):
        if _change_set_exists(self, change_set_name):
            original(self, change_set_name)

    replace(CloudFormationBackend, "delete_change_set", delete_change_set)


def _missing_change_set_describes() -> None:
    """Gap of the real CDK CLI (TOOLCHAIN.md, "The real CDK CLI against the stand-in"):
    DescribeChangeSet of a name that does not exist answers ValidationError "Stack with id <name>
    does not exist" (HTTP 400). CloudFormation answers ChangeSetNotFound (HTTP 404), which `cdk deploy`
    and `cdk diff` take as "no change set yet"; moto's answer fails every update deploy. Answers as
    CloudFormation does."""
    from moto.cloudformation.exceptions import CloudFormationError
    from moto.cloudformation.models import CloudFormationBackend

    class ChangeSetNotFound(CloudFormationError):
        # The error's shape name in the CloudFormation model: moto's server answers with the shape's
        # code (ChangeSetNotFound) and HTTP status (404) from there.
        code = "ChangeSetNotFoundException"

    original = CloudFormationBackend.describe_change_set

    def describe_change_set(self, change_set_name):
        if not _change_set_exists(self, change_set_name):
            raise ChangeSetNotFound(f"ChangeSet [{change_set_name}] does not exist")
        return original(self, change_set_name)

    replace(CloudFormationBackend, "describe_change_set", describe_change_set)


def _change_set_exists(backend: Any, change_set_name: str) -> bool:
    """moto's own lookup: a change set's ID (its key) or its name."""
    return change_set_name in backend.change_sets or any(c.change_set_name == change_set_name for c in backend.change_sets.values())


def _creates_before_deletes() -> None:
    """Not in TOOLCHAIN.md: an update (an executed change set, UpdateStack, and so a rollback, which
    restores the previous template the same way) deletes the resources the new template removes
    first, then creates the added ones, then updates the modified ones. CloudFormation creates and
    updates first and deletes removed resources only in its clean-up phase, once every create and
    update has succeeded (stack status UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, "Stack status codes";
    "Update behaviors of stack resources", both in the CloudFormation User Guide). The order decides
    what AWS refuses: a listener renamed (a new logical ID, the same port) is created while the old
    one still holds the port, and fails with DuplicateListener; moto's order hid that. Creates, then
    updates, then deletes, each step retried as moto retries it (a resource may wait for another).
    While the updates run, the ports that listeners move away from are known (`ports_given_up`):
    CloudFormation updates resources that do not depend on each other in parallel, in no set order,
    so a listener moved onto one of them may come first, and `_duplicate_listeners` takes that order."""
    from moto.cloudformation import parsing

    def update(self, template, parameters=None):
        actions = self.build_resource_diff(template, parameters)
        removed = {name: self._resource_json_map[name] for name in actions["Remove"]}
        self._template = template
        if parameters:
            self.input_parameters = parameters
        self.load_mapping()
        self.load_parameters()
        self.load_conditions()
        self._resource_json_map = template["Resources"]
        for name in actions["Add"]:
            _ = self[name]  # moto's way to create a resource: its map creates on first access

        def modify(name):
            self._parsed_resources[name] = parsing.parse_and_update_resource(name, self._resource_json_map[name], self, account_id=self._account_id, region_name=self._region_name)

        def remove(name):
            if name in self._parsed_resources:
                self._delete_resource(self._parsed_resources[name], removed[name])

        ports_given_up.clear()
        ports_given_up.update(_listener_ports_given_up(self, actions["Modify"], template["Resources"]))
        try:
            _retried(actions["Modify"], modify, parsing.MAX_UPDATE_ATTEMPTS)
        finally:
            ports_given_up.clear()
        _retried(actions["Remove"], remove, parsing.MAX_UPDATE_ATTEMPTS)

    replace(parsing.ResourceMap, "update", update)


def _listener_ports_given_up(resource_map: Any, modified: list[str], resources: dict[str, Any]) -> set[tuple[str, str]]:
    """(load balancer ARN, port) of each deployed listener the update moves to another port."""
    given_up = set()
    for name in modified:
        parsed = resource_map._parsed_resources.get(name)
        new_port = resources.get(name, {}).get("Properties", {}).get("Port")
        if resources.get(name, {}).get("Type") == LISTENER and parsed is not None and new_port is not None and str(parsed.port) != str(new_port):
            given_up.add((parsed.load_balancer_arn, str(parsed.port)))
    return given_up


def _retried(names: list[str], step: Any, attempts: int) -> None:
    """Run `step` on each name; those that fail are tried again, up to `attempts` passes (moto's own
    loop: a resource that depends on one not yet done succeeds on a later pass); the last error is
    raised when some never succeed."""
    left, error = list(names), None
    for _ in range(attempts - 1):
        if not left:
            return
        for name in list(left):
            try:
                step(name)
            except Exception as caught:  # noqa: BLE001 - retried, then raised
                error = caught
            else:
                left.remove(name)
    if left and error is not None:
        raise error
