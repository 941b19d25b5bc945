"""Silence points: where a provider's document is silent or ambiguous, and the readings the suite
accepts there (data, one TOML file per provider: `suites/<provider>/readings.toml`).

The principle they record: a MUST rule fails only on what the document states; where it is silent
or ambiguous, every reading passes, and an opinion is at most a SHOULD. Each entry names the
document's words (`quote`, verbatim, with `...` between fragments), what they leave open
(`silent`), the readings a conformant server may take (`readings`, at least two), what the suite
accepts (`accepts`), the rules whose verdict depends on it (`rules`), the config keys that let a
user say which reading a target takes (`config`), and what the reference server's `alternate`
variant does there (`alternate`), so that the other reading is tested, not only assumed.

Ids (`<provider>.<name>`) are immutable: a point that no longer applies is retired, never renamed.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache

from apiconform.resources import suites_dir

READING_ID = re.compile(r"^[a-z0-9]+\.[a-z0-9]+(-[a-z0-9]+)*$")
_REQUIRED = ("id", "section", "quote", "silent", "readings", "accepts", "rules", "alternate")
_FIELDS = {*_REQUIRED, "config", "retired"}


@dataclass(frozen=True)
class SilencePoint:
    """One place where the document is silent or ambiguous, and what the suite makes of it."""

    id: str
    section: str
    quote: str
    silent: str
    readings: tuple[str, ...]
    accepts: str
    rules: tuple[str, ...]
    alternate: str
    config: tuple[str, ...] = ()
    retired: str = ""

    @property
    def provider(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def fragments(self) -> tuple[str, ...]:
        """The verbatim fragments of `quote` (split at ` ... `)."""
        return tuple(part.strip() for part in self.quote.split(" ... ") if part.strip())


class Readings(Mapping[str, SilencePoint]):
    """The silence points of one provider, in file order."""

    def __init__(self, provider: str, points: list[SilencePoint]) -> None:
        self.provider = provider
        self._points: dict[str, SilencePoint] = {}
        for point in points:
            if point.id in self._points:
                raise ValueError(f"duplicate silence point id {point.id}")
            self._points[point.id] = point

    def __getitem__(self, point_id: str) -> SilencePoint:
        return self._points[point_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._points)

    def __len__(self) -> int:
        return len(self._points)

    def for_rule(self, rule_id: str) -> list[SilencePoint]:
        """The live silence points whose readings decide `rule_id`."""
        return [p for p in self._points.values() if rule_id in p.rules and not p.retired]


def _strings(entry: Mapping[str, object], name: str, where: str) -> tuple[str, ...]:
    value = entry.get(name, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError(f"{where}: {name} must be a list of non-empty strings")
    return tuple(value)


def parse_readings(provider: str, text: str) -> Readings:
    """Parse and validate a provider's readings file; ValueError names the first bad entry."""
    data = tomllib.loads(text)
    points = []
    for index, entry in enumerate(data.get("silence", [])):
        where = f"silence #{index + 1}"
        unknown = set(entry) - _FIELDS
        if unknown:
            raise ValueError(f"{where}: unknown field(s) {sorted(unknown)}")
        missing = [name for name in _REQUIRED if not entry.get(name)]
        if missing:
            raise ValueError(f"{where}: missing {', '.join(missing)}")
        point_id = entry["id"]
        if not READING_ID.match(point_id) or not point_id.startswith(provider + "."):
            raise ValueError(f"{where}: id {point_id!r} is not {provider}.<name> in kebab case")
        readings = _strings(entry, "readings", point_id)
        if len(readings) < 2:
            raise ValueError(f"{point_id}: a silence point has at least two readings")
        points.append(
            SilencePoint(
                id=point_id,
                section=str(entry["section"]),
                quote=str(entry["quote"]),
                silent=str(entry["silent"]),
                readings=readings,
                accepts=str(entry["accepts"]),
                rules=_strings(entry, "rules", point_id),
                alternate=str(entry["alternate"]),
                config=_strings(entry, "config", point_id),
                retired=str(entry.get("retired", "")),
            )
        )
    return Readings(provider, points)


@cache
def load_readings(provider: str) -> Readings:
    """The provider's silence points (an empty set when it has no readings file)."""
    path = suites_dir(provider) / "readings.toml"
    if not path.is_file():
        return Readings(provider, [])
    return parse_readings(provider, path.read_text(encoding="utf-8"))
