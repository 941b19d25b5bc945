"""The fixtures the suites get inside an apiconform run, and only there.

`RunFixtures` is a pytest plugin object that the run's `RunSession` registers in its own pytest
session (see `RunSession.pytest_configure`), so an ordinary pytest session in a virtualenv where
apiconform is installed sees none of these names (its `pytest11` entry point only registers the
markers: apiconform.pytest_plugin). Fixtures: `run_session`, `target`, `client`, `profile`,
`verdicts`, and an autouse one that labels Allure results and attaches the test's exchanges.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from apiconform.checks.verdicts import VERDICTS_KEY, Verdicts
from apiconform.client import ApiClient
from apiconform.markers import rules_of
from apiconform.profile import Profile
from apiconform.target import Target

if TYPE_CHECKING:
    from apiconform.session import RunSession


class RunFixtures:
    """The suites' fixtures over one run session (see the module docstring)."""

    def __init__(self, session: RunSession) -> None:
        self.session = session

    @pytest.fixture(scope="session")
    def run_session(self) -> RunSession:
        """The running provider session (target, catalogue, selection, profile)."""
        return self.session

    @pytest.fixture(scope="session")
    def target(self) -> Target:
        """The target under test: its client, profile, credentials and options."""
        return self.session.target

    @pytest.fixture(scope="session")
    def client(self) -> ApiClient:
        """The run's one client (paced, pinned to the origin, recording, masking)."""
        return self.session.target.client

    @pytest.fixture(scope="session")
    def profile(self) -> Profile:
        """The provider's profile."""
        return self.session.target.profile

    @pytest.fixture
    def verdicts(self, request: pytest.FixtureRequest) -> Verdicts:
        """Per-rule verdicts for a test that verifies several rules with one set of requests."""
        found = Verdicts(rules_of(request.node))
        request.node.stash[VERDICTS_KEY] = found
        return found

    @pytest.fixture(autouse=True)
    def _apiconform_report_labels(self, request: pytest.FixtureRequest) -> Iterator[None]:
        """Label Allure results with provider / area / rule and attach the test's masked exchanges."""
        if not request.config.pluginmanager.has_plugin("allure_listener"):
            yield
            return
        import allure

        session = self.session
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
            dynamic.severity(
                allure.severity_level.CRITICAL if "MUST" in levels else allure.severity_level.NORMAL
            )
        yield
        for index, exchange in enumerate(session.current_exchanges[:20], start=1):
            allure.attach(
                exchange.as_text(),
                name=f"exchange {index}: {exchange.method} {exchange.status}",
                attachment_type=allure.attachment_type.TEXT,
            )
