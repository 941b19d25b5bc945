"""The rule catalogue as data: retired ids stay in the file, outside the active catalogue, and are
never reused."""

from __future__ import annotations

import pytest

from apiconform.registry import provider_names
from apiconform.rules import load_catalogue, parse_catalogue

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
