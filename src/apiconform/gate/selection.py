"""Rule selection: `--select GLOB` (alias `--rule`), `--deselect GLOB`, `--level MUST|SHOULD`.

A rule is selected when its id matches any select glob (or none is given), matches no deselect
glob, and has the level, if one is given. Globs are fnmatch patterns over rule ids, case-sensitive
(`coliving.pagination.*` selects an area).
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

from apiconform.report.results import SelectionDoc
from apiconform.rules import Catalogue, Level, Rule
from apiconform.run import select_rules


@dataclass(frozen=True)
class Selection:
    select: tuple[str, ...] = ()
    deselect: tuple[str, ...] = ()
    level: Level | None = None

    @property
    def everything(self) -> bool:
        """Whether the selection keeps every rule (no option given)."""
        return not (self.select or self.deselect or self.level)

    def rules(self, catalogue: Catalogue) -> list[Rule]:
        """The selected rules of `catalogue`, in catalogue order."""
        chosen = select_rules(catalogue, self.select or None)
        return [
            rule
            for rule in chosen
            if not any(fnmatchcase(rule.id, glob) for glob in self.deselect)
            and (self.level is None or rule.level == self.level)
        ]

    def as_doc(self) -> SelectionDoc:
        return {"select": list(self.select), "deselect": list(self.deselect), "level": self.level}
