"""manage.py advise ANSWERS: the recommendation for an answers file, as JSON or text, its
architecture diagram (DOT, SVG, PNG, Mermaid), or the Markdown report (md) and decision records
(madr, nygard) that the API downloads."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from advisor.engine import AnswersError, Pack, Recommendation, evaluate
from advisor.engine.answers import field_path
from advisor.engine.result import DecisionResult
from advisor.engine.yamlsafe import YamlProblem, parse_yaml
from advisor.exports import diagrams
from advisor.packs import default_rules_path

from ._exports import RECORD_FORMATS, export_context, export_files, write_files
from ._packs import load_or_fail


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


DIAGRAM_FORMATS: dict[str, diagrams.FileFormat] = {
    "dot": "dot",
    "svg": "svg",
    "png": "png",
    "mermaid": "mmd",
}


def diagram_bytes(rec: Recommendation, pack: Pack, fmt: diagrams.FileFormat) -> bytes:
    """The diagram file; a Graphviz that is missing or fails is an error naming the reason."""
    drawn = diagrams.diagram_file(rec, pack=pack, fmt=fmt)
    if not drawn.ok:
        raise CommandError(f"no diagram: {drawn.message}", returncode=1)
    return drawn.content


FORMATS = ("json", "text")  # printed; the others are exports


class Command(BaseCommand):
    help = "Recommend an architecture for an answers file (YAML or JSON, or - for stdin)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("answers", help="answers file (YAML or JSON), or - for stdin")
        parser.add_argument(
            "--format",
            choices=["json", "text", *DIAGRAM_FORMATS, "md", *RECORD_FORMATS],
            default="text",
            help="the recommendation (json, text), its diagram (dot, svg, png, mermaid), "
            "or the report and decision records (md, madr, nygard)",
        )
        parser.add_argument(
            "--out",
            default=None,
            help="a file (diagram, json, text) or a folder (md, madr, nygard)",
        )
        parser.add_argument("--pack", default=None, help="pack folder (default: rules/)")
        parser.add_argument("--no-what-if", action="store_true", help="leave out what-if")
        records = parser.add_argument_group("report and decision records (md, madr, nygard)")
        records.add_argument("--start", type=int, default=1, help="number of the first record")
        records.add_argument("--date", default=None, help="YYYY-MM-DD (default: today, UTC)")
        records.add_argument(
            "--permalink",
            default="",
            help="address of the assessment's result page (/a/<id>/), linked from the files",
        )
        records.add_argument("--decision-makers", default="", help="comma-separated names")
        records.add_argument("--force", action="store_true", help="overwrite existing files")

    def handle(
        self,
        *args,
        answers: str,
        format: str,
        pack: str | None,
        no_what_if: bool,
        out: str | None,
        **o,
    ) -> None:
        if format in RECORD_FORMATS and not out:
            raise CommandError(f"--format {format} writes several files: give --out DIR")
        loaded = load_or_fail(pack or default_rules_path(), self.stderr)
        rec = self._evaluate(loaded, answers, what_if=not no_what_if or format not in FORMATS)
        if format in DIAGRAM_FORMATS:
            self._write(diagram_bytes(rec, loaded, DIAGRAM_FORMATS[format]), out)
            return
        if format in FORMATS:
            text = rec.to_json() if format == "json" else as_text(rec)
            self._write((text + "\n").encode("utf-8"), out)
            return
        context = export_context(
            date=o["date"], permalink=o["permalink"], decision_makers=o["decision_makers"], out=out
        )
        files = export_files(rec=rec, pack=loaded, fmt=format, context=context, start=o["start"])
        if out:
            write_files(files, out=Path(out), force=o["force"], stderr=self.stderr)
        else:
            self.stdout.write(files["report.md"].decode(), ending="")

    def _evaluate(self, pack: Pack, answers: str, *, what_if: bool) -> Recommendation:
        try:
            return evaluate(pack, read_answers(answers), what_if=what_if)
        except FileNotFoundError:
            raise CommandError(f"{answers}: no such file", returncode=2) from None
        except AnswersError as exc:
            for field, messages in exc.errors.items():
                for message in messages:
                    self.stderr.write(f"{field_path(field)}: {message}")
            raise CommandError("the answers do not fit the pack", returncode=2) from None

    def _write(self, data: bytes, out: str | None) -> None:
        """To --out, else to stdout: text through Django's wrapper, a PNG as raw bytes."""
        if out is not None:
            try:
                Path(out).write_bytes(data)
            except OSError as exc:
                raise CommandError(f"{out}: {exc.strerror}", returncode=2) from None
        elif data.startswith(b"\x89PNG"):
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            self.stdout.write(data.decode("utf-8"), ending="")
