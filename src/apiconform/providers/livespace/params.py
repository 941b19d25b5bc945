"""The reference server's parameter handling: a failed call (`ApiError`), a method's parameters
(`Params`, collecting every problem for one validation error) and a method (`Method`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from apiconform.reference.kit import is_int

JSON = Any
MAX_TEXT = 255


class ApiError(Exception):
    """A failed call: the envelope's `result` and what went wrong."""

    def __init__(self, result: int, detail: str) -> None:
        super().__init__(f"{result}: {detail}")
        self.result = result
        self.detail = detail


class Params:
    """A method's parameters; collects every validation problem for one 420 (or 550).

    `lenient` (the validation-ignored fault): invalid optional values take their defaults.
    `strict` (the alternate variant): a parameter the method does not read is a problem too.
    """

    def __init__(self, values: Mapping[str, JSON], *, lenient: bool, strict: bool = False) -> None:
        self.values = values
        self.lenient = lenient
        self.strict = strict
        self.read: set[str] = set()
        self.problems: list[str] = []

    def integer(self, name: str, default: int | None, low: int, high: int | None = None) -> int:
        """The parameter as an integer in low..high; `default` when absent (None: required)."""
        self.read.add(name)
        value = self.values.get(name)
        if value is None and default is not None:
            return default
        if is_int(value) and value >= low and (high is None or value <= high):
            return value
        if self.lenient and default is not None:
            return default
        bounds = f"from {low} to {high}" if high is not None else f"of at least {low}"
        self.problems.append(
            f"{name} is required" if value is None else f"{name} must be an integer {bounds}"
        )
        return low

    def text(self, name: str, default: str | None, *, required: bool = False) -> str | None:
        """The parameter as a string of at most MAX_TEXT characters (non-empty when required)."""
        self.read.add(name)
        value = self.values.get(name)
        if value is None and not required:
            return default
        if isinstance(value, str) and len(value) <= MAX_TEXT and (value.strip() or not required):
            return value
        if not self.lenient:
            what = "a non-empty string" if required else "a string"
            self.problems.append(
                f"{name} is required"
                if value is None
                else f"{name} must be {what} of at most {MAX_TEXT} characters"
            )
        return default

    def check(self, result: int) -> None:
        """Raise ApiError(result) naming every problem (strict: unknown parameters too)."""
        if self.strict:
            unknown = sorted(n for n in self.values if n not in self.read and not n.startswith("_api_"))
            self.problems += [f"{name} is not a parameter of this method" for name in unknown]
            self.strict = False  # reported once
        if self.problems:
            raise ApiError(result, "; ".join(self.problems))


@dataclass(frozen=True)
class Method:
    handler: Callable[[Params], JSON]
    write: bool
