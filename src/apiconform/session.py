"""The pytest side of one provider's run: rule selection, needs, outcomes, evidence, masking.

A `RunSession` is registered as a pytest plugin for one session over `suites/<provider>`; it
registers the suites' fixtures there (apiconform.fixtures), and only there. Guarantees:
- only tests that declare at least one selected rule run (`@pytest.mark.rule(...)`);
- a test whose rules need a missing credential, or writes when writes are not allowed, is
  skipped with that reason;
- every test's verdict is recorded for each rule it declares: assertion failures are `failed`,
  anything else that stops a test (transport errors, timeouts, crashes) is `error`;
- a `failed` or `error` verdict carries the exchanges it rests on: those its exception carries
  (apiconform.errors.Evidenced: CheckFailed, SetupRefused, ...), else the test's last exchange;
- exception messages and reports are masked before any reporter (junit, allure, terminal) sees them.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings

from apiconform import markers
from apiconform.checks.verdicts import VERDICTS_KEY, RuleFailures
from apiconform.errors import PreconditionNotMet, SetupRefused, TargetError, evidence_of
from apiconform.fixtures import RunFixtures
from apiconform.markers import phase, rules_of
from apiconform.masking import Masker
from apiconform.recording import Exchange
from apiconform.rules import Catalogue, Outcome, OutcomeBook, TestResult
from apiconform.target import Target

MESSAGE_LIMIT = 2000

settings.register_profile(
    "apiconform-gate",
    max_examples=8,
    derandomize=True,
    database=None,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)
settings.register_profile(
    "apiconform-deep",
    max_examples=60,
    derandomize=False,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)


class StopRequests:
    """Where a signal handler asks a running suite to stop: `request()` tells the active pytest
    session to stop after its current test (True), or returns False when no suite is running or
    a stop was already asked for (the caller then interrupts at once). Raising KeyboardInterrupt
    in the middle of a test can leave libraries half-way through (seen in hypothesis' charmap
    cache); stopping between tests cannot."""

    def __init__(self) -> None:
        self.active: pytest.Session | None = None
        self.requested = False

    def request(self) -> bool:
        if self.active is None or self.requested:
            return False
        self.requested = True
        self.active.shouldstop = "interrupted (Ctrl-C or SIGTERM)"
        return True


#: the process-wide stop requests (one suite runs at a time)
STOP = StopRequests()


UNMET_KEY = pytest.StashKey[dict[str, str]]()


def _is_assertion(exc: BaseException) -> bool:
    if isinstance(exc, BaseExceptionGroup):
        return all(_is_assertion(inner) for inner in exc.exceptions)
    return isinstance(exc, AssertionError)


def _mask_exception(exc: BaseException, masker: Masker) -> None:
    """Mask an exception's message, notes and nested exceptions in place."""
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            _mask_exception(inner, masker)
    elif exc.args:
        exc.args = tuple(masker.mask(a) if isinstance(a, str) else a for a in exc.args)
    notes = getattr(exc, "__notes__", None)
    if notes:
        exc.__notes__ = [masker.mask(note) for note in notes]
    for linked in (exc.__cause__, exc.__context__):
        if linked is not None and linked is not exc:
            _mask_exception(linked, masker)


def _first_lines(text: str, limit: int = MESSAGE_LIMIT) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + " [...]"


class RunSession:
    """Plugin object for one provider's pytest session (see module docstring)."""

    def __init__(
        self,
        target: Target,
        catalogue: Catalogue,
        selection: Iterable[str],
        profile: str = "gate",
    ) -> None:
        self.target = target
        self.catalogue = catalogue
        self.selection = frozenset(selection)
        self.profile = profile
        self.book = OutcomeBook()
        self.collected_rules: set[str] = set()
        #: the first exchanges of the running test (Allure attachments)
        self.current_exchanges: list[Exchange] = []
        #: the running test's last exchange: the evidence of a failure that cites none
        self.last_exchange: Exchange | None = None
        #: set when the pytest session was interrupted (Ctrl-C, SIGTERM)
        self.interrupted = False
        #: called once per finished test (progress display)
        self.on_test: Callable[[], None] | None = None
        self._previous_hypothesis_profile: str | None = None
        target.client.listeners.append(self._on_exchange)

    def _on_exchange(self, exchange: Exchange) -> None:
        self.last_exchange = exchange
        if len(self.current_exchanges) < 50:
            self.current_exchanges.append(exchange)

    # -- configuration ---------------------------------------------------------------------

    def pytest_configure(self, config: pytest.Config) -> None:
        # the suites' fixtures exist only in this session, never in an ordinary pytest session
        config.pluginmanager.register(RunFixtures(self), "apiconform-fixtures")
        if not config.pluginmanager.has_plugin("apiconform"):  # entry points not loaded
            markers.register(config)
        self._previous_hypothesis_profile = settings.get_current_profile_name()
        settings.load_profile(f"apiconform-{self.profile}")

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        if self._previous_hypothesis_profile:
            settings.load_profile(self._previous_hypothesis_profile)

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        STOP.active, STOP.requested = session, False

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if STOP.requested:
            self.interrupted = True
        STOP.active = None

    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        keep, drop = [], []
        for item in items:
            declared = rules_of(item)
            unknown = [r for r in declared if r not in self.catalogue]
            if unknown:
                raise pytest.UsageError(f"{item.nodeid} declares unknown rule(s): {', '.join(unknown)}")
            writes = {"allow_writes" in self.catalogue[r].needs for r in declared}
            if len(writes) > 1:
                raise pytest.UsageError(f"{item.nodeid} mixes rules that need writes with rules that do not")
            if any(rule in self.selection for rule in declared):
                keep.append(item)
                self.collected_rules.update(r for r in declared if r in self.selection)
            else:
                drop.append(item)
        if drop:
            config.hook.pytest_deselected(items=drop)
        # `late` tests (rate limits) run after the others, `observer`s (which look at every
        # exchange of the session) after those
        items[:] = sorted(keep, key=phase)

    # -- running ---------------------------------------------------------------------------

    def _unmet(self, rule_id: str) -> str | None:
        """Why `rule_id` cannot run against this target, or None when it can."""
        missing = self.target.missing(self.catalogue[rule_id].needs)
        reasons = [
            "writes are not allowed for this target (allow_writes)"
            if m == "allow_writes"
            else f"credential {m} is not configured"
            for m in missing
        ]
        return "; ".join(reasons) or None

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        """Skip a test none of whose selected rules can run; otherwise the rules that cannot run
        are reported skipped (a test never mixes rules that need writes with rules that do not,
        so the test itself never writes when writes are not allowed)."""
        declared = tuple(r for r in rules_of(item) if r in self.selection)
        unmet = {rule: reason for rule in declared if (reason := self._unmet(rule)) is not None}
        item.stash[UNMET_KEY] = unmet
        self.target.client.current_rules = tuple(r for r in declared if r not in unmet)
        self.current_exchanges = []
        self.last_exchange = None
        if declared and len(unmet) == len(declared):
            pytest.skip("; ".join(dict.fromkeys(unmet.values())))

    @pytest.hookimpl(wrapper=True)
    def pytest_pyfunc_call(self, pyfuncitem: pytest.Function) -> Generator[None, object, object]:
        result = yield
        verdicts = pyfuncitem.stash.get(VERDICTS_KEY, None)
        if verdicts is not None and verdicts.failures:
            raise RuleFailures(verdicts.failures)
        return result

    def pytest_runtest_teardown(self, item: pytest.Item) -> None:
        self.target.client.current_rules = ()

    @pytest.hookimpl(hookwrapper=True, trylast=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, Any, None]:
        if call.excinfo is not None:
            _mask_exception(call.excinfo.value, self.target.masker)
        outcome = yield
        report: pytest.TestReport = outcome.get_result()
        mask = self.target.masker.mask
        if isinstance(report.longrepr, tuple):  # a skip: (path, line, reason), kept in that form
            path, line, reason = report.longrepr
            report.longrepr = (path, line, mask(reason))
        elif report.longrepr is not None:
            report.longrepr = mask(report.longreprtext)
        report.sections = [(title, mask(content)) for title, content in report.sections]
        self._record(item, call, report)

    def _record(self, item: pytest.Item, call: pytest.CallInfo[None], report: pytest.TestReport) -> None:
        declared = [r for r in rules_of(item) if r in self.selection]
        exc = call.excinfo.value if call.excinfo is not None else None
        verdict: Outcome | None = None
        message = ""
        if report.skipped:
            verdict = "skipped"
            longrepr = report.longrepr
            message = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr or "")
            message = message.removeprefix("Skipped: ")
        elif report.failed:
            if isinstance(exc, RuleFailures):
                verdict = "passed"  # the failures are per rule, below
            elif report.when == "call" and exc is not None and _is_assertion(exc):
                verdict = "failed"
            else:
                verdict = "error"
            message = "" if verdict == "passed" else self._failure_message(report, exc)
        elif report.when == "call":
            verdict = "passed"
        if verdict is None:
            return
        if self.on_test is not None:
            self.on_test()
        mask = self.target.masker.mask
        unmet = item.stash.get(UNMET_KEY, {})
        verdicts = item.stash.get(VERDICTS_KEY, None)
        for rule_id in declared:
            if rule_id in unmet:
                result = TestResult(item.nodeid, "skipped", unmet[rule_id])
            elif verdicts is not None and rule_id in verdicts.failures and verdict != "error":
                failure = verdicts.failures[rule_id]
                result = TestResult(
                    item.nodeid, "failed", mask(_first_lines(str(failure))), self._evidence(failure)
                )
            elif verdicts is not None and rule_id in verdicts.skipped and verdict == "passed":
                result = TestResult(item.nodeid, "skipped", mask(verdicts.skipped[rule_id]))
            elif verdicts is not None and verdicts.notes and verdict == "passed":
                result = TestResult(item.nodeid, "passed", mask("; ".join(verdicts.notes)))
            elif verdict in ("failed", "error"):
                result = TestResult(item.nodeid, verdict, mask(message), self._evidence(exc))
            else:
                result = TestResult(item.nodeid, verdict, mask(message))
            self.book.add([rule_id], result)

    def _evidence(self, exc: BaseException | None) -> tuple[Exchange, ...]:
        """The exchanges a failure rests on: those it cites, else the test's last exchange (the
        request closest to it), else none."""
        cited = evidence_of(exc) if exc is not None else ()
        return cited or ((self.last_exchange,) if self.last_exchange is not None else ())

    def _failure_message(self, report: pytest.TestReport, exc: BaseException | None) -> str:
        if exc is None:
            return _first_lines(report.longreprtext)
        if isinstance(exc, TargetError):
            text = f"target error: {exc}"
        elif isinstance(exc, SetupRefused):
            text = f"setup refused: {exc}"
        elif isinstance(exc, PreconditionNotMet):
            text = f"precondition not met: {exc}"
        elif isinstance(exc, BaseExceptionGroup):
            text = "; ".join(str(inner).strip() for inner in exc.exceptions[:3])
        elif isinstance(exc, AssertionError):
            text = str(exc).strip() or "assertion failed"
        else:
            text = f"{type(exc).__name__}: {exc}"
        if report.when != "call":
            text = f"{report.when} error: {text}"
        notes = [n for n in getattr(exc, "__notes__", []) if "Falsifying" in n or "example" in n.lower()]
        if notes:
            text += "\n" + "\n".join(notes[:2])
        return _first_lines(text)
