"""manage.py advise ANSWERS: the recommendation for an answers file, as JSON or text."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from advisor.engine import AnswersError, Recommendation, evaluate
from advisor.engine.answers import field_path
from advisor.engine.result import DecisionResult
from advisor.engine.yamlsafe import YamlProblem, parse_yaml

from ._packs import default_pack_path, load_or_fail


def read_answers(source: str) -> dict:
    """Answers from a YAML or JSON file, or `-` for standard input."""
    text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    name = "<stdin>" if source == "-" else source
    try:
        data = json.loads(text) if text.lstrip().startswith("{") else parse_yaml(name, text).data
    except json.JSONDecodeError as exc:
        raise CommandError(f"{name}:{exc.lineno}:{exc.colno}: {exc.msg}", returncode=2) from None
    except YamlProblem as exc:
        raise CommandError(f"{name}:{exc.line}:{exc.column}: {exc.message}", returncode=2) from None
    if not isinstance(data, dict):
        raise CommandError(f"{name}: expected a mapping of question id to answer", returncode=2)
    return data


def _ranking_lines(d: DecisionResult) -> list[str]:
    """The runner-up and any ties, so a close call is visible in the text."""
    lines = []
    if d["tied_with"]:
        titles = {a["option"]: a["title"] for a in d["alternatives"]}
        tied = ", ".join(titles[o] for o in d["tied_with"])
        lines.append(f"  tie: {tied} scored the same ({d['score']}); the first listed wins")
    runner = d["runner_up"]
    if runner is not None and d["status"] == "decided":
        lines.append(
            f"  runner-up: {runner['title']} (score {runner['score']}, {runner['margin']} behind)"
        )
    return lines


def _decision_lines(d: DecisionResult) -> list[str]:
    if d["needs_answers"]:
        confidence = f"needs answers, confidence {d['confidence']:.2f}"
    else:
        confidence = f"confidence {d['confidence_label']} {d['confidence']:.2f}"
    lines = [
        f"{d['title']}: {d['option_title']} [{d['option']}; {confidence}; {d['status']}]",
        f"  {d['statement']}",
    ]
    lines += [f"  - {r['why']} ({r['source']})" for r in d["rationale"]]
    lines += _ranking_lines(d)
    if d["products"]:
        lines.append(f"  products: {'; '.join(d['products'])}")
    lines += [f"  {flip['text']}" for flip in d.get("what_if", [])]
    return lines


def as_text(rec: Recommendation) -> str:
    data = rec.to_dict()
    lines = [f"Recommendation (pack {data['pack']['id']} {data['pack']['version']})", ""]
    for d in data["decisions"]:
        lines += _decision_lines(d)
    lines += ["", "Practices:"] + [f"  [ ] {p['title']} ({p['source']})" for p in data["practices"]]
    if data["unknown"]:
        lines += ["", "Answer these to sharpen the result:"]
        lines += [f"  {u['question']}: {u['text']}" for u in data["unknown"]]
    lines += [f"warning: {w}" for w in data["warnings"]]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Recommend an architecture for an answers file (YAML or JSON, or - for stdin)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("answers", help="answers file (YAML or JSON), or - for stdin")
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument("--pack", default=None, help="pack folder (default: rules/)")
        parser.add_argument("--no-what-if", action="store_true", help="leave out what-if")

    def handle(
        self, *args, answers: str, format: str, pack: str | None, no_what_if: bool, **o
    ) -> None:
        loaded = load_or_fail(pack or default_pack_path(), self.stderr)
        try:
            rec = evaluate(loaded, read_answers(answers), what_if=not no_what_if)
        except FileNotFoundError:
            raise CommandError(f"{answers}: no such file", returncode=2) from None
        except AnswersError as exc:
            for field, messages in exc.errors.items():
                for message in messages:
                    self.stderr.write(f"{field_path(field)}: {message}")
            raise CommandError("the answers do not fit the pack", returncode=2) from None
        self.stdout.write(rec.to_json() if format == "json" else as_text(rec))
