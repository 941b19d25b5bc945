"""Routing errors (livespace-api.md, API handling errors: 514 Incorrect module, 515 Incorrect
method, 516 Incorrect output format; 560 is also 'Incorrect method')."""

from __future__ import annotations

import pytest

from apiconform.checks.expect import check
from apiconform.providers.livespace.profile import result_of
from apiconform.session import Verdicts


@pytest.mark.rule(
    "livespace.routing.unknown-module-514",
    "livespace.routing.unknown-method",
    "livespace.routing.unknown-format-516",
)
def test_routing_errors(caller, keys, verdicts: Verdicts):
    probes = [
        ("livespace.routing.unknown-module-514", "ApiconformNoSuchModule", "getAll", "json", {514}),
        ("livespace.routing.unknown-method", "Contact", "apiconformNoSuchMethod", "json", {515, 560}),
        ("livespace.routing.unknown-format-516", "Contact", "getAll", "apiconform", {516}),
    ]
    for rule, module, method, fmt, codes in probes:
        response = caller.call(keys, module, method, {"limit": 1}, fmt=fmt)
        with verdicts.check(rule):
            check(
                result_of(response) in codes,
                f"{module}/{method} in format {fmt}: result {result_of(response)!r}, expected "
                + " or ".join(map(str, sorted(codes))),
                response,
            )
