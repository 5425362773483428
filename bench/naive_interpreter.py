"""A deliberately naive reference interpreter for rule packs.

It keeps the pack as the raw YAML data (plain dicts and lists) and, on every evaluation,
walks each rule's raw condition dict, dispatching on its keys with if/elif, with the same
Kleene three-valued semantics and the same resolution as docs/rule-pack.md describes. Nothing
is compiled, indexed or cached beyond a question-by-id lookup and the show_if order.

It exists for two reasons: the benchmarks time the compiled engine against it on the same
packs in the same run, and comparing the two on many random answer sets checks that both
implement the documented semantics (bench/bench_scaling.py asserts they agree).

It reads YAML with the engine's strict reader only so that scalars mean the same thing in
both (`no` stays a string); everything after parsing is independent of advisor.engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from timing import add_repo_root_to_path

add_repo_root_to_path()

from advisor.engine.yamlsafe import parse_yaml  # noqa: E402


class NaiveAnswersError(ValueError):
    pass


@dataclass
class NaivePack:
    questions: dict[str, dict]  # raw question dicts by id
    visibility: list[dict]  # raw questions with show_if, parents first
    decisions: list[dict]
    rules: list[dict]
    practices: list[dict]


@dataclass
class NaiveChoice:
    option: str
    status: str
    confidence: float


@dataclass
class NaiveResult:
    values: dict[str, object]
    fired: list[bool]
    choices: dict[str, NaiveChoice]
    practices: list[str]


def load(files: Mapping[str, str | bytes]) -> NaivePack:
    """Merge the raw sections of a pack given as {file name: YAML text}; no checking at all."""
    sections: dict[str, list] = {}
    for name in sorted(files):
        data = parse_yaml(name, files[name]).data
        if not isinstance(data, dict):
            continue
        for key, value in data.items():
            if isinstance(value, list):
                sections.setdefault(key, []).extend(value)
    questions = {q["id"]: q for q in sections.get("questions", [])}
    return NaivePack(
        questions=questions,
        visibility=_show_if_order(sections.get("questions", []), questions),
        decisions=sections.get("decisions", []),
        rules=sections.get("rules", []),
        practices=sections.get("practices", []),
    )


def _read_questions(cond: dict, into: list[str]) -> None:
    if "all" in cond:
        for child in cond["all"]:
            _read_questions(child, into)
    elif "any" in cond:
        for child in cond["any"]:
            _read_questions(child, into)
    elif "not" in cond:
        _read_questions(cond["not"], into)
    else:
        into.append(cond["q"])


def _show_if_order(questions: list[dict], by_id: dict[str, dict]) -> list[dict]:
    ordered: list[dict] = []
    done: set[str] = set()

    def visit(q: dict) -> None:
        if q["id"] in done or "show_if" not in q:
            return
        done.add(q["id"])
        parents: list[str] = []
        _read_questions(q["show_if"], parents)
        for parent in sorted(set(parents)):
            if parent in by_id:
                visit(by_id[parent])
        ordered.append(q)

    for q in questions:
        visit(q)
    return ordered


def evaluate_condition(cond: dict, values: Mapping[str, object]) -> bool | None:
    """True, False or None (unknown), walking the raw dict."""
    if "all" in cond:
        result: bool | None = True
        for child in cond["all"]:
            r = evaluate_condition(child, values)
            if r is False:
                return False
            if r is None:
                result = None
        return result
    elif "any" in cond:
        result = False
        for child in cond["any"]:
            r = evaluate_condition(child, values)
            if r is True:
                return True
            if r is None:
                result = None
        return result
    elif "not" in cond:
        r = evaluate_condition(cond["not"], values)
        if r is None:
            return None
        return not r
    q = cond["q"]
    if "answered" in cond:
        return (q in values) == cond["answered"]
    if q not in values:
        return None
    v = values[q]
    if "is" in cond:
        return v == cond["is"]
    elif "in" in cond:
        return v in cond["in"]
    elif "includes" in cond:
        return cond["includes"] in v  # type: ignore[operator]
    elif "includes_any" in cond:
        # explicit loops, not any()/all() over generators: naive, but not needlessly slow
        for option in cond["includes_any"]:  # noqa: SIM110
            if option in v:  # type: ignore[operator]
                return True
        return False
    elif "includes_all" in cond:
        for option in cond["includes_all"]:  # noqa: SIM110
            if option not in v:  # type: ignore[operator]
                return False
        return True
    elif "count_gte" in cond:
        count = len(set(cond["of"]) & v) if "of" in cond else len(v)  # type: ignore[operator,arg-type]
        return count >= cond["count_gte"]
    elif "gte" in cond:
        return v >= cond["gte"]  # type: ignore[operator]
    elif "lte" in cond:
        return v <= cond["lte"]  # type: ignore[operator]
    elif "between" in cond:
        return cond["between"][0] <= v <= cond["between"][1]  # type: ignore[operator]
    raise ValueError(f"unknown condition {cond!r}")


def _option_ids(question: dict) -> list[str]:
    return [o["id"] for o in question.get("options", [])]


def normalize(pack: NaivePack, answers: Mapping[str, object]) -> dict[str, object]:
    """Check and normalize answers (multi as frozensets), then drop hidden ones."""
    values: dict[str, object] = {}
    for qid, value in answers.items():
        q = pack.questions.get(qid)
        if q is None:
            raise NaiveAnswersError(f"unknown question {qid}")
        if value is None:
            continue
        kind = q["type"]
        if kind == "single":
            if value not in _option_ids(q):
                raise NaiveAnswersError(f"{qid}: bad option {value!r}")
            values[qid] = value
        elif kind == "multi":
            options = _option_ids(q)
            for v in value:  # type: ignore[attr-defined]
                if v not in options:
                    raise NaiveAnswersError(f"{qid}: bad option {v!r}")
            chosen = frozenset(value)  # type: ignore[arg-type]
            for o in q["options"]:
                if o.get("exclusive") and o["id"] in chosen and len(chosen) > 1:
                    raise NaiveAnswersError(f"{qid}: {o['id']} is exclusive")
            values[qid] = chosen
        elif kind == "boolean":
            if not isinstance(value, bool):
                raise NaiveAnswersError(f"{qid}: not a boolean")
            values[qid] = value
        elif kind == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                raise NaiveAnswersError(f"{qid}: not an integer")
            if ("min" in q and value < q["min"]) or ("max" in q and value > q["max"]):
                raise NaiveAnswersError(f"{qid}: out of range")
            values[qid] = value
        else:
            if not isinstance(value, str):
                raise NaiveAnswersError(f"{qid}: not text")
            if value.strip():
                values[qid] = value.strip()
    for q in pack.visibility:
        if evaluate_condition(q["show_if"], values) is not True:
            values.pop(q["id"], None)
    return values


def _resolve(decision: dict, tally: dict | None) -> NaiveChoice:
    if tally is None:
        return NaiveChoice(decision["default"], "default", 0.0)
    options = _option_ids(decision)
    scores, excluded, required = tally["scores"], tally["excluded"], tally["required"]
    live = [o for o in options if o in required and o not in excluded]
    if live:
        status = "required" if len(required) == 1 and len(live) == 1 else "conflict"
        return NaiveChoice(live[0], status, 1.0 if status == "required" else 0.0)
    if required:
        return NaiveChoice(decision["default"], "conflict", 0.0)
    candidates = [o for o in options if o not in excluded]
    if not candidates:
        return NaiveChoice(decision["default"], "conflict", 0.0)
    best = candidates[0]
    for o in candidates[1:]:
        if scores.get(o, 0) > scores.get(best, 0):
            best = o
    others = [scores.get(o, 0) for o in candidates if o != best]
    if not others:
        return NaiveChoice(best, "decided", 1.0)
    margin = scores.get(best, 0) - max(others)
    return NaiveChoice(best, "decided", round(margin / (margin + 2), 2))


def evaluate(pack: NaivePack, answers: Mapping[str, object]) -> NaiveResult:
    values = normalize(pack, answers)
    fired = [evaluate_condition(rule["when"], values) is True for rule in pack.rules]
    tallies: dict[str, dict] = {}
    attached: set[str] = set()
    for rule, did_fire in zip(pack.rules, fired, strict=True):
        if not did_fire:
            continue
        for effect in rule["effects"]:
            if "practice" in effect:
                attached.add(effect["practice"])
                continue
            tally = tallies.setdefault(
                effect["decision"], {"scores": {}, "excluded": set(), "required": []}
            )
            option = effect["option"]
            if "score" in effect:
                tally["scores"][option] = tally["scores"].get(option, 0) + effect["score"]
            elif "exclude" in effect:
                tally["excluded"].add(option)
            elif option not in tally["required"]:
                tally["required"].append(option)
    choices = {d["id"]: _resolve(d, tallies.get(d["id"])) for d in pack.decisions}
    practices = [p["id"] for p in pack.practices if p["id"] in attached]
    return NaiveResult(values, fired, choices, practices)
