"""deploy/plan failures without a stand-in: one line, exit 1, nothing written. (Success paths: test_e2e.py.)"""

from __future__ import annotations

import socket

import pytest

from shared_nlb.changeset import outputs_file_text
from shared_nlb.cli import main
from tests.factories import EXAMPLE


def _closed_port() -> int:
    with socket.socket() as sock:  # bound then closed: nothing listens there
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def no_aws_env(monkeypatch, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def test_outputs_file_has_the_cdk_shape():
    assert outputs_file_text("s", {"b": "2", "a": "1"}) == '{\n  "s": {\n    "a": "1",\n    "b": "2"\n  }\n}\n'


def test_no_credentials_is_one_line(no_aws_env, tmp_path, capsys):
    out = tmp_path / "outputs.json"
    assert main(["deploy", str(EXAMPLE), "--region", "us-east-1", "--outputs-file", str(out), "--yes"]) == 1
    err = capsys.readouterr().err
    assert err == "shared-nlb deploy: no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n"
    assert not out.exists()


@pytest.mark.parametrize("command", ["deploy", "plan"])
def test_unreachable_endpoint_is_one_line_and_keeps_the_old_outputs(no_aws_env, monkeypatch, tmp_path, capsys, command):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    out = tmp_path / "outputs.json"
    out.write_text("old\n")
    url = f"http://127.0.0.1:{_closed_port()}"
    extra = ["--outputs-file", str(out), "--yes"] if command == "deploy" else []
    assert main([command, str(EXAMPLE), "--endpoint-url", url, *extra]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"shared-nlb {command}: cannot reach {url} to describe the stack: is the endpoint up?")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert out.read_text() == "old\n"


def test_an_unreachable_endpoint_from_the_environment_is_named_too(no_aws_env, monkeypatch, capsys):
    """AWS_ENDPOINT_URL, as `shared-nlb standin` prints it, is where boto3 goes: the line names it."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    url = f"http://127.0.0.1:{_closed_port()}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    assert main(["plan", str(EXAMPLE)]) == 1
    assert capsys.readouterr().err.startswith(f"shared-nlb plan: cannot reach {url} to describe the stack: is the endpoint up?")


class _AsyncDeleteCloudFormation:
    """A CloudFormation client whose DeleteStack is asynchronous, as AWS's is: the stack stays in
    DELETE_IN_PROGRESS for one more DescribeStacks, and its name is taken until it is gone."""

    def __init__(self, status):
        self.status, self.calls, self.deleting = status, [], 0

    def describe_stacks(self, StackName):
        from botocore.exceptions import ClientError

        self.calls.append("describe_stacks")
        if self.deleting:
            self.deleting -= 1
            if not self.deleting:
                self.status = None
            return {"Stacks": [{"StackName": StackName, "StackStatus": "DELETE_IN_PROGRESS"}]}
        if self.status is None:
            raise ClientError({"Error": {"Code": "ValidationError", "Message": f"Stack with id {StackName} does not exist"}}, "DescribeStacks")
        return {"Stacks": [{"StackName": StackName, "StackStatus": self.status}]}

    def describe_stack_events(self, StackName):
        return {"StackEvents": []}

    def delete_stack(self, StackName):
        self.calls.append("delete_stack")
        self.deleting = 2

    def create_change_set(self, **kwargs):
        from botocore.exceptions import ClientError

        self.calls.append("create_change_set")
        self.created = kwargs
        if self.status is not None or self.deleting:
            raise ClientError({"Error": {"Code": "AlreadyExistsException", "Message": f"Stack [{kwargs['StackName']}] already exists"}}, "CreateChangeSet")
        self.status = "REVIEW_IN_PROGRESS"
        return {"Id": "arn:aws:cloudformation:us-east-1:123456789012:changeSet/shared-nlb/1"}

    def describe_change_set(self, **kwargs):
        self.calls.append("describe_change_set")
        return {"Status": "CREATE_COMPLETE", "Changes": [{"ResourceChange": {"Action": "Add", "LogicalResourceId": "LoadBalancer", "ResourceType": "AWS::ElasticLoadBalancingV2::LoadBalancer"}}]}

    def delete_change_set(self, **kwargs):
        self.calls.append("delete_change_set")


class _Session:
    region_name = "us-east-1"

    def __init__(self, cfn):
        self.cfn = cfn

    def get_credentials(self):
        return object()

    def client(self, service, **kwargs):
        return self.cfn


def _cloudformation(cfn):
    from shared_nlb.changeset import CloudFormation

    return CloudFormation(region="us-east-1", session=_Session(cfn), poll_seconds=0)


def test_an_empty_stack_is_gone_before_the_create_change_set_and_it_is_described_once():
    cfn = _AsyncDeleteCloudFormation("REVIEW_IN_PROGRESS")
    plan = _cloudformation(cfn).create_change_set("s", '{"Resources": {}}')
    assert (plan.kind, [c.logical_id for c in plan.changes]) == ("CREATE", ["LoadBalancer"])
    deleted = cfn.calls.index("delete_stack")
    assert cfn.calls[deleted:] == ["delete_stack", "describe_stacks", "describe_stacks", "describe_stacks", "create_change_set", "describe_change_set"]


def test_a_deleted_plan_waits_until_its_empty_stack_is_gone():
    from shared_nlb.changeset import Plan

    cfn = _AsyncDeleteCloudFormation("REVIEW_IN_PROGRESS")
    _cloudformation(cfn).delete_change_set(Plan("s", "arn:aws:cloudformation:us-east-1:123456789012:changeSet/shared-nlb/1", "CREATE", ()))
    assert cfn.calls[-3:] == ["describe_stacks", "describe_stacks", "describe_stacks"] and cfn.status is None


@pytest.mark.parametrize(("tags", "sent"), [({"b": "2", "a": "1"}, [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]), ({}, []), (None, None)])
def test_stack_tags_go_with_the_change_set_sorted(tags, sent):
    cfn = _AsyncDeleteCloudFormation(None)
    _cloudformation(cfn).create_change_set("s", '{"Resources": {}}', tags=tags)
    assert cfn.created.get("Tags") == sent and ("Tags" in cfn.created) == (tags is not None)


class _NoS3Session(_Session):
    def client(self, service, **kwargs):
        assert service == "cloudformation", f"no {service} call expected"
        return self.cfn


@pytest.mark.parametrize(
    ("size", "sent"),
    [
        (100, "as is"),  # small: the template as written
        (40_000, "minified"),  # over 51,200 bytes with indentation, under it without: still TemplateBody
    ],
)
def test_template_body_as_is_or_without_indentation(size, sent):
    import json

    from shared_nlb.changeset import MAX_TEMPLATE_BODY, CloudFormation
    from shared_nlb.changeset.template import template_argument

    template = json.dumps({"Resources": {"R": {"Type": "AWS::SNS::Topic", "Properties": {"Items": ["x" * 8] * (size // 12)}}}}, indent=1)
    minified = json.dumps(json.loads(template), separators=(",", ":"))
    assert (len(template.encode()) > MAX_TEMPLATE_BODY) == (sent == "minified") and len(minified.encode()) <= MAX_TEMPLATE_BODY
    cfn = CloudFormation(region="us-east-1", session=_NoS3Session(None), poll_seconds=0)
    assert template_argument(cfn, template) == {"TemplateBody": template if sent == "as is" else minified}


class _FailingCloudFormation(_AsyncDeleteCloudFormation):
    """A stack whose operation ends in `status`, after `old` events from an earlier run and `new` ones."""

    def __init__(self, status, old, new, change_set_reason=None):
        super().__init__(status)
        self.events, self.new, self.change_set_reason = old, new, change_set_reason

    def describe_stack_events(self, StackName):
        return {"StackEvents": list(reversed(self.events))}

    def execute_change_set(self, **kwargs):
        self.events = self.events + self.new

    def describe_change_set(self, **kwargs):
        if self.change_set_reason:
            return {"Status": "FAILED", "StatusReason": self.change_set_reason}
        return super().describe_change_set(**kwargs)


def _event(number, logical_id, status, reason=None, kind="AWS::ElasticLoadBalancingV2::Listener"):
    return {"EventId": str(number), "LogicalResourceId": logical_id, "ResourceType": kind, "ResourceStatus": status, **({"ResourceStatusReason": reason} if reason else {})}


def test_a_failed_execution_names_the_service_of_each_failed_resource_of_this_run_only():
    from shared_nlb.changeset import CloudFormation, Plan, ResourceLabels
    from shared_nlb.errors import UserError

    old = [_event(1, "KafkaListener", "UPDATE_FAILED", "an earlier run's failure")]
    new = [
        _event(2, "s", "CREATE_IN_PROGRESS", "User Initiated", "AWS::CloudFormation::Stack"),
        _event(3, "KafkaTargetGroup", "CREATE_FAILED", "Resource creation cancelled", "AWS::ElasticLoadBalancingV2::TargetGroup"),
        _event(4, "RedisListener", "CREATE_FAILED", "CertificateNotFound: Certificate 'c' not found"),
        _event(5, "s", "ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: [RedisListener].", "AWS::CloudFormation::Stack"),
        _event(6, "LoadBalancer", "DELETE_FAILED", "OperationNotPermitted: deletion protection is enabled", "AWS::ElasticLoadBalancingV2::LoadBalancer"),
        _event(7, "s", "ROLLBACK_FAILED", "The following resource(s) failed to delete: [LoadBalancer].", "AWS::CloudFormation::Stack"),
    ]
    cfn = _FailingCloudFormation("ROLLBACK_FAILED", old, new)
    aws = CloudFormation(region="us-east-1", session=_Session(cfn), poll_seconds=0, labels=ResourceLabels(["kafka", "redis"]))
    with pytest.raises(UserError) as raised:
        aws.execute(Plan("s", "arn:change-set", "CREATE", ()))
    assert str(raised.value).startswith(
        "stack s ended in ROLLBACK_FAILED: listener of service redis (RedisListener): CertificateNotFound: Certificate 'c' not found; "
        "the load balancer (LoadBalancer): OperationNotPermitted: deletion protection is enabled; fix that and deploy again: "
    )
    assert "\n" not in str(raised.value)


def test_a_failed_change_set_names_the_service_of_the_resources_its_reason_names():
    from shared_nlb.changeset import CloudFormation, ResourceLabels
    from shared_nlb.errors import UserError

    cfn = _FailingCloudFormation(None, [], [], change_set_reason="Template format error: Unresolved resource dependencies [RedisTargetGroup] in the Resources block of the template")
    aws = CloudFormation(region="us-east-1", session=_Session(cfn), poll_seconds=0, labels=ResourceLabels(["redis"]))
    with pytest.raises(UserError, match=r"^change set for stack s failed: target group of service redis \(RedisTargetGroup\): Template format error: Unresolved resource dependencies \[RedisTargetGroup\] in the Resources block of the template$"):
        aws.create_change_set("s", '{"Resources": {}}')


@pytest.mark.parametrize(("variable", "found"), [("AWS_REGION", "eu-west-1"), ("AWS_DEFAULT_REGION", "eu-west-1"), (None, None)])
def test_the_region_comes_from_aws_region_too(no_aws_env, monkeypatch, variable, found):
    """boto3 alone reads only AWS_DEFAULT_REGION; the CLIs and CI actions set AWS_REGION."""
    from shared_nlb.changeset import Connection
    from shared_nlb.changeset.errors import NO_REGION
    from shared_nlb.errors import UserError

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    if variable:
        monkeypatch.setenv(variable, "eu-west-1")
        assert Connection().region == found
    else:
        with pytest.raises(UserError, match=NO_REGION):
            Connection()


def test_a_change_set_not_confirmed_off_a_terminal_is_deleted(monkeypatch):
    from shared_nlb.changeset import Plan
    from shared_nlb.deploy.change_sets import confirm
    from shared_nlb.errors import UserError

    deleted = []

    class Deletes:
        def delete_change_set(self, plan):
            deleted.append(plan)

    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    plan = Plan("s", "arn:aws:cloudformation:us-east-1:123456789012:changeSet/shared-nlb/1", "UPDATE", ())
    with pytest.raises(UserError, match=r"^not executed: confirmation needs a terminal; pass --yes to execute without asking$"):
        confirm(None, plan, assume_yes=False, aws=Deletes())
    assert deleted == [plan]
    confirm(None, plan, assume_yes=True, aws=Deletes())
    assert deleted == [plan]


class _PagedEvents:
    """DescribeStackEvents as CloudFormation answers it: newest first, a page at a time (NextToken)."""

    def __init__(self, pages):
        self.pages = pages
        self.tokens = []

    def describe_stack_events(self, StackName, NextToken=None):
        self.tokens.append(NextToken)
        index = int(NextToken or 0)
        page = {"StackEvents": self.pages[index]}
        return page | ({"NextToken": str(index + 1)} if index + 1 < len(self.pages) else {})


def test_a_stacks_history_is_read_from_every_page_of_its_events():
    from shared_nlb.changeset.recovery import stack_history

    stack_id = "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1"

    def own(*statuses):
        return [{"ResourceType": "AWS::CloudFormation::Stack", "PhysicalResourceId": stack_id, "ResourceStatus": s} for s in statuses]

    group = [{"ResourceType": "AWS::ElasticLoadBalancingV2::TargetGroup", "PhysicalResourceId": "tg", "ResourceStatus": "CREATE_COMPLETE"}]
    failed = _PagedEvents([own("DELETE_FAILED", "DELETE_IN_PROGRESS"), own("ROLLBACK_COMPLETE", "ROLLBACK_IN_PROGRESS") + group, own("CREATE_FAILED", "CREATE_IN_PROGRESS", "REVIEW_IN_PROGRESS")])
    assert stack_history(_cloudformation(failed), stack_id) == {"DELETE_FAILED", "DELETE_IN_PROGRESS", "ROLLBACK_COMPLETE", "ROLLBACK_IN_PROGRESS", "CREATE_FAILED", "CREATE_IN_PROGRESS", "REVIEW_IN_PROGRESS"}
    assert failed.tokens == [None, "1", "2"]
    # the stack was in service: only its oldest page says so
    served = _PagedEvents([own("DELETE_FAILED", "DELETE_IN_PROGRESS"), own("UPDATE_COMPLETE", "CREATE_COMPLETE", "CREATE_IN_PROGRESS")])
    assert "CREATE_COMPLETE" in stack_history(_cloudformation(served), stack_id)
