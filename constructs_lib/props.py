"""What makes the construct read like aws-cdk-lib from Python: a wrong type is refused at the call,
naming the types accepted, and every public attribute has a docstring that `help()` shows.

aws-cdk-lib's own classes check their arguments as they are called (jsii's generated type checks:
`TypeError: type of argument vpc must be aws_cdk.aws_ec2.IVpc; got str instead`); a plain Python
construct gets none, and a string where an enum belongs failed deep inside (`'str' object has no
attribute 'value'`). `check` refuses it in one line; the `Kind`s below are what it accepts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from aws_cdk import Token


@dataclass(frozen=True)
class Kind:
    """A kind of value a parameter accepts: its name in messages and its test."""

    name: str
    test: Callable[[Any], bool]


def _int(value: Any) -> bool:
    # jsii hands a token number (a port from another stack, say) to Python as a float.
    return (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, float) and Token.is_unresolved(value))


BOOL = Kind("a bool", lambda value: isinstance(value, bool))
INT = Kind("an int", _int)
STR = Kind("a str", lambda value: isinstance(value, str))


def instance(cls: type, name: str) -> Kind:
    """An instance of a class (a struct such as `elbv2.HealthCheck`, or `Duration`)."""
    return Kind(name, lambda value: isinstance(value, cls))


def enum(cls: type[Enum], name: str, members: Sequence[str] | None = None) -> Kind:
    """A member of an enum (of `members` only, when given), named with the members accepted."""
    allowed = tuple(members) if members is not None else tuple(cls.__members__)
    return Kind(f"{name} ({', '.join(allowed)})", lambda value: isinstance(value, cls) and value.name in allowed)


def interface(iface: type, name: str) -> Kind:
    """An object of a jsii interface (`ec2.IVpc`, ...). jsii's interfaces are protocols that
    `isinstance` cannot test, so: a jsii object (it carries `__jsii_ref__`, or its class implements
    interfaces), and, when its class lists the interfaces it implements, one of them is `iface` or
    extends it. An object that jsii hands back as a bare proxy lists none and is taken as it is."""

    def test(value: Any) -> bool:
        declared = getattr(type(value), "__jsii_ifaces__", None)
        if declared is not None:
            return any(iface in getattr(implemented, "__mro__", ()) for implemented in declared)
        return hasattr(value, "__jsii_ref__")

    return Kind(name, test)


def sequence(kind: Kind, name: str) -> Kind:
    """A list or tuple whose every item is of `kind`."""
    return Kind(name, lambda value: isinstance(value, (list, tuple)) and all(kind.test(item) for item in value))


def check(where: str, name: str, value: Any, *kinds: Kind, optional: bool = False) -> None:
    """Refuse `value` unless it is of one of `kinds` (or None, with `optional`): a TypeError naming
    the parameter, the types accepted and what was given."""
    if (value is None and optional) or any(kind.test(value) for kind in kinds):
        return
    accepted = " or ".join(kind.name for kind in kinds) + (", or None" if optional else "")
    raise TypeError(f"{where}: {name} must be {accepted}, got {_given(value)}")


def _given(value: Any) -> str:
    if isinstance(value, Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, (str, int, float, bool, list, tuple, dict, set, bytes)) or value is None:
        shown = repr(value)
        return f"{type(value).__name__} {shown if len(shown) <= 60 else shown[:57] + '...'}"
    return type(value).__name__


class Attribute:
    """A public attribute with a docstring that `help()` and pydoc show (they list data descriptors
    with their docs, never plain instance attributes). Reads and writes go to the instance, as for a
    plain attribute."""

    def __init__(self, doc: str) -> None:
        self.__doc__ = doc

    def __set_name__(self, owner: type, name: str) -> None:
        self._slot = f"_{name}_value"

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        try:
            return instance.__dict__[self._slot]
        except KeyError:
            raise AttributeError(self._slot[1:-6]) from None

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self._slot] = value
