"""Two results side by side: which decisions differ and which rules made the difference.

Works on the stored result JSON (what the founder saw), so a comparison of two permalinks shows
exactly those two results even when they were made with different pack versions. The pack is
only used to word the answers (question texts and option labels).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from advisor.engine import Pack
from advisor.engine.model import Question
from advisor.engine.wording import short_label

Result = Mapping[str, Any]


def answer_words(question: Question | None, value: object) -> str:
    """An answer as a founder gave it: option labels, yes/no, numbers with separators."""
    if value is None:
        return "not answered"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    labels = {o.id: short_label(o.label) for o in question.options} if question else {}
    if isinstance(value, list | tuple):
        return ", ".join(labels.get(str(v), str(v)) for v in value) or "none"
    return labels.get(str(value), str(value))


def _fired_on(decision: Mapping[str, Any]) -> dict[tuple, dict[str, Any]]:
    """Every fired rule that touched this decision, keyed by (rule, option, effect, weight)."""
    found: dict[tuple, dict[str, Any]] = {}
    chosen = (decision["option"], decision["option_title"])
    refs = [(chosen, r) for r in [*decision.get("rationale", []), *decision.get("caveats", [])]]
    for alt in decision.get("alternatives", []):
        option = (alt["option"], alt["title"])
        refs += [(option, r) for r in [*alt.get("for", []), *alt.get("against", [])]]
    for (option, title), ref in refs:
        key = (ref["rule"], option, ref["effect"], ref["weight"])
        found[key] = {
            "rule": ref["rule"],
            "title": ref["title"],
            "option": option,
            "effect": ref["effect"],
            "weight": ref["weight"],
            "words": _effect_words(ref["effect"], ref["weight"], title),
        }
    return found


def _effect_words(effect: str, weight: int, option_title: str) -> str:
    if effect == "exclude":
        return f"rules out ‘{option_title}’"
    if effect == "require":
        return f"requires ‘{option_title}’"
    if weight < 0:
        return f"counts against ‘{option_title}’ (−{abs(weight)})"
    return f"favours ‘{option_title}’ (+{weight})"


def _rule_difference(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None) -> list[dict]:
    fired_a = _fired_on(a) if a else {}
    fired_b = _fired_on(b) if b else {}
    only_a = [{**ref, "side": "a"} for key, ref in fired_a.items() if key not in fired_b]
    only_b = [{**ref, "side": "b"} for key, ref in fired_b.items() if key not in fired_a]
    return only_b + only_a


def _side(decision: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {
        "option": decision["option"],
        "title": decision["option_title"],
        "confidence_label": decision["confidence_label"],
        "status": decision["status"],
    }


def _decisions(a: Result, b: Result) -> list[dict[str, Any]]:
    by_a = {d["id"]: d for d in a["decisions"]}
    by_b = {d["id"]: d for d in b["decisions"]}
    order = list(by_b) + [d for d in by_a if d not in by_b]
    rows = []
    for decision_id in order:
        da, db = by_a.get(decision_id), by_b.get(decision_id)
        differs = da is None or db is None or da["option"] != db["option"]
        rows.append(
            {
                "id": decision_id,
                "title": (db or da or {})["title"],
                "differs": differs,
                "a": _side(da),
                "b": _side(db),
                "rules": _rule_difference(da, db) if differs else [],
            }
        )
    return [r for r in rows if r["differs"]] + [r for r in rows if not r["differs"]]


def _answers(a: Result, b: Result, pack: Pack) -> list[dict[str, Any]]:
    answers_a, answers_b = a["answers"], b["answers"]
    asked = [q.id for q in pack.questions]
    extra = sorted((set(answers_a) | set(answers_b)) - set(asked))
    questions = pack.compiled.questions
    rows = []
    for qid in asked + extra:
        va, vb = answers_a.get(qid), answers_b.get(qid)
        if va == vb:
            continue
        question = questions.get(qid)
        rows.append(
            {
                "question": qid,
                "text": question.text if question else qid,
                "a": va,
                "b": vb,
                "a_words": answer_words(question, va),
                "b_words": answer_words(question, vb),
            }
        )
    return rows


def _practices(a: Result, b: Result) -> dict[str, list[dict[str, str]]]:
    def only(mine: Result, theirs: Result) -> list[dict[str, str]]:
        other = {p["id"] for p in theirs["practices"]}
        return [
            {"id": p["id"], "title": p["title"]} for p in mine["practices"] if p["id"] not in other
        ]

    return {"only_a": only(a, b), "only_b": only(b, a)}


def compare_results(*, a: Result, b: Result, pack: Pack) -> dict[str, Any]:
    """Decisions that differ first (with the rules that fired on one side only), then the
    same ones; the answers that differ; the practices only one side has."""
    decisions = _decisions(a, b)
    answers = _answers(a, b, pack)
    practices = _practices(a, b)
    differing = sum(1 for d in decisions if d["differs"])
    return {
        "identical": not differing and not answers and not any(practices.values()),
        "differing_decisions": differing,
        "decisions": decisions,
        "answers": answers,
        "practices": practices,
    }
