"""Runs at the same time and interrupted runs (issue: an operator's bad day): each run names its own
change sets and deletes only those; a deploy never executes beside another deploy's pending change
set; Ctrl-C at the prompt and SIGTERM mid-deploy leave no change set behind and say where each stack is."""

from __future__ import annotations

import json
import signal

import pytest

from shared_nlb.deploy import change_sets, execute
from tests.factories import base_dict
from tests.test_nlb_lifecycle import Deployer

pytestmark = pytest.mark.e2e


def two_nlbs(name: str) -> dict:
    data = base_dict([{"name": "redis", "service_port": 6379, "listener_port": 6379}, {"name": "web", "service_port": 8443, "listener_port": 443, "load_balancer": "b"}])
    data["name"] = name
    data["load_balancers"] = [{"name": "a", "deletion_protection": False}, {"name": "b", "deletion_protection": False}]
    return data


def change_set_names(aws, stack: str) -> list[str]:
    cf = aws.client("cloudformation")
    return sorted(c["ChangeSetName"] for c in cf.list_change_sets(StackName=stack)["Summaries"])


def other_runs_change_set(aws, stack: str, name: str, kind: str = "UPDATE") -> None:
    """A change set another shared-nlb run made: the deployed template and one resource more."""
    cf = aws.client("cloudformation")
    body = cf.get_template(StackName=stack)["TemplateBody"] if kind == "UPDATE" else {"Resources": {}}
    body = json.loads(body) if isinstance(body, str) else body
    body["Resources"]["OtherRunsTopic"] = {"Type": "AWS::SNS::Topic"}
    cf.create_change_set(StackName=stack, ChangeSetName=name, ChangeSetType=kind, TemplateBody=json.dumps(body))


def test_a_plan_never_deletes_another_runs_change_set(aws, tmp_path):
    """An older release named every plan's change set `shared-nlb-plan` and deleted that name first:
    two plans deleted each other's."""
    deployer = Deployer(aws, tmp_path, two_nlbs("cc-plans"))
    deployer.deploy(deployer.data)
    other_runs_change_set(aws, "shared-nlb-cc-plans-a", "shared-nlb-plan")
    assert deployer.run("plan") == 0
    assert change_set_names(aws, "shared-nlb-cc-plans-a") == ["shared-nlb-plan"]
    assert change_set_names(aws, "shared-nlb-cc-plans-b") == []


def test_a_deploy_stops_beside_another_deploys_pending_change_set(aws, tmp_path, capsys):
    deployer = Deployer(aws, tmp_path, two_nlbs("cc-deploys"))
    deployer.deploy(deployer.data)
    other_runs_change_set(aws, "shared-nlb-cc-deploys-b", "shared-nlb-deploy-0123456789ab")
    capsys.readouterr()
    assert deployer.run("deploy", "--outputs-file", str(deployer.out), "--yes") == 1
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("shared-nlb deploy: stack shared-nlb-cc-deploys-b has a change set of another deploy waiting to be executed (shared-nlb-deploy-0123456789ab, created ")
    assert change_set_names(aws, "shared-nlb-cc-deploys-b") == ["shared-nlb-deploy-0123456789ab"]  # theirs, untouched
    assert change_set_names(aws, "shared-nlb-cc-deploys-a") == []  # ours, deleted
    assert deployer.run("plan") == 0  # a plan is never executed: it goes on beside it


def test_a_plan_leaves_a_stack_another_deploy_is_creating(aws, tmp_path, capsys):
    """An older release deleted any REVIEW_IN_PROGRESS stack as a leftover, a concurrent deploy's too."""
    deployer = Deployer(aws, tmp_path, two_nlbs("cc-create"))
    other_runs_change_set(aws, "shared-nlb-cc-create-a", "shared-nlb-deploy-0123456789ab", kind="CREATE")
    capsys.readouterr()
    assert deployer.run("plan") == 1
    assert "stack shared-nlb-cc-create-a is being created by another run (change set shared-nlb-deploy-0123456789ab" in capsys.readouterr().err
    status = aws.client("cloudformation").describe_stacks(StackName="shared-nlb-cc-create-a")["Stacks"][0]["StackStatus"]
    assert status == "REVIEW_IN_PROGRESS" and change_set_names(aws, "shared-nlb-cc-create-a") == ["shared-nlb-deploy-0123456789ab"]


def test_ctrl_c_at_the_prompt_leaves_no_change_set_and_no_empty_stack(aws, tmp_path, monkeypatch, capsys):
    deployer = Deployer(aws, tmp_path, two_nlbs("cc-prompt"))

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(change_sets, "approve", interrupted)
    assert deployer.run("deploy", "--outputs-file", str(deployer.out)) == 130
    assert "interrupted at the confirmation: the change sets were deleted, nothing changed" in capsys.readouterr().out
    assert deployer.stacks() == set()  # the CREATE change sets' empty stacks went with them
    monkeypatch.undo()
    deployer.deploy(deployer.data)  # and the next run starts clean
    assert deployer.stacks() == {"shared-nlb-cc-prompt-a", "shared-nlb-cc-prompt-b"}


def test_sigterm_between_stacks_says_where_each_stack_is_and_leaves_no_change_set(aws, tmp_path, monkeypatch, capsys):
    deployer = Deployer(aws, tmp_path, two_nlbs("cc-term"))
    deployer.deploy(deployer.data)
    changed = dict(deployer.data, services=[dict(s, listener_port=s["listener_port"] + 1000) for s in deployer.data["services"]])
    real = execute.execute
    calls = []

    def first_then_terminated(console, aws_, plan):
        calls.append(plan.stack_name)
        real(console, aws_, plan)
        signal.raise_signal(signal.SIGTERM)  # as `kill` does, once the first stack is done

    monkeypatch.setattr(execute, "execute", first_then_terminated)
    from tests.factories import write

    write(tmp_path, changed)
    capsys.readouterr()
    assert deployer.run("deploy", "--outputs-file", str(deployer.out), "--yes") == 143
    captured = capsys.readouterr()
    assert "shared-nlb deploy: terminated" in captured.err
    assert f"stack {calls[0]}: UPDATE_COMPLETE" in captured.out
    rest = ({"shared-nlb-cc-term-a", "shared-nlb-cc-term-b"} - set(calls)).pop()
    assert f"not executed (change sets deleted, nothing changed): stack {rest}" in captured.out
    assert change_set_names(aws, rest) == [] and change_set_names(aws, calls[0]) == []
    assert signal.getsignal(signal.SIGTERM) is not None  # the test process's own handler is back
