"""Routing errors (livespace-api.md, API handling errors: 514 Incorrect module, 515 Incorrect
method, 516 Incorrect output format; 560 is also 'Incorrect method').

The probes start from the configured list method (its module for the unknown method, its method
for the unknown module), so a target with other names is probed in its own terms. The unknown
method and format probes need the list method to exist (the list probe); the format probe needs
a `{format}` segment in call_path (the document does not say how the format is chosen)."""

from __future__ import annotations

import pytest

from apiconform.providers.livespace.codes import described, result_of
from apiconform.providers.livespace.probes import ListProbe
from apiconform.suite import Verdicts, check


@pytest.mark.rule(
    "livespace.routing.unknown-module-514",
    "livespace.routing.unknown-method",
    "livespace.routing.unknown-format-516",
)
def test_routing_errors(caller, keys, settings, probe: ListProbe, verdicts: Verdicts):
    listed = settings.list_method
    probes = [
        ("livespace.routing.unknown-module-514", "ApiconformNoSuchModule", listed.name, "json", {514}),
        ("livespace.routing.unknown-method", listed.module, "apiconformNoSuchMethod", "json", {515, 560}),
        ("livespace.routing.unknown-format-516", listed.module, listed.name, "apiconform", {516}),
    ]
    for rule, module, method, fmt, codes in probes:
        with verdicts.check(rule):
            if rule == "livespace.routing.unknown-method" and result_of(probe.response) == 514:
                probe.require()  # the configured module does not exist: skipped, naming list_method
            if rule == "livespace.routing.unknown-format-516":
                probe.require()
                if "{format}" not in caller.call_path:
                    pytest.skip("call_path has no {format} segment: the suite cannot choose a format")
            response = caller.call(keys, module, method, settings.list_params, fmt=fmt)
            check(
                result_of(response) in codes,
                f"{module}/{method} in format {fmt}: {described(result_of(response))}, expected "
                + " or ".join(map(str, sorted(codes))),
                response,
            )
