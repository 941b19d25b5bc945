"""The silence points (suites/<provider>/readings.toml) are data the project holds itself to:
each parses; names only rules of its provider's catalogue and config keys its provider takes;
quotes the document verbatim (checked against ../shared/sources when the checkout has it); and is
summarised in the README under "Choices where the documents are silent"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from apiconform.config import _COMMON_KEYS
from apiconform.readings import load_readings, parse_readings
from apiconform.registry import get_profile, provider_names
from apiconform.rules import load_catalogue

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT.parent / "shared" / "sources"
PROVIDERS = provider_names()


def normalise(text: str) -> str:
    """Whitespace collapsed, typographic quotes and dashes made plain (the documents mix them)."""
    text = text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2265", ">=").replace("\u2264", "<=")
    return re.sub(r"\s+", " ", text).strip().lower()


@pytest.mark.parametrize("provider", PROVIDERS)
def test_readings_parse_and_name_known_rules_and_keys(provider):
    readings = load_readings(provider)
    assert len(readings) > 0, f"{provider} records no silence point"
    catalogue = load_catalogue(provider)
    profile = get_profile(provider)
    keys = set(_COMMON_KEYS) | set(profile.credentials) | set(profile.extra_keys)
    for point in readings.values():
        assert set(point.rules) <= set(catalogue), point.id
        assert set(point.config) <= keys, point.id


@pytest.mark.parametrize("provider", PROVIDERS)
def test_quotes_are_verbatim(provider):
    document = SOURCES / get_profile(provider).document
    if not document.is_file():
        pytest.skip(f"{document} is not in this checkout")
    text = normalise(document.read_text(encoding="utf-8"))
    for point in load_readings(provider).values():
        for fragment in point.fragments:
            assert normalise(fragment) in text, f"{point.id}: {fragment!r} is not in {document.name}"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_readme_lists_every_silence_point(provider):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Choices where the documents are silent", 1)[1].split("\n## ", 1)[0]
    missing = [p.id for p in load_readings(provider).values() if not p.retired and p.id not in section]
    assert not missing


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[[silence]]\nid = "x.y"\n', "missing"),
        (
            '[[silence]]\nid = "coliving.a"\nsection = "s"\nquote = "q"\nsilent = "s"\n'
            'readings = ["only one"]\naccepts = "a"\nrules = ["r"]\nalternate = "a"\n',
            "at least two readings",
        ),
        (
            '[[silence]]\nid = "spaces.a"\nsection = "s"\nquote = "q"\nsilent = "s"\n'
            'readings = ["a", "b"]\naccepts = "a"\nrules = ["r"]\nalternate = "a"\n',
            "is not coliving.<name>",
        ),
        ('[[silence]]\nid = "coliving.a"\nwhat = 1\n', "unknown field"),
    ],
)
def test_malformed_readings_are_refused(text, problem):
    with pytest.raises(ValueError, match=problem):
        parse_readings("coliving", text)
