"""Hostile input (issue 24, item 5): a YAML bomb, deep nesting or an oversized file, in any file
shared-nlb reads, is one line naming the file and the limit, exit 2, in bounded time and output.
Run through the real command in a subprocess: a crash (libyaml's composer overflowing the C stack)
or a hang shows as a signal or the subprocess timeout, never as a hung test run."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from shared_nlb import untrusted
from shared_nlb.config import ConfigError, load_config, parse_config
from shared_nlb.config.fields import _show
from tests.factories import EXAMPLE, ROOT, example_dict, many_services, write
from tests.fake_outputs import outputs_for, write_outputs

BIN = Path(sys.executable).with_name("shared-nlb")
# Generous: each of these is refused at once; the timeout only turns a regression into a failure.
TIMEOUT = 120
MAX_LINE = 400  # past the file's path: two values cut to 80 characters and what is allowed


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, cwd=ROOT, timeout=TIMEOUT)


def lol(levels: int = 9) -> str:
    """The "billion laughs" document: each level lists the previous one nine times."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        previous, name = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"{name}: &{name} [{','.join([f'*{previous}'] * 9)}]")
    return "\n".join(lines) + "\n"


BOMB = lol()
HOSTILE = {
    "billion-laughs": (BOMB, ":9: aliases expand"),
    "nested-mappings": ("a: " + "{a: " * 100_000 + "}" * 100_000, ":1: nesting deeper than 64 levels; allowed: at most 64 levels"),
    "nested-lists": ("a: " + "[" * 10_000 + "]" * 10_000, ":1: nesting deeper than 64 levels"),
    "nested-blocks": "".join(" " * i + "a:\n" for i in range(200)) + " " * 200 + "b\n",
    "compact-sequences": "- " * 10_000 + "a\n",
    "recursive-alias": ("version: &a [*a]\n", ":1: alias *a is inside its own anchor"),
    "oversized": ("# " + "x" * (untrusted.MAX_BYTES + 1) + "\n", ": is larger than 8 MiB; allowed: at most 8 MiB"),
    "long-value": (EXAMPLE.read_text().replace("\nname: core", '\nname: "' + "a b" * 1_000_000 + '"'), "name: 'a ba ba b"),
    "long-key": (EXAMPLE.read_text() + "? " + "a" * 1_000_000 + "\n: 1\n", "unknown key 'aaaa"),
    "huge-integer": ("version: " + "1" * 5000 + "\n", "YAML error: a value cannot be read"),
    "impossible-date": ("version: 2024-13-01\n", "YAML error: a value cannot be read: 'month must be in 1..12'"),
}


def _case(name: str) -> tuple[str, str]:
    case = HOSTILE[name]
    return case if isinstance(case, tuple) else (case, "nesting deeper than 64 levels")


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_config_is_one_line_and_exit_2(tmp_path, name: str) -> None:
    text, expected = _case(name)
    path = write(tmp_path, text)
    result = run_cli("validate", str(path))
    assert (result.returncode, result.stdout) == (2, "")
    [line] = result.stderr.splitlines()
    assert line.startswith(str(path)) and expected in line and len(line) < len(str(path)) + MAX_LINE


def test_the_bomb_is_refused_by_every_command_that_reads_a_config(tmp_path) -> None:
    path = write(tmp_path, BOMB)
    result = run_cli("synth", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1 and "aliases expand" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_bomb_in_the_file_beside_the_config_is_one_line(tmp_path) -> None:
    config = tmp_path / "shared-nlb.yaml"
    shutil.copy(EXAMPLE, config)
    beside = tmp_path / "shared-nlb.placement.yaml"
    beside.write_text("version: 1\n" + lol() + "services: {redis: *i}\n")
    result = run_cli("validate", str(config))
    assert (result.returncode, result.stdout) == (2, "")
    [line] = result.stderr.splitlines()
    assert line.startswith(f"{beside}:") and "aliases expand" in line and len(line) < len(str(tmp_path)) + MAX_LINE


HOSTILE_JSON = {
    "nested": ("[" * 100_000 + "]" * 100_000, ":1: nesting deeper than 64 levels"),
    "oversized": ('{"a": "' + "x" * (untrusted.MAX_BYTES + 1) + '"}', ": is larger than 8 MiB"),
    "huge-integer": ('{"a": ' + "1" * 5000 + "}", ": a value cannot be read"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_JSON))
@pytest.mark.parametrize("with_config", [True, False], ids=["config", "no-config"])
def test_a_hostile_outputs_file_is_one_line_and_exit_2(tmp_path, name: str, with_config: bool) -> None:
    text, expected = HOSTILE_JSON[name]
    outputs = tmp_path / "outputs.json"
    outputs.write_text(text)
    args = ["manifests", *([str(EXAMPLE)] if with_config else []), "--outputs", str(outputs), "--out", str(tmp_path / "m")]
    result = run_cli(*args)
    assert (result.returncode, result.stdout) == (2, "")
    [line] = result.stderr.splitlines()
    assert line.startswith(f"shared-nlb manifests: {outputs}") and expected in line and len(line) < len(str(tmp_path)) + MAX_LINE
    assert not (tmp_path / "m").exists()


def test_deep_json_inside_a_binding_output_is_one_line(tmp_path) -> None:
    inner = '{"kind": "shared-nlb/binding/v1", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    outputs = write_outputs(tmp_path / "outputs.json", {"Edge": {"SharedRedisBinding": inner}})
    result = run_cli("manifests", "--outputs", str(outputs), "--out", str(tmp_path / "m"))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"shared-nlb manifests: {outputs}: stack Edge output SharedRedisBinding: nesting deeper than 64 levels; allowed: at most 64 levels"]


def test_a_bomb_handed_to_import_services_is_one_line(tmp_path) -> None:
    services = write(tmp_path, "kind: List\n" + BOMB + "items: *i\n", "services.yaml")
    result = run_cli("import-services", str(services))
    assert (result.returncode, result.stdout) == (2, "")
    [line] = result.stderr.splitlines()
    assert line.startswith(f"shared-nlb import-services: {services}:") and "aliases expand" in line and len(line) < len(str(tmp_path)) + MAX_LINE


# --- the limits themselves ---------------------------------------------------------------------------
def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_depth_limit_is_64_levels_in_yaml_and_json() -> None:
    untrusted.check_yaml(nested(untrusted.MAX_DEPTH))
    untrusted.check_json(nested(untrusted.MAX_DEPTH))
    for check in (untrusted.check_yaml, untrusted.check_json):
        with pytest.raises(untrusted.LimitExceeded, match="nesting deeper than 64 levels"):
            check(nested(untrusted.MAX_DEPTH + 1))


def test_brackets_inside_json_strings_do_not_count() -> None:
    untrusted.check_json(json.dumps({"a": "[" * 1000, "b": '\\"[[[' * 100}))


def test_alias_expansion_is_bounded_in_proportion_to_the_document() -> None:
    """Ten aliases of a 1,000-item list fit the floor; a hundred exceed ten times what is written."""
    items = ", ".join(["x"] * 1000)
    untrusted.check_yaml(f"a: &a [{items}]\nb: [{', '.join(['*a'] * 9)}]\n")
    with pytest.raises(untrusted.LimitExceeded, match=r"^aliases expand 1,105 written nodes to more than 11,050 \(alias \*a alone to 1,001\); allowed: at most 10 times the nodes written, or 10,000$"):
        untrusted.check_yaml(f"a: &a [{items}]\nb: [{', '.join(['*a'] * 100)}]\n")


def test_anchors_do_not_reach_into_the_next_document() -> None:
    untrusted.check_yaml("a: &a [1, 2]\n---\na: &a 1\nb: [*a, *a]\n")


def test_configs_that_use_aliases_as_people_do_still_load(tmp_path) -> None:
    """The largest config the tests use (50 services), every service sharing one clients list and one
    health check through aliases (safe_dump writes shared objects as anchors and aliases)."""
    data = many_services(50)
    clients = [{"cidr": "10.20.0.0/16"}]
    check = {"protocol": "TCP", "interval_seconds": 10}
    for service in data["services"]:
        service["clients"], service["health_check"] = clients, check
    text = yaml.safe_dump(data, sort_keys=False)
    assert "*id" in text  # the file really uses aliases
    config = load_config(write(tmp_path, text))
    assert len(config.services) == 50 and config.services[49].clients[0].cidr == "10.20.0.0/16"
    assert len(load_config(EXAMPLE).services) == 3


def test_the_example_and_its_outputs_still_load(tmp_path) -> None:
    from shared_nlb.outputs import read_outputs

    config = parse_config(example_dict())
    assert read_outputs(config, write_outputs(tmp_path / "o.json", outputs_for(config))).stack_name == "shared-nlb-core"


def test_a_long_value_is_cut_in_the_message() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config({**example_dict(), "name": "x y" * 1_000_000}, file="c.yaml")
    [line] = [str(p) for p in caught.value.problems if p.path == "name"]
    assert len(line) < MAX_LINE and line.startswith("c.yaml: name: 'x yx yx y") and "... is not valid; allowed:" in line


class _Counted:
    """An item that counts how often it is rendered."""

    rendered = 0

    def __repr__(self) -> str:
        _Counted.rendered += 1
        return "item"


def test_a_value_is_cut_while_rendered_not_after() -> None:
    """`_show` of a list of 100,000 items renders the few items it shows, not the whole list."""
    _Counted.rendered = 0
    shown = _show([_Counted() for _ in range(100_000)])
    assert shown.startswith("[item, item, ") and shown.endswith("...") and len(shown) == 80
    assert _Counted.rendered < 20


def test_show_keeps_what_short_values_looked_like() -> None:
    assert [_show(v) for v in ("a", True, 3, None, [1, "b", False], {"k": [1]}, set(), 1.5)] == ["'a'", "true", "3", "None", "[1, 'b', False]", "{'k': [1]}", "set()", "1.5"]
    assert _show(list(range(100))) == str(list(range(100)))[:77] + "..."


def test_load_yaml_refuses_before_the_composer_runs() -> None:
    """In a process of its own: without the check, libyaml's recursive composer crashes it."""
    code = (
        "from shared_nlb.config import ConfigError, load_yaml\n"
        "try:\n    load_yaml('{a: ' * 100_000 + '}' * 100_000, file='x')\n"
        "except ConfigError as error:\n    print(error)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=TIMEOUT)
    assert (result.returncode, result.stdout) == (0, "x:1: nesting deeper than 64 levels; allowed: at most 64 levels\n")
