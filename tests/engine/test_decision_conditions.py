"""Conditions on decisions, practices per option, confidence with meaning and plausibility
warnings, on a small pack written here so each behaviour is visible in a few lines."""

from __future__ import annotations

import pytest

from advisor.engine import PackError, evaluate, load_pack
from advisor.engine.pack import Pack
from advisor.engine.resolve import evaluate_rules
from advisor.engine.whatif import open_from_flips, open_questions

PACK = """\
pack:
  id: deps
  name: Decision conditions
  version: "1"
  description: Two decisions, one reading the other.
  sources:
    - {key: test, title: The tests}
steps:
  - {id: s, title: Step}
questions:
  - {id: jobs, type: boolean, text: Background jobs?, help: Emails., step: s}
  - {id: replay, type: boolean, text: Replay past events?, help: New consumers., step: s}
  - {id: teams, type: integer, text: How many teams?, help: Count., step: s, min: 1, max: 99}
  - id: style
    type: single
    text: How is it built?
    help: One or many.
    step: s
    options:
      - {id: monolith, label: One deployable}
      - {id: services, label: Many services}
decisions:
  - id: messaging
    title: Messaging backbone
    question: Which broker?
    default: none
    options:
      - {id: none, title: No messaging, description: Nothing.}
      - id: queue
        title: A message queue
        description: Jobs.
        practices: [retries]
      - id: stream
        title: A log-based event stream
        description: A log.
        practices: [retention]
  - id: events
    title: Event model
    question: Events?
    default: none
    options:
      - {id: none, title: No events, description: Nothing.}
      - {id: notify, title: Event notifications, description: Facts.}
practices:
  - {id: retries, title: Retry with backoff, why: Failures happen., source: test}
  - id: retention
    title: Choose retention
    why: Replay needs history.
    source: test
    only_when: {decision: messaging, is: stream}
  - id: partition
    title: Partition by key
    why: Order per key.
    source: test
    only_when: {decision: messaging, in: [stream]}
rules:
  - id: queue-for-jobs
    title: Jobs go to a queue
    when: {q: jobs, is: true}
    effects: [{decision: messaging, option: queue, score: 3}, {practice: partition}]
    why: Jobs.
    source: test
  - id: stream-for-replay
    title: Replay needs a stream
    when: {q: replay, is: true}
    effects:
      - {decision: messaging, option: stream, score: 3}
      - {decision: messaging, option: none, exclude: true}
      - {decision: messaging, option: queue, exclude: true}
    why: Replay.
    source: test
  - id: events-ride-the-stream
    title: A stream carries events
    when: {decision: messaging, is: stream}
    effects: [{decision: events, option: notify, score: 2}]
    why: Events on the log.
    source: test
  - id: no-broker-for-one-deployable
    title: One deployable without answers needs nothing
    when:
      any:
        - {q: style, answered: false}
        - {q: style, is: monolith}
    effects: [{decision: events, option: none, require: true}]
    why: Nothing to decouple.
    source: test
plausibility:
  - id: many-teams-one-deployable
    when:
      all:
        - {q: teams, gte: 10}
        - {q: style, is: monolith}
    message: Ten or more teams on one deployable is rare.
"""

ALL_ANSWERED = {"jobs": False, "replay": False, "teams": 1, "style": "services"}


def build(text: str = PACK) -> Pack:
    return load_pack({"pack.yaml": text})


@pytest.fixture(scope="module")
def pack() -> Pack:
    return build()


def decision(pack: Pack, answers: dict, decision_id: str, *, what: bool = False) -> dict:
    data = evaluate(pack, answers, what_if=what).to_dict()
    return next(d for d in data["decisions"] if d["id"] == decision_id)  # type: ignore[return-value]


# --- conditions on decisions ---------------------------------------------------------------


def test_a_rule_reads_the_option_another_decision_chose(pack: Pack) -> None:
    rec = evaluate(pack, {**ALL_ANSWERED, "replay": True})
    assert (rec.option("messaging"), rec.option("events")) == ("stream", "notify")
    assert evaluate(pack, ALL_ANSWERED).option("events") == "none"


def test_the_explanation_says_the_decision_condition_in_words(pack: Pack) -> None:
    events = decision(pack, {**ALL_ANSWERED, "replay": True}, "events")
    [because] = events["rationale"]
    assert because["conditions"] == ["the messaging backbone is a log-based event stream"]


def test_decisions_resolve_in_dependency_order_whatever_the_file_order() -> None:
    start = PACK.index("  - id: events\n")
    end = PACK.index("practices:\n")
    events_block = PACK[start:end]
    swapped = PACK[:start] + PACK[end:]
    swapped = swapped.replace("decisions:\n", "decisions:\n" + events_block, 1)
    moved = build(swapped)
    assert [d.id for d in moved.decisions] == ["events", "messaging"]
    assert moved.compiled.decision_order == ("messaging", "events")
    assert evaluate(moved, {**ALL_ANSWERED, "replay": True}).option("events") == "notify"


def test_what_if_follows_a_change_through_a_dependent_decision(pack: Pack) -> None:
    flips = evaluate(pack, ALL_ANSWERED, what_if=True).what_if
    assert flips is not None
    assert {(f["question"], f["answer"], f["option"]) for f in flips["events"]} == {
        ("replay", True, "notify")
    }
    [flip] = flips["events"]
    assert flip["text"] == (
        'Would become "Event notifications" if "Replay past events?" were answered "yes".'
    )


def test_a_cycle_between_decisions_is_a_load_error_naming_it() -> None:
    cyclic = PACK.replace(
        "plausibility:\n",
        "  - id: queue-when-notified\n"
        "    title: Notifications need a queue\n"
        "    when: {decision: events, is: notify}\n"
        "    effects: [{decision: messaging, option: queue, score: 1}]\n"
        "    why: Loop.\n"
        "    source: test\n"
        "plausibility:\n",
    )
    with pytest.raises(PackError) as failure:
        build(cyclic)
    [problem] = [p for p in failure.value.problems if p.is_error]
    # pinned to a rule of the cycle (events-ride-the-stream), naming every decision in it
    assert (problem.file, problem.line, problem.column) == ("pack.yaml", 72, 5)
    assert "rule 'events-ride-the-stream'" in str(problem)
    assert "decisions depend on each other in a cycle: messaging -> events -> messaging" in str(
        problem
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "when: {decision: messaging, is: stream}",
            "when: {decision: mesaging, is: stream}",
            "unknown decision 'mesaging'; did you mean 'messaging'?",
        ),
        (
            "when: {decision: messaging, is: stream}",
            "when: {decision: messaging, is: streem}",
            "unknown option of decision 'messaging': 'streem'; did you mean 'stream'?",
        ),
        (
            "text: How many teams?, help: Count., step: s,",
            "text: How many teams?, help: Count., step: s, show_if: {decision: events, is: none},",
            "a condition on a decision is only allowed in rules and practices",
        ),
    ],
)
def test_decision_leaves_are_checked(old: str, new: str, message: str) -> None:
    assert old in PACK
    with pytest.raises(PackError) as failure:
        build(PACK.replace(old, new))
    assert any(message in str(p) for p in failure.value.problems), failure.value.problems


# --- practices per option ------------------------------------------------------------------


def test_an_option_brings_its_practices_and_only_when_filters_misfits(pack: Pack) -> None:
    data = evaluate(pack, {**ALL_ANSWERED, "jobs": True}).to_dict()
    practices = {p["id"]: p for p in data["practices"]}
    assert practices["retries"]["decisions"] == ["messaging"]
    assert practices["retries"]["rules"] == []
    assert "partition" not in practices  # attached by the rule, but it only fits a stream
    streamed = evaluate(pack, {**ALL_ANSWERED, "jobs": True, "replay": True}).practice_ids
    assert streamed == ["retention", "partition"]


def test_the_static_check_warns_where_a_practice_can_never_fit() -> None:
    misfit = PACK.replace(
        "plausibility:\n",
        "  - id: queue-chosen-partition\n"
        "    title: Queues get partitions\n"
        "    when: {decision: messaging, is: queue}\n"
        "    effects: [{practice: partition}]\n"
        "    why: Wrong.\n"
        "    source: test\n"
        "plausibility:\n",
    ).replace("practices: [retries]", "practices: [retries, retention]")
    warnings = [str(w) for w in build(misfit).warnings]
    assert any(
        "rule 'queue-chosen-partition' attaches practice 'partition', which only fits when "
        "the messaging backbone is a log-based event stream" in w
        for w in warnings
    ), warnings
    assert any(
        "option 'messaging.queue' lists practice 'retention', which only fits when" in w
        for w in warnings
    ), warnings


def test_an_option_reached_only_by_exclusion_counts_as_reachable(pack: Pack) -> None:
    # events.none is the default and 'notify' has a rule; add an option nothing argues for
    # but that wins once the others are excluded: no "never chosen" warning.
    text = PACK.replace(
        "      - {id: notify, title: Event notifications, description: Facts.}\n",
        "      - {id: notify, title: Event notifications, description: Facts.}\n"
        "      - {id: audit, title: Audit log, description: History.}\n",
    ).replace(
        "plausibility:\n",
        "  - id: only-audit\n"
        "    title: Only audit\n"
        "    when: {q: teams, gte: 50}\n"
        "    effects:\n"
        "      - {decision: events, option: none, exclude: true}\n"
        "      - {decision: events, option: notify, exclude: true}\n"
        "    why: History only.\n"
        "    source: test\n"
        "plausibility:\n",
    )
    assert not [w for w in build(text).warnings if "'audit'" in str(w)]
    without = text.replace("      - {decision: events, option: notify, exclude: true}\n", "")
    assert any("ever choose option 'audit'" in str(w) for w in build(without).warnings)


# --- confidence with meaning ---------------------------------------------------------------


def test_a_requirement_resting_on_a_missing_answer_needs_answers(pack: Pack) -> None:
    # style unanswered: "one deployable" is assumed, but "many services" would let the
    # stream's events through, so the requirement is no evidence
    weak = decision(pack, {"jobs": False, "replay": True, "teams": 1}, "events")
    assert (weak["option"], weak["status"]) == ("none", "required")
    assert weak["confidence_label"] == "needs answers"
    assert weak["confidence"] == 0.0
    assert weak["needs_answers"] == [{"question": "style", "text": "How is it built?"}]
    assert weak["statement"] == (
        "Assumed while the answers that could call for something else are missing. "
        'Needs answers: "How is it built?" could still change it.'
    )
    firm = decision(pack, {**ALL_ANSWERED, "style": "monolith"}, "events")
    assert (firm["confidence"], firm["confidence_label"]) == (1.0, "high")


def test_a_win_by_exclusion_is_as_sure_as_its_exclusions(pack: Pack) -> None:
    messaging = decision(pack, {**ALL_ANSWERED, "replay": True}, "messaging")
    assert (messaging["option"], messaging["confidence"]) == ("stream", 1.0)
    assert messaging["runner_up"] is None  # every alternative is ruled out by answers given


def test_a_default_says_so_and_names_the_questions_that_would_decide(pack: Pack) -> None:
    messaging = decision(pack, {"teams": 2, "style": "services"}, "messaging")
    assert messaging["status"] == "default"
    assert messaging["statement"] == (
        "By default: no rule applies to these answers, so the pack's cautious default stands. "
        'Answering "Background jobs?" and "Replay past events?" would decide it.'
    )
    assert messaging["confidence_label"] == "needs answers"


def test_ties_and_the_runner_up_are_reported(pack: Pack) -> None:
    events = decision(pack, ALL_ANSWERED, "events")
    assert events["status"] == "default" and events["tied_with"] == []
    both = PACK.replace(
        "effects: [{decision: events, option: notify, score: 2}]",
        "effects: [{decision: events, option: notify, score: 2}, "
        "{decision: events, option: none, score: 2}]",
    )
    tied = decision(build(both), {**ALL_ANSWERED, "replay": True}, "events")
    assert (tied["option"], tied["tied_with"], tied["confidence"]) == ("none", ["notify"], 0.0)
    assert tied["runner_up"] == {
        "option": "notify",
        "title": "Event notifications",
        "score": 2,
        "margin": 0,
    }
    assert tied["statement"].startswith('Tied with "Event notifications"')


@pytest.mark.parametrize(
    "answers", [{}, {"jobs": True}, {"replay": True, "style": "monolith"}, ALL_ANSWERED]
)
def test_open_questions_agree_with_what_if(pack: Pack, answers: dict) -> None:
    rec = evaluate(pack, answers, what_if=True)
    assert rec.what_if is not None
    base = evaluate_rules(pack, rec.values)
    assert open_from_flips(rec.values, rec.what_if) == open_questions(pack, rec.values, base)


# --- plausibility --------------------------------------------------------------------------


def test_unlikely_answers_are_flagged_without_changing_the_advice(pack: Pack) -> None:
    answers = {**ALL_ANSWERED, "teams": 40, "style": "monolith"}
    flagged = evaluate(pack, answers).to_dict()
    plain = evaluate(pack, {**answers, "teams": 2}).to_dict()
    assert flagged["plausibility"] == [
        {
            "id": "many-teams-one-deployable",
            "message": "Ten or more teams on one deployable is rare.",
            "source": "",
        }
    ]
    assert "Ten or more teams on one deployable is rare." in flagged["warnings"]
    assert [d["option"] for d in flagged["decisions"]] == [d["option"] for d in plain["decisions"]]


# --- product strings -----------------------------------------------------------------------


def test_a_product_split_by_a_comma_is_flagged() -> None:
    split = PACK.replace(
        "        practices: [retries]\n",
        "        practices: [retries]\n"
        "        products: {services: [Amazon SQS (FIFO, standard)]}\n",
    ).replace('  version: "1"\n', '  version: "1"\n  products_question: style\n')
    first, second = [str(w) for w in build(split).warnings]
    assert "product 'Amazon SQS (FIFO' has unbalanced brackets" in first
    assert "product 'standard)' has unbalanced brackets" in second
    quoted = split.replace("[Amazon SQS (FIFO, standard)]", '["Amazon SQS (FIFO, standard)"]')
    assert build(quoted).warnings == ()
