"""The providers apiconform knows, by name. Adding a provider is one line here plus its folder
(`apiconform/providers/<name>/`, `schemas/<name>/`, `suites/<name>/`)."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from functools import cache

from apiconform.errors import UsageError
from apiconform.profile import Profile

#: provider name -> "module:ProfileClass"
_PROVIDERS: dict[str, str] = {
    "coliving": "apiconform.providers.coliving.profile:ColivingProfile",
    "spaces": "apiconform.providers.spaces.profile:SpacesProfile",
    "livespace": "apiconform.providers.livespace.profile:LivespaceProfile",
    "leaddesk": "apiconform.providers.leaddesk.profile:LeadDeskProfile",
}


def provider_names() -> tuple[str, ...]:
    return tuple(_PROVIDERS)


def chosen_providers(names: Sequence[str] | None) -> list[str]:
    """The providers `names` names, in that order (every provider when none is named); UsageError
    for an unknown name."""
    chosen = list(names) if names else list(provider_names())
    for name in chosen:
        get_profile(name)
    return chosen


@cache
def get_profile(name: str) -> Profile:
    """Return the profile of provider `name`; UsageError names the known providers otherwise."""
    try:
        target = _PROVIDERS[name]
    except KeyError:
        raise UsageError(f"unknown provider {name!r}; known: {', '.join(_PROVIDERS)}") from None
    module_name, _, class_name = target.partition(":")
    profile_class = getattr(importlib.import_module(module_name), class_name)
    profile: Profile = profile_class()
    return profile
