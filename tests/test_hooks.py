"""The pre-commit hooks this repository offers (.pre-commit-hooks.yaml) and uses itself
(.pre-commit-config.yaml), checked against pre-commit's manifest keys and run as pre-commit would."""

from __future__ import annotations

import re
import subprocess
import sys

import yaml

from shared_nlb.cli import main
from tests.factories import ROOT, base_dict, write

# pre-commit's manifest schema (pre_commit/clientlib.py, MANIFEST_HOOK_DICT): required keys.
REQUIRED = {"id", "name", "entry", "language"}


def hooks() -> dict[str, dict]:
    return {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}


def tracked() -> list[str]:
    return subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()


def test_hooks_have_pre_commits_required_keys_and_valid_patterns() -> None:
    found = hooks()
    assert set(found) == {"shared-nlb-validate", "shared-nlb-manifests-check"}
    for hook in found.values():
        assert REQUIRED <= set(hook), hook["id"]
        re.compile(hook["files"])
    assert found["shared-nlb-manifests-check"]["pass_filenames"] is False


def test_the_validate_hook_picks_config_files_only() -> None:
    pattern = re.compile(hooks()["shared-nlb-validate"]["files"])
    assert pattern.search("examples/shared-nlb.yaml") and pattern.search("shared-nlb-prod.yml")
    assert not pattern.search("tests/data/services-list.yaml") and not pattern.search("manifests/data/redis.yaml")
    # the state file beside a config (and an older release's placement file) is not a config
    assert not pattern.search("examples/shared-nlb.state.yaml") and not pattern.search("shared-nlb-prod.placement.yml")
    assert pattern.search("shared-nlb-statebox.yaml")


def test_this_repositorys_own_config_uses_the_same_hook_on_valid_configs() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    (local,) = config["repos"]
    (hook,) = local["hooks"]
    offered = hooks()[hook["id"]]
    assert hook["entry"].endswith(offered["entry"]) and hook["files"] == offered["files"]
    files = [f for f in tracked() if re.search(hook["files"], f) and not re.search(hook["exclude"], f)]
    assert "examples/shared-nlb.yaml" in files and "examples/gitops/flux/shared-nlb.yaml" not in files
    # what pre-commit runs: the entry with every matching file
    assert subprocess.run([sys.executable, "-m", "shared_nlb.cli", "validate", *files], cwd=ROOT, capture_output=True).returncode == 0


def test_validate_takes_several_files_and_reports_every_bad_one(tmp_path, capsys) -> None:
    good = write(tmp_path, base_dict(), "shared-nlb-good.yaml")
    bad = base_dict()
    bad["services"][0]["listener_port"] = 0
    bad_path = write(tmp_path, bad, "shared-nlb-bad.yaml")
    assert main(["validate", str(bad_path), str(good)]) == 2
    captured = capsys.readouterr()
    assert captured.out.startswith(f"{good}: valid")
    (line,) = captured.err.strip().splitlines()
    assert line.startswith(f"{bad_path}:") and line.endswith("services[0].listener_port: 0 is out of range; allowed: 1-65535")
