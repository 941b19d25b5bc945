"""Statements: the normative sentences of a provider's document, as data (one TOML file per
provider: `suites/<provider>/statements.toml`).

Every prose sentence, table row (a status code, a field, a parameter, a bound, a default) and
example that fixes a value is one `[[statement]]`; a sentence that makes several claims that can
fail separately is several statements. Each has:

- `id`: `<provider>-NNN`, stable; never reused (a statement that no longer applies is retired:
  `retired = "why"`);
- `section`, `quote` (verbatim from the document; fragments joined by " ... "), `paraphrase`
  (one line), `area` (the rule area it belongs to, e.g. `auth`);
- `level` as the text states it: MUST, SHOULD or MAY (a table row or an example that fixes a
  value is a MUST; "usually", "often", "recommended" are SHOULD; "can", "optional" MAY);
- `testable`: whether a black-box client can check it; when not, `untestable` says why;
- `excluded` (optional): why a testable statement is left out (a credential the document never
  issues, a 24-hour wait, ...);
- `needs` (optional): what checking it needs (an optional credential, `allow_writes`, a time
  window);
- `readings` (optional): the silence points (suites/<provider>/readings.toml) whose readings
  the suite accepts where the statement is ambiguous.

Rules cite statements (`covers` in rules.toml); `apiconform.coverage` turns both, with the fault
catalogues, into covered / partial / excluded / uncovered.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Literal

from apiconform.resources import suites_dir

StatementLevel = Literal["MUST", "SHOULD", "MAY"]
_REQUIRED = ("id", "section", "quote", "paraphrase", "area", "level", "testable")
_FIELDS = {*_REQUIRED, "untestable", "excluded", "needs", "readings", "retired"}


def statement_id_pattern(provider: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(provider)}-\d{{3,4}}$")


@dataclass(frozen=True)
class Statement:
    """One normative statement of a provider's document."""

    id: str
    section: str
    quote: str
    paraphrase: str
    area: str
    level: StatementLevel
    testable: bool
    untestable: str = ""
    excluded: str = ""
    needs: tuple[str, ...] = ()
    readings: tuple[str, ...] = ()
    retired: str = ""

    @property
    def fragments(self) -> tuple[str, ...]:
        """The verbatim fragments of `quote` (split at ` ... `)."""
        return tuple(part.strip() for part in self.quote.split(" ... ") if part.strip())


class Statements(Mapping[str, Statement]):
    """The live statements of one provider, in file order; `retired` maps retired ids to why."""

    def __init__(self, provider: str, statements: list[Statement], retired: Mapping[str, str]) -> None:
        self.provider = provider
        self.retired = dict(retired)
        self._statements: dict[str, Statement] = {}
        for statement in statements:
            if statement.id in self._statements or statement.id in self.retired:
                raise ValueError(f"duplicate statement id {statement.id}")
            self._statements[statement.id] = statement

    def __getitem__(self, statement_id: str) -> Statement:
        return self._statements[statement_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._statements)

    def __len__(self) -> int:
        return len(self._statements)


def _strings(entry: Mapping[str, object], name: str, where: str) -> tuple[str, ...]:
    value = entry.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError(f"{where}: {name} must be a list of non-empty strings")
    return tuple(value)


def _text(entry: Mapping[str, object], name: str, where: str) -> str:
    value = entry.get(name, "")
    if not isinstance(value, str):
        raise ValueError(f"{where}: {name} must be a string")
    return value


def parse_statements(provider: str, text: str) -> Statements:
    """Parse and validate a provider's statements file; ValueError names the first bad entry."""
    data = tomllib.loads(text)
    pattern = statement_id_pattern(provider)
    statements: list[Statement] = []
    retired: dict[str, str] = {}
    for index, entry in enumerate(data.get("statement", [])):
        where = f"statement #{index + 1}"
        unknown = set(entry) - _FIELDS
        if unknown:
            raise ValueError(f"{where}: unknown field(s) {sorted(unknown)}")
        statement_id = entry.get("id", "")
        if not isinstance(statement_id, str) or not pattern.match(statement_id):
            raise ValueError(f"{where}: id {statement_id!r} is not {provider}-NNN")
        where = statement_id
        if "retired" in entry:
            reason = _text(entry, "retired", where)
            if not reason.strip():
                raise ValueError(f"{where}: retired must say why")
            if statement_id in retired:
                raise ValueError(f"duplicate statement id {statement_id}")
            retired[statement_id] = reason
            continue
        missing = [name for name in _REQUIRED if name not in entry or entry[name] in ("", None)]
        if missing:
            raise ValueError(f"{where}: missing {', '.join(missing)}")
        if entry["level"] not in ("MUST", "SHOULD", "MAY"):
            raise ValueError(f"{where}: level must be MUST, SHOULD or MAY")
        if not isinstance(entry["testable"], bool):
            raise ValueError(f"{where}: testable must be true or false")
        untestable = _text(entry, "untestable", where)
        if not entry["testable"] and not untestable.strip():
            raise ValueError(f"{where}: an untestable statement says why (untestable = ...)")
        statements.append(
            Statement(
                id=statement_id,
                section=_text(entry, "section", where),
                quote=_text(entry, "quote", where),
                paraphrase=_text(entry, "paraphrase", where),
                area=_text(entry, "area", where),
                level=entry["level"],
                testable=entry["testable"],
                untestable=untestable,
                excluded=_text(entry, "excluded", where),
                needs=_strings(entry, "needs", where),
                readings=_strings(entry, "readings", where),
            )
        )
    return Statements(provider, statements, retired)


@cache
def load_statements(provider: str) -> Statements:
    """The provider's statements (none when it has no statements file)."""
    path = suites_dir(provider) / "statements.toml"
    if not path.is_file():
        return Statements(provider, [], {})
    return parse_statements(provider, path.read_text(encoding="utf-8"))
