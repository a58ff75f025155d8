"""examples/ci/nlb.yml, the GitHub Actions workflow: its shape, and its jobs run here as GitHub would
run them, step by step with bash, against the embedded AWS stand-in.

A bare repository plays GitHub's: the deploy job runs in a shallow clone of main's tip (as
actions/checkout fetches it) and pushes its commit there; the check job runs on the merge commit of a
pull request (GitHub's refs/pull/N/merge). Steps that need GitHub are not run: `uses:` actions (the
runner has Python and Node already; the AWS credentials step is played by giving the following steps
what the action exports, with the stand-in's endpoint) and the step `install`, which installs
shared-nlb from the pinned requirement: the code under test is this checkout's, on PATH first.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from shared_nlb.config import state as states
import yaml

from shared_nlb import naming, standin
from shared_nlb.config import parse_config
from tests.factories import EXAMPLE, ROOT

e2e = pytest.mark.e2e

WORKFLOW = ROOT / "examples" / "ci" / "nlb.yml"
# Where the workflow lives in a user's repository (its paths filters and pip cache key name it).
WORKFLOW_PATH = ".github/workflows/nlb.yml"
NOT_RUN_OFF_GITHUB = {"install"}  # step IDs besides `uses:` steps; see the module docstring
CREDENTIALS_ACTION = "aws-actions/configure-aws-credentials"
NAME = "ci-example"  # the config's name: its own stack on the session's stand-in
PR_NUMBER = 7


def workflow() -> dict:
    found = yaml.safe_load(WORKFLOW.read_text())
    found["on"] = found.pop(True, found.get("on"))  # YAML 1.1 reads the key `on` as true
    return found


def _steps(job: str) -> list[dict]:
    return workflow()["jobs"][job]["steps"]


def _key(step: dict) -> str:
    """A step's ID, or the action it uses without its version."""
    return step.get("id") or step["uses"].split("@")[0]


def _ids(job: str) -> list[str]:
    return [_key(s) for s in _steps(job)]


# --- the workflow's shape ----------------------------------------------------------------------


def test_triggers_check_pull_requests_and_deploy_main_again_by_hand_or_schedule() -> None:
    found = workflow()
    on, env = found["on"], found["env"]
    assert set(on) == {"pull_request", "push", "workflow_dispatch", "schedule"}
    assert on["pull_request"]["branches"] == on["push"]["branches"] == ["main"]
    watched = {env["CONFIG"], env["STATE"], env["OUTPUTS"], f"{env['MANIFESTS']}/**", WORKFLOW_PATH}
    assert set(on["pull_request"]["paths"]) == watched
    # the deploy's own commit changes outputs and manifests; a merge that changes them alone has nothing to deploy
    # (a state file changed by hand does: it says which NLB holds a service and which group is live)
    assert set(on["push"]["paths"]) == {env["CONFIG"], env["STATE"], WORKFLOW_PATH}
    assert env["STATE"] == str(states.path_beside(env["CONFIG"]))
    assert found["jobs"]["check"]["if"] == "github.event_name == 'pull_request'"
    assert found["jobs"]["deploy"]["if"] == "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"


def test_aws_credentials_come_from_oidc_roles_never_stored_keys() -> None:
    text = WORKFLOW.read_text()
    assert not re.search(r"aws-access-key-id|aws-secret-access-key|aws-session-token|AWS_SECRET|secrets\.", text, re.IGNORECASE)
    found = workflow()
    assert found["permissions"] == {}
    jobs = found["jobs"]
    assert jobs["check"]["permissions"] == {"contents": "read", "id-token": "write"}
    assert jobs["deploy"]["permissions"] == {"contents": "write", "id-token": "write"}
    roles = {}
    for job in ("check", "deploy"):
        (step,) = [s for s in _steps(job) if s.get("uses", "").startswith(CREDENTIALS_ACTION + "@")]
        assert set(step["with"]) == {"role-to-assume", "aws-region"}
        roles[job] = step["with"]["role-to-assume"]
        assert re.fullmatch(r"\$\{\{ vars\.[A-Z_]+ \}\}", roles[job])
    assert roles["check"] != roles["deploy"]  # pull requests cannot deploy


def test_actions_are_pinned_and_run_steps_read_values_from_the_environment() -> None:
    found = workflow()
    assert found["defaults"]["run"]["shell"] == "bash"
    assert not [k for k, v in found["env"].items() if "${{" in str(v)]  # this test gives the steps the values as written
    for job in ("check", "deploy"):
        for step in _steps(job):
            if "uses" in step:
                assert re.fullmatch(r"[\w-]+/[\w-]+@(v\d+(\.\d+)*|[0-9a-f]{40})", step["uses"]), step["uses"]
                if step["uses"].startswith("actions/setup-python@"):
                    assert step["with"]["python-version"] == "3.11"
                if step["uses"].startswith("actions/setup-node@"):
                    assert step["with"]["node-version"] == 22
            else:
                # `${{ }}` in a script is pasted in before bash parses it (script injection)
                assert "${{" not in step["run"], step.get("id")
    assert "pip install" in next(s for s in _steps("check") if s.get("id") == "install")["run"]
    assert '"$SHARED_NLB_REQUIREMENT"' in next(s for s in _steps("deploy") if s.get("id") == "install")["run"]


def test_steps_run_in_order_and_deploys_never_overlap() -> None:
    check = _ids("check")
    assert check[0] == "actions/checkout" and check.index("actions/setup-node") < check.index("install") < check.index("validate") < check.index("manifests") < check.index(CREDENTIALS_ACTION) < check.index("plan")
    deploy = _ids("deploy")
    assert deploy.index("actions/checkout") < deploy.index("due") < deploy.index("install") < deploy.index(CREDENTIALS_ACTION) < deploy.index("deploy") < deploy.index("manifests") < deploy.index("commit") < deploy.index("next")
    # every step after the gate waits for it
    assert all(s.get("if") == "steps.due.outputs.run == 'true'" for s in _steps("deploy")[deploy.index("due") + 1 :])
    plan = next(s for s in _steps("check") if s.get("id") == "plan")["run"]
    assert plan == 'shared-nlb plan "$CONFIG" --fail-on-replace'
    assert workflow()["jobs"]["deploy"]["concurrency"] == {"group": "shared-nlb-deploy", "cancel-in-progress": False}
    checkout = next(s for s in _steps("deploy") if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["ref"] == "${{ github.ref }}"


# --- the jobs, run ------------------------------------------------------------------------------


@dataclass
class JobRun:
    """One job's steps as run here: {step ID: (exit status, output)} of the steps that ran, in order."""

    ran: dict[str, tuple[int, str]] = field(default_factory=dict)
    not_run: list[str] = field(default_factory=list)
    summary: str = ""

    @property
    def failed(self) -> str | None:
        return next((step for step, (status, _) in self.ran.items() if status != 0), None)

    def output(self, step: str) -> str:
        return self.ran[step][1]


_CONDITION = re.compile(r"steps\.([\w-]+)\.outputs\.([\w-]+) == '([^']*)'")


class Repository:
    """GitHub's side: a bare origin, a developer's clone, and the runner's checkouts."""

    def __init__(self, aws, root: Path):
        self.aws, self.root = aws, root
        self.origin, self.dev = root / "origin.git", root / "dev"
        (root / "gitconfig").write_text("")
        # the host's git config (identity, signing, hooks) stays out of every git call
        self.git_env = {"GIT_CONFIG_GLOBAL": str(root / "gitconfig"), "GIT_CONFIG_NOSYSTEM": "1"}
        self.runs = 0

    def git(self, *args: str, cwd: Path | None = None) -> str:
        identity = {"GIT_AUTHOR_NAME": "Dev", "GIT_AUTHOR_EMAIL": "dev@example.com", "GIT_COMMITTER_NAME": "Dev", "GIT_COMMITTER_EMAIL": "dev@example.com"}
        env = {**os.environ, **self.git_env, **identity}
        return subprocess.run(["git", *args], cwd=cwd or self.dev, env=env, check=True, capture_output=True, text=True).stdout.strip()

    def create(self, config_text: str) -> None:
        self.git("init", "--quiet", "--bare", "--initial-branch=main", str(self.origin), cwd=self.root)
        self.git("clone", "--quiet", self.origin.as_uri(), str(self.dev), cwd=self.root)
        self.git("checkout", "--quiet", "-b", "main")
        (self.dev / ".github" / "workflows").mkdir(parents=True)
        (self.dev / WORKFLOW_PATH).write_bytes(WORKFLOW.read_bytes())
        (self.dev / "shared-nlb.yaml").write_text(config_text)
        self.git("add", "--all")
        self.git("commit", "--quiet", "-m", "shared-nlb: first config")
        self.git("push", "--quiet", "origin", "main")

    def config(self) -> dict:
        return yaml.safe_load((self.dev / "shared-nlb.yaml").read_text())

    def branch(self, name: str, change) -> None:
        """A pull request's branch off main: `change(dev checkout)`, committed and pushed."""
        self.git("fetch", "--quiet", "origin")
        self.git("checkout", "--quiet", "-B", name, "origin/main")
        change(self.dev)
        self.git("add", "--all")
        self.git("commit", "--quiet", "-m", name)
        self.git("push", "--quiet", "--force", "origin", name)

    def merge(self, name: str) -> None:
        self.git("fetch", "--quiet", "origin")
        self.git("checkout", "--quiet", "-B", "main", "origin/main")
        self.git("merge", "--quiet", "--no-ff", "-m", f"Merge pull request #{PR_NUMBER} from {name}", f"origin/{name}")
        self.git("push", "--quiet", "origin", "main")

    def main(self) -> str:
        return self.git("rev-parse", "main", cwd=self.origin)

    def show(self, path: str, ref: str = "main") -> str:
        return self.git("show", f"{ref}:{path}", cwd=self.origin)

    def run_deploy(self, event: str) -> JobRun:
        """The deploy job, on a shallow checkout of main's tip, as actions/checkout makes it."""
        workspace = self._workspace()
        self.git("clone", "--quiet", "--depth=1", "--branch", "main", self.origin.as_uri(), str(workspace), cwd=self.root)
        return self._run("deploy", workspace, {"GITHUB_EVENT_NAME": event, "GITHUB_REF": "refs/heads/main", "GITHUB_REF_NAME": "main", "GITHUB_SHA": self.main()})

    def run_check(self, branch: str) -> JobRun:
        """The check job on the pull request's merge commit, fetched alone as actions/checkout does."""
        self.git("fetch", "--quiet", "origin")
        self.git("checkout", "--quiet", "--detach", "origin/main")
        self.git("merge", "--quiet", "--no-ff", "-m", f"Merge {branch} into main", f"origin/{branch}")
        ref = f"refs/pull/{PR_NUMBER}/merge"
        self.git("push", "--quiet", "--force", "origin", f"HEAD:{ref}")
        workspace = self._workspace()
        self.git("init", "--quiet", str(workspace), cwd=self.root)
        self.git("fetch", "--quiet", "--no-tags", "--depth=1", self.origin.as_uri(), f"+{ref}:refs/remotes/pull/{PR_NUMBER}/merge", cwd=workspace)
        self.git("remote", "add", "origin", self.origin.as_uri(), cwd=workspace)
        self.git("checkout", "--quiet", "--detach", f"refs/remotes/pull/{PR_NUMBER}/merge", cwd=workspace)
        merge = self.git("rev-parse", "HEAD", cwd=workspace)
        github = {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_REF": ref, "GITHUB_REF_NAME": f"{PR_NUMBER}/merge", "GITHUB_SHA": merge, "GITHUB_BASE_REF": "main", "GITHUB_HEAD_REF": branch}
        return self._run("check", workspace, github)

    def _workspace(self) -> Path:
        self.runs += 1
        return self.root / f"run-{self.runs}"

    def _run(self, job: str, workspace: Path, github: dict[str, str]) -> JobRun:
        found = workflow()
        temp = workspace.parent / f"{workspace.name}-temp"
        temp.mkdir()
        summary = temp / "summary.md"
        summary.write_text("")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "GITHUB_", "RUNNER_", "GIT_"))}
        env |= self.git_env | found.get("env", {}) | found["jobs"][job].get("env", {}) | github
        env |= {
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_REPOSITORY": "example/platform",
            "GITHUB_RUN_ID": str(self.runs),
            "GITHUB_STEP_SUMMARY": str(summary),
            "RUNNER_TEMP": str(temp),
        }
        run, outputs = JobRun(), {}
        for index, step in enumerate(found["jobs"][job]["steps"]):
            key = _key(step)
            if "if" in step:
                condition = _CONDITION.fullmatch(step["if"])
                assert condition, f"this test cannot evaluate `if: {step['if']}`"
                if outputs.get(condition[1], {}).get(condition[2]) != condition[3]:
                    run.not_run.append(key)
                    continue
            if step.get("uses", "").startswith(CREDENTIALS_ACTION + "@"):
                # what the action exports once it has assumed the role; the endpoint is the stand-in's
                env |= {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": self.aws.region, "AWS_DEFAULT_REGION": self.aws.region, "AWS_ENDPOINT_URL": self.aws.endpoint_url}
            if "uses" in step or step.get("id") in NOT_RUN_OFF_GITHUB:
                run.not_run.append(key)
                continue
            script, step_outputs = temp / f"{key}.sh", temp / f"{key}.outputs"
            script.write_text(step["run"])
            step_outputs.write_text("")
            # GitHub's command line for `shell: bash`
            done = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                cwd=workspace,
                env=env | step.get("env", {}) | {"GITHUB_OUTPUT": str(step_outputs)},
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=300,
            )
            run.ran[key] = (done.returncode, done.stdout)
            outputs[key] = dict(line.split("=", 1) for line in step_outputs.read_text().splitlines())
            if done.returncode != 0:
                run.not_run += [_key(s) for s in found["jobs"][job]["steps"][index + 1 :]]
                break
        run.summary = summary.read_text()
        return run


def _config_text(aws) -> str:
    """The example, named for this test, with the IDs of the network created for it on the stand-in."""
    text = EXAMPLE.read_text().replace("\nname: core\n", f"\nname: {NAME}\n")
    assert f"\nname: {NAME}\n" in text
    _, mapping = standin.create_network(aws, parse_config(yaml.safe_load(text)))
    for configured, created in mapping.items():
        text = text.replace(configured, created)
    return text


@pytest.fixture(scope="module")
def repo(aws, tmp_path_factory) -> Repository:
    """A repository whose main has been deployed once by the workflow (the push of the first config).
    Pull request tests leave main as it is; the one test that merges comes last in this file."""
    repository = Repository(aws, tmp_path_factory.mktemp("ci"))
    repository.create(_config_text(aws))
    first = repository.main()
    run = repository.run_deploy("push")
    assert run.failed is None, run.ran
    assert run.not_run == ["actions/checkout", "actions/setup-python", "actions/setup-node", "install", CREDENTIALS_ACTION]
    assert repository.git("rev-parse", "main^", cwd=repository.origin) == first
    return repository


def _service(data: dict, name: str) -> dict:
    return next(s for s in data["services"] if s["name"] == name)


def _edit_config(edit):
    def change(checkout: Path) -> None:
        path = checkout / "shared-nlb.yaml"
        data = yaml.safe_load(path.read_text())
        edit(data)
        path.write_text(yaml.safe_dump(data, sort_keys=False))

    return change


def _add_nats_and_move_redis(data: dict) -> None:
    """Harmless to the gate: a new service, and a target port change, which deploy stages."""
    data["services"].append({"name": "nats", "namespace": "nats", "service_port": 4222, "listener_port": 4222})
    _service(data, "redis")["target_port"] = 6390


@e2e
def test_the_deploy_job_commits_outputs_and_manifests_to_main(repo) -> None:
    stack = naming.default_stack_name(NAME)
    outputs = json.loads(repo.show("outputs.json"))[stack]
    assert outputs["VpcId"] == repo.config()["network"]["vpc_id"]
    files = repo.git("ls-tree", "-r", "--name-only", "main", "manifests", cwd=repo.origin).splitlines()
    assert files == ["manifests/data/redis.yaml", "manifests/kafka/kafka.yaml", "manifests/kustomization.yaml", "manifests/observability/openobserve.yaml"]
    assert outputs["RedisTargetGroupArn"] in repo.show("manifests/data/redis.yaml")
    author, subject, body = repo.git("log", "-1", "--format=%an <%ae>%n%s%n%b", "main", cwd=repo.origin).split("\n", 2)
    assert author == "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>"
    assert re.fullmatch(r"shared-nlb deploy: outputs.json and manifests/ of [0-9a-f]{12}", subject)
    assert body.strip() == "https://github.com/example/platform/actions/runs/1"


@e2e
def test_a_scheduled_run_with_nothing_staged_deploys_nothing(repo) -> None:
    before = repo.main()
    run = repo.run_deploy("schedule")
    assert list(run.ran) == ["due"] and "no staged target group replacement" in run.output("due")
    assert repo.main() == before


@e2e
def test_a_pull_request_that_adds_a_service_and_stages_a_target_port_change_passes(repo) -> None:
    """The committed outputs have no target group for the new service yet: the manifests check reads
    main's config, which they were deployed from."""
    repo.branch("add-nats", _edit_config(_add_nats_and_move_redis))
    run = repo.run_check("add-nats")
    assert run.failed is None, run.ran
    assert list(run.ran) == ["validate", "manifests", "plan"]
    assert "manifests: up to date" in run.output("manifests")
    plan = " ".join(run.output("plan").split())
    assert "NatsListener" in plan and "service redis: its target group must be replaced; this deploy creates RedisTargetGroup" in plan


@e2e
def test_a_pull_request_that_would_replace_the_load_balancer_fails_at_the_plan(repo) -> None:
    repo.branch("rename-nlb", _edit_config(lambda data: data["load_balancer"].update(name="shared-nlb-ci-renamed")))
    run = repo.run_check("rename-nlb")
    assert run.failed == "plan" and run.ran["plan"][0] == 1
    assert "--fail-on-replace" in run.output("plan") and "LoadBalancer" in run.output("plan")


@e2e
def test_a_pull_request_that_edits_the_deploys_files_by_hand_fails_the_manifests_check(repo) -> None:
    def edit_binding(checkout: Path) -> None:
        path = checkout / "manifests" / "data" / "redis.yaml"
        path.write_text(path.read_text().replace("port: 6380", "port: 6390"))

    repo.branch("edit-binding", edit_binding)
    run = repo.run_check("edit-binding")
    assert run.failed == "manifests" and "plan" in run.not_run
    assert "manifests/data/redis.yaml: differs" in run.output("manifests")
    assert "::error::manifests/ is not what shared-nlb.yaml and outputs.json of main give" in run.output("manifests")

    def edit_outputs(checkout: Path) -> None:
        path = checkout / "outputs.json"
        path.write_text(path.read_text().replace("RedisTargetGroupArn", "RedisTargetGroupArnX"))

    repo.branch("edit-outputs", edit_outputs)
    run = repo.run_check("edit-outputs")
    assert run.failed == "manifests"
    assert "::error file=outputs.json::outputs.json is written by the deploy on main only" in run.output("manifests")


@e2e
def test_a_merge_is_deployed_staged_and_deployed_again_by_the_schedule_while_the_new_group_waits(repo) -> None:
    stack = naming.default_stack_name(NAME)
    before = json.loads(repo.show("outputs.json"))[stack]
    # GitOps applied the first tree: the controller has registered redis's pod in the live group
    elbv2 = repo.aws.client("elbv2")
    elbv2.register_targets(TargetGroupArn=before["RedisTargetGroupArn"], Targets=[{"Id": "10.0.0.100", "Port": 6380}])
    repo.branch("merge-nats", _edit_config(_add_nats_and_move_redis))
    repo.merge("merge-nats")
    merged = repo.main()

    staged = repo.run_deploy("push")
    assert staged.failed is None, staged.ran
    outputs = json.loads(repo.show("outputs.json"))[stack]
    assert {"NatsTargetGroupArn", "RedisStagedTargetGroupArn"} <= set(outputs) and outputs["RedisTargetGroupArn"] == before["RedisTargetGroupArn"]
    tree = repo.git("ls-tree", "-r", "--name-only", "main", "manifests", cwd=repo.origin).splitlines()
    assert {"manifests/data/redis.staged.yaml", "manifests/nats/nats.yaml"} <= set(tree)
    assert repo.git("rev-parse", "main^", cwd=repo.origin) == merged
    assert "A target group replacement is staged" in staged.summary

    # the new group has no healthy target yet: the scheduled run deploys, waits and commits nothing
    waiting = repo.run_deploy("schedule")
    assert waiting.failed is None and list(waiting.ran) == ["due", "deploy", "manifests", "commit", "next"]
    assert "waiting for RedisTargetGroup" in " ".join(waiting.output("deploy").split())
    assert "outputs.json and manifests/ unchanged: nothing to commit" in waiting.output("commit")
    assert repo.main() != merged and repo.git("rev-parse", "main^", cwd=repo.origin) == merged
    assert "A target group replacement is staged" in waiting.summary
