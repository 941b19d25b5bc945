"""apiconform's pytest plugin (entry point `pytest11: apiconform`).

It is inert in an ordinary pytest session: it only registers the `rule` marker. In a session that
`apiconform run` starts, a `RunSession` is registered as well, and the fixtures below give the
suites their target. Suites declare what they verify with `@pytest.mark.rule("<id>", ...)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from apiconform.client import ApiClient
from apiconform.profile import Profile
from apiconform.session import VERDICTS_KEY, RunSession, Verdicts, current_session, rules_of
from apiconform.target import Target


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "rule(*ids): the apiconform rules this test verifies (ids from the provider's rules.toml)"
    )
    config.addinivalue_line(
        "markers", "observer: the test inspects every exchange of the session, so it runs last"
    )
    config.addinivalue_line("markers", "late: the test runs after all others but the observers (rate limits)")


def _session(request: pytest.FixtureRequest) -> RunSession:
    session = current_session(request.config)
    if session is None:
        pytest.skip("not an apiconform run: start suites with `apiconform run PROVIDER`")
    return session


@pytest.fixture(scope="session")
def run_session(request: pytest.FixtureRequest) -> RunSession:
    """The running provider session (target, catalogue, selection, profile)."""
    return _session(request)


@pytest.fixture(scope="session")
def target(run_session: RunSession) -> Target:
    return run_session.target


@pytest.fixture(scope="session")
def client(target: Target) -> ApiClient:
    return target.client


@pytest.fixture(scope="session")
def profile(target: Target) -> Profile:
    return target.profile


@pytest.fixture
def verdicts(request: pytest.FixtureRequest) -> Verdicts:
    """Per-rule verdicts for a test that verifies several rules with one set of requests."""
    found = Verdicts(rules_of(request.node))
    request.node.stash[VERDICTS_KEY] = found
    return found


@pytest.fixture(autouse=True)
def _apiconform_report_labels(request: pytest.FixtureRequest) -> Iterator[None]:
    """Label Allure results with provider / area / rule and attach the test's masked exchanges."""
    session = current_session(request.config)
    allure_active = request.config.pluginmanager.has_plugin("allure_listener")
    if session is None or not allure_active:
        yield
        return
    import allure

    rule_ids = rules_of(request.node)
    if rule_ids:
        first = session.catalogue[rule_ids[0]]
        dynamic: Any = allure.dynamic
        dynamic.epic(first.provider)
        dynamic.feature(*sorted({session.catalogue[r].area for r in rule_ids}))
        for rule_id in rule_ids:
            dynamic.story(rule_id)
        dynamic.parameter("rules", " ".join(rule_ids))  # part of the stable history id
        levels = {session.catalogue[r].level for r in rule_ids}
        dynamic.severity(allure.severity_level.CRITICAL if "MUST" in levels else allure.severity_level.NORMAL)
    yield
    for index, exchange in enumerate(session.current_exchanges[:20], start=1):
        allure.attach(
            exchange.as_text(),
            name=f"exchange {index}: {exchange.method} {exchange.status}",
            attachment_type=allure.attachment_type.TEXT,
        )
