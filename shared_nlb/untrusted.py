"""Files shared-nlb reads but did not write (a config, the file committed beside it, a deploy's
outputs, the Services an import starts from) and the values it echoes from them.

Before any parser builds a node, a file's size, its nesting depth and, for YAML, how far its aliases
expand are checked: a few hundred bytes of nested aliases ("billion laughs") expand to billions of
nodes for whatever walks the data (the model's checks, an error message), and deep nesting overflows
the recursive composer of libyaml's Python binding (a crash, no message) or Python's recursion limit.
A value echoed in a message is cut while it is rendered (`show`), never stringified whole first.
Every refusal is `LimitExceeded`: one line, with the limit, for the caller to prefix with the file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

MIB = 1024 * 1024
# The largest config the quotas allow, 50 NLBs (ELB quota "Network Load Balancers per Region") of 50
# listeners each with comments, is under 1 MiB, and so are its outputs and the state beside it:
# 8 MiB leaves room and keeps a hostile file's cost small.
MAX_BYTES = 8 * MIB
# `kubectl get svc -A -o yaml` of a cluster with thousands of Services, each with its annotations and
# status, is tens of MiB.
MAX_IMPORT_BYTES = 128 * MIB
# The deepest config path is 6 levels (load_balancers[i].clients[j].cidr); a Service from `kubectl
# get -o yaml` is about 10 (List.items[i].metadata.managedFields[j].fieldsV1...). 64 stays far below
# Python's recursion limit (1000), which json, pydantic and the YAML constructor recurse against.
MAX_DEPTH = 64
# Alias expansion, as go-yaml bounds it for Kubernetes since CVE-2019-11253 (yaml.v3 decode.go,
# allowedAliasRatio): a document may expand to ALIAS_FACTOR times the nodes written in it, and small
# documents to ALIAS_FLOOR nodes. A config that aliases one list of 60 clients into 50 services
# expands about 8 times; the 376-byte "billion laughs" document expands millions of times.
ALIAS_FACTOR = 10
ALIAS_FLOOR = 10_000
# Sizes saturate here: counting stays in machine integers whatever the document.
_SATURATED = 2**62
# libyaml's event parser when PyYAML has it (iterative: it does not recurse with the nesting).
_EVENT_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPENS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSES = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
# A JSON string (skipped whole, escapes included) or a bracket.
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.S)


class LimitExceeded(ValueError):
    """A file past one of this module's limits: `message` says what and what is allowed, `line`
    (1-based) where, when known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


def _size(n: int) -> str:
    return f"{n // MIB} MiB" if n % MIB == 0 else f"{n:,} bytes"


def read_text(path: str | Path, *, max_bytes: int = MAX_BYTES) -> str:
    """A UTF-8 text file, as `Path.read_text` reads it (the same exceptions), but never more than
    `max_bytes` of it: a larger file (or an endless one, such as a device) is LimitExceeded."""
    with open(path, encoding="utf-8") as file:
        if os.fstat(file.fileno()).st_size > max_bytes:
            raise LimitExceeded(f"is larger than {_size(max_bytes)}; allowed: at most {_size(max_bytes)}")
        text = file.read(max_bytes + 1)  # characters: at least as many bytes
    check_size(text, max_bytes=max_bytes)
    return text


def check_size(text: str, *, max_bytes: int = MAX_BYTES) -> None:
    """LimitExceeded when `text` has more characters than `max_bytes` (each is at least one byte)."""
    if len(text) > max_bytes:
        raise LimitExceeded(f"is larger than {_size(max_bytes)}; allowed: at most {_size(max_bytes)}")


def check_yaml(text: str, *, max_bytes: int = MAX_BYTES) -> None:
    """Check a YAML stream against the size, depth and alias limits from its parser events alone, so
    no node is built for a document past them; raise LimitExceeded, or the parser's own YAMLError.

    Each node's expanded size is counted once, when it ends (an alias counts its anchor's size), so
    the check costs one pass over the events however far the aliases would expand. An alias refers to
    the most recent node with its anchor (YAML spec, 3.2.2.2 "Anchors and Aliases"), within its own
    document: the composer forgets the anchors at each document's end, and so does this count."""
    check_size(text, max_bytes=max_bytes)
    open_nodes: list[list[Any]] = []  # [anchor, expanded size so far] of each open collection
    sizes: dict[str, int] = {}  # anchor -> expanded size of its complete node
    written = expanded = 0
    largest: tuple[int, int, str] = (0, 0, "")  # (expanded size, line, anchor) of the largest alias
    for event in yaml.parse(text, Loader=_EVENT_LOADER):
        if isinstance(event, _OPENS):
            written += 1
            if len(open_nodes) >= MAX_DEPTH:
                raise LimitExceeded(f"nesting deeper than {MAX_DEPTH} levels; allowed: at most {MAX_DEPTH} levels", event.start_mark.line + 1)
            open_nodes.append([event.anchor, 1])
            continue
        if isinstance(event, _CLOSES):
            anchor, size = open_nodes.pop()
            if anchor is not None:
                sizes[anchor] = size
        elif isinstance(event, yaml.ScalarEvent):
            written, size = written + 1, 1
            if event.anchor is not None:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.AliasEvent):
            written += 1
            if any(anchor == event.anchor for anchor, _ in open_nodes):
                raise LimitExceeded(f"alias *{event.anchor} is inside its own anchor (a recursive structure); allowed: aliases of complete nodes", event.start_mark.line + 1)
            size = sizes.get(event.anchor, 1)  # an undefined alias is the composer's error to report
            largest = max(largest, (size, event.start_mark.line + 1, event.anchor))
        else:
            if isinstance(event, yaml.DocumentEndEvent):
                sizes.clear()
            continue
        if open_nodes:
            open_nodes[-1][1] = min(open_nodes[-1][1] + size, _SATURATED)
        else:
            expanded = min(expanded + size, _SATURATED)
    allowed = max(ALIAS_FLOOR, ALIAS_FACTOR * written)
    if expanded > allowed:
        size, line, anchor = largest
        raise LimitExceeded(
            f"aliases expand {written:,} written nodes to more than {allowed:,} (alias *{anchor} alone to {size:,}); "
            f"allowed: at most {ALIAS_FACTOR} times the nodes written, or {ALIAS_FLOOR:,}",
            line,
        )


def check_json(text: str, *, max_bytes: int = MAX_BYTES) -> None:
    """Check JSON text against the size and depth limits before `json.loads` (which recurses with the
    nesting) sees it; raise LimitExceeded. Brackets inside strings are skipped."""
    check_size(text, max_bytes=max_bytes)
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        mark = token[0]
        if mark in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise LimitExceeded(f"nesting deeper than {MAX_DEPTH} levels; allowed: at most {MAX_DEPTH} levels", text.count("\n", 0, token.start()) + 1)
        elif mark in "]}":
            depth -= 1


def show(value: Any, limit: int = 80) -> str:
    """`value` as the user wrote it (a string quoted, a boolean as YAML writes it, a list or mapping
    as Python prints it), cut to `limit` characters with '...': rendered piece by piece and stopped
    at the limit, so a value that is huge, deep or recursive costs no more than a short one.

    >>> show([0, 1, 2], limit=8)
    '[0, 1...'
    """
    pieces, length = [], 0
    for piece in _pieces(value, limit, top=True):
        pieces.append(piece)
        length += len(piece)
        if length > limit:
            break
    text = "".join(pieces)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _pieces(value: Any, limit: int, *, top: bool = False) -> Iterator[str]:
    """The text of `value` in pieces, each of them cut to just past `limit` characters."""
    if isinstance(value, str):
        yield repr(value[: limit + 1])  # past the limit the text is cut anyway
    elif isinstance(value, bool):
        yield str(value).lower() if top else repr(value)
    elif isinstance(value, (bytes, bytearray)):
        yield repr(bytes(value[: limit + 1]))
    elif isinstance(value, int):
        digits = value.bit_length() * 0.30103
        yield str(value) if digits < limit else f"<an integer of {int(digits) + 1} digits>"
    elif isinstance(value, (list, tuple, set, frozenset)):
        if isinstance(value, (set, frozenset)) and not value:
            yield "set()"
            return
        opening, closing = {list: "[]", tuple: "()"}.get(type(value), "{}")
        yield opening
        for index, item in enumerate(value):
            if index:
                yield ", "
            yield from _pieces(item, limit)
        yield closing
    elif isinstance(value, dict):
        yield "{"
        for index, (key, item) in enumerate(value.items()):
            yield ", " if index else ""
            yield from _pieces(key, limit)
            yield ": "
            yield from _pieces(item, limit)
        yield "}"
    else:  # None, floats, dates: what YAML and JSON give besides; short by nature
        yield (str(value) if top else repr(value))[: limit + 1]


def one_line(text: str) -> str:
    """`text` with every character that could end a line or a YAML comment (line feed, carriage
    return, NEL, the Unicode line and paragraph separators, YAML 1.1 5.4 "Line Break Characters") and
    every other unprintable one escaped as Python writes it, so that text from a file stays on one
    line of a message or a comment."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
