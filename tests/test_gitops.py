"""The GitOps examples parse, prune, and order the controller before the bindings."""

from __future__ import annotations

import yaml

from tests.factories import ROOT

GITOPS = ROOT / "examples" / "gitops"


def _docs(relative: str) -> dict[str, dict]:
    return {f"{d['kind']}/{d['metadata']['name']}": d for d in yaml.safe_load_all((GITOPS / relative).read_text())}


def test_argocd_prunes_bindings_after_the_controller():
    apps = _docs("argocd/applications.yaml")
    assert sorted(apps) == ["Application/aws-load-balancer-controller", "Application/shared-nlb-bindings"]
    bindings, controller = apps["Application/shared-nlb-bindings"], apps["Application/aws-load-balancer-controller"]
    assert bindings["spec"]["syncPolicy"]["automated"]["prune"] is True
    assert "PruneLast=true" in bindings["spec"]["syncPolicy"]["syncOptions"]
    assert bindings["spec"]["source"]["path"].endswith("/manifests")
    wave = lambda app: int(app["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"])  # noqa: E731
    assert wave(controller) < wave(bindings)


def test_flux_prunes_bindings_and_depends_on_the_controller():
    docs = _docs("flux/shared-nlb.yaml")
    assert sorted(docs) == ["GitRepository/platform", "Kustomization/aws-load-balancer-controller", "Kustomization/shared-nlb-bindings"]
    bindings, controller = docs["Kustomization/shared-nlb-bindings"], docs["Kustomization/aws-load-balancer-controller"]
    assert bindings["spec"]["prune"] is True and controller["spec"]["prune"] is True
    assert bindings["spec"]["dependsOn"] == [{"name": "aws-load-balancer-controller"}]
    assert controller["spec"]["wait"] is True
    for kustomization in (bindings, controller):
        assert kustomization["spec"]["sourceRef"] == {"kind": "GitRepository", "name": "platform"}
    assert bindings["spec"]["path"].endswith("/manifests")


def _listed(relative: str) -> list[dict]:
    return list(yaml.safe_load_all((GITOPS / relative).read_text()))


def test_argocd_has_one_application_per_cluster_tree():
    apps = _listed("argocd/clusters.yaml")
    assert [(a["metadata"]["name"], a["spec"]["destination"]["name"], a["spec"]["source"]["path"].rsplit("/", 2)[-2:]) for a in apps] == [
        ("shared-nlb-bindings-blue", "blue", ["manifests", "blue"]),
        ("shared-nlb-bindings-green", "green", ["manifests", "green"]),
    ]
    for app in apps:
        assert app["spec"]["syncPolicy"]["automated"]["prune"] is True and "PruneLast=true" in app["spec"]["syncPolicy"]["syncOptions"]


def test_flux_has_one_kustomization_per_cluster_tree():
    kustomizations = _listed("flux/clusters.yaml")
    assert [k["spec"]["path"].rsplit("/", 1)[1] for k in kustomizations] == ["blue", "green"]
    for kustomization in kustomizations:
        assert kustomization["spec"]["prune"] is True
        assert kustomization["spec"]["dependsOn"] == [{"name": "aws-load-balancer-controller"}]
        assert kustomization["spec"]["sourceRef"] == {"kind": "GitRepository", "name": "platform"}
