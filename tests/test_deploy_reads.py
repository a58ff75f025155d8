"""A deploy reads each stack's description and template once before it changes anything (issue:
each deploy read the description four times and the template twice), and still sees what another
run does where that matters."""

from __future__ import annotations

import collections

import boto3.session
import pytest

from tests.factories import base_dict
from tests.test_nlb_lifecycle import Deployer


@pytest.fixture
def calls(monkeypatch):
    """CloudFormation and ELB calls of the runs in the test, counted by operation (botocore's
    before-call event on every client the run makes)."""
    counted: collections.Counter[str] = collections.Counter()
    original = boto3.session.Session.client

    def client(self, *args, **kwargs):
        made = original(self, *args, **kwargs)
        made.meta.events.register("before-call.*.*", lambda model, **_: counted.update([model.name]))
        return made

    monkeypatch.setattr(boto3.session.Session, "client", client)
    return counted


def test_an_update_reads_the_stack_and_its_template_once_before_its_change_set(aws, tmp_path, calls):
    data = base_dict([{"name": "redis", "service_port": 6379, "listener_port": 6379}])
    data["name"] = "reads"
    data["load_balancer"] = {"deletion_protection": False}
    deployer = Deployer(aws, tmp_path, data)
    deployer.deploy(deployer.data)
    grown = {**deployer.data, "services": [*deployer.data["services"], {"name": "kafka", "service_port": 9092, "listener_port": 9092}]}
    calls.clear()
    deployer.deploy(grown)
    assert calls["GetTemplate"] == 1
    # one before the change set (remembered by every step), one fresh when the change set is made
    # (another run may have changed the stack meanwhile), then the polls of the execution
    polls = calls["DescribeStackEvents"]
    assert calls["DescribeStacks"] == 2 + polls - 1, dict(calls)
    calls.clear()
    assert deployer.run("plan") == 0
    assert (calls["GetTemplate"], calls["DescribeStacks"]) == (1, 2), dict(calls)


def test_a_remembered_description_is_forgotten_once_the_connection_changes_something(aws):
    """The next read after a write is fresh: a stack deleted by this connection is seen gone."""
    from shared_nlb.changeset import CloudFormation

    cfn = aws.client("cloudformation")
    cfn.create_stack(StackName="reads-forget", TemplateBody='{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}')
    connection = CloudFormation(endpoint_url=aws.endpoint_url, region="us-east-1", remember=True)
    assert connection.stack("reads-forget")["StackStatus"] == "CREATE_COMPLETE"
    cfn.update_termination_protection(StackName="reads-forget", EnableTerminationProtection=True)  # another client
    assert not connection.stack("reads-forget").get("EnableTerminationProtection")  # remembered
    assert connection.stack("reads-forget", fresh=True)["EnableTerminationProtection"]
    connection.set_termination_protection("reads-forget", False)  # a write through the connection
    assert not connection.stack("reads-forget")["EnableTerminationProtection"]
    connection.delete_stack("reads-forget")
    assert connection.stack("reads-forget") is None
    once = CloudFormation(endpoint_url=aws.endpoint_url, region="us-east-1")  # a test's or a tool's: reads each time
    cfn.create_stack(StackName="reads-forget", TemplateBody='{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}')
    assert once.stack("reads-forget")["StackStatus"] == "CREATE_COMPLETE" and connection.stack("reads-forget") is None
    cfn.delete_stack(StackName="reads-forget")
    assert once.stack("reads-forget") is None


def test_a_deploy_stopped_before_protecting_its_new_stack_says_so_and_plan_says_why(aws, tmp_path, capsys, monkeypatch):
    """A Ctrl-C after the create and before the second change set leaves the load balancer
    unprotected: deploy says what is left, the next plan says why its change set modifies the load
    balancer (the LoadBalancerAttributes of the change set's Details), and deploy finishes it."""
    from shared_nlb.deploy import recover

    data = base_dict([{"name": "redis", "service_port": 6379, "listener_port": 6379}])
    data["name"] = "reads-why"
    data["stack"] = {"termination_protection": False}
    deployer = Deployer(aws, tmp_path, data)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(recover, "protect", interrupted)
        assert deployer.run("deploy", "--outputs-file", str(deployer.out), "--yes") == 130
    said = " ".join(capsys.readouterr().out.split())
    assert "stack shared-nlb-reads-why: deployed; its protections (deletion, termination) and the outputs file are not done: `shared-nlb deploy` again finishes them" in said
    assert deployer.run("plan") == 0
    said = " ".join(capsys.readouterr().out.split())
    assert recover.LEFT_UNPROTECTED.format(stack="shared-nlb-reads-why") in said
    assert "Modify │ LoadBalancer │ ELBv2::LoadBalancer │ False │ LoadBalancerAttributes │" in said
    assert "1 to modify" in said
    deployer.deploy(deployer.data)
    capsys.readouterr()
    assert deployer.run("plan") == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "no changes" in said and "without deletion protection" not in said
