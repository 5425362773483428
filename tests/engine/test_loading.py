"""load_pack's static checks: each problem found, with its exact file:line:column message.

Every case starts from the mini pack's files (tests/fixtures/packs/mini) read into a mapping,
changes one piece of text and loads the mapping, as a pack stored in the database would be.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.engine import PackError, Problem, load_pack
from tests import support as _support

MINI = _support.MINI

Edit = tuple[str, str, str]  # (file, old text, new text)


@pytest.fixture
def mini_files() -> dict[str, str]:
    return {p.relative_to(MINI).as_posix(): p.read_text() for p in sorted(MINI.rglob("*.yaml"))}


def edited(files: dict[str, str], *edits: Edit) -> dict[str, str]:
    files = dict(files)
    for name, old, new in edits:
        assert files[name].count(old) == 1, f"{old!r} must occur once in {name}"
        files[name] = files[name].replace(old, new)
    return files


def load_problems(files: dict[str, str]) -> list[Problem]:
    with pytest.raises(PackError) as caught:
        load_pack(files)
    return caught.value.problems


def errors(files: dict[str, str]) -> list[str]:
    return [str(p) for p in load_problems(files) if p.is_error]


# --- the mini pack itself ------------------------------------------------------------------


def test_mini_pack_loads_from_a_folder() -> None:
    pack = load_pack(MINI)
    assert pack.id == "mini"
    assert pack.version == "1.10"  # quoted in pack.yaml, and never turned into the float 1.1
    assert [q.id for q in pack.questions] == [
        "clients",
        "client_needs_differ",
        "async_jobs",
        "backend_teams",
        "project_name",
        "hosting",
    ]
    assert [d.id for d in pack.decisions] == ["messaging", "bff"]
    assert [r.id for r in pack.rules] == [
        "queue-for-jobs",
        "many-teams-stream",
        "bff-when-very-different",
    ]
    assert [s.id for s in pack.scenarios] == ["jobs", "big-org"]
    assert pack.warnings == ()


def test_folder_given_as_a_string_loads_too() -> None:
    assert load_pack(str(MINI)).id == "mini"


def test_folder_and_mapping_load_the_same_pack(mini_files: dict[str, str]) -> None:
    from_folder = load_pack(MINI)
    from_mapping = load_pack(mini_files)
    assert from_folder == from_mapping
    assert from_folder.fingerprint == from_mapping.fingerprint


def test_fingerprint_changes_with_the_content(mini_files: dict[str, str]) -> None:
    changed = edited(mini_files, ("practices.yaml", "Failures happen.", "Failures do happen."))
    assert load_pack(changed).fingerprint != load_pack(mini_files).fingerprint


def test_option_ids_and_text_are_kept_as_written() -> None:
    pack = load_pack(MINI)
    differ = next(q for q in pack.questions if q.id == "client_needs_differ")
    assert differ.option_ids == ("similar", "no", "very")
    messaging = next(d for d in pack.decisions if d.id == "messaging")
    queue = messaging.option("queue")
    assert queue.products_for("aws", default="undecided") == ("Amazon SQS",)
    assert queue.products_for(None, default="undecided") == ("Amazon SQS", "RabbitMQ")
    assert queue.products_for("hetzner", default="undecided") == ("Amazon SQS", "RabbitMQ")
    assert queue.products_for("hetzner", default=None) == ()


# --- products: keyed by the answers of the question the pack names -------------------------

HETZNER = (
    "decisions.yaml",
    "{aws: [Amazon SQS],",
    "{hetzner: [RabbitMQ on a Hetzner VM], aws: [Amazon SQS],",
)


def test_products_are_keyed_by_any_answer_of_the_products_question(mini_files) -> None:
    pack = load_pack(edited(mini_files, HETZNER))
    assert pack.products_question == "hosting"
    assert pack.products_default == "undecided"
    queue = next(d for d in pack.decisions if d.id == "messaging").option("queue")
    assert queue.products_for("hetzner", default="undecided") == ("RabbitMQ on a Hetzner VM",)


def test_a_products_key_that_is_no_answer_is_an_error(mini_files) -> None:
    files = edited(mini_files, ("decisions.yaml", "{aws: [Amazon SQS],", "{awz: [Amazon SQS],"))
    assert errors(files) == [
        "decisions.yaml:12:20: error: decisions[0].options[1].products.awz: "
        "unknown answer of 'hosting': 'awz'; did you mean 'aws'?"
    ]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            ("pack.yaml", "products_question: hosting", "products_question: hostin"),
            "pack.yaml:6:22: error: pack.products_question: unknown question 'hostin'; "
            "did you mean 'hosting'?",
        ),
        (
            ("pack.yaml", "products_question: hosting", "products_question: clients"),
            "pack.yaml:6:22: error: pack.products_question: 'clients' is a multi question; "
            "products are picked by a single question",
        ),
        (
            ("pack.yaml", "products_default: undecided", "products_default: maybe"),
            "pack.yaml:7:21: error: pack.products_default: unknown option of 'hosting': 'maybe'; "
            "expected one of: aws, hetzner, undecided",
        ),
    ],
)
def test_the_products_question_is_checked(mini_files, edit, expected) -> None:
    assert errors(edited(mini_files, edit)) == [expected]


def test_a_products_default_without_a_products_question_is_an_error(mini_files) -> None:
    files = edited(mini_files, ("pack.yaml", "  products_question: hosting\n", ""))
    assert errors(files)[-1] == (
        "pack.yaml:6:21: error: pack.products_default: products_default needs "
        "products_question: the question it is an answer of"
    )


def test_products_without_a_products_question_are_an_error(mini_files) -> None:
    files = edited(
        mini_files,
        ("pack.yaml", "  products_question: hosting\n  products_default: undecided\n", ""),
    )
    assert errors(files) == [
        "decisions.yaml:12:19: error: decisions[0].options[1].products: products need "
        "products_question in the pack section: the single question whose answer picks them"
    ]


def test_not_a_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(PackError) as caught:
        load_pack(missing)
    assert [str(p) for p in caught.value.problems] == [
        f"{missing}:1:1: error: not a folder: a pack is a folder of YAML files"
    ]


def test_folder_without_yaml_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a pack")
    with pytest.raises(PackError) as caught:
        load_pack(tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path}:1:1: error: no .yaml files in this folder"
    ]


# --- one error per case, with its exact message ----------------------------------------------

RULES = "rules/main.yaml"

ERROR_CASES: list[tuple[str, list[Edit], list[str]]] = [
    (
        "yaml-syntax",
        [(RULES, "when: {q: async_jobs, is: true}", "when: {q: async_jobs, is: true")],
        ["rules/main.yaml:5:12: error: YAML syntax: did not find expected ',' or '}'"],
    ),
    (
        "duplicate-key-at-second-key",
        [
            (
                RULES,
                "    title: Many teams share events\n",
                "    title: Many teams share events\n    title: Again\n",
            )
        ],
        ["rules/main.yaml:12:5: error: duplicate key 'title'"],
    ),
    (
        "schema-unknown-key-in-effect",
        [(RULES, "option: stream, score: 2", "option: stream, scroe: 2")],
        [
            "rules/main.yaml:14:47: error: rules[1].effects[0].scroe: "
            "unexpected key 'scroe'; did you mean 'score'?"
        ],
    ),
    (
        "schema-unknown-key-in-rule",
        [(RULES, "    title: Many teams share events", "    tilte: Many teams share events")],
        [
            "rules/main.yaml:10:5: error: rules[1]: missing required key 'title'",
            "rules/main.yaml:11:5: error: rules[1].tilte: unexpected key 'tilte'; "
            "did you mean 'title'?",
        ],
    ),
    (
        "schema-bad-enum",
        [("questions.yaml", "    type: text", "    type: txt")],
        [
            "questions.yaml:36:11: error: questions[4].type: 'txt' is not allowed; "
            "expected one of: single, multi, boolean, integer, text"
        ],
    ),
    (
        "unknown-question",
        [(RULES, "q: async_jobs", "q: asynk_jobs")],
        [
            "rules/main.yaml:4:15: error: rules[0].when.q: unknown question 'asynk_jobs'; "
            "did you mean 'async_jobs'?"
        ],
    ),
    (
        "unknown-option-in-condition",
        [(RULES, "includes: third_party", "includes: third_partyy")],
        [
            "rules/main.yaml:22:40: error: rules[2].when.all[1].not.includes: "
            "unknown option of 'clients': 'third_partyy'; did you mean 'third_party'?"
        ],
    ),
    (
        "unknown-option-in-effect",
        [(RULES, "option: queue, score", "option: queu, score")],
        [
            "rules/main.yaml:6:39: error: rules[0].effects[0].option: "
            "unknown option of decision 'messaging': 'queu'; did you mean 'queue'?"
        ],
    ),
    (
        "unknown-decision",
        [(RULES, "decision: messaging, option: stream", "decision: messagin, option: stream")],
        [
            "rules/main.yaml:14:20: error: rules[1].effects[0].decision: "
            "unknown decision 'messagin'; did you mean 'messaging'?"
        ],
    ),
    (
        "unknown-default-option",
        [
            (
                "decisions.yaml",
                "backbone?\n    default: none",
                "backbone?\n    default: nothing",
            )
        ],
        [
            "decisions.yaml:5:14: error: decisions[0].default: unknown default option 'nothing'; "
            "expected one of: none, queue, stream"
        ],
    ),
    (
        "unknown-practice",
        [(RULES, "practice: retries-backoff-dlq", "practice: retries-backof-dlq")],
        [
            "rules/main.yaml:7:20: error: rules[0].effects[1].practice: "
            "unknown practice 'retries-backof-dlq'; did you mean 'retries-backoff-dlq'?"
        ],
    ),
    (
        "unknown-source",
        [(RULES, "source: webhooks", "source: webhook")],
        [
            "rules/main.yaml:26:13: error: rules[2].source: unknown source 'webhook'; "
            "did you mean 'webhooks'?"
        ],
    ),
    (
        "unknown-step",
        [
            (
                "questions.yaml",
                "    step: basics\n    text: Background",
                "    step: basic\n    text: Background",
            )
        ],
        [
            "questions.yaml:25:11: error: questions[2].step: unknown step 'basic'; "
            "did you mean 'basics'?"
        ],
    ),
    (
        "unknown-component-in-option-diagram",
        [("decisions.yaml", "components: [job_queue]", "components: [job_queu]")],
        [
            "decisions.yaml:14:24: error: decisions[0].options[1].diagram.components[0]: "
            "unknown component 'job_queu'; did you mean 'job_queue'?"
        ],
    ),
    (
        "unknown-component-in-option-link",
        [("decisions.yaml", "to: job_queue", "to: jobqueue")],
        [
            "decisions.yaml:15:35: error: decisions[0].options[1].diagram.links[0].to: "
            "unknown component 'jobqueue'; did you mean 'job_queue'?"
        ],
    ),
    (
        "operator-gte-on-multi",
        [(RULES, "{q: backend_teams, gte: 3}", "{q: clients, gte: 3}")],
        [
            "rules/main.yaml:12:24: error: rules[1].when.gte: operator 'gte' does not fit "
            "multi question 'clients'; use one of: includes, includes_any, includes_all, "
            "count_gte, answered"
        ],
    ),
    (
        "operator-includes-on-single",
        [(RULES, "{q: client_needs_differ, is: very}", "{q: client_needs_differ, includes: very}")],
        [
            "rules/main.yaml:21:36: error: rules[2].when.all[0].includes: operator 'includes' "
            "does not fit single question 'client_needs_differ'; use one of: is, in, answered"
        ],
    ),
    (
        "unknown-option-in-count-of",
        [("questions.yaml", "of: [web, mobile]", "of: [web, mobil]")],
        [
            "questions.yaml:18:51: error: questions[1].show_if.of[1]: "
            "unknown option of 'clients': 'mobil'; did you mean 'mobile'?"
        ],
    ),
    (
        "between-reversed",
        [(RULES, "{q: backend_teams, gte: 3}", "{q: backend_teams, between: [5, 2]}")],
        [
            "rules/main.yaml:12:39: error: rules[1].when.between: "
            "between needs [low, high]; got [5, 2]"
        ],
    ),
    (
        "exclusive-on-single",
        [
            (
                "questions.yaml",
                "{id: very, label: Very different}",
                "{id: very, label: Very different, exclusive: true}",
            )
        ],
        [
            "questions.yaml:22:54: error: questions[1].options[2].exclusive: "
            "exclusive only applies to multi questions"
        ],
    ),
    (
        "integer-compared-with-text",
        [(RULES, "{q: backend_teams, gte: 3}", "{q: backend_teams, is: three}")],
        [
            "rules/main.yaml:12:34: error: rules[1].when.is: 'backend_teams' is an integer "
            "question: compare it with integers"
        ],
    ),
    (
        "id-not-snake-case",
        [(RULES, "  - id: many-teams-stream", "  - id: Many-Teams")],
        [
            "rules/main.yaml:10:9: error: rules[1].id: 'Many-Teams' is not a valid id "
            "(use lower-case letters, digits and _)"
        ],
    ),
    (
        "boolean-compared-with-text",
        [(RULES, "{q: async_jobs, is: true}", "{q: async_jobs, is: yes}")],
        [
            "rules/main.yaml:4:31: error: rules[0].when.is: 'async_jobs' is a yes/no question: "
            "compare it with true or false"
        ],
    ),
    (
        "show-if-cycle",
        [
            (
                "questions.yaml",
                "    help: Emails, imports.\n",
                "    help: Emails, imports.\n    show_if: {q: backend_teams, gte: 2}\n",
            ),
            (
                "questions.yaml",
                "    help: Count them.\n",
                "    help: Count them.\n    show_if: {q: async_jobs, is: true}\n",
            ),
        ],
        [
            "questions.yaml:23:5: error: questions.async_jobs.show_if: "
            "show_if cycle: async_jobs -> backend_teams -> async_jobs"
        ],
    ),
    (
        "never-true-two-options-of-one-single",
        [
            (
                RULES,
                "when: {q: async_jobs, is: true}",
                "when: {all: [{q: client_needs_differ, is: very}, "
                "{q: client_needs_differ, is: similar}]}",
            )
        ],
        [
            "rules/main.yaml:2:5: error: rule 'queue-for-jobs': its condition can never be true "
            "(client_needs_differ is very and client_needs_differ is similar); check for "
            "contradictory leaves or questions that are never asked together"
        ],
    ),
    (
        "never-true-question-hidden-by-show-if",
        # client_needs_differ is only asked when clients has both web and mobile
        [
            (
                RULES,
                "when: {q: async_jobs, is: true}",
                "when: {all: [{q: client_needs_differ, is: very}, "
                "{not: {q: clients, includes: web}}]}",
            )
        ],
        [
            "rules/main.yaml:2:5: error: rule 'queue-for-jobs': its condition can never be true "
            "(client_needs_differ is very and not (clients includes web)); check for "
            "contradictory leaves or questions that are never asked together"
        ],
    ),
    (
        "never-true-integer-out-of-range",
        [(RULES, "{q: backend_teams, gte: 3}", "{q: backend_teams, gte: 501}")],
        [
            "rules/main.yaml:10:5: error: rule 'many-teams-stream': its condition can never be "
            "true (backend_teams is at least 501); check for contradictory leaves or questions "
            "that are never asked together"
        ],
    ),
    (
        "scenario-unknown-question",
        [
            (
                "scenarios/basic.yaml",
                "async_jobs: true, backend_teams: 1",
                "asynk_jobs: true, backend_teams: 1",
            )
        ],
        [
            "scenarios/basic.yaml:4:43: error: scenarios[0].answers.asynk_jobs: "
            "unknown question 'asynk_jobs'; did you mean 'async_jobs'?"
        ],
    ),
    (
        "scenario-unknown-decision",
        [("scenarios/basic.yaml", "{messaging: queue, bff: none}", "{mesaging: queue, bff: none}")],
        [
            "scenarios/basic.yaml:6:29: error: scenarios[0].expect.decisions.mesaging: "
            "unknown decision 'mesaging'; did you mean 'messaging'?"
        ],
    ),
    (
        "scenario-unknown-option",
        [
            (
                "scenarios/basic.yaml",
                "{messaging: queue, bff: none}",
                "{messaging: queeu, bff: none}",
            )
        ],
        [
            "scenarios/basic.yaml:6:30: error: scenarios[0].expect.decisions.messaging: "
            "'queeu' is not an option of messaging; did you mean 'queue'?"
        ],
    ),
    (
        "scenario-unknown-practice",
        [("scenarios/basic.yaml", "include: [retries-backoff-dlq]", "include: [retries-backoff]")],
        [
            "scenarios/basic.yaml:7:29: error: scenarios[0].expect.practices.include[0]: "
            "unknown practice 'retries-backoff'; did you mean 'retries-backoff-dlq'?"
        ],
    ),
    (
        "scenario-answer-unknown-option",
        [("scenarios/basic.yaml", "clients: [web], async", "clients: [web, desktop], async")],
        [
            "scenarios/basic.yaml:4:24: error: scenarios[0].answers.clients: "
            "'desktop' is not an option of clients; options: web, mobile, third_party, none"
        ],
    ),
    (
        "scenario-answer-wrong-type",
        [("scenarios/basic.yaml", "backend_teams: 1}", "backend_teams: many}")],
        [
            "scenarios/basic.yaml:4:64: error: scenarios[0].answers.backend_teams: "
            "expected a whole number, got a string"
        ],
    ),
    (
        "duplicate-rule-id",
        [(RULES, "  - id: many-teams-stream", "  - id: queue-for-jobs")],
        [
            "rules/main.yaml:10:9: error: rules[1].id: duplicate rule id 'queue-for-jobs' "
            "(first at rules/main.yaml:2)"
        ],
    ),
    (
        "duplicate-option-id",
        [
            (
                "decisions.yaml",
                "      - {id: stream, title: Stream, description: A replayable log.}\n",
                "      - {id: stream, title: Stream, description: A replayable log.}\n"
                "      - {id: queue, title: Queue again, description: Twice.}\n",
            )
        ],
        ["decisions.yaml:17:14: error: decisions[0].options[3].id: duplicate option id 'queue'"],
    ),
]


@pytest.mark.parametrize(
    ("edits", "expected"),
    [pytest.param(edits, expected, id=name) for name, edits, expected in ERROR_CASES],
)
def test_static_check_reports_exact_problem(
    mini_files: dict[str, str], edits: list[Edit], expected: list[str]
) -> None:
    assert errors(edited(mini_files, *edits)) == expected


def test_duplicate_question_id_is_reported_at_the_second(mini_files: dict[str, str]) -> None:
    files = edited(mini_files, ("questions.yaml", "  - id: project_name", "  - id: async_jobs"))
    assert errors(files) == [
        "questions.yaml:35:9: error: questions[4].id: duplicate question id 'async_jobs' "
        "(first at questions.yaml:23)"
    ]


def test_missing_pack_section(mini_files: dict[str, str]) -> None:
    files = dict(mini_files)
    files["pack.yaml"] = "steps:\n  - {id: basics, title: Basics}\ndiagram:\n  components: [api]\n"
    assert errors(files) == [
        "pack.yaml:1:1: error: no file has the `pack` section (id, name, version, ...)"
    ]


def test_pack_section_twice(mini_files: dict[str, str]) -> None:
    files = dict(mini_files)
    files["zz_more.yaml"] = mini_files["pack.yaml"].split("steps:")[0]
    assert errors(files) == [
        "zz_more.yaml:1:1: error: pack: the pack section is already in pack.yaml"
    ]


def test_every_problem_is_reported_in_one_pass(mini_files: dict[str, str]) -> None:
    files = edited(
        mini_files,
        (RULES, "q: async_jobs", "q: asynk_jobs"),
        ("decisions.yaml", "components: [job_queue]", "components: [job_queu]"),
        ("scenarios/basic.yaml", "title: An app", "titel: An app"),
    )
    with pytest.raises(PackError) as caught:
        load_pack(files)
    assert [str(p) for p in caught.value.problems] == [
        "decisions.yaml:14:24: error: decisions[0].options[1].diagram.components[0]: "
        "unknown component 'job_queu'; did you mean 'job_queue'?",
        "rules/main.yaml:4:15: error: rules[0].when.q: unknown question 'asynk_jobs'; "
        "did you mean 'async_jobs'?",
        "scenarios/basic.yaml:2:5: error: scenarios[0]: missing required key 'title'",
        "scenarios/basic.yaml:3:5: error: scenarios[0].titel: unexpected key 'titel'; "
        "did you mean 'title'?",
    ]
    assert str(caught.value) == (
        "4 error(s) in pack; first: decisions.yaml:14:24: error: "
        "decisions[0].options[1].diagram.components[0]: unknown component 'job_queu'; "
        "did you mean 'job_queue'?"
    )


def test_yaml_error_in_one_file_does_not_hide_errors_in_another(
    mini_files: dict[str, str],
) -> None:
    files = edited(
        mini_files,
        ("scenarios/basic.yaml", "title: An app", "title: [An app"),
        (RULES, "source: webhooks", "source: webhook"),
    )
    found = errors(files)
    assert len(found) == 2
    assert found[0] == (
        "rules/main.yaml:26:13: error: rules[2].source: unknown source 'webhook'; "
        "did you mean 'webhooks'?"
    )
    assert found[1].startswith("scenarios/basic.yaml:")
    assert ": error: YAML syntax: " in found[1]


def test_problem_as_dict_and_string() -> None:
    problem = Problem("rules/a.yaml", 3, 7, "error", "rules[0].when.q: unknown question 'x'")
    assert str(problem) == "rules/a.yaml:3:7: error: rules[0].when.q: unknown question 'x'"
    assert problem.to_dict() == {
        "file": "rules/a.yaml",
        "line": 3,
        "column": 7,
        "severity": "error",
        "message": "rules[0].when.q: unknown question 'x'",
    }


# --- warnings: the pack loads, and says what is odd --------------------------------------------


def test_option_no_rule_can_choose_is_a_warning(mini_files: dict[str, str]) -> None:
    files = edited(
        mini_files,
        (
            "decisions.yaml",
            "      - {id: bff_per_client, title: BFF per client, description: One per client.}\n",
            "      - {id: bff_per_client, title: BFF per client, description: One per client.}\n"
            "      - {id: graphql_bff, title: GraphQL BFF, description: One GraphQL BFF.}\n",
        ),
    )
    pack = load_pack(files)
    assert [str(w) for w in pack.warnings] == [
        "decisions.yaml:17:5: warning: decision 'bff': no rule can ever choose option "
        "'graphql_bff' and it is not the default"
    ]


def test_option_with_only_negative_scores_is_a_warning(mini_files: dict[str, str]) -> None:
    files = edited(
        mini_files,
        (RULES, "option: stream, score: 2", "option: stream, score: -2"),
    )
    pack = load_pack(files)
    assert [str(w) for w in pack.warnings] == [
        "decisions.yaml:2:5: warning: decision 'messaging': no rule can ever choose option "
        "'stream' and it is not the default"
    ]


def test_practice_no_rule_attaches_is_a_warning(mini_files: dict[str, str]) -> None:
    files = edited(
        mini_files,
        (
            "practices.yaml",
            "source: queues-streams}\n",
            "source: queues-streams}\n"
            "  - {id: idempotency-keys, title: Idempotency keys, why: Retries repeat., "
            "source: webhooks}\n",
        ),
    )
    pack = load_pack(files)
    assert [str(w) for w in pack.warnings] == [
        "practices.yaml:3:5: warning: practice 'idempotency-keys' is never attached by a rule"
    ]


def test_warnings_are_kept_with_errors_in_pack_error(mini_files: dict[str, str]) -> None:
    files = edited(
        mini_files,
        (
            RULES,
            "when: {q: async_jobs, is: true}",
            "when: {all: [{q: async_jobs, is: true}, {q: async_jobs, is: false}]}",
        ),
    )
    problems = load_problems(files)
    assert [(p.file, p.severity) for p in problems] == [
        ("decisions.yaml", "warning"),  # queue: its only rule is dead
        ("practices.yaml", "warning"),  # the practice: its only rule is dead
        ("rules/main.yaml", "error"),
    ]


# --- exclusive options in the "can never be true" check ------------------------------------------
# `none` of `clients` is `exclusive: true`, so no valid answer has it together with another
# option, and a rule that needs both can never fire.


@pytest.mark.parametrize(
    ("when", "words"),
    [
        (
            "{q: clients, includes_all: [web, none]}",
            "clients includes all of web, none",
        ),
        (
            # client_needs_differ is asked only with web and mobile, which `none` excludes
            "{all: [{q: client_needs_differ, is: very}, {q: clients, includes: none}]}",
            "client_needs_differ is very and clients includes none",
        ),
    ],
)
def test_rule_needing_exclusive_option_with_others_is_never_true(
    mini_files: dict[str, str], when: str, words: str
) -> None:
    files = edited(mini_files, (RULES, "when: {q: async_jobs, is: true}", f"when: {when}"))
    assert errors(files) == [
        f"rules/main.yaml:2:5: error: rule 'queue-for-jobs': its condition can never be true "
        f"({words}); check for contradictory leaves or questions that are never asked together"
    ]


# --- a malformed question is reported once, by the schema, not again as "unknown" by rules ---


def test_malformed_question_is_not_also_reported_as_unknown(
    mini_files: dict[str, str],
) -> None:
    files = edited(mini_files, ("questions.yaml", "    type: boolean", "    type: bool"))
    assert errors(files) == [
        "questions.yaml:24:11: error: questions[2].type: 'bool' is not allowed; "
        "expected one of: single, multi, boolean, integer, text"
    ]


# --- schema messages that name what is wrong ------------------------------------------------
# 1. A condition leaf with two operators, none, or `of` without count_gte: _deepest follows
#    best_match into the `all` branch of the condition's oneOf, so the message is
#    "unexpected key 'answered'; expected one of: all" and the special message _describe has for
#    exactly this case ("a condition leaf needs exactly one operator ...") is never reached.
# 2. A key the question's type forbids (`min` on a boolean): jsonschema reports a `false`
#    subschema with validator None and no key in the path, so _describe's "this key is not
#    allowed here" branch never matches; the user gets "questions[2]: False schema does not
#    allow 1" at the question's first line.
# 3. `score: 0` is reported as "unexpected key 'score'; expected one of: decision, option,
#    require", as if score were not a key of an effect.

LEAF_ONE_OPERATOR = (
    "a condition leaf needs exactly one operator besides q (and `of` only with count_gte)"
)


@pytest.mark.parametrize(
    "leaf",
    [
        "{q: async_jobs, is: true, answered: true}",  # two operators
        "{q: async_jobs}",  # no operator
        "{q: async_jobs, is: true, of: [web]}",  # `of` without count_gte
    ],
)
def test_condition_leaf_with_wrong_operator_count_says_so(
    mini_files: dict[str, str], leaf: str
) -> None:
    files = edited(mini_files, (RULES, "{q: async_jobs, is: true}", leaf))
    assert errors(files) == [f"rules/main.yaml:4:11: error: rules[0].when: {LEAF_ONE_OPERATOR}"]


@pytest.mark.parametrize(
    ("key", "value"), [("min", "1"), ("max_length", "20"), ("options", "[{id: a, label: A}]")]
)
def test_key_the_question_type_forbids_is_named(
    mini_files: dict[str, str], key: str, value: str
) -> None:
    files = edited(
        mini_files,
        (
            "questions.yaml",
            "    help: Emails, imports.\n",
            f"    help: Emails, imports.\n    {key}: {value}\n",
        ),
    )
    assert errors(files) == [
        f"questions.yaml:28:5: error: questions[2].{key}: "
        f"'{key}' does not apply to a boolean question"
    ]


def test_zero_score_is_not_called_an_unexpected_key(mini_files: dict[str, str]) -> None:
    files = edited(mini_files, (RULES, "option: stream, score: 2", "option: stream, score: 0"))
    [error] = errors(files)
    assert error.startswith("rules/main.yaml:14:")
    assert "rules[1].effects[0].score: " in error
    assert "unexpected key" not in error


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'version: "1.10"',
            "version: 2",
            "pack.yaml:4:12: error: pack.version: 2 is not of type 'string'",
        ),
        ("  name: Mini pack\n", "", "pack.yaml:2:3: error: pack: missing required key 'name'"),
    ],
)
def test_broken_pack_section_is_not_also_missing(
    mini_files: dict[str, str], old: str, new: str, expected: str
) -> None:
    assert errors(edited(mini_files, ("pack.yaml", old, new))) == [expected]
