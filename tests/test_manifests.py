"""The TargetGroupBinding tree: exact fields per protocol, CRD validity, a reviewed snapshot, stable
bytes, atomic replacement, pruning-friendly names, kustomize, the CLI and `cdk8s synth` parity."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from shared_nlb import naming
from shared_nlb.cli import main
from shared_nlb.config import Config, parse_config
from shared_nlb.crd import validate_bindings
from k8s_charts.spec import BindingSpec
from shared_nlb.errors import UserError
from shared_nlb.manifests import KUSTOMIZATION, owner_of, render_tree, render_tree_from_outputs, write_tree
from tests.factories import ROOT, base_dict, example_dict, write
from tests.fake_outputs import SECURITY_GROUP, outputs_for, target_group_arn, write_outputs

CERT = "arn:aws:acm:ap-northeast-2:111111111111:certificate/01234567-89ab-cdef-0123-456789abcdef"
PROTOCOLS = base_dict(
    [
        {"name": "tcp", "namespace": "p", "service_port": 7001, "target_port": 8001, "listener_port": 7001, "protocol": "TCP"},
        {"name": "udp", "namespace": "p", "service_port": 7002, "listener_port": 7002, "protocol": "UDP"},
        {"name": "both", "namespace": "p", "service_port": 7003, "listener_port": 7003, "protocol": "TCP_UDP"},
        {"name": "tls", "namespace": "p", "service_port": 7004, "target_port": 8004, "listener_port": 7004, "protocol": "TLS", "certificate_arn": CERT},
        {"name": "named", "namespace": "q", "service": "web", "service_port": "http", "target_port": 8080, "listener_port": 7005},
        {"name": "probed", "namespace": "q", "service_port": 7006, "listener_port": 7006, "health_check": {"protocol": "HTTP", "port": 9090, "path": "/ready"}},
    ]
)


def docs_of(tree: dict[str, str]) -> dict[str, dict]:
    """relative path -> the one YAML document in it."""
    return {path: yaml.safe_load(text) for path, text in tree.items()}


def bindings_of(tree: dict[str, str]) -> dict[str, dict]:
    """service name -> binding document."""
    return {doc["metadata"]["labels"][naming.SERVICE_LABEL]: doc for doc in docs_of(tree).values() if doc["kind"] == "TargetGroupBinding"}


def snapshot_of(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def protocols_config() -> Config:
    return parse_config(PROTOCOLS)


@pytest.fixture(scope="session")
def protocols_tree(protocols_config: Config) -> dict[str, str]:
    return render_tree_from_outputs(protocols_config, outputs_for(protocols_config))


@pytest.fixture(scope="session")
def example_tree(example_config: Config) -> dict[str, str]:
    return render_tree_from_outputs(example_config, outputs_for(example_config))


@pytest.fixture()
def files(tmp_path: Path, example_config: Config):
    """(config path, outputs path, out dir) of the example, with the fixed fake outputs."""
    config = write(tmp_path, example_dict())
    outputs = write_outputs(tmp_path / "outputs.json", outputs_for(example_config))
    return config, outputs, tmp_path / "manifests"


# --- what each binding holds --------------------------------------------------------------------------
def test_redis_binding_exactly(example_tree):
    arn = target_group_arn("redis")
    assert yaml.safe_load(example_tree["data/redis.yaml"]) == {
        "apiVersion": "elbv2.k8s.aws/v1beta1",
        "kind": "TargetGroupBinding",
        "metadata": {
            "name": naming.binding_name("redis", arn),
            "namespace": "data",
            "labels": {
                "app.kubernetes.io/managed-by": "shared-nlb",
                "shared-nlb.io/service": "redis",
                "shared-nlb.io/load-balancer": "shared-nlb-core",
            },
        },
        "spec": {
            "serviceRef": {"name": "redis", "port": 6380},
            "targetGroupARN": arn,
            "targetType": "ip",
            "ipAddressType": "ipv4",
            "vpcID": "vpc-0a1b2c3d4e5f60718",
            "networking": {"ingress": [{"from": [{"securityGroup": {"groupID": SECURITY_GROUP}}], "ports": [{"port": 6380, "protocol": "TCP"}]}]},
        },
    }


@pytest.mark.parametrize(
    ("service", "ports"),
    [
        ("tcp", [{"port": 8001, "protocol": "TCP"}]),
        # UDP targets are health-checked over TCP on the same port: the pods must admit both.
        ("udp", [{"port": 7002, "protocol": "TCP"}, {"port": 7002, "protocol": "UDP"}]),
        ("both", [{"port": 7003, "protocol": "TCP"}, {"port": 7003, "protocol": "UDP"}]),
        ("tls", [{"port": 8004, "protocol": "TCP"}]),  # TLS ends at the NLB: the pods get TCP
        ("named", [{"port": 8080, "protocol": "TCP"}]),
        ("probed", [{"port": 7006, "protocol": "TCP"}, {"port": 9090, "protocol": "TCP"}]),  # the health check port too
    ],
)
def test_ingress_reaches_the_pod_port_with_the_target_protocols(protocols_tree, service, ports):
    ingress = bindings_of(protocols_tree)[service]["spec"]["networking"]["ingress"]
    assert ingress == [{"from": [{"securityGroup": {"groupID": SECURITY_GROUP}}], "ports": ports}]


def test_service_ref_keeps_the_service_port_and_name(protocols_tree):
    bindings = bindings_of(protocols_tree)
    assert bindings["tcp"]["spec"]["serviceRef"] == {"name": "tcp", "port": 7001}  # the Service port, not the pod port
    assert bindings["named"]["spec"]["serviceRef"] == {"name": "web", "port": "http"}
    assert bindings["named"]["metadata"]["namespace"] == "q"


def test_dualstack_nlb_still_binds_ipv4_target_groups():
    config = parse_config({**base_dict(), "load_balancer": {"ip_address_type": "dualstack"}})
    binding = bindings_of(render_tree_from_outputs(config, outputs_for(config)))["redis"]
    assert binding["spec"]["ipAddressType"] == "ipv4"
    assert validate_bindings([binding]) == []


def test_no_binding_sets_a_node_selector(example_tree, protocols_tree):
    for tree in (example_tree, protocols_tree):
        assert all("nodeSelector" not in doc["spec"] for doc in bindings_of(tree).values())


@pytest.mark.parametrize("which", ["example_tree", "protocols_tree"])
def test_every_binding_passes_the_crd_schema_and_webhook_rules(which, request):
    bindings = list(bindings_of(request.getfixturevalue(which)).values())
    assert bindings
    assert validate_bindings(bindings) == []


# --- the tree -----------------------------------------------------------------------------------------
def test_tree_layout_and_kustomization(example_tree):
    assert list(example_tree) == ["data/redis.yaml", "kafka/kafka.yaml", KUSTOMIZATION, "observability/openobserve.yaml"]
    kustomization = yaml.safe_load(example_tree[KUSTOMIZATION])
    assert kustomization["apiVersion"] == "kustomize.config.k8s.io/v1beta1"
    assert kustomization["kind"] == "Kustomization"
    assert kustomization["resources"] == ["data/redis.yaml", "kafka/kafka.yaml", "observability/openobserve.yaml"]
    assert kustomization["metadata"]["labels"] == {naming.MANAGED_BY_LABEL: "shared-nlb", naming.LOAD_BALANCER_LABEL: "shared-nlb-core"}
    assert all(text.startswith("# Generated by shared-nlb from the outputs of stack shared-nlb-core.") for text in example_tree.values())


def test_example_tree_snapshot(example_tree, snapshot):
    assert example_tree == snapshot


def test_same_input_same_bytes_in_any_service_order(example_config, example_tree):
    assert render_tree_from_outputs(example_config, outputs_for(example_config)) == example_tree
    data = example_dict()
    data["services"].reverse()
    reordered = parse_config(data)
    assert render_tree_from_outputs(reordered, outputs_for(reordered)) == example_tree


def test_render_tree_reads_the_outputs_file(tmp_path, example_config, example_tree):
    path = write_outputs(tmp_path / "outputs.json", outputs_for(example_config))
    assert render_tree(example_config, path) == example_tree


def test_kubectl_kustomize_renders_every_binding(files):
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed; `kubectl kustomize` cannot be checked")
    config, outputs, out = files
    assert main(["manifests", str(config), "--outputs", str(outputs), "--out", str(out)]) == 0
    rendered = subprocess.run([kubectl, "kustomize", str(out)], capture_output=True, text=True, check=True).stdout
    docs = list(yaml.safe_load_all(rendered))
    assert sorted((d["metadata"]["namespace"], d["metadata"]["name"]) for d in docs) == [
        ("data", naming.binding_name("redis", target_group_arn("redis"))),
        ("kafka", naming.binding_name("kafka", target_group_arn("kafka"))),
        ("observability", naming.binding_name("openobserve", target_group_arn("openobserve"))),
    ]
    assert {d["kind"] for d in docs} == {"TargetGroupBinding"}  # the Kustomization's labels stay on it


# --- replacing the tree -------------------------------------------------------------------------------
def test_replaced_target_group_gives_a_new_binding_and_drops_the_old(files, example_config):
    config, outputs, out = files
    assert main(["manifests", str(config), "--outputs", str(outputs), "--out", str(out)]) == 0
    old_name = naming.binding_name("kafka", target_group_arn("kafka"))
    new_arn = target_group_arn("kafka", generation=1)
    write_outputs(outputs, outputs_for(example_config, kafka=new_arn))
    assert main(["manifests", str(config), "--outputs", str(outputs), "--out", str(out)]) == 0
    names = {doc["metadata"]["name"] for doc in (yaml.safe_load(p.read_text()) for p in out.rglob("*.yaml")) if doc["kind"] == "TargetGroupBinding"}
    assert naming.binding_name("kafka", new_arn) in names
    assert old_name not in names
    assert naming.binding_name("kafka", new_arn) != old_name
    assert naming.binding_name("redis", target_group_arn("redis")) in names  # the others keep their names


def test_removed_service_file_disappears(files, tmp_path):
    config, outputs, out = files
    assert main(["manifests", str(config), "--outputs", str(outputs), "--out", str(out)]) == 0
    assert (out / "observability" / "openobserve.yaml").exists()
    data = example_dict()
    data["services"] = [s for s in data["services"] if s["name"] != "openobserve"]
    smaller = write(tmp_path, data, "smaller.yaml")
    assert main(["manifests", str(smaller), "--outputs", str(outputs), "--out", str(out)]) == 0
    assert sorted(snapshot_of(out)) == ["data/redis.yaml", "kafka/kafka.yaml", KUSTOMIZATION]
    assert yaml.safe_load((out / KUSTOMIZATION).read_text())["resources"] == ["data/redis.yaml", "kafka/kafka.yaml"]


def test_missing_output_writes_nothing_and_keeps_the_old_tree(files, example_config, capsys):
    config, outputs, out = files
    assert main(["manifests", str(config), "--outputs", str(outputs), "--out", str(out)]) == 0
    before = snapshot_of(out)
    broken = outputs_for(example_config)
    del broken["shared-nlb-core"]["RedisTargetGroupArn"]
    write_outputs(outputs, broken)
    capsys.readouterr()
    assert main(["manifests", str(config), "--outputs", str(outputs), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"shared-nlb manifests: {outputs}: stack shared-nlb-core has no output RedisTargetGroupArn "
        "(target group of service 'redis'); deploy the stack again or check the stack name\n"
    )
    assert snapshot_of(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["manifests", "outputs.json", "shared-nlb.yaml"]  # no staging left


def test_missing_output_on_first_run_creates_no_folder(files, capsys):
    config, _, out = files
    assert main(["manifests", str(config), "--outputs", str(out.parent / "absent.json"), "--out", str(out)]) == 1
    assert "absent.json: no such file" in capsys.readouterr().err
    assert not out.exists()


def test_refuses_to_replace_a_folder_it_did_not_write(files, capsys):
    config, outputs, out = files
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert main(["manifests", str(config), "--outputs", str(outputs), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"shared-nlb manifests: {out}: is not empty and holds no shared-nlb tree (kustomization.yaml with label "
        "app.kubernetes.io/managed-by: shared-nlb); refusing to replace it: choose an empty or new folder\n"
    )
    assert (out / "notes.txt").read_text() == "mine"


def test_refuses_to_replace_a_plain_kustomization(files, capsys):
    config, outputs, out = files
    out.mkdir()
    (out / KUSTOMIZATION).write_text("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [app.yaml]\n")
    assert main(["manifests", str(config), "--outputs", str(outputs), "--out", str(out)]) == 1
    assert "holds no shared-nlb tree" in capsys.readouterr().err
    assert (out / KUSTOMIZATION).read_text().endswith("resources: [app.yaml]\n")


def test_refuses_to_replace_another_load_balancers_tree(files, tmp_path, capsys):
    config, outputs, out = files
    assert main(["manifests", str(config), "--outputs", str(outputs), "--out", str(out)]) == 0
    before = snapshot_of(out)
    other = parse_config({**base_dict(), "name": "edge"})
    other_config = write(tmp_path, {**base_dict(), "name": "edge"}, "edge.yaml")
    other_outputs = write_outputs(tmp_path / "edge.json", outputs_for(other))
    assert main(["manifests", str(other_config), "--outputs", str(other_outputs), "--out", str(out)]) == 1
    assert capsys.readouterr().err == (
        f"shared-nlb manifests: {out}: holds the tree of load balancer 'shared-nlb-core', not 'shared-nlb-edge'; refusing to replace it "
        "(its bindings would be pruned): give each config its own folder, or delete this one if the NLB was renamed\n"
    )
    assert snapshot_of(out) == before


def test_write_tree_checks_the_folder_again_before_swapping_it(tmp_path, example_config, example_tree):
    """The command checks before rendering; the folder may change meanwhile (a user's files put there,
    another config's tree written there), so the swap itself checks it once more."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    with pytest.raises(UserError, match="holds no shared-nlb tree"):
        write_tree(mine, example_tree, example_config)
    assert snapshot_of(mine) == {"notes.txt": b"mine"}
    other = tmp_path / "other"
    write_tree(other, example_tree, example_config)
    with pytest.raises(UserError, match=r"holds the tree of load balancer 'shared-nlb-core', not 'shared-nlb-edge'"):
        write_tree(other, {"kustomization.yaml": "x"}, "shared-nlb-edge")
    assert snapshot_of(other) == {path: text.encode() for path, text in example_tree.items()}


def _on(load_balancer: str) -> BindingSpec:
    return BindingSpec("redis", "data", "redis", 6379, target_group_arn("redis"), "vpc-1", SECURITY_GROUP, (("tcp", 6379),), load_balancer, "s")


def test_the_owner_label_is_the_nlb_names_up_to_63_characters_then_a_digest():
    """A label value has at most 63 characters (Kubernetes "Labels and Selectors", validation
    IsValidLabelValue): two NLB names joined are kept up to that, a digest stands for longer ones."""
    at_limit = [_on("a" * 31), _on("b" * 31)]
    assert owner_of(at_limit) == "a" * 31 + "." + "b" * 31
    over = owner_of([_on("a" * 32), _on("b" * 31)])
    assert re.fullmatch(r"nlbs-[0-9a-f]{16}", over)


def test_empty_folder_is_fine(files):
    config, outputs, out = files
    out.mkdir()
    assert main(["manifests", str(config), "--outputs", str(outputs), "--out", str(out)]) == 0
    assert (out / KUSTOMIZATION).exists()


# --- command line -------------------------------------------------------------------------------------
def test_cli_success_writes_the_rendered_tree(files, example_tree, capsys):
    config, outputs, out = files
    assert main(["manifests", str(config), "--outputs", str(outputs), "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote {out}/ (3 TargetGroupBinding(s) + kustomization.yaml)\n"
    assert snapshot_of(out) == {path: text.encode() for path, text in example_tree.items()}


def test_cli_bad_config_exits_2_without_writing(files, tmp_path, capsys):
    _, outputs, out = files
    bad = write(tmp_path, {**example_dict(), "version": 2}, "bad.yaml")
    assert main(["manifests", str(bad), "--outputs", str(outputs), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "version: 2 is not a known format version" in err and "Traceback" not in err
    assert not out.exists()


def test_cli_without_outputs_is_a_usage_error(files, capsys):
    config, _, out = files
    with pytest.raises(SystemExit) as caught:
        main(["manifests", str(config), "--out", str(out)])
    assert caught.value.code == 2
    assert "the following arguments are required: --outputs" in capsys.readouterr().err


def test_cli_bad_json_is_one_line(files, capsys):
    config, outputs, out = files
    outputs.write_text("{not json")
    assert main(["manifests", str(config), "--outputs", str(outputs), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err == f"shared-nlb manifests: {outputs}:1: not valid JSON: Expecting property name enclosed in double quotes (column 2)\n"


# --- cdk8s ---------------------------------------------------------------------------------------------
def _cdk8s() -> str:
    cli = ROOT / "node_modules" / ".bin" / "cdk8s"
    if not cli.exists() or shutil.which("node") is None:
        pytest.skip("cdk8s-cli is not installed in node_modules (scripts/setup installs it)")
    return str(cli)


def test_cdk8s_synth_writes_the_same_tree(files, example_tree):
    config, outputs, out = files
    env = {**os.environ, "SHARED_NLB_CONFIG": str(config), "SHARED_NLB_OUTPUTS": str(outputs)}
    subprocess.run([_cdk8s(), "synth", "--no-check-upgrade", "--output", str(out)], cwd=ROOT, env=env, check=True, capture_output=True)
    assert snapshot_of(out) == {path: text.encode() for path, text in example_tree.items()}


def test_cdk8s_synth_fails_on_missing_outputs(files):
    config, outputs, out = files
    env = {**os.environ, "SHARED_NLB_CONFIG": str(config), "SHARED_NLB_OUTPUTS": str(outputs) + ".absent"}
    done = subprocess.run([_cdk8s(), "synth", "--no-check-upgrade", "--output", str(out)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode != 0
    assert f"k8s_app.py: {outputs}.absent: no such file" in done.stderr
    assert not out.exists()


def test_committed_crd_classes_match_the_vendored_crd(tmp_path):
    """`cdk8s import` of the vendored CRD gives the committed classes byte for byte (k8s_charts/imports/README.md)."""
    subprocess.run(
        [_cdk8s(), "import", "shared_nlb/data/elbv2.k8s.aws_targetgroupbindings.yaml", "--language", "python", "--output", str(tmp_path), "--no-check-upgrade"],
        cwd=ROOT, check=True, capture_output=True,
    )
    committed = ROOT / "k8s_charts" / "imports" / "aws" / "k8s" / "elbv2"
    fresh = tmp_path / "aws" / "k8s" / "elbv2"
    assert snapshot_of(fresh) == {k: v for k, v in snapshot_of(committed).items() if "__pycache__" not in k}


def test_outputs_fixture_is_what_the_stack_declares(example_template):
    """The fake outputs carry exactly the stack's output keys, so these tests read a real shape."""
    config = parse_config(example_dict())
    assert sorted(outputs_for(config)["shared-nlb-core"]) == sorted(example_template["Outputs"])


def test_synth_with_outputs_writes_the_same_tree_in_a_fresh_process(files, example_tree, tmp_path):
    """`synth --outputs` renders while the command line loads aws-cdk in a thread; jsii takes one caller
    at a time, so this runs in its own process, as a user would."""
    config, outputs, out = files
    done = subprocess.run(
        [sys.executable, "-m", "shared_nlb.cli", "synth", str(config), "--out", str(tmp_path / "cdk.out"), "--outputs", str(outputs), "--manifests-out", str(out), "--first-deploy"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr
    assert snapshot_of(out) == {path: text.encode() for path, text in example_tree.items()}


def test_chart_synthesizes_one_binding_per_service_keyed_by_name(protocols_config):
    from cdk8s import Testing

    from k8s_charts import spec
    from k8s_charts.target_group_bindings import TargetGroupBindings
    from shared_nlb.outputs import parse_outputs

    chart = TargetGroupBindings(Testing.app(), bindings=spec.from_config(protocols_config, parse_outputs(protocols_config, outputs_for(protocols_config))))
    assert list(chart.bindings) == ["both", "named", "probed", "tcp", "tls", "udp"]
    assert [b.node.id for b in chart.bindings.values()] == ["both", "named", "probed", "tcp", "tls", "udp"]  # IDs from names, not positions
    synthesized = Testing.synth(chart)
    assert [d["metadata"]["name"] for d in synthesized] == [naming.binding_name(n, target_group_arn(n)) for n in ["both", "named", "probed", "tcp", "tls", "udp"]]


def test_bindings_admit_exactly_what_the_stack_lets_the_nlb_reach(protocols_config, protocols_tree, synth):
    """The bindings' ingress and the stack's egress come from one rule (Service.target_rules): every
    (protocol, port) the NLB may send to is admitted at the pods, and nothing else."""
    import json

    resources = json.loads(synth(PROTOCOLS))["Resources"]
    egress = {(r["Properties"]["IpProtocol"].upper(), r["Properties"]["FromPort"]) for r in resources.values() if r["Type"] == "AWS::EC2::SecurityGroupEgress"}
    ingress = {
        (port["protocol"], port["port"])
        for binding in bindings_of(protocols_tree).values()
        for rule in binding["spec"]["networking"]["ingress"]
        for port in rule["ports"]
    }
    assert ingress == egress


def test_binding_names_fit_the_controllers_readiness_gate() -> None:
    """The controller's readiness gate `target-health.elbv2.k8s.aws/<binding name>` takes a name part
    of at most 63 characters: a long service name is cut, the ARN digest always kept."""
    from shared_nlb import naming

    arn = "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/x/0123456789abcdef"
    long_name = "a" + "-b" * 31  # 63 characters, a valid service name
    name = naming.binding_name(long_name, arn)
    assert len(name) == 63 - 1 and name.endswith("-" + naming.arn_digest(arn)) and not name.startswith("-")
    assert naming.binding_name("redis", arn) == "redis-" + naming.arn_digest(arn)


def test_a_binding_name_carries_eight_hex_digits_of_its_target_groups_arn(example_tree):
    """The digest in a binding's name (a field, not only the reviewed snapshot): 8 hex digits of the
    ARN's SHA-256, so a replaced target group gets a new binding and the names stay short."""
    from shared_nlb import naming

    arn = "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/x/0123456789abcdef"
    assert naming.binding_name("redis", arn) == "redis-" + hashlib.sha256(arn.encode()).hexdigest()[:8]
    for name, binding in bindings_of(example_tree).items():
        digest = hashlib.sha256(binding["spec"]["targetGroupARN"].encode()).hexdigest()[:8]
        assert binding["metadata"]["name"] == f"{name}-{digest}"


@pytest.mark.parametrize(("name", "valid"), [("a" * 63, True), ("a" * 64, False), ("a-1", True), ("1a", False), ("a-", False), ("A", False)], ids=["63", "64", "a-1", "1a", "a-", "A"])
def test_service_names_are_rfc_1035_labels_of_at_most_63_characters(name, valid):
    """What Kubernetes requires of a Service name (apimachinery validation IsDNS1035Label)."""
    assert naming.is_dns_label(name) is valid


# --- --check --------------------------------------------------------------------------------------------
def _snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_check_names_every_stale_file_and_writes_nothing(files, example_config, capsys):
    config, outputs, out = files
    args = ["manifests", str(config), "--outputs", str(outputs), "--out", str(out)]
    assert main(args + ["--check"]) == 1  # no tree yet: every file missing
    assert not out.exists() or not any(out.iterdir())
    assert main(args) == 0
    capsys.readouterr()
    assert main(args + ["--check"]) == 0
    assert capsys.readouterr().out.strip() == f"{out}: up to date (4 file(s))"

    (out / "data" / "redis.yaml").write_text("edited\n")
    (out / "stray.yaml").write_text("x: 1\n")
    write_outputs(outputs, outputs_for(example_config, kafka=target_group_arn("kafka", generation=1)))
    before = _snapshot(out)
    assert main(args + ["--check"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"shared-nlb manifests: {out}/data/redis.yaml: differs",
        f"shared-nlb manifests: {out}/kafka/kafka.yaml: differs",
        f"shared-nlb manifests: {out}/stray.yaml: would be removed",
        "shared-nlb manifests: 3 file(s) out of date; run the same command without --check and commit the result",
    ]
    assert _snapshot(out) == before  # nothing written


def test_synth_check_compares_the_template_and_the_tree(files, tmp_path, capsys):
    config, outputs, out = files
    templates = tmp_path / "cdk.out"
    args = ["synth", str(config), "--out", str(templates), "--outputs", str(outputs), "--manifests-out", str(out), "--first-deploy"]
    assert main(args) == 0
    capsys.readouterr()
    assert main(args + ["--check"]) == 0
    template = templates / "shared-nlb-core.template.json"
    template.write_text(template.read_text().replace("shared-nlb core", "shared-nlb edited"))
    (out / "kustomization.yaml").unlink()
    assert main(args + ["--check"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"shared-nlb synth: {template}: differs",
        f"shared-nlb synth: {out}/kustomization.yaml: missing",
        "shared-nlb synth: 2 file(s) out of date; run the same command without --check and commit the result",
    ]
