"""Reading a config: YAML with line numbers and no duplicate keys, then the models and their rules, with
every problem of the file reported at once (`ConfigError`)."""

from __future__ import annotations

import dataclasses

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from shared_nlb import untrusted
from shared_nlb.config import notes
from shared_nlb.config import state as states
from shared_nlb.config.clusters import Cluster
from shared_nlb.config.messages import ConfigError, Problem, _format_path, _line_of, _message, _path_parts
from shared_nlb.config.base import _Model
from shared_nlb.config.load_balancer import Client, LoadBalancerEntry, LoadBalancerSettings
from shared_nlb.config.model import Config, Network, StackSettings
from shared_nlb.config.service import Service
from shared_nlb.config.reach import Alarms, Dns, PrivateLink


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader (libyaml's when present: 5x faster) that rejects duplicate keys, which PyYAML
    would otherwise keep silently, the last one winning."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, (str, int)) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {untrusted.show(key)} (first at line {seen[key] + 1})", key_node.start_mark
                )
            if isinstance(key, (str, int)):
                seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


def _problem(file: str, root: yaml.Node | None, path: str, message: str) -> Problem:
    return Problem(file, _line_of(root, _path_parts(path)), path, message)


def _valid_items(model: type[_Model], raw: Any) -> list[tuple[int, Any]]:
    valid = []
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        try:
            valid.append((index, model.model_validate(item)))
        except ValidationError as error:
            # An unknown key alone (already reported) should not hide this item's other rules.
            unknown = {e["loc"][0] for e in error.errors() if e["type"] == "extra_forbidden" and len(e["loc"]) == 1}
            if isinstance(item, Mapping) and unknown and len(unknown) == len(error.errors()):
                valid.append((index, model.model_validate({k: v for k, v in item.items() if k not in unknown})))
    return valid


class _ValidPart(list):  # type: ignore[type-arg]
    """The valid items of a list that has invalid ones too. It is true when the file's list is not
    empty, so a rule about an empty list does not fire because every item of it is invalid."""

    def __init__(self, items: list[Any], written: bool):
        super().__init__(items)
        self.written = written

    def __bool__(self) -> bool:
        return self.written or len(self) > 0


def _valid_or_none(model: type[_Model], raw: Any) -> Any:
    """An optional section (`dns`, `privatelink`, `alarms`) when valid on its own, else None: its own
    errors are reported already, and the rules that read it then have nothing to check."""
    try:
        return None if raw is None else model.model_validate(raw)
    except ValidationError:
        return None


def _valid_fields(model: type[_Model], raw: Any, stand_ins: Mapping[str, Any]) -> Any:
    """A settings section with its invalid fields replaced by `stand_ins` (values no rule objects to,
    so a rule that reads the field finds nothing to report) or else left to their defaults."""
    # Unknown or non-string keys are reported by the whole file's validation; here they are dropped.
    fields = {k: v for k, v in raw.items() if isinstance(k, str) and k in model.model_fields} if isinstance(raw, Mapping) else {}
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        bad = {e["loc"][0] for e in error.errors() if e["loc"]}
    kept = {k: v for k, v in fields.items() if k not in bad}
    kept.update({k: v for k, v in stand_ins.items() if k in bad or not isinstance(raw, Mapping)})
    return model.model_validate(kept)


# A name no rule objects to: the derived stack and NLB names are short and do not start with 'internal-'.
_STAND_IN_NAME = "x"
# Stand-ins for the network's fields when they are invalid or missing: only counted (the egress quota
# counts target CIDRs), never named in a message.
_NETWORK_STAND_INS = {"vpc_id": "vpc-00000000", "vpc_cidr": "10.0.0.0/16", "subnet_ids": ["subnet-00000000"], "target_cidrs": None}
_INDEXED = re.compile(r"(?<![.\w])(services|clients|load_balancers|clusters)\[(\d+)\]")


def _written(raw: Any) -> bool:
    return not isinstance(raw, list) or len(raw) > 0


def _partial_problems(data: Mapping[str, Any], invalid: set[tuple[Any, ...]]) -> list[tuple[str, str]]:
    """Every rule of `Config.problems()`, run on the parts of the file that are valid on their own, so
    that one bad field does not hide the other problems of the file.

    The parts: each top-level section, each item of `clients`, `services` and `clusters`, and each field of
    `stack`, `network` and `load_balancer`. A rule that reads an invalid part cannot be checked and
    reports nothing: an invalid `name` or `load_balancer.name` gets a stand-in the name rules accept;
    an invalid `load_balancer.scheme` keeps only the problems found with both schemes; counts (the
    quotas) count the valid items, a lower bound. An invalid service or client is left out whole, its
    valid fields too: its rules read several fields together (the protocol decides whether
    certificate_arn is required or not allowed), and a stand-in for the bad one would make up problems.
    `invalid`: the locations of pydantic's errors, cut to two parts.
    """
    services = _valid_items(Service, data.get("services"))
    clients = _valid_items(Client, data.get("clients", []))
    clusters = _valid_items(Cluster, data.get("clusters"))
    raw_network = data.get("network")
    subnets = raw_network.get("subnet_ids") if isinstance(raw_network, Mapping) else None
    network = _valid_fields(Network, raw_network, _NETWORK_STAND_INS).model_copy(
        update={"subnet_ids": subnets if isinstance(subnets, list) and all(isinstance(s, str) for s in subnets) else []}
    )
    load_balancer = _valid_fields(LoadBalancerSettings, data.get("load_balancer", {}), {"name": _STAND_IN_NAME})
    entries = _valid_items(LoadBalancerEntry, data.get("load_balancers")) if "load_balancers" in data else None
    config = Config.model_construct(
        version=1,
        name=_STAND_IN_NAME if ("name",) in invalid else data["name"],
        stack=_valid_fields(StackSettings, data.get("stack", {}), {}),
        network=network,
        **({"load_balancer": load_balancer} if "load_balancer" in data or entries is None else {}),
        clients=_ValidPart([c for _, c in clients], _written(data.get("clients", []))),
        services=_ValidPart([s for _, s in services], _written(data.get("services"))),
        load_balancers=None if entries is None else [e for _, e in entries],
        dns=_valid_or_none(Dns, data.get("dns")),
        privatelink=_valid_or_none(PrivateLink, data.get("privatelink")),
        alarms=_valid_or_none(Alarms, data.get("alarms")),
        clusters=[c for _, c in clusters],
    )
    found = set(config.problems())
    # A service naming an entry that is written but invalid (its own errors are reported) is not
    # naming an unknown entry.
    unchecked = {e.get("name") for e in data.get("load_balancers") or [] if isinstance(e, Mapping)} - {e.name for _, e in entries or []}
    found = {(p, m) for p, m in found if not (p.endswith(".load_balancer") and any(m.startswith(f"{n!r} is not an entry") for n in unchecked))}
    if ("load_balancer", "scheme") in invalid or not isinstance(data.get("load_balancer", {}), Mapping):
        other = "internet-facing" if config.load_balancer.scheme == "internal" else "internal"
        found &= set(config.model_copy(update={"load_balancer": load_balancer.model_copy(update={"scheme": other})}).problems())
    index = {"services": [i for i, _ in services], "clients": [i for i, _ in clients], "load_balancers": [i for i, _ in entries or []], "clusters": [i for i, _ in clusters]}
    return [tuple(_INDEXED.sub(lambda m: f"{m[1]}[{index[m[1]][int(m[2])]}]", text) for text in problem) for problem in found]  # type: ignore[misc]


def parse_config(data: Any, *, file: str = "<config>", root: yaml.Node | None = None, state: states.State | None = None) -> Config:
    """Validate already-parsed YAML data (with the committed `state` of its services, if any);
    raise ConfigError with every problem found."""
    if not isinstance(data, Mapping):
        names = {"str": "a string", "int": "a number", "float": "a number", "bool": "a boolean", "list": "a list"}
        kind = "empty" if data is None else f"{names.get(type(data).__name__, 'a ' + type(data).__name__)}, not a mapping"
        raise ConfigError([Problem(file, None, "", f"the document is {kind}; allowed: a mapping with version, name, network, clients, services")])
    problems: list[tuple[str, str]] = []
    try:
        config = Config.model_validate(data)
    except ValidationError as error:
        config = None
        for item in error.errors(include_url=False):
            loc, message = _message(item)
            problems.append((_format_path(loc), message))
        problems += _partial_problems(data, {tuple(e["loc"][:n]) for e in error.errors() for n in (1, 2)})
    if config is not None:
        if state is not None:
            config = config.with_state(state)
        problems += config.problems()
    if problems:
        ordered = sorted({(p, m) for p, m in problems}, key=lambda pm: (_line_of(root, _path_parts(pm[0])) or 0, pm[0], pm[1]))
        raise ConfigError([_problem(file, root, p, m) for p, m in ordered])
    assert config is not None
    return config


def load_yaml(text: str, *, file: str) -> tuple[Any, yaml.Node | None]:
    """Parse YAML text as shared-nlb reads every YAML file: one document, no duplicate keys, libyaml
    when present, within the size, nesting and alias limits of `shared_nlb.untrusted` (checked on the
    parser's events, before a node is built); returns the data and its node tree (for line numbers).
    Errors: ConfigError, one line."""
    loader = None
    try:
        untrusted.check_yaml(text)
        loader = _Loader(text)
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        reason = str(error.problem or error)
        if reason.startswith("but ") and error.context:
            reason = f"{error.context} {reason}"
        elif error.context and error.context_mark is not None:
            reason = f"{reason} ({error.context} started at line {error.context_mark.line + 1})"
        reason = " ".join(reason.split())
        raise ConfigError([Problem(file, line, "", f"YAML syntax error: {reason}")]) from None
    except untrusted.LimitExceeded as error:
        raise ConfigError([Problem(file, error.line, "", error.message)]) from None
    except yaml.reader.ReaderError as error:
        raise ConfigError([Problem(file, None, "", f"YAML error: character #x{error.character:04x} at offset {error.position} is not allowed in YAML")]) from None
    except yaml.YAMLError as error:
        raise ConfigError([Problem(file, None, "", f"YAML error: {' '.join(str(error).split())}")]) from None
    except ValueError as error:  # a scalar its type refuses: a date such as 2024-13-01, an integer past Python's 4300 digits
        raise ConfigError([Problem(file, None, "", f"YAML error: a value cannot be read: {untrusted.show(str(error).partition(';')[0], 120)}")]) from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, root


def _read(path: str | Path) -> str:
    """A YAML file's text, read within the size limit (`untrusted`); FileNotFoundError passes through."""
    file = str(path)
    try:
        return untrusted.read_text(path)
    except untrusted.LimitExceeded as error:
        raise ConfigError([Problem(file, None, "", error.message)]) from None
    except FileNotFoundError:
        raise
    except IsADirectoryError:
        raise ConfigError([Problem(file, None, "", "is a directory; allowed: a YAML file")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError([Problem(file, None, "", f"cannot be read: {error}")]) from None


def load_config(path: str | Path) -> Config:
    """Read and validate a config file; raise ConfigError naming the file in every line."""
    return load_config_with_notes(path)[0]


def load_config_with_notes(path: str | Path) -> tuple[Config, list[Problem]]:
    """`load_config`, and the file's notes (`shared_nlb.config.notes`), each a line
    `<file>:<line>: <field path>: note: ...`, for `validate` and `plan` to print."""
    file = str(path)
    try:
        text = _read(path)
    except FileNotFoundError:
        raise ConfigError([Problem(file, None, "", "no such file")]) from None
    data, root = load_yaml(text, file=file)
    config = parse_config(data, file=file, root=root, state=load_state(path))
    return config, sorted((_problem(file, root, p, m) for p, m in notes.notes(config)), key=lambda n: (n.line or 0, n.path))


def load_state(config_path: str | Path) -> states.State | None:
    """The committed state beside a config (`shared_nlb.config.state`): the state file, else a
    version 1 placement file, else None."""
    for path in (states.path_beside(config_path), states.legacy_path_beside(config_path)):
        file = str(path)
        try:
            text = _read(path)
        except FileNotFoundError:
            continue
        data, root = load_yaml(text, file=file)
        state, problems = states.parse(data)
        if problems:
            raise ConfigError([_problem(file, root, p, m) for p, m in problems])
        if state.complete and not states.written_by_shared_nlb(text):  # changed by hand: checked before it is trusted
            return dataclasses.replace(state, complete=False, edited=True)
        return state
    return None
