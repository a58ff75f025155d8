"""`shared-nlb standin` as users run it: a server process of its own, then `plan` and `deploy` driven
by nothing but the environment it prints (or `--endpoint-url`), then stopped by a signal. `plan` and
`deploy` run in this process, where jsii is already up, with every other AWS variable taken away."""

from __future__ import annotations

import json
import os
import queue
import shlex
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from shared_nlb import naming
from shared_nlb.cli import main
from tests.factories import ROOT

pytestmark = pytest.mark.e2e

BIN = Path(sys.executable).with_name("shared-nlb")
CERTIFICATE = "arn:aws:acm:ap-northeast-2:111111111111:certificate/0f0e0d0c-0b0a-4908-8706-050403020100"
CONFIG = f"""# edge services, TLS terminated at the NLB
version: 1
name: edge
stack: {{account: "111111111111", region: ap-northeast-2, tags: {{team: platform}}}}
network:
  vpc_id: vpc-0a1b2c3d4e5f60718   # the platform VPC
  vpc_cidr: 10.0.0.0/16
  subnet_ids: [subnet-0aaaaaaaaaaaaaaa1, subnet-0bbbbbbbbbbbbbbb2]
load_balancer: {{deletion_protection: false}}
clients:
  - security_group: sg-0ec5000000000001a   # ECS tasks
  - prefix_list: pl-0123456789abcdef0
    max_entries: 5
services:
  - name: gateway
    namespace: ai
    service_port: 8443
    listener_port: 443
    protocol: TLS
    certificate_arn: {CERTIFICATE}
  - name: redis
    namespace: data
    service_port: 6379
    listener_port: 6379
"""
EXPORTED = [
    "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3_FOR_CLOUDFORMATION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION",
    "AWS_DEFAULT_REGION", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "CDK_DISABLE_VERSION_CHECK",
]


class StandIn:
    """A `shared-nlb standin --port 0` process, read up to its ready line."""

    def __init__(self, *args: str):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        self.process = subprocess.Popen([str(BIN), "standin", "--port", "0", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
        self._stdout: queue.Queue[str | None] = queue.Queue()  # read by a thread: a hung server must fail the test, not block it
        threading.Thread(target=self._read, daemon=True).start()
        self.lines: list[str] = []
        while not self.lines or not self.lines[-1].startswith("# stand-in ready on "):
            try:
                line = self._stdout.get(timeout=90)
            except queue.Empty:
                self.process.kill()
                pytest.fail(f"no ready line from shared-nlb standin: {self.lines}")
            if line is None:
                pytest.fail(f"shared-nlb standin exited {self.process.wait()}: {self.process.stderr.read()}")  # type: ignore[union-attr]
            self.lines.append(line)
        self.exports = dict(shlex.split(line.removeprefix("export "))[0].split("=", 1) for line in self.lines if line.startswith("export "))
        self.port = int(self.exports["AWS_ENDPOINT_URL"].rsplit(":", 1)[1])

    def _read(self) -> None:
        for line in self.process.stdout:  # type: ignore[union-attr]
            self._stdout.put(line.rstrip("\n"))
        self._stdout.put(None)

    def stop(self, number: signal.Signals) -> tuple[int, list[str], str]:
        """Send the signal; (exit status, the lines printed after the ready line, stderr)."""
        self.process.send_signal(number)
        status = self.process.wait(timeout=60)
        after = []
        while (line := self._stdout.get(timeout=10)) is not None:
            after.append(line)
        return status, after, self.process.stderr.read()  # type: ignore[union-attr]


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("standin")
    (folder / "edge.yaml").write_text(CONFIG)
    running = StandIn("--config", str(folder / "edge.yaml"), "--write-config", str(folder / "standin.yaml"))
    yield running, folder
    assert_stops_cleanly(running, signal.SIGTERM)  # here rather than in a test: one server start less


def assert_stops_cleanly(running: StandIn, number: signal.Signals) -> None:
    assert port_open(running.port)
    status, after, stderr = running.stop(number)
    assert (status, after, stderr) == (0, [f"# stand-in stopped ({number.name}); what it held is gone"], "")
    assert not port_open(running.port)


def mapping_of(lines: list[str]) -> dict[str, str]:
    return dict(line.removeprefix("#   ").split(" -> ") for line in lines if line.startswith("#   "))


def test_it_prints_the_environment_and_writes_the_config_with_the_stand_ins_ids(served):
    running, folder = served
    assert list(running.exports) == EXPORTED
    assert running.exports["AWS_ENDPOINT_URL"] == f"http://127.0.0.1:{running.port}"
    assert running.exports["AWS_ENDPOINT_URL_S3_FOR_CLOUDFORMATION"] == f"http://localhost:{running.port}"
    assert (running.exports["AWS_REGION"], running.exports["AWS_DEFAULT_REGION"], running.exports["AWS_CONFIG_FILE"]) == ("ap-northeast-2", "ap-northeast-2", "/dev/null")
    assert "unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN" in running.lines
    assert all(line.startswith(("# ", "export ", "unset ")) for line in running.lines)  # the whole output can be sourced
    assert any("--no-previous-parameters" in line for line in running.lines if line.startswith("# cdk CLI: cdk "))
    assert running.lines[-1] == f"# stand-in ready on http://127.0.0.1:{running.port}; Ctrl-C stops it"
    script = folder / "standin.env"
    script.write_text("\n".join(running.lines) + "\n")
    sourced = subprocess.run(["sh", "-c", '. "$0" && echo "$AWS_ENDPOINT_URL $AWS_REGION"', str(script)], capture_output=True, text=True, env={"PATH": os.environ["PATH"]}, check=True)
    assert sourced.stdout == f"http://127.0.0.1:{running.port} ap-northeast-2\n"

    mapping = mapping_of(running.lines)
    assert list(mapping) == ["vpc-0a1b2c3d4e5f60718", "subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2", "sg-0ec5000000000001a", "pl-0123456789abcdef0", CERTIFICATE, "111111111111"]
    expected = CONFIG
    for configured in sorted(mapping, key=len, reverse=True):
        expected = expected.replace(configured, mapping[configured])
    assert (folder / "standin.yaml").read_text() == expected  # comments, order and layout as written
    assert (folder / "edge.yaml").read_text() == CONFIG


def use_environment(monkeypatch, running: StandIn) -> None:
    """The environment `standin` printed, and nothing else of AWS's."""
    for name in [k for k in os.environ if k.startswith("AWS_")]:
        monkeypatch.delenv(name)
    for name, value in running.exports.items():
        monkeypatch.setenv(name, value)


def test_the_users_own_file_plans_and_deploys_and_its_state_file_holds_no_stand_in_id(served, monkeypatch, capsys, tmp_path):
    """The user's own edge.yaml, not the copy: the stand-in's map applies whenever a command talks to
    it. The state file lands beside edge.yaml and is the same bytes as offline; the outputs carry the
    stand-in's resources; the copy of --write-config still deploys (its IDs are the stand-in's own)."""
    running, folder = served
    config, outputs_file = str(folder / "edge.yaml"), folder / "outputs.json"
    use_environment(monkeypatch, running)
    assert main(["plan", config]) == 0
    assert "change set for stack shared-nlb-edge (CREATE): 12 to add" in " ".join(capsys.readouterr().out.split())

    assert main(["deploy", config, "--yes", "--outputs-file", str(outputs_file)]) == 0
    assert capsys.readouterr().err == ""  # mapped when the stand-in started: nothing new to say
    outputs = json.loads(outputs_file.read_text())["shared-nlb-edge"]
    mapping = mapping_of(running.lines)
    assert outputs["VpcId"] == mapping["vpc-0a1b2c3d4e5f60718"]
    assert set(outputs) == {naming.target_group_output_key("gateway"), naming.target_group_output_key("redis"), *naming.SHARED_OUTPUT_KEYS}

    import boto3

    elbv2 = boto3.Session().client("elbv2")  # from the environment alone, as any boto3 program
    listeners = elbv2.describe_listeners(LoadBalancerArn=outputs[naming.LOAD_BALANCER_ARN_OUTPUT])["Listeners"]
    seen = {(l["Port"], l["Protocol"], l.get("SslPolicy"), tuple(c["CertificateArn"] for c in l.get("Certificates", []))) for l in listeners}
    assert seen == {(443, "TLS", "ELBSecurityPolicy-TLS13-1-2-2021-06", (mapping[CERTIFICATE],)), (6379, "TCP", None, ())}

    # the state file beside the user's file, with none of the stand-in's IDs: the very bytes an offline
    # synth of a first deploy writes, with no stand-in anywhere
    state = (folder / "edge.state.yaml").read_text()
    assert not any(made in state for made in [*mapping.values(), standin_account()])
    offline = tmp_path / "edge.yaml"
    offline.write_text(CONFIG)
    for name in [k for k in os.environ if k.startswith("AWS_")]:
        monkeypatch.delenv(name)
    assert main(["synth", str(offline), "--first-deploy", "--out", str(tmp_path / "cdk.out")]) == 0
    assert (tmp_path / "edge.state.yaml").read_text() == state
    assert mapping["vpc-0a1b2c3d4e5f60718"] not in (tmp_path / "cdk.out" / "shared-nlb-edge.template.json").read_text()

    # the manifests of the stand-in's outputs: with the stand-in, and refused against the real IDs
    assert main(["manifests", config, "--outputs", str(outputs_file), "--out", str(folder / "refused")]) == 2
    assert "VpcId is " + mapping["vpc-0a1b2c3d4e5f60718"] + ", but the config's network.vpc_id is vpc-0a1b2c3d4e5f60718; these outputs come from another deployment" in capsys.readouterr().err
    use_environment(monkeypatch, running)
    assert main(["manifests", config, "--outputs", str(outputs_file), "--out", str(folder / "manifests")]) == 0
    assert f"vpcID: {mapping['vpc-0a1b2c3d4e5f60718']}" in (folder / "manifests" / "data" / "redis.yaml").read_text()

    capsys.readouterr()
    assert main(["deploy", str(folder / "standin.yaml"), "--endpoint-url", running.exports["AWS_ENDPOINT_URL"], "--yes", "--outputs-file", str(outputs_file)]) == 0
    assert "stack shared-nlb-edge: no changes" in capsys.readouterr().out
    assert json.loads(outputs_file.read_text())["shared-nlb-edge"] == outputs


def standin_account() -> str:
    from shared_nlb.standin import ACCOUNT

    return ACCOUNT


def test_new_ids_of_an_edited_file_are_mapped_without_a_restart(served, monkeypatch, capsys):
    """A subnet, a client security group, a prefix list and a certificate new in the file: the next
    command maps them on the running stand-in (one line each), and the stack deployed before is
    updated in place, its load balancer kept."""
    running, folder = served
    use_environment(monkeypatch, running)
    config, outputs_file = folder / "grown.yaml", folder / "grown-outputs.json"
    text = CONFIG.replace("name: edge", "name: grown")
    config.write_text(text)
    assert main(["deploy", str(config), "--yes", "--outputs-file", str(outputs_file)]) == 0
    before = json.loads(outputs_file.read_text())["shared-nlb-grown"]
    capsys.readouterr()

    certificate = CERTIFICATE.replace("0f0e0d0c", "1f1e1d1c")
    grown = text.replace("subnet-0bbbbbbbbbbbbbbb2]", "subnet-0bbbbbbbbbbbbbbb2, subnet-0ccccccccccccccc3]")
    grown = grown.replace("  - prefix_list: pl-0123456789abcdef0\n", "  - security_group: sg-0ec5000000000002b\n  - prefix_list: pl-0fedcba9876543210\n    max_entries: 2\n  - prefix_list: pl-0123456789abcdef0\n")
    grown += f"  - {{name: admin, namespace: ai, service_port: 9443, listener_port: 9443, protocol: TLS, certificate_arn: {certificate}}}\n"
    config.write_text(grown)
    assert main(["deploy", str(config), "--yes", "--outputs-file", str(outputs_file)]) == 0
    said = capsys.readouterr()
    endpoint = running.exports["AWS_ENDPOINT_URL"]
    new = [line.split(": ", 1)[1].split(" -> ")[0] for line in said.err.splitlines() if line.startswith(f"stand-in {endpoint}: ")]
    assert new == ["subnet-0ccccccccccccccc3", "sg-0ec5000000000002b", "pl-0fedcba9876543210", certificate], said.err
    after = json.loads(outputs_file.read_text())["shared-nlb-grown"]
    assert after[naming.LOAD_BALANCER_ARN_OUTPUT] == before[naming.LOAD_BALANCER_ARN_OUTPUT]  # updated, not created anew

    import urllib.request

    with urllib.request.urlopen(endpoint + "/_shared-nlb/ids") as response:  # the map, where the stand-in serves it
        served_map = json.loads(response.read())["regions"]["ap-northeast-2"]
    import boto3

    elbv2 = boto3.Session().client("elbv2")
    balancer = elbv2.describe_load_balancers(LoadBalancerArns=[after[naming.LOAD_BALANCER_ARN_OUTPUT]])["LoadBalancers"][0]
    template = boto3.Session().client("cloudformation").get_template(StackName="shared-nlb-grown")["TemplateBody"]
    (subnets,) = [r["Properties"]["Subnets"] for r in template["Resources"].values() if r["Type"] == "AWS::ElasticLoadBalancingV2::LoadBalancer"]
    assert subnets[-1] == served_map["subnet-0ccccccccccccccc3"]
    ec2 = boto3.Session().client("ec2")
    assert len({s["AvailabilityZone"] for s in ec2.describe_subnets(SubnetIds=subnets)["Subnets"]}) == 3  # one subnet per zone, as an NLB wants
    assert sorted(z["SubnetId"] for z in balancer["AvailabilityZones"]) == sorted(subnets)  # the load balancer took the new zone
    listeners = {l["Port"]: l for l in elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]}
    assert [c["CertificateArn"] for c in listeners[9443]["Certificates"]] == [served_map[certificate]]
    assert served_map["vpc-0a1b2c3d4e5f60718"] == mapping_of(running.lines)["vpc-0a1b2c3d4e5f60718"]  # the earlier map kept


def test_a_config_in_another_region_than_the_stand_ins_deploys(served, monkeypatch, capsys):
    """The stand-in serves ap-northeast-2 (its config's region); a user's own config of eu-west-1
    deploys there as in an account bootstrapped in both: the first request signed for eu-west-1
    bootstrapped it (on main, moto answered the change set's execution with an internal error: no
    bootstrap parameter), and its IDs are mapped in eu-west-1."""
    running, folder = served
    use_environment(monkeypatch, running)
    text = CONFIG.split("services:")[0].replace("account: \"111111111111\", region: ap-northeast-2", "region: eu-west-1").replace("name: edge", "name: elsewhere")
    text += "services:\n  - name: redis\n    service_port: 6379\n    listener_port: 6379\n"
    (folder / "elsewhere.yaml").write_text(text)
    outputs_file = folder / "elsewhere-outputs.json"
    assert main(["deploy", str(folder / "elsewhere.yaml"), "--yes", "--outputs-file", str(outputs_file)]) == 0, capsys.readouterr()
    outputs = json.loads(outputs_file.read_text())["shared-nlb-elsewhere"]
    assert outputs[naming.LOAD_BALANCER_ARN_OUTPUT].startswith("arn:aws:elasticloadbalancing:eu-west-1:")
    assert outputs["VpcId"] != mapping_of(running.lines)["vpc-0a1b2c3d4e5f60718"]  # a VPC of its own region


def test_ctrl_c_stops_it_cleanly():
    """SIGINT, as Ctrl-C sends it; SIGTERM stops the module's server the same way (`served`)."""
    running = StandIn()
    assert [line for line in running.lines if line.startswith("#   ")] == [] and running.exports["AWS_REGION"] == "us-east-1"
    assert_stops_cleanly(running, signal.SIGINT)


def test_write_config_needs_config(capsys):
    assert main(["standin", "--write-config", "copy.yaml"]) == 2
    assert capsys.readouterr().err == "shared-nlb standin: --write-config needs --config: the copy is of that config, with the stand-in's IDs\n"


def test_it_refuses_to_write_over_the_config(tmp_path, capsys):
    config = tmp_path / "edge.yaml"
    config.write_text(CONFIG)
    same = str(tmp_path / "sub" / ".." / "edge.yaml")
    (tmp_path / "sub").mkdir()
    assert main(["standin", "--config", str(config), "--write-config", same]) == 2
    assert capsys.readouterr().err == f"shared-nlb standin: --write-config {same} is the config itself; name another file (the config keeps its real IDs)\n"
    assert config.read_text() == CONFIG


def test_a_bad_config_is_one_line_per_problem_and_starts_nothing(tmp_path, capsys):
    config = tmp_path / "edge.yaml"
    config.write_text(CONFIG.replace("listener_port: 6379", "listener_port: 443").replace("    certificate_arn: ", "    certificate: "))
    assert main(["standin", "--port", "0", "--config", str(config), "--write-config", str(tmp_path / "out.yaml")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 3 and all(line.startswith(f"{config}:") for line in err), err
    assert not (tmp_path / "out.yaml").exists()
