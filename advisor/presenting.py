"""A stored result in people's words: labels instead of ids, sources as links, areas.

Pure Python over a Pack and a result dict (no Django), so the pages, the records and any
other face word a recommendation the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass

from advisor.engine import Pack
from advisor.engine.conditions import questions_of
from advisor.engine.model import Question
from advisor.engine.result import Summary

NOT_ANSWERED = "not answered"
SELF_HOSTED_MARK = "(self-hosted)"  # how a pack marks a self-hosted product in a mixed list
SELF_HOSTED_ANSWER = "self_hosted"  # the products question's answer for running it yourself
SOURCES_PAGE = "/sources/"  # the public sources page: one id="<key>" anchor per source


@dataclass(frozen=True)
class SourceLink:
    key: str
    title: str
    href: str
    external: bool


def answer_words(question: Question, answer: object) -> str:
    """An answer as the questionnaire showed it: option labels, yes/no, 5,000."""
    if answer is None:
        return NOT_ANSWERED
    labels = {o.id: o.label for o in question.options}
    if question.type == "boolean":
        return "yes" if answer else "no"
    if question.type == "integer" and isinstance(answer, int):
        return f"{answer:,}"
    if question.type == "multi" and isinstance(answer, list | tuple | frozenset):
        chosen = [labels.get(str(a), str(a)) for a in answer]
        return ", ".join(chosen) if chosen else "none of these"
    return labels.get(str(answer), str(answer))


def source_link(pack: Pack, key: str) -> SourceLink:
    """A rule's or practice's source: external URLs as they are, the guide's sections on the
    public sources page, which summarises each one."""
    source = next((s for s in pack.sources if s.key == key), None)
    if source is None:
        return SourceLink(key, key, f"{SOURCES_PAGE}#{key}", external=False)
    external = source.url.startswith(("https://", "http://"))
    href = source.url if external else f"{SOURCES_PAGE}#{key}"
    return SourceLink(key, source.title, href, external)


def what_if_words(pack: Pack, decision_id: str, flip: Mapping[str, object]) -> dict[str, str]:
    """One what-if line: the question, the answer that would flip it and the option it gives."""
    question = pack.compiled.questions[str(flip["question"])]
    decision = pack.compiled.decisions[decision_id]
    option = decision.option(str(flip["option"]))
    return {
        "question": question.text,
        "answer": answer_words(question, flip["answer"]),
        "option": option.title,
        "step": question.step,
    }


def rule_answers(pack: Pack, rule_id: str, answers: Mapping[str, object]) -> list[dict[str, str]]:
    """The founder's answers a rule read, as (question, answer) words: "because you said"."""
    rule = next((r for r in pack.rules if r.id == rule_id), None)
    if rule is None:
        return []
    read = questions_of(rule.when)
    return [
        {"question": q.text, "answer": answer_words(q, answers.get(q.id))}
        for q in pack.questions
        if q.id in read and q.id in answers
    ]


def product_columns(
    pack: Pack, decision_id: str, option_id: str, answers: Mapping[str, object]
) -> list[dict[str, object]]:
    """Products for the answer to the pack's products question (the cloud); for its default
    answer (undecided), managed and self-hosted side by side."""
    option = pack.compiled.decisions[decision_id].option(option_id)
    default = pack.products_default
    qid = pack.products_question
    answer = answers.get(qid) if qid else None
    if isinstance(answer, str) and answer != default:
        products = option.products_for(answer, default=default)
        return [{"title": "", "products": list(products)}] if products else []
    table = dict(option.products)
    listed = table.get(default or "", ())
    managed = [p for p in listed if not p.endswith(SELF_HOSTED_MARK)]
    own = list(table.get(SELF_HOSTED_ANSWER, ())) or [
        p.removesuffix(SELF_HOSTED_MARK).strip() for p in listed if p not in managed
    ]
    columns = [("Managed", managed), ("Self-hosted", own)]
    return [{"title": t, "products": ps} for t, ps in columns if ps]


def practice_areas(
    pack: Pack, practices: Sequence[Mapping[str, object]]
) -> list[dict[str, object]]:
    """Practices grouped by the questionnaire step whose answers called for them."""
    step_order = {s.id: i for i, s in enumerate(pack.steps)}
    step_titles = {s.id: s.title for s in pack.steps}
    rules = {r.id: r for r in pack.rules}
    groups: dict[str, list[Mapping[str, object]]] = {}
    for practice in practices:
        first_rule = rules.get(str((practice.get("rules") or [""])[0]))  # type: ignore[index]
        read = questions_of(first_rule.when) if first_rule else set()
        steps = [pack.compiled.questions[q].step for q in read if q in pack.compiled.questions]
        area = max(steps, key=lambda s: step_order.get(s, 0)) if steps else ""
        groups.setdefault(area, []).append(practice)
    ordered = sorted(groups, key=lambda s: step_order.get(s, len(step_order)))
    return [
        {"id": area or "general", "title": step_titles.get(area, "General"), "items": groups[area]}
        for area in ordered
    ]


def confidence_words(label: str) -> dict[str, str]:
    """A confidence label as a CSS class and in words: "needs answers" is not a degree of
    confidence but a state (a question it rests on is open), so it is not "… confidence"."""
    if label == "needs answers":
        return {"confidence_class": "needs-answers", "confidence_words": "Needs answers"}
    return {"confidence_class": label, "confidence_words": f"{label.capitalize()} confidence"}


def _waiting(pack: Pack, unanswered: Set[str]) -> dict[str, list[dict[str, str]]]:
    """Per decision, the unanswered questions that could still change it, in question order."""
    steps = {s.id: s.title for s in pack.steps}
    waiting: dict[str, list[dict[str, str]]] = {}
    for question in pack.questions:
        if question.id not in unanswered:
            continue
        item = {"id": question.id, "text": question.text, "step": question.step}
        item["step_title"] = steps.get(question.step, question.step)
        for decision_id in pack.compiled.question_decisions.get(question.id, ()):
            waiting.setdefault(decision_id, []).append(item)
    return waiting


def preview_decisions(
    pack: Pack, summary: Summary, unanswered: Set[str]
) -> list[dict[str, object]]:
    """The short form of each decision the live preview shows while answers come in, from the
    compact view of the result (`Recommendation.summary()`, what `?view=summary` serves)."""
    waiting = _waiting(pack, unanswered)
    decisions = pack.compiled.decisions
    return [
        {
            "id": d["id"],
            "title": decisions[d["id"]].title,
            "option_title": d["option_title"],
            "status": d["status"],
            "confidence_label": d["confidence_label"],
            **confidence_words(d["confidence_label"]),
            "confidence_tenths": round(d["confidence"] * 10),
            "waiting": waiting.get(d["id"], [])[:2],
        }
        for d in summary["decisions"]
    ]


def _reasons(pack: Pack, refs: Sequence[Mapping[str, object]], answers: Mapping[str, object]):
    return [
        {
            "title": ref["title"],
            "why": ref["why"],
            "source": source_link(pack, str(ref["source"])),
            "answers": rule_answers(pack, str(ref["rule"]), answers),
        }
        for ref in refs
    ]


def _why_lost(alternative: Mapping[str, object], chosen_score: object) -> str:
    against = [str(r["title"]) for r in alternative["against"]]  # type: ignore[attr-defined]
    if alternative["excluded"]:
        return "Ruled out: " + "; ".join(against) if against else "Ruled out by these answers."
    if against:
        return "Counted against it: " + "; ".join(against)
    return f"Fewer points from your answers ({alternative['score']} against {chosen_score})."


def _decision_words(
    pack: Pack, decision: Mapping[str, object], answers: Mapping[str, object]
) -> dict[str, object]:
    decision_id, option_id = str(decision["id"]), str(decision["option"])
    flips = decision.get("what_if") or []
    return {
        **decision,
        **confidence_words(str(decision["confidence_label"])),
        "confidence_percent": round(float(decision["confidence"]) * 100),  # type: ignore[arg-type]
        "confidence_tenths": round(float(decision["confidence"]) * 10),  # type: ignore[arg-type]
        "why": _reasons(pack, decision["rationale"], answers),  # type: ignore[arg-type]
        "held_back": _reasons(pack, decision["caveats"], answers),  # type: ignore[arg-type]
        "alternatives": [
            {**alt, "lost": _why_lost(alt, decision["score"])}
            for alt in decision["alternatives"]  # type: ignore[attr-defined]
        ],
        "what_if_words": [what_if_words(pack, decision_id, f) for f in flips],  # type: ignore[attr-defined]
        "product_columns": product_columns(pack, decision_id, option_id, answers),
    }


def headline(pack: Pack, answers: Mapping[str, object]) -> dict[str, str]:
    """What the page's title and header say: from the answers alone."""
    qid = pack.products_question
    question = pack.compiled.questions.get(qid) if qid else None
    answer = answers.get(qid) if qid else None
    return {
        "project_name": str(answers.get("project_name") or ""),
        "pack_name": pack.name,
        "products_for": answer_words(question, answer) if question and answer else "",
        "products_label": question.text if question else "",
    }


def summary(result: Mapping[str, object]) -> str:
    """Every decision and its choice in one line, for link previews."""
    decisions: list[Mapping[str, object]] = result["decisions"]  # type: ignore[assignment]
    return "; ".join(f"{d['title']}: {d['option_title']}" for d in decisions)


def result_words(pack: Pack, result: Mapping[str, object]) -> dict[str, object]:
    """Everything the result page shows, worded from the result and the pack that made it."""
    answers: Mapping[str, object] = result["answers"]  # type: ignore[assignment]
    practices = [
        {**p, "source_link": source_link(pack, str(p["source"]))}
        for p in result["practices"]  # type: ignore[attr-defined]
    ]
    decisions = [_decision_words(pack, d, answers) for d in result["decisions"]]  # type: ignore[attr-defined]
    cited = {str(r["source"]) for d in result["decisions"] for r in d["rationale"] + d["caveats"]}  # type: ignore[attr-defined]
    cited |= {str(p["source"]) for p in practices}
    titles = {d.id: d.title for d in pack.decisions}
    unknown = [
        {**u, "decision_titles": [titles.get(d, d) for d in u["decisions"]]}
        for u in result["unknown"]  # type: ignore[attr-defined]
    ]
    return {
        "decisions": decisions,
        "practice_areas": practice_areas(pack, practices),
        "practice_count": len(practices),
        "sources": [source_link(pack, s.key) for s in pack.sources if s.key in cited],
        "unknown": unknown,
        # answers that rarely go together; results stored before these checks have none
        "plausibility": result.get("plausibility", []),
    }
