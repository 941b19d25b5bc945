"""What the Livespace document leaves to each target, as config keys with documented defaults.

The document names no module, no method, no parameter and no data shape. The suite calls a read
method that lists objects (`list_method`), one that reads an object by its id (`get_method`), and,
with `allow_writes`, one that adds an object (`add_method`) and one that deletes it
(`delete_method`). The defaults are the names working public clients use (Contact/getAll, get,
add, delete); a target with other names is pointed at them by config, and a target that answers
the suite's call of a method with "not supported" (514, 515, or 560, the other "Incorrect method")
gets the rules that need the method skipped with the key to set.

Where the suite looks into data, it looks only as far as these keys say, and then searches:
`list_items` (where the list is in the list method's data: a member name, "" for the data itself;
unset, it tries `items`, the data itself, then the one list-valued member), `id_param` (the
parameter naming an object; an object's id is its member of that name, else `id`),
`token_field`/`session_field` (where getToken's data carries the token and the session id; unset,
the one member whose name contains "token"/"session").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

METHOD = re.compile(r"^(?P<module>[^/{}]+)/(?P<method>[^/{}]+)$")
#: Replaced, in every string value of `add_params`, by a fresh `apiconform-<hex>` marker.
UNIQUE = "{unique}"

DEFAULTS: Mapping[str, Any] = {
    "list_method": "Contact/getAll",
    "list_params": {},
    "list_items": "items",
    "get_method": "Contact/get",
    "add_method": "Contact/add",
    "add_params": {"firstname": "apiconform-contact", "lastname": UNIQUE},
    "delete_method": "Contact/delete",
    "id_param": "id",
    "token_field": "token",
    "session_field": "session_id",
}

_METHOD_KEY = {"type": "string", "pattern": METHOD.pattern, "description": "Module/method"}
#: The config keys (JSON Schema each), merged into the profile's `extra_keys`.
KEYS: Mapping[str, Mapping[str, Any]] = {
    "list_method": {**_METHOD_KEY, "description": "Module/method of a read method that lists objects"},
    "list_params": {"type": "object", "description": "parameters sent with every list_method call"},
    "list_items": {
        "type": "string",
        "description": 'member of the list data holding the list ("" = the data)',
    },
    "get_method": {**_METHOD_KEY, "description": "Module/method that reads one object by id_param"},
    "add_method": {**_METHOD_KEY, "description": "Module/method that adds an object (a write)"},
    "add_params": {
        "type": "object",
        "minProperties": 1,
        "description": "fields of the object the suite adds ({unique} in a value: a fresh marker)",
    },
    "delete_method": {
        **_METHOD_KEY,
        "description": "Module/method that deletes an object by id_param (a write)",
    },
    "id_param": {"type": "string", "minLength": 1, "description": "the parameter naming an object"},
    "token_field": {"type": "string", "minLength": 1, "description": "getToken data member of the token"},
    "session_field": {
        "type": "string",
        "minLength": 1,
        "description": "getToken data member of the session id",
    },
}


@dataclass(frozen=True)
class Method:
    """A module and method name, and the config key that chose them."""

    module: str
    name: str
    setting: str

    def __str__(self) -> str:
        return f"{self.module}/{self.name}"


@dataclass(frozen=True)
class Settings:
    """The suite's reading of one target (config over DEFAULTS); `configured` holds the keys the
    user set (an explicit key is taken as given, a default may be searched around)."""

    list_method: Method
    get_method: Method
    add_method: Method
    delete_method: Method
    list_params: Mapping[str, Any]
    add_params: Mapping[str, Any]
    list_items: str
    id_param: str
    token_field: str
    session_field: str
    configured: frozenset[str] = frozenset()

    @classmethod
    def from_options(cls, options: Mapping[str, object] | None = None) -> Settings:
        given = {key: value for key, value in (options or {}).items() if key in DEFAULTS}
        values = {**DEFAULTS, **given}

        def method(key: str) -> Method:
            match = METHOD.fullmatch(str(values[key]))
            if match is None:  # config validation refuses these; a direct caller gets a clear error
                raise ValueError(f"{key} must be Module/method, not {values[key]!r}")
            return Method(match["module"], match["method"], key)

        return cls(
            list_method=method("list_method"),
            get_method=method("get_method"),
            add_method=method("add_method"),
            delete_method=method("delete_method"),
            list_params=dict(values["list_params"]),
            add_params=dict(values["add_params"]),
            list_items=str(values["list_items"]),
            id_param=str(values["id_param"]),
            token_field=str(values["token_field"]),
            session_field=str(values["session_field"]),
            configured=frozenset(given),
        )

    @property
    def writes(self) -> tuple[Method, ...]:
        """The methods the suite calls that change data."""
        return (self.add_method, self.delete_method)

    def add_payload(self, marker: str) -> dict[str, Any]:
        """`add_params` with every `{unique}` replaced by `marker`."""
        return {
            name: value.replace(UNIQUE, marker) if isinstance(value, str) else value
            for name, value in self.add_params.items()
        }
