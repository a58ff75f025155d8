"""CloudFormation change sets with boto3: create, describe, classify, execute or delete; outputs.

The same code talks to AWS and to the embedded stand-in (`shared_nlb.standin`); only the endpoint and
the credentials differ. Every AWS failure becomes one `UserError` line (no credentials, endpoint
unreachable, stack in a failed state, deletion protection): the command line prints it and exits 1.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from shared_nlb.errors import UserError

# CreateChangeSet takes a TemplateBody of at most 51,200 bytes; larger templates go through S3.
MAX_TEMPLATE_BODY = 51_200
# The CDK bootstrap stack's asset bucket (default qualifier), where `cdk deploy` puts large templates
# too; the template's BootstrapVersion rule already requires the environment to be bootstrapped.
BOOTSTRAP_BUCKET = "cdk-hnb659fds-assets-{account}-{region}"
NO_CHANGES = ("didn't contain changes", "No updates are to be performed")
# The region for an --endpoint-url with none given: a local stand-in has no real one, and us-east-1 is
# what moto and LocalStack assume. The embedded stand-in (`shared_nlb.standin.REGION`) runs in it too.
ENDPOINT_DEFAULT_REGION = "us-east-1"
_NO_REGION = "no AWS region: pass --region, set stack.region in the config, or set AWS_REGION"
# Stacks in these states cannot take a change set until someone acts.
_BLOCKED = {
    "ROLLBACK_COMPLETE": "its creation failed and was rolled back; delete the stack, then deploy again",
    "ROLLBACK_FAILED": "its creation failed and the rollback failed too; delete the stack in the console, then deploy again",
    "DELETE_FAILED": "a deletion failed; finish deleting it (or fix what blocked it) first",
    "UPDATE_ROLLBACK_FAILED": "an update rollback failed; continue the rollback (aws cloudformation continue-update-rollback) first",
    "IMPORT_ROLLBACK_FAILED": "an import rollback failed; fix it in the console first",
}


@dataclass(frozen=True)
class Change:
    """One resource change of a change set, as CloudFormation describes it."""

    action: str  # Add | Modify | Remove | Import | Dynamic
    logical_id: str
    resource_type: str
    replacement: str = ""  # True | Conditional | False for Modify; "" otherwise
    physical_id: str | None = None

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


class CloudFormation:
    """A stack's change sets and outputs through boto3: real AWS by default, or `endpoint_url`."""

    def __init__(self, *, endpoint_url: str | None = None, region: str | None = None, session: Any = None, poll_seconds: float = 3.0):
        import boto3

        self.endpoint_url = endpoint_url
        self.session = session or boto3.Session(region_name=region)
        self.region = region or self.session.region_name
        self.poll_seconds = poll_seconds
        if self.region is None:
            raise UserError(_NO_REGION)
        if self.session.get_credentials() is None:
            raise UserError("no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
        self.cfn = self._client("cloudformation")

    def _client(self, service: str) -> Any:
        from botocore.config import Config as BotoConfig

        # Few retries: an unreachable endpoint should fail in seconds, not after minutes of back-off.
        config = BotoConfig(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5)
        return self.session.client(service, region_name=self.region, endpoint_url=self.endpoint_url, config=config)

    # --- stack state ---------------------------------------------------------------------------------
    def stack(self, stack_name: str) -> dict[str, Any] | None:
        """The stack's description, or None when it does not exist."""
        try:
            return self.cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
        except Exception as error:
            if _code(error) == "ValidationError" and "does not exist" in _message(error):
                return None
            raise _user_error(error, "describe the stack", self.endpoint_url) from None

    def outputs(self, stack_name: str) -> dict[str, str]:
        stack = self.stack(stack_name)
        if stack is None:
            raise UserError(f"stack {stack_name} does not exist")
        return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs") or []}

    # --- change sets ---------------------------------------------------------------------------------
    def create_change_set(self, stack_name: str, template_text: str, *, name: str = "shared-nlb", tags: Mapping[str, str] | None = None) -> Plan:
        """Create a change set (CREATE for a new stack, else UPDATE), wait for it, and describe it.
        A change set with no changes gives an empty Plan (its change set already deleted). `tags` are
        the stack's own tags (CloudFormation also propagates them to the resources), as `cdk deploy`
        passes them; None leaves them out (an empty mapping removes the stack's tags)."""
        stack = self.stack(stack_name)
        status = stack["StackStatus"] if stack else None
        if status in _BLOCKED:
            raise UserError(f"stack {stack_name} is in {status}: {_BLOCKED[status]}")
        if status and status.endswith("_IN_PROGRESS") and status != "REVIEW_IN_PROGRESS":
            raise UserError(f"stack {stack_name} is busy ({status}); wait until it finishes, then try again")
        if status == "REVIEW_IN_PROGRESS":  # an empty stack left by an earlier change set: start over
            self._delete_empty_stack(stack_name)
            status = None
        kind = "UPDATE" if status else "CREATE"
        if kind == "UPDATE":
            self._delete_quietly(stack_name, name)
        created = self._call(
            "create the change set",
            self.cfn.create_change_set,
            StackName=stack_name,
            ChangeSetName=name,
            ChangeSetType=kind,
            Description="shared-nlb",
            **({"Tags": [{"Key": k, "Value": v} for k, v in sorted(tags.items())]} if tags is not None else {}),
            **self._template_argument(template_text),
        )
        change_set_id = created["Id"]
        described = self._wait_for_change_set(change_set_id, stack_name)
        if described["Status"] == "FAILED":
            reason = described.get("StatusReason") or "no reason given"
            self.delete_change_set(Plan(stack_name, change_set_id, kind, ()))
            if any(text in reason for text in NO_CHANGES):
                return Plan(stack_name, "", kind, ())  # no ID: its change set is already deleted
            raise UserError(f"change set for stack {stack_name} failed: {_one_line(reason)}")
        return Plan(stack_name, change_set_id, kind, tuple(self._changes(described, change_set_id, stack_name)))

    def _template_argument(self, template_text: str) -> dict[str, str]:
        body = template_text
        if len(body.encode()) > MAX_TEMPLATE_BODY:
            body = json.dumps(json.loads(template_text), separators=(",", ":"))  # same template, no indentation
        if len(body.encode()) <= MAX_TEMPLATE_BODY:
            return {"TemplateBody": body}
        return {"TemplateURL": self._upload(body)}

    def _upload(self, body: str) -> str:
        """Put a template too large for TemplateBody in the CDK bootstrap bucket, as `cdk deploy` does."""
        account = self._call("find the account", self._client("sts").get_caller_identity)["Account"]
        bucket = BOOTSTRAP_BUCKET.format(account=account, region=self.region)
        key = f"shared-nlb/{hashlib.sha256(body.encode()).hexdigest()}.json"
        self._call(f"upload the template to s3://{bucket} (is the environment bootstrapped?)", self._client("s3").put_object, Bucket=bucket, Key=key, Body=body.encode())
        return f"https://{bucket}.s3.{self.region}.amazonaws.com/{key}"

    def _wait_for_change_set(self, change_set_id: str, stack_name: str) -> dict[str, Any]:
        while True:
            described = self._call("describe the change set", self.cfn.describe_change_set, ChangeSetName=change_set_id, StackName=stack_name)
            if described["Status"] in ("CREATE_COMPLETE", "FAILED", "DELETE_COMPLETE", "DELETE_FAILED"):
                return described
            time.sleep(self.poll_seconds)

    def _changes(self, first_page: dict[str, Any], change_set_id: str, stack_name: str) -> Iterator[Change]:
        """The changes of a described change set: `first_page` (the description the wait ended with),
        then any further pages."""
        page = first_page
        while True:
            for item in page.get("Changes") or []:
                change = item.get("ResourceChange") or {}
                action = change.get("Action", "")
                yield Change(
                    action=action,
                    logical_id=change.get("LogicalResourceId", ""),
                    resource_type=change.get("ResourceType", ""),
                    replacement=change.get("Replacement", "False") if action == "Modify" else "",
                    physical_id=change.get("PhysicalResourceId"),
                )
            token = page.get("NextToken")
            if not token:
                return
            page = self._call("describe the change set", self.cfn.describe_change_set, ChangeSetName=change_set_id, StackName=stack_name, NextToken=token)

    def delete_change_set(self, plan: Plan) -> None:
        """Delete a plan's change set; a CREATE plan's empty stack (REVIEW_IN_PROGRESS) goes too."""
        if not plan.change_set_id:  # an empty plan's change set was deleted when it was described
            return
        self._delete_quietly(plan.stack_name, plan.change_set_id)
        if plan.kind == "CREATE":
            stack = self.stack(plan.stack_name)
            if stack and stack["StackStatus"] == "REVIEW_IN_PROGRESS":
                self._delete_empty_stack(plan.stack_name)

    def _delete_empty_stack(self, stack_name: str) -> None:
        """Delete the empty stack (REVIEW_IN_PROGRESS) a CREATE change set leaves, and wait until it is
        gone: deletion is asynchronous, and until DELETE_COMPLETE the name is taken (a CREATE change
        set under it fails with "already exists")."""
        self._call("delete the empty stack", self.cfn.delete_stack, StackName=stack_name)
        self.wait(stack_name, ok=("DELETE_COMPLETE",), seen=set())

    def _delete_quietly(self, stack_name: str, change_set: str) -> None:
        """Delete a change set by ID, or every change set of the stack with that name (a leftover of
        an interrupted run); listing first, because deleting a missing one is an error."""
        if change_set.startswith("arn:"):
            self._call("delete the change set", self.cfn.delete_change_set, ChangeSetName=change_set, StackName=stack_name)
            return
        try:
            summaries = self.cfn.list_change_sets(StackName=stack_name).get("Summaries", [])
        except Exception:  # no stack, no change sets
            return
        for summary in summaries:
            if summary.get("ChangeSetName") == change_set and summary.get("StackName") == stack_name:
                self._call("delete the change set", self.cfn.delete_change_set, ChangeSetName=summary["ChangeSetId"], StackName=stack_name)

    def execute(self, plan: Plan, *, on_event: Callable[[dict[str, Any]], None] | None = None) -> str:
        """Execute a plan's change set and wait for the stack; return its final status."""
        started = self._event_ids(plan.stack_name)
        self._call("execute the change set", self.cfn.execute_change_set, ChangeSetName=plan.change_set_id, StackName=plan.stack_name)
        return self.wait(plan.stack_name, ok=("CREATE_COMPLETE", "UPDATE_COMPLETE"), seen=started, on_event=on_event)

    # --- waiting -------------------------------------------------------------------------------------
    def _event_ids(self, stack_name: str) -> set[str]:
        return {e["EventId"] for e in self._events(stack_name)}

    def _events(self, stack_name: str) -> list[dict[str, Any]]:
        try:
            return self.cfn.describe_stack_events(StackName=stack_name)["StackEvents"]
        except Exception:  # a stack that does not exist yet (or no longer) has no events
            return []

    def wait(self, stack_name: str, *, ok: tuple[str, ...], seen: set[str], on_event: Callable[[dict[str, Any]], None] | None = None) -> str:
        """Poll until the stack leaves *_IN_PROGRESS; report new events oldest first; UserError with the
        first failure reason unless the final status is in `ok`."""
        while True:
            stack = self.stack(stack_name)
            status = stack["StackStatus"] if stack else "DELETE_COMPLETE"
            fresh = [e for e in reversed(self._events(stack_name)) if e["EventId"] not in seen]
            for event in fresh:
                seen.add(event["EventId"])
                if on_event:
                    on_event(event)
            if not status.endswith("_IN_PROGRESS"):
                break
            time.sleep(self.poll_seconds)
        if status not in ok:
            reasons = [e.get("ResourceStatusReason") for e in reversed(self._events(stack_name)) if e.get("ResourceStatus", "").endswith("FAILED") and e.get("ResourceStatusReason")]
            detail = f": {_one_line(reasons[0])}" if reasons else ""
            raise UserError(f"stack {stack_name} ended in {status}{detail}")
        return status

    # --- deletion ------------------------------------------------------------------------------------
    def delete_stack(self, stack_name: str, *, on_event: Callable[[dict[str, Any]], None] | None = None) -> None:
        """Delete the stack, refusing up front (nothing deleted) when termination protection or a load
        balancer's deletion protection is on: CloudFormation would otherwise delete the listeners and
        target groups first and then fail on the load balancer."""
        stack = self.stack(stack_name)
        if stack is None:
            raise UserError(f"stack {stack_name} does not exist")
        if stack.get("EnableTerminationProtection"):
            raise UserError(f"stack {stack_name} has termination protection on; turn it off first (aws cloudformation update-termination-protection)")
        resources = self._call("list the stack's resources", self.cfn.describe_stack_resources, StackName=stack_name)["StackResources"]
        elbv2 = self._client("elbv2")
        for resource in resources:
            if resource.get("ResourceType") == "AWS::ElasticLoadBalancingV2::LoadBalancer" and resource.get("PhysicalResourceId"):
                attributes = self._call("read the load balancer's attributes", elbv2.describe_load_balancer_attributes, LoadBalancerArn=resource["PhysicalResourceId"])["Attributes"]
                if any(a["Key"] == "deletion_protection.enabled" and a["Value"] == "true" for a in attributes):
                    raise UserError(
                        f"stack {stack_name} was not deleted: its load balancer has deletion protection on; "
                        "set load_balancer.deletion_protection: false, deploy, then delete"
                    )
        seen = self._event_ids(stack_name)
        self._call("delete the stack", self.cfn.delete_stack, StackName=stack["StackId"])
        self.wait(stack["StackId"], ok=("DELETE_COMPLETE",), seen=seen, on_event=on_event)

    # --- errors --------------------------------------------------------------------------------------
    def _call(self, what: str, method: Callable[..., Any], **kwargs: Any) -> Any:
        try:
            return method(**kwargs)
        except Exception as error:
            raise _user_error(error, what, self.endpoint_url) from None


def outputs_file_text(stack_name: str, outputs: dict[str, str]) -> str:
    """`cdk deploy --outputs-file` content: {stackName: {OutputKey: value}}, sorted, indent 2."""
    return json.dumps({stack_name: dict(sorted(outputs.items()))}, indent=2, sort_keys=True) + "\n"


def _code(error: Exception) -> str:
    return getattr(error, "response", {}).get("Error", {}).get("Code", "") if hasattr(error, "response") else ""


def _message(error: Exception) -> str:
    if hasattr(error, "response"):
        return str(error.response.get("Error", {}).get("Message") or error)
    return str(error)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _user_error(error: Exception, what: str, endpoint_url: str | None) -> UserError:
    """One line for any boto3 failure: what was being done, and why it failed."""
    from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError, NoRegionError, PartialCredentialsError

    where = endpoint_url or "AWS"
    if isinstance(error, EndpointConnectionError):
        return UserError(f"cannot reach {where} to {what}: is the endpoint up? ({_one_line(error)})")
    if isinstance(error, (NoCredentialsError, PartialCredentialsError)):
        return UserError(f"no usable AWS credentials to {what}: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
    if isinstance(error, NoRegionError):
        return UserError(_NO_REGION)
    if isinstance(error, ClientError):
        message = _message(error)
        if "cdk-bootstrap" in message:
            message += " (run `cdk bootstrap` in this account and region first)"
        return UserError(f"could not {what}: {_code(error)}: {_one_line(message)}")
    if isinstance(error, UserError):
        return error
    return UserError(f"could not {what} at {where}: {type(error).__name__}: {_one_line(error)}")
