"""Spaces list checks over one page (spaces-api.txt: List Response Format), shared by the live
suite (suites/spaces/test_pagination.py) and observed mode (apiconform.providers.spaces.observed)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from apiconform.checks.expect import check, expect_json, fail
from apiconform.checks.pagination import CursorPage


def check_list_shape(page: CursorPage, what: str) -> None:
    body = expect_json(page.response, what)
    problems = []
    if not isinstance(body, dict):
        fail(f"{what}: the body is {type(body).__name__}, not an object", page.response)
    if body.get("object") != "list":
        problems.append(f"object is {body.get('object')!r}, not 'list'")
    if not isinstance(body.get("data"), list):
        problems.append(f"data is {type(body.get('data')).__name__}, not an array")
    if not isinstance(body.get("has_more"), bool):
        problems.append(f"has_more is {body.get('has_more')!r}, not a boolean")
    check(not problems, f"{what}: " + "; ".join(problems), page.response)


def check_ids(page: CursorPage, what: str, key: Callable[[Any], Hashable | None], field: str) -> None:
    lacking = [index for index, item in enumerate(page.items) if key(item) is None]
    check(
        not lacking,
        f"{what}: {len(lacking)} of {len(page.items)} objects have no string or integer ID in {field!r} "
        f"(first: item {lacking[0] + 1 if lacking else 0})",
        page.response,
    )
