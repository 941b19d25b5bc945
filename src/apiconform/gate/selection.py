"""Rule selection, the one place that decides which rules run: `--select GLOB` (alias `--rule`),
`--deselect GLOB`, `--level MUST|SHOULD` on the command line, and the globs library callers give
`run_provider`.

A rule is selected when its id matches any select glob (or none is given), matches no deselect
glob, and has the level, if one is given. Globs are fnmatch patterns over rule ids, case-sensitive
(`coliving.pagination.*` selects an area).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from apiconform.rules import Catalogue, Level, Rule

if TYPE_CHECKING:  # the results document's types; apiconform.report.results imports the run
    from apiconform.report.results import SelectionDoc


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


#: The selection of no option: every rule.
EVERY_RULE = Selection()


def select_rules(catalogue: Catalogue, rules: Selection | Iterable[str] | None) -> list[Rule]:
    """The rules of `catalogue` that `rules` chooses, in catalogue order: a Selection's; else
    those whose id matches one of the globs `rules` (none when it holds none); all when None."""
    if rules is None:
        return list(catalogue.values())
    if isinstance(rules, Selection):
        return rules.rules(catalogue)
    globs = list(rules)
    return [rule for rule in catalogue.values() if any(fnmatchcase(rule.id, glob) for glob in globs)]
