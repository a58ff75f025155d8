"""Property-based fuzzing of the config loader: whatever the input, the only failure is ConfigError,
and every ConfigError line names the file."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared_nlb.config import Config, ConfigError, load_config, parse_config
from tests.factories import example_dict

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True), st.text(max_size=20),
    st.sampled_from(["TCP", "UDP", "TLS", "TCP_UDP", "traffic-port", "0.0.0.0/0", "::/0", "sg-0ec5000000000001a", "10.0.0.0/16", "http", "-", ""]),
)
documents = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12) | st.integers(), inner, max_size=5), max_leaves=25)


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, prefix + (index,))
    return found


def check(load: Callable[[], Config], file: str = "fuzz.yaml") -> None:
    """`load()` gives a Config with services, or raises ConfigError with one line per problem, each
    naming `file`: nothing else."""
    try:
        result = load()
    except ConfigError as error:
        assert error.problems
        assert all(str(p).startswith(file) and "\n" not in str(p) for p in error.problems)
    else:
        assert isinstance(result, Config) and result.services


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_arbitrary_documents_only_raise_config_error(data: Any) -> None:
    check(lambda: parse_config(data, file="fuzz.yaml"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_valid_configs_only_raise_config_error(data: st.DataObject) -> None:
    config = example_dict()
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths(config)))
        parent = config
        for part in path[:-1]:
            parent = parent[part]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(documents)
        config = copy.deepcopy(config)
        if not paths(config):
            break
    check(lambda: parse_config(config, file="fuzz.yaml"))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_yaml_text_only_raises_config_error(tmp_path_factory, text: str) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "c.yaml"
    path.write_text(text, encoding="utf-8")
    check(lambda: load_config(path), str(path))

