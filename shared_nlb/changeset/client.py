"""The connection every CloudFormation call goes through: session, region and credentials checked up
front, boto3 clients with few retries, each call's failure as one `UserError` line; and what it reads
of a stack (its description and outputs)."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from typing import Any

from shared_nlb.changeset.errors import NO_REGION, error_code, error_message, user_error
from shared_nlb.changeset.labels import ResourceLabels
from shared_nlb.errors import UserError

# Every stack status (CloudFormation API reference, StackSummary StackStatus), for ListStacks' filter.
_STACK_STATUSES = (
    "CREATE_IN_PROGRESS", "CREATE_FAILED", "CREATE_COMPLETE", "ROLLBACK_IN_PROGRESS", "ROLLBACK_FAILED", "ROLLBACK_COMPLETE",
    "DELETE_IN_PROGRESS", "DELETE_FAILED", "DELETE_COMPLETE", "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
    "UPDATE_COMPLETE", "UPDATE_FAILED", "UPDATE_ROLLBACK_IN_PROGRESS", "UPDATE_ROLLBACK_FAILED",
    "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE", "REVIEW_IN_PROGRESS",
    "IMPORT_IN_PROGRESS", "IMPORT_COMPLETE", "IMPORT_ROLLBACK_IN_PROGRESS", "IMPORT_ROLLBACK_FAILED", "IMPORT_ROLLBACK_COMPLETE",
)

# The region for an --endpoint-url with none given: a local stand-in has no real one, and us-east-1 is
# what moto and LocalStack assume. The embedded stand-in (`shared_nlb.standin.REGION`) runs in it too.
ENDPOINT_DEFAULT_REGION = "us-east-1"


# boto3 methods of CloudFormation that change nothing: what `Connection` remembers stays true across
# them (DetectStackDrift starts a detection, which changes no stack either).
_READS = ("describe_", "get_", "list_", "detect_", "estimate_", "validate_", "can_")


class _ForgetsOnWrite:
    """A boto3 client (or a test's stand-in for one) whose methods that change something first make
    the connection forget what it remembers."""

    def __init__(self, client: Any, forget: Callable[[], None]):
        self._client, self._forget = client, forget

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._client, name)
        if not callable(found) or name.startswith(_READS):
            return found

        def write(*args: Any, **kwargs: Any) -> Any:
            self._forget()
            return found(*args, **kwargs)

        return write


class Connection:
    """boto3 session and CloudFormation client for one region: real AWS by default, or `endpoint_url`;
    `labels` name the service behind each logical ID in failures.

    With `remember`, for one run of a command: a stack's description and template are read once and
    remembered until this connection changes something (any CloudFormation call but a read forgets
    them): a deploy's steps each ask for them, and before its first change set nothing of this run
    has changed a stack. What another run or the console changes meanwhile is not seen by the
    remembered reads; the steps where that matters ask for a `fresh` read: a change set's creation
    checks the stack's status and the other runs' change sets anew, and waiting polls.
    """

    def __init__(self, *, endpoint_url: str | None = None, region: str | None = None, session: Any = None, poll_seconds: float = 3.0, labels: ResourceLabels | None = None, remember: bool = False):
        import boto3

        self.endpoint_url = endpoint_url
        self.labels = labels or ResourceLabels()  # who each logical ID belongs to, in failure lines
        self.session = session or boto3.Session(region_name=region)
        # boto3 reads AWS_DEFAULT_REGION only; AWS_REGION is what the AWS CLI v2, the CDK CLI and
        # CI actions (aws-actions/configure-aws-credentials) set, and what NO_REGION tells users to set.
        self.region = region or self.session.region_name or os.environ.get("AWS_REGION") or None
        self.poll_seconds = poll_seconds
        if self.region is None:
            raise UserError(NO_REGION)
        if self.session.get_credentials() is None:
            raise UserError("no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
        # None: every read goes to AWS (a test's or a tool's connection, held across others' changes).
        self._remembered: dict[tuple[str, str], Any] | None = {} if remember else None
        cfn = self.client("cloudformation")
        self.cfn = cfn if self._remembered is None else _ForgetsOnWrite(cfn, self._remembered.clear)

    def client(self, service: str) -> Any:
        from botocore.config import Config as BotoConfig

        # Few retries: an unreachable endpoint should fail in seconds, not after minutes of back-off.
        config = BotoConfig(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5)
        return self.session.client(service, region_name=self.region, endpoint_url=self.endpoint_url, config=config)

    def call(self, what: str, method: Callable[..., Any], **kwargs: Any) -> Any:
        """`method(**kwargs)`, any failure as one UserError line saying it could not `what`."""
        try:
            return method(**kwargs)
        except Exception as error:
            raise user_error(error, what, self.endpoint_url) from None

    def _recall(self, key: tuple[str, str], read: Callable[[], Any], *, fresh: bool = False) -> Any:
        """`read()`, or what it gave last time when this connection remembers and `fresh` is false."""
        if self._remembered is None:
            return read()
        if fresh or key not in self._remembered:
            self._remembered[key] = read()
        return self._remembered[key]

    def stack(self, stack_name: str, *, fresh: bool = False) -> dict[str, Any] | None:
        """The stack's description, or None when it does not exist; remembered unless `fresh`."""

        def read() -> dict[str, Any] | None:
            try:
                return self.cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
            except Exception as error:
                if error_code(error) == "ValidationError" and "does not exist" in error_message(error):
                    return None
                raise user_error(error, "describe the stack", self.endpoint_url) from None

        return self._recall(("stack", stack_name), read, fresh=fresh)

    def stack_names(self) -> set[str]:
        """The names of every stack of the region that exists (ListStacks, all pages; deleted ones left out)."""
        paginator = self.cfn.get_paginator("list_stacks")
        live = [status for status in _STACK_STATUSES if status != "DELETE_COMPLETE"]
        pages = self.call("list the stacks", lambda: list(paginator.paginate(StackStatusFilter=live)))
        return {summary["StackName"] for page in pages for summary in page.get("StackSummaries", [])}

    def template(self, stack_name: str) -> dict[str, Any] | None:
        """The stack's deployed template (GetTemplate, as last deployed), or None when there is no
        stack or it holds nothing yet (a CREATE change set's REVIEW_IN_PROGRESS)."""
        stack = self.stack(stack_name)
        if stack is None or stack["StackStatus"] in ("REVIEW_IN_PROGRESS", "ROLLBACK_COMPLETE", "DELETE_COMPLETE"):
            return None

        def read() -> dict[str, Any]:
            body = self.call("read the deployed template", self.cfn.get_template, StackName=stack["StackId"], TemplateStage="Original")["TemplateBody"]
            return json.loads(body) if isinstance(body, str) else body

        return copy.deepcopy(self._recall(("template", stack["StackId"]), read))  # callers may change theirs

    def physical_id(self, stack_name: str, logical_id: str) -> str:
        """The physical ID of one of the stack's resources (a target group's ARN)."""
        found = self.call("describe a resource of the stack", self.cfn.describe_stack_resource, StackName=stack_name, LogicalResourceId=logical_id)
        return found["StackResourceDetail"]["PhysicalResourceId"]

    def outputs(self, stack_name: str) -> dict[str, str]:
        stack = self.stack(stack_name)
        if stack is None:
            raise UserError(f"stack {stack_name} does not exist")
        return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs") or []}


def outputs_file_text(stack_name: str | dict[str, dict[str, str]], outputs: dict[str, str] | None = None) -> str:
    """`cdk deploy --outputs-file` content: {stackName: {OutputKey: value}}, sorted, indent 2. Takes one
    stack's name and outputs, or {stack name: outputs} for several."""
    stacks = stack_name if isinstance(stack_name, dict) else {stack_name: outputs or {}}
    return json.dumps({name: dict(sorted(values.items())) for name, values in stacks.items()}, indent=2, sort_keys=True) + "\n"
