"""The rule catalogue as data: retired ids stay in the file, outside the active catalogue, and are
never reused; every id ever published is listed in tests/data/published_rule_ids/<provider>.txt, and
stays in rules.toml (retired at the most) with the version it was published in (`since`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from apiconform import __version__
from apiconform.registry import provider_names
from apiconform.rules import VERSION, load_catalogue, parse_catalogue

PUBLISHED = Path(__file__).parent / "data" / "published_rule_ids"

RULE = '[[rule]]\nid = "{id}"\nlevel = "MUST"\ntitle = "t"\nsource = "s"\n'


def test_a_retired_rule_is_kept_out_of_the_active_catalogue():
    text = (
        RULE.format(id="coliving.a.kept") + RULE.format(id="coliving.a.old") + 'retired = "replaced by x"\n'
    )
    catalogue = parse_catalogue("coliving", text)
    assert list(catalogue) == ["coliving.a.kept"]
    assert catalogue.retired == {"coliving.a.old": "replaced by x"}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (RULE.format(id="coliving.a.b") + 'retired = ""\n', "retired must say why"),
        (RULE.format(id="coliving.a.b") + 'retired = "x"\n' + RULE.format(id="coliving.a.b"), "duplicate"),
        (RULE.format(id="coliving.a.b") + RULE.format(id="coliving.a.b") + 'retired = "x"\n', "duplicate"),
    ],
)
def test_retired_ids_are_never_reused(text, problem):
    with pytest.raises(ValueError, match=problem):
        parse_catalogue("coliving", text)


@pytest.mark.parametrize("provider", provider_names())
def test_every_catalogue_loads(provider):
    catalogue = load_catalogue(provider)
    assert len(catalogue) > 0
    assert not set(catalogue) & set(catalogue.retired)


def test_since_names_the_version_an_id_was_published_in():
    text = (
        RULE.format(id="coliving.a.kept")
        + 'since = "0.1.0"\n'
        + RULE.format(id="coliving.a.old")
        + 'retired = "replaced by x"\nsince = "0.1.0"\n'
        + RULE.format(id="coliving.a.new")
    )
    assert parse_catalogue("coliving", text).since == {"coliving.a.kept": "0.1.0", "coliving.a.old": "0.1.0"}
    for since in ('"soon"', '"0.1"', "1"):
        with pytest.raises(ValueError, match="since must be a version"):
            parse_catalogue("coliving", RULE.format(id="coliving.a.b") + f"since = {since}\n")


def published_ids(provider: str) -> list[str]:
    """The ids of tests/data/published_rule_ids/<provider>.txt, in its order (# starts a comment line)."""
    lines = (PUBLISHED / f"{provider}.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("provider", provider_names())
def test_a_published_id_is_never_removed_or_renamed_and_every_id_is_published(provider):
    published = published_ids(provider)
    catalogue = load_catalogue(provider)
    ids = [*catalogue, *catalogue.retired]
    assert len(published) == len(set(published)), "an id is listed twice"
    gone = [rule_id for rule_id in published if rule_id not in ids]
    assert gone == [], (
        f'published ids may only be retired (retired = "why"), never removed or renamed: {gone}'
    )
    unlisted = [rule_id for rule_id in ids if rule_id not in published]
    assert unlisted == [], (
        f"add the ids of new rules to tests/data/published_rule_ids/{provider}.txt: {unlisted}"
    )


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


@pytest.mark.parametrize("provider", provider_names())
def test_every_id_says_since_when_it_is_published(provider):
    catalogue = load_catalogue(provider)
    missing = [rule_id for rule_id in [*catalogue, *catalogue.retired] if rule_id not in catalogue.since]
    assert missing == [], f'since = "<version>" missing: {missing}'
    assert VERSION.match(__version__)
    later = {rule_id: v for rule_id, v in catalogue.since.items() if _release(v) > _release(__version__)}
    assert later == {}, f"published after this version ({__version__})"
