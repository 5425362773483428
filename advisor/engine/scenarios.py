"""Scenarios are a pack's tests: answers in, expected decisions and practices out."""

from __future__ import annotations

from dataclasses import dataclass

from .answers import AnswersError
from .evaluate import Recommendation, evaluate
from .model import Scenario
from .pack import Pack


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    failures: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class ScenarioReport:
    results: tuple[ScenarioResult, ...]
    uncovered_rules: tuple[str, ...]
    rule_count: int

    @property
    def failed(self) -> list[ScenarioResult]:
        return [r for r in self.results if not r.passed]

    @property
    def passed(self) -> bool:
        return not self.failed

    @property
    def covered(self) -> int:
        return self.rule_count - len(self.uncovered_rules)

    @property
    def coverage_percent(self) -> int:
        """Rounded down, so 100 % means every rule really fired."""
        return 100 if not self.rule_count else self.covered * 100 // self.rule_count

    def summary(self) -> str:
        return (
            f"{len(self.results)} scenarios, {len(self.failed)} failed; "
            f"rule coverage {self.covered}/{self.rule_count} ({self.coverage_percent}%)"
        )


def _check(pack: Pack, scenario: Scenario) -> tuple[ScenarioResult, set[int]]:
    try:
        rec = evaluate(pack, scenario.answers)
    except AnswersError as exc:
        wrong = tuple(f"answers.{f}: {m}" for f, ms in exc.errors.items() for m in ms)
        return ScenarioResult(scenario, wrong), set()
    failures: list[str] = []
    for decision_id, expected in scenario.decisions:
        got = rec.option(decision_id)
        if got != expected:
            rules = [
                r.id for r in rec.fired_rules if any(e.decision == decision_id for e in r.effects)
            ]
            why = f" (fired: {', '.join(rules)})" if rules else " (no rule fired; default)"
            failures.append(f"{decision_id}: expected {expected}, got {got}{why}")
    practices = set(rec.practice_ids)
    failures += [f"practice {p}: expected, missing" for p in scenario.include if p not in practices]
    failures += [
        f"practice {p}: must not be included, but is" for p in scenario.exclude if p in practices
    ]
    failures += _confidence_failures(rec, scenario) + _product_failures(rec, scenario)
    raised = set(rec.plausibility_ids)
    failures += [
        f"plausibility {w}: expected, not raised" for w in scenario.warn if w not in raised
    ]
    failures += [f"plausibility {w}: raised, must not be" for w in scenario.no_warn if w in raised]
    fired = {i for i, f in enumerate(rec.fired) if f}
    return ScenarioResult(scenario, tuple(failures)), fired


def _confidence_failures(rec: Recommendation, scenario: Scenario) -> list[str]:
    failures = []
    for decision_id, expected in scenario.confidence:
        got = rec.confidence_label(decision_id)
        ok = got != "high" if expected == "not high" else got == expected
        if not ok:
            failures.append(f"{decision_id}: expected confidence {expected}, got {got}")
    return failures


def _product_failures(rec: Recommendation, scenario: Scenario) -> list[str]:
    failures = []
    for decision_id, expected in scenario.products:
        option = rec.pack.compiled.decisions[decision_id].option(rec.option(decision_id))
        got = option.products_for(rec.product_answer, default=rec.pack.products_default)
        if got != expected:
            failures.append(f"{decision_id}: expected products {list(expected)}, got {list(got)}")
    return failures


def run_scenarios(pack: Pack) -> ScenarioReport:
    """Run every scenario; report pass/fail with a readable diff and which rules none fires."""
    results = []
    fired: set[int] = set()
    for scenario in pack.scenarios:
        result, hit = _check(pack, scenario)
        results.append(result)
        fired |= hit
    uncovered = tuple(r.id for i, r in enumerate(pack.rules) if i not in fired)
    return ScenarioReport(tuple(results), uncovered, len(pack.rules))
