"""`clusters:` in the manifests: one tree per cluster, multi-cluster bindings, the cross-account role
only in its cluster's bindings, staged bindings per cluster, and the folder ownership check."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import yaml

from shared_nlb import naming
from shared_nlb.cli import main
from shared_nlb.config import Config, parse_config
from shared_nlb.crd import validate_bindings
from shared_nlb.errors import UserError
from shared_nlb.manifests import KUSTOMIZATION, render_tree_from_outputs
from tests.factories import example_dict, write
from tests.fake_outputs import controller_role_arn, outputs_for, target_group_arn, write_outputs
from tests.test_manifests import example_tree, snapshot_of  # noqa: F401  (example_tree: a fixture)

OTHER = "arn:aws:iam::222222222222:role/aws-load-balancer-controller"
FILES = ["data/redis.yaml", "kafka/kafka.yaml", KUSTOMIZATION, "observability/openobserve.yaml"]


def clustered(*clusters: dict) -> dict:
    data = example_dict()
    data["clusters"] = list(clusters)
    return data


@pytest.fixture(scope="module")
def two() -> Config:
    return parse_config(clustered({"name": "blue"}, {"name": "green", "controller_role_arn": OTHER}))


@pytest.fixture(scope="module")
def two_tree(two: Config) -> dict[str, str]:
    return render_tree_from_outputs(two, outputs_for(two))


def specs_of(tree: dict[str, str], cluster: str) -> dict[str, dict]:
    """service name -> the spec of its binding in one cluster's tree."""
    docs = [yaml.safe_load(text) for path, text in tree.items() if path.startswith(f"{cluster}/") and not path.endswith(KUSTOMIZATION)]
    return {doc["metadata"]["labels"][naming.SERVICE_LABEL]: doc["spec"] for doc in docs}


def test_one_tree_per_cluster(two_tree):
    assert list(two_tree) == [f"{cluster}/{path}" for cluster in ("blue", "green") for path in FILES]
    for cluster in ("blue", "green"):
        kustomization = yaml.safe_load(two_tree[f"{cluster}/{KUSTOMIZATION}"])
        assert kustomization["resources"] == [p for p in FILES if p != KUSTOMIZATION]
        assert kustomization["metadata"]["labels"] == {naming.MANAGED_BY_LABEL: "shared-nlb", naming.LOAD_BALANCER_LABEL: "shared-nlb-core", naming.CLUSTER_LABEL: cluster}


def test_two_clusters_bind_every_group_in_multi_cluster_mode_and_only_green_assumes_its_role(two_tree):
    blue, green = specs_of(two_tree, "blue"), specs_of(two_tree, "green")
    assert sorted(blue) == sorted(green) == ["kafka", "openobserve", "redis"]
    for name in blue:
        assert blue[name]["targetGroupARN"] == green[name]["targetGroupARN"] == target_group_arn(name)
        assert blue[name]["multiClusterTargetGroup"] is True and green[name]["multiClusterTargetGroup"] is True
        assert "iamRoleArnToAssume" not in blue[name] and "assumeRoleExternalId" not in blue[name]
        assert green[name]["iamRoleArnToAssume"] == controller_role_arn("green")
        assert green[name]["assumeRoleExternalId"] == "shared-nlb:core:green"  # never empty (#4656)
        # the rest of the binding is the same in both clusters
        strip = ("multiClusterTargetGroup", "iamRoleArnToAssume", "assumeRoleExternalId")
        assert {k: v for k, v in green[name].items() if k not in strip} == {k: v for k, v in blue[name].items() if k not in strip}


def test_each_clusters_tree_passes_the_crd_and_webhook_rules(two_tree):
    for cluster in ("blue", "green"):
        docs = [yaml.safe_load(t) for p, t in two_tree.items() if p.startswith(f"{cluster}/") and not p.endswith(KUSTOMIZATION)]
        assert len(docs) == 3 and validate_bindings(docs) == []
    # the same group bound in both clusters: the webhook would allow it in one cluster too, as every binding is multi-cluster
    every = [yaml.safe_load(t) for p, t in two_tree.items() if not p.endswith(KUSTOMIZATION)]
    assert validate_bindings(every) == []


def test_one_cluster_listed_is_the_plain_tree_in_its_folder_with_the_flag(example_tree):
    config = parse_config(clustered({"name": "blue"}))
    tree = render_tree_from_outputs(config, outputs_for(config))
    assert list(tree) == [f"blue/{p}" for p in FILES]
    # the bindings are those of the tree without `clusters:` plus the flag, already on with one cluster
    assert "multiClusterTargetGroup" not in "".join(example_tree.values())
    for path, text in example_tree.items():
        if path != KUSTOMIZATION:
            doc = yaml.safe_load(tree[f"blue/{path}"])
            assert doc["spec"].pop("multiClusterTargetGroup") is True
            assert doc == yaml.safe_load(text)


def bindings_by_name(tree: dict[str, str]) -> dict[tuple[str, str], dict]:
    """(cluster, namespace/binding name) -> spec: a binding as the cluster's API server knows it."""
    docs = {path.split("/")[0]: [] for path in tree}
    for path, text in tree.items():
        if not path.endswith(KUSTOMIZATION):
            docs[path.split("/")[0]].append(yaml.safe_load(text))
    return {(cluster, f"{d['metadata']['namespace']}/{d['metadata']['name']}"): d["spec"] for cluster, ds in docs.items() for d in ds}


@pytest.mark.parametrize("green", [{"name": "green"}, {"name": "green", "controller_role_arn": OTHER}], ids=["same-account", "cross-account"])
def test_no_bindings_flag_changes_across_the_blue_green_steps(green):
    """docs/clusters.md's steps: blue; blue and green; green alone. A binding that stays in a cluster's
    tree from one step to the next keeps its multiClusterTargetGroup (the controller's docs: do not
    change it after the binding is created), and every binding is multi-cluster from the first step."""
    steps = [clustered({"name": "blue"}), clustered({"name": "blue"}, green), clustered(green)]
    seen: dict[tuple[str, str], set] = {}
    for data in steps:
        config = parse_config(data)
        for key, binding in bindings_by_name(render_tree_from_outputs(config, outputs_for(config))).items():
            seen.setdefault(key, set()).add(binding.get("multiClusterTargetGroup"))
    assert sorted({cluster for cluster, _ in seen}) == ["blue", "green"] and len(seen) == 6
    assert {key: flags for key, flags in seen.items() if flags != {True}} == {}


def test_a_given_external_id_is_passed(two):
    config = parse_config(clustered({"name": "green", "controller_role_arn": OTHER, "external_id": "team-a:prod"}))
    spec = specs_of(render_tree_from_outputs(config, outputs_for(config)), "green")["redis"]
    assert (spec["assumeRoleExternalId"], spec["multiClusterTargetGroup"]) == ("team-a:prod", True)


def test_a_missing_or_bad_role_output_is_one_line(two):
    outputs = outputs_for(two)
    del outputs["shared-nlb-core"]["GreenControllerRoleArn"]
    with pytest.raises(UserError) as missing:
        render_tree_from_outputs(two, outputs, source="o.json")
    assert str(missing.value) == (
        "o.json: stack shared-nlb-core has no output GreenControllerRoleArn (the role the controller of cluster 'green' assumes); deploy the stack again or check the stack name"
    )
    outputs["shared-nlb-core"]["GreenControllerRoleArn"] = "arn:aws:iam::111111111111:user/x"
    with pytest.raises(UserError) as bad:
        render_tree_from_outputs(two, outputs, source="o.json")
    assert str(bad.value) == (
        "o.json: stack shared-nlb-core output GreenControllerRoleArn (the role the controller of cluster 'green' assumes) is 'arn:aws:iam::111111111111:user/x', "
        "not an IAM role ARN (arn:aws:iam::<account>:role/<name>)"
    )


def test_a_staged_replacement_is_bound_in_every_cluster(two):
    outputs = outputs_for(two)
    outputs["shared-nlb-core"].update(RedisStagedTargetGroupArn=target_group_arn("redis", 1), RedisTargetRules="tcp/6379")
    tree = render_tree_from_outputs(two, outputs)
    for cluster in ("blue", "green"):
        staged = yaml.safe_load(tree[f"{cluster}/data/redis.staged.yaml"])
        assert staged["spec"]["targetGroupARN"] == target_group_arn("redis", 1) and staged["spec"]["multiClusterTargetGroup"] is True
        assert ("iamRoleArnToAssume" in staged["spec"]) == (cluster == "green")
        assert "data/redis.staged.yaml" in yaml.safe_load(tree[f"{cluster}/{KUSTOMIZATION}"])["resources"]


# --- the folder: written, replaced, refused --------------------------------------------------------------
@pytest.fixture()
def paths(tmp_path, two):
    outputs = write_outputs(tmp_path / "outputs.json", outputs_for(two))
    return tmp_path, outputs, tmp_path / "manifests"


def test_cli_writes_the_trees_and_moves_from_one_tree_to_clusters_and_back(paths, two_tree, capsys):
    tmp, outputs, out = paths
    single = write(tmp, example_dict(), "single.yaml")
    assert main(["manifests", str(single), "--outputs", str(outputs), "--out", str(out)]) == 0
    both = write(tmp, clustered({"name": "blue"}, {"name": "green", "controller_role_arn": OTHER}), "both.yaml")
    capsys.readouterr()
    assert main(["manifests", str(both), "--outputs", str(outputs), "--out", str(out)]) == 0  # the one tree was this NLB's
    assert capsys.readouterr().out == f"wrote {out}/ (2 cluster trees: blue, green; 3 TargetGroupBinding(s) + kustomization.yaml each)\n"
    assert snapshot_of(out) == {path: text.encode() for path, text in two_tree.items()}
    green_only = write(tmp, clustered({"name": "green", "controller_role_arn": OTHER}), "green.yaml")
    assert main(["manifests", str(green_only), "--outputs", str(outputs), "--out", str(out)]) == 0  # blue's tree is pruned
    assert sorted({p.split("/")[0] for p in snapshot_of(out)}) == ["green"]
    assert main(["manifests", str(single), "--outputs", str(outputs), "--out", str(out)]) == 0  # and back
    assert sorted(snapshot_of(out)) == FILES


def test_refuses_cluster_trees_of_another_load_balancer_or_a_folder_beside_them(paths, capsys):
    tmp, outputs, out = paths
    both = write(tmp, clustered({"name": "blue"}, {"name": "green", "controller_role_arn": OTHER}), "both.yaml")
    assert main(["manifests", str(both), "--outputs", str(outputs), "--out", str(out)]) == 0
    before = snapshot_of(out)
    edge = clustered({"name": "blue"})
    edge["name"] = "edge"
    edge_config = parse_config(edge)
    edge_path, edge_outputs = write(tmp, edge, "edge.yaml"), write_outputs(tmp / "edge.json", outputs_for(edge_config))
    capsys.readouterr()
    assert main(["manifests", str(edge_path), "--outputs", str(edge_outputs), "--out", str(out)]) == 1
    assert capsys.readouterr().err == (
        f"shared-nlb manifests: {out / 'blue'}: holds the tree of load balancer 'shared-nlb-core', not 'shared-nlb-edge'; refusing to replace it "
        "(its bindings would be pruned): give each config its own folder, or delete this one if the NLB was renamed\n"
    )
    (out / "mine").mkdir()
    (out / "mine" / KUSTOMIZATION).write_text("resources: [app.yaml]\n")
    assert main(["manifests", str(both), "--outputs", str(outputs), "--out", str(out)]) == 1
    assert f"{out / 'mine'}: is not empty and holds no shared-nlb tree" in capsys.readouterr().err
    (out / "mine" / KUSTOMIZATION).unlink()
    (out / "mine").rmdir()
    (out / "notes.txt").write_text("mine")
    assert main(["manifests", str(both), "--outputs", str(outputs), "--out", str(out)]) == 1
    assert f"{out}: is not empty and holds no shared-nlb tree" in capsys.readouterr().err
    (out / "notes.txt").unlink()
    assert snapshot_of(out) == before


def test_kubectl_kustomize_renders_each_clusters_tree(paths):
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed; `kubectl kustomize` cannot be checked")
    tmp, outputs, out = paths
    both = write(tmp, clustered({"name": "blue"}, {"name": "green", "controller_role_arn": OTHER}), "both.yaml")
    assert main(["manifests", str(both), "--outputs", str(outputs), "--out", str(out)]) == 0
    for cluster in ("blue", "green"):
        docs = list(yaml.safe_load_all(subprocess.run([kubectl, "kustomize", str(out / cluster)], capture_output=True, text=True, check=True).stdout))
        assert len(docs) == 3 and {d["kind"] for d in docs} == {"TargetGroupBinding"}
        assert all(("iamRoleArnToAssume" in d["spec"]) == (cluster == "green") for d in docs)
