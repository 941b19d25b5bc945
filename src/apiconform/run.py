"""One provider's run: target -> preflight -> pytest session over suites/<provider> -> rule outcomes.

Guarantees of `run_provider`: it never raises for anything the target does. The preflight's
verdicts are honest: a target from which nothing usable answers (refused, timed out, TLS failure,
not HTTP, no API at the base URL) gives exit 3; a well-formed refusal of the configured
credentials, or another answer in the document's own terms that a config key does not fit the
target (a UsageError from the preflight), exit 2 (config the user can fix); a target that
answers but breaks the contract in what it answers exit 1, with the rules covering what it got
wrong `failed` with the evidence. In each case the other selected rules are `error` with the
reason. pytest's own output goes to `<report_dir>/<provider>/pytest.log`, masked.
"""

from __future__ import annotations

import contextlib
import io
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from apiconform.config import ProviderConfig
from apiconform.conformance import (
    EXIT_CONFORMANT,
    EXIT_NOT_CONFORMANT,
    EXIT_UNREACHABLE,
    EXIT_USAGE,
    conformant,
)
from apiconform.errors import ContractViolation, CredentialsRejected, TargetError, UsageError
from apiconform.gate.selection import Selection, select_rules
from apiconform.masking import Masker
from apiconform.profile import Profile
from apiconform.recording import Exchange
from apiconform.reference.serving import Variant
from apiconform.report.progress import Progress
from apiconform.resources import suites_dir
from apiconform.rules import Rule, RuleResult, load_catalogue
from apiconform.session import RunSession
from apiconform.target import Target, open_target


@dataclass
class ProviderResult:
    name: str
    base_url: str
    rules: list[RuleResult]
    requests: int = 0
    throttled: int = 0
    #: 429s on paced requests (see Usage.unintended_throttled); 0 in a polite run
    unintended_throttled: int = 0
    seconds: float = 0.0
    error: str | None = None
    exit_code: int = EXIT_CONFORMANT
    #: the run was interrupted (Ctrl-C, SIGTERM) while this provider ran: its results are partial
    interrupted: bool = False
    #: masked request/response pairs, for reports
    exchanges: list[object] = field(default_factory=list)

    def conformant(self, strict: bool = False) -> bool:
        """Whether the provider is conformant (apiconform.conformance), before any waiver."""
        return conformant(((r.rule.level, r.outcome) for r in self.rules), error=self.error, strict=strict)


def _run_pytest(session: RunSession, provider: str, log_path: Path, allure_dir: Path | None) -> str | None:
    """Run the provider's suite; return why it could not run, or None."""
    suites = suites_dir()
    args = [
        str(suites_dir(provider)),
        "-c",
        str(suites / "pytest.ini"),
        "--rootdir",
        str(suites),
        "--confcutdir",
        str(suites),
        "-p",
        "no:cacheprovider",
        "--import-mode=importlib",
        "-q",
        "--no-header",
        "-rfE",
        "--capture=sys",
    ]
    if allure_dir is not None:
        args.append(f"--alluredir={allure_dir}")
    buffer = io.StringIO()
    code: int | pytest.ExitCode = pytest.ExitCode.OK
    # the suite's pytest session is ours: options meant for the caller's pytest stay out of it
    outside = ("PYTEST_ADDOPTS", "PYTEST_PLUGINS")
    saved = {name: os.environ.pop(name) for name in outside if name in os.environ}
    try:
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
            code = pytest.main(args, plugins=[session])
    finally:
        os.environ.update(saved)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = session.target.masker.mask(buffer.getvalue())
    log_path.write_text(log, encoding="utf-8")
    if code == pytest.ExitCode.INTERRUPTED:
        session.interrupted = True
        return "the run was interrupted before this rule finished"
    if code in (pytest.ExitCode.INTERNAL_ERROR, pytest.ExitCode.USAGE_ERROR):
        errors = [line for line in log.splitlines() if line.startswith(("ERROR", "E   "))]
        reason = errors[-1] if errors else f"pytest exit code {int(code)}"
        return f"the suite could not run ({reason}); see {log_path}"
    return None


def run_target(
    target: Target,
    rules: list[Rule],
    *,
    report_dir: Path,
    run_profile: str = "gate",
    allure: bool = True,
    progress: Progress | None = None,
) -> ProviderResult:
    """Preflight `target`, then run the suite for `rules` (see module docstring). `progress`,
    when given, is told of every exchange and every finished test."""
    profile = target.profile
    if progress is not None:
        target.client.listeners.append(progress.on_exchange)
    started = time.monotonic()
    result = ProviderResult(name=profile.name, base_url=target.base_url, rules=[])
    failed_at_preflight: dict[str, str] = {}
    preflight_evidence: tuple[Exchange, ...] = ()
    try:
        profile.preflight(target)
    except TargetError as exc:
        result.error = f"target unreachable: {exc}"
        result.exit_code = EXIT_UNREACHABLE
    except CredentialsRejected as exc:
        result.error = f"credentials rejected: {exc}"
        result.exit_code = EXIT_USAGE
        if profile.preflight_rule is not None:
            # the smoke request is this rule's own check: refused credentials are its evidence
            # (either the credentials are wrong or the target refuses the documented scheme)
            failed_at_preflight[profile.preflight_rule] = (
                f"{result.error} (the preflight request uses the documented scheme)"
            )
    except UsageError as exc:  # config that does not fit the target, in the target's own terms
        result.error = f"configuration does not fit the target: {exc}"
        result.exit_code = EXIT_USAGE
    except ContractViolation as exc:
        first_line = exc.message.strip().splitlines()[0]
        result.error = f"not conformant at preflight: {first_line}"
        result.exit_code = EXIT_NOT_CONFORMANT
        failed_at_preflight = dict.fromkeys(exc.rules, exc.message)
        preflight_evidence = exc.exchanges
    if result.error is not None:
        reason = result.error
        result.rules = [
            RuleResult(
                rule=rule, outcome="failed", message=failed_at_preflight[rule.id], evidence=preflight_evidence
            )
            if rule.id in failed_at_preflight
            else RuleResult(rule=rule, outcome="error", message=reason)
            for rule in rules
        ]

    else:
        catalogue = load_catalogue(profile.name)
        session = RunSession(target, catalogue, [r.id for r in rules], run_profile)
        if progress is not None:
            session.on_test = progress.on_test
        broken = _run_pytest(
            session,
            profile.name,
            report_dir / profile.name / "pytest.log",
            report_dir / "allure-results" if allure else None,
        )
        result.interrupted = session.interrupted
        usage = target.client.usage
        for rule in rules:
            outcome, message, tests = session.book.outcome(rule)
            if broken and outcome == "error" and not tests:
                message = broken
            result.rules.append(
                RuleResult(
                    rule=rule,
                    outcome=outcome,
                    message=message,
                    tests=tests,
                    requests=usage.per_rule.get(rule.id, 0),
                    throttled=usage.throttled_per_rule.get(rule.id, 0),
                    evidence=session.book.evidence(rule),
                )
            )
    result.requests = target.client.usage.requests
    result.throttled = target.client.usage.throttled
    result.unintended_throttled = target.client.usage.unintended_throttled
    result.exchanges = list(target.client.exchanges)
    result.seconds = round(time.monotonic() - started, 3)
    if result.error is None:
        result.exit_code = EXIT_CONFORMANT if result.conformant() else EXIT_NOT_CONFORMANT
    return result


def run_provider(
    profile: Profile,
    config: ProviderConfig,
    *,
    report_dir: Path,
    patterns: Selection | Iterable[str] | None = None,
    run_profile: str = "gate",
    faults: Iterable[str] = (),
    variant: Variant = "clean",
    masker: Masker | None = None,
    allure: bool = True,
    progress: Progress | None = None,
) -> ProviderResult:
    """Open the target of `config`, run the rules `patterns` selects (apiconform.gate.selection:
    a Selection, or globs: the rules whose id matches any of them; None: every rule), close it."""
    rules = select_rules(load_catalogue(profile.name), patterns)
    with open_target(profile, config, faults=faults, variant=variant, masker=masker) as target:
        try:
            return run_target(
                target,
                rules,
                report_dir=report_dir,
                run_profile=run_profile,
                allure=allure,
                progress=progress,
            )
        finally:
            if progress is not None:
                progress.close()


__all__ = [
    "EXIT_CONFORMANT",
    "EXIT_NOT_CONFORMANT",
    "EXIT_UNREACHABLE",
    "EXIT_USAGE",
    "ProviderResult",
    "run_provider",
    "run_target",
]
