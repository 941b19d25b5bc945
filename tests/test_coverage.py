"""Document coverage computed from the data: statements, the rules that cover them, and the faults
that prove those rules can fail."""

from __future__ import annotations

import pytest

from apiconform.coverage import Counts, classify
from apiconform.rules import parse_catalogue
from apiconform.statements import parse_statements


def statement(number: int, **extra: object) -> str:
    fields = {
        "id": f"coliving-{number:03d}",
        "section": "S",
        "quote": f"sentence {number}",
        "paraphrase": "p",
        "area": "auth" if number < 5 else "listings",
        "level": "MUST",
        "testable": True,
        **extra,
    }
    return "[[statement]]\n" + "".join(
        f"{key} = {str(value).lower() if isinstance(value, bool) else repr(value)}\n"
        for key, value in fields.items()
    )


STATEMENTS = (
    statement(1)  # covered: rule a has a fault
    + statement(2)  # partial: rule b covers it partly
    + statement(3)  # partial: rule c covers it, but no fault names c
    + statement(4, testable=False, untestable="server-side only")  # excluded
    + statement(5, excluded="needs a credential the document never issues")  # excluded
    + statement(6)  # uncovered
    + '[[statement]]\nid = "coliving-007"\nretired = "merged into coliving-001"\n'
)
RULES = """
[[rule]]
id = "coliving.auth.a"
level = "MUST"
title = "t"
source = "s"
covers = ["coliving-001", "coliving-002"]
partial = { "coliving-002" = "only listings" }

[[rule]]
id = "coliving.auth.c"
level = "SHOULD"
title = "t"
source = "s"
covers = ["coliving-003"]
"""


def test_each_statement_gets_its_status_from_the_data():
    statements = parse_statements("coliving", STATEMENTS)
    items = {
        item.statement.id: item
        for item in classify(statements, parse_catalogue("coliving", RULES), {"coliving.auth.a"})
    }
    assert {k: v.status for k, v in items.items()} == {
        "coliving-001": "covered",
        "coliving-002": "partial",
        "coliving-003": "partial",
        "coliving-004": "excluded",
        "coliving-005": "excluded",
        "coliving-006": "uncovered",
    }
    assert items["coliving-002"].note == "coliving.auth.a: only listings"
    assert "no fault proves coliving.auth.c" in items["coliving-003"].note
    counts = Counts()
    for item in items.values():
        counts.add(item)
    assert counts.as_dict() == {
        "statements": 6,
        "testable": 5,
        "covered": 1,
        "partial": 2,
        "excluded": 2,
        "uncovered": 1,
        "percent": 25.0,
    }
    assert statements.retired == {"coliving-007": "merged into coliving-001"}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (statement(1) + statement(1), "duplicate"),
        (statement(1, level="MUSTN'T"), "level"),
        (statement(1, testable=False), "untestable"),
        (statement(1).replace("coliving-001", "spaces-001"), "is not coliving-NNN"),
        (statement(1, colour="red"), "unknown field"),
        ('[[statement]]\nid = "coliving-001"\n', "missing"),
    ],
)
def test_malformed_statements_are_refused(text, problem):
    with pytest.raises(ValueError, match=problem):
        parse_statements("coliving", text)


def test_a_rule_may_only_mark_partial_what_it_covers():
    with pytest.raises(ValueError, match="partial names statements the rule does not cover"):
        parse_catalogue("coliving", RULES.replace('partial = { "coliving-002"', 'partial = { "coliving-009"'))


def test_the_command_prints_what_the_data_says(capsys):
    """`apiconform coverage --json`: per provider, the statement count is the catalogue file's
    live entries, excluded its untestable or excluded ones, and the statuses add up."""
    import json
    import tomllib

    from apiconform.cli import main
    from apiconform.registry import provider_names
    from apiconform.resources import suites_dir

    assert main(["coverage", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [p["name"] for p in document["providers"]] == list(provider_names())
    for provider in document["providers"]:
        path = suites_dir(provider["name"]) / "statements.toml"
        entries = tomllib.loads(path.read_text())["statement"] if path.is_file() else []
        live = [e for e in entries if "retired" not in e]
        assert provider["statements"] == len(live)
        assert provider["testable"] == sum(e["testable"] for e in live)
        assert provider["excluded"] == sum(not e["testable"] or bool(e.get("excluded")) for e in live)
        assert sum(provider[s] for s in ("covered", "partial", "excluded", "uncovered")) == len(live)
        assert sum(area["statements"] for area in provider["areas"].values()) == len(live)


def test_min_gates_on_the_covered_percentage(capsys):
    from apiconform.cli import main

    assert main(["coverage", "spaces", "--min", "0"]) == 0
    assert main(["coverage", "spaces", "--min", "100.1"]) == 1
    assert "below --min 100.1%" in capsys.readouterr().err
