"""Problems as the user reads them: `Problem` and `ConfigError`, the field path and line number of a
problem, and pydantic's errors turned into `<what is wrong>; <what is allowed>` text."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import BaseModel

from shared_nlb.config.fields import _show
from shared_nlb.config.model import Config


@dataclass(frozen=True)
class Problem:
    """One problem in a config file: where, and what is wrong and allowed."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ConfigError(Exception):
    """A config file that cannot be used; `problems` holds every problem found, one per line."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _format_path(loc: Iterable[Any]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z0-9_-]{1,80}", str(part)):
            text += f".{part}" if text else str(part)
        else:  # a key with spaces, dots or control characters, or a long one: quoted and cut, so the line stays one line
            text += f"[{_show(str(part))}]"
    return text


def _path_parts(path: str) -> list[str | int]:
    # ASCII digits only: str.isdigit() is true for '²' too, which int() refuses.
    return [int(p) if re.fullmatch(r"[0-9]+", p) else p for p in re.findall(r"[^.\[\]]+", path)]


def _line_of(root: yaml.Node | None, parts: list[str | int]) -> int | None:
    """Line (1-based) of the deepest node on `parts` that the file has."""
    node, line = root, (root.start_mark.line + 1 if root is not None else None)
    for part in parts:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == str(part)), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _field_doc(loc: tuple[Any, ...]) -> str:
    """The docstring under a field's definition. Read from the source only when a required field is
    missing: pydantic's `use_attribute_docstrings` would parse this module on every start-up."""
    parent = _model_at(loc[:-1])
    if parent is None or not isinstance(loc[-1], str):
        return ""
    return _field_docs(parent).get(loc[-1], "")


@functools.lru_cache(maxsize=None)
def _field_docs(model: type) -> dict[str, str]:
    """field name -> the docstring under it, for one model class, its source parsed once per process
    (a file with many problems, or many files checked by one process, asks again and again)."""
    import ast
    import inspect

    body = ast.parse(inspect.getsource(model)).body[0].body
    return {
        statement.target.id: str(following.value.value)
        for statement, following in zip(body, body[1:])
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)
        and isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)
    }


def _allowed_keys(loc: tuple[Any, ...]) -> list[str]:
    """Field names of the model at `loc` (the parent of an unknown key)."""
    model = _model_at(loc)
    return list(model.model_fields) if model is not None else []


def _model_at(loc: tuple[Any, ...]) -> Any:
    model: Any = Config
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        annotation = field.annotation
        candidates = [annotation, *getattr(annotation, "__args__", ())]
        for candidate in candidates:
            for inner in (candidate, *getattr(candidate, "__args__", ())):
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    model = inner
                    break
            else:
                continue
            break
    return model


def _message(error: Any) -> tuple[tuple[Any, ...], str]:
    loc, kind, value = tuple(error["loc"]), error["type"], error.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, 1, 0.6)
        hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(allowed)}"
        return loc, f"unknown key {_show(str(loc[-1]))}; {hint}"
    if kind == "missing":
        about = _field_doc(loc)
        return loc, f"is required{': ' + about if about else ''}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return loc, f"{_show(value)} is not a mapping; allowed: key: value pairs"
    if kind == "list_type":
        return loc, f"{_show(value)} is not a list; allowed: a YAML list (- item)"
    if kind == "too_short":
        return loc, "is empty; allowed: at least one item"
    return loc, error["msg"]
