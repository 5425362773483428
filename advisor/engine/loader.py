"""load_pack: read a pack folder (or its files), check everything, build and compile it."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .analysis import analyse
from .answers import normalize
from .checks import QuestionShape, Reporter, check_condition
from .conditions import Cond, parse_condition
from .folder import read_folder
from .model import (
    DECISION_EFFECT_KINDS,
    Component,
    Decision,
    DecisionOption,
    Diagram,
    Effect,
    Link,
    Option,
    Plausibility,
    Practice,
    Question,
    Rule,
    Scenario,
    Source,
    Step,
    Where,
)
from .pack import Pack, Parts, compile_pack
from .problems import PackError, Problem, did_you_mean
from .schema import schema_problems
from .yamlsafe import DocPath, Document, YamlProblem, parse_yaml

SECTIONS = (
    "steps",
    "questions",
    "decisions",
    "rules",
    "practices",
    "components",
    "scenarios",
    "plausibility",
)


@dataclass(frozen=True)
class Item:
    """One list entry of a section, with the file and path it came from."""

    data: dict[str, Any]  # schema-valid YAML data
    doc: Document
    path: DocPath

    @property
    def where(self) -> Where:
        line, column = self.doc.where(self.path)
        return Where(self.doc.name, line, column)


def read_pack_files(source: str | Path | Mapping[str, str | bytes]) -> dict[str, str | bytes]:
    """The pack's YAML files by relative path; a mapping is taken as already read."""
    if isinstance(source, Mapping):
        return dict(sorted(source.items()))
    return dict(read_folder(Path(source)))


def fingerprint(files: Mapping[str, str | bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        body = files[name]
        digest.update(
            name.encode()
            + b"\0"
            + (body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body)
            + b"\0"
        )
    return digest.hexdigest()


@dataclass(frozen=True)
class CheckedFile:
    """One file parsed and checked against the schema: the part of loading a file alone decides.

    It depends on nothing but the file's name and text, so a caller that validates the same
    pack again and again (an editor, after each keystroke) can keep these and pass them back.
    """

    doc: Document | None
    problems: tuple[Problem, ...]
    broken: frozenset[tuple[str, int]]


FileCache = MutableMapping[tuple[str, str | bytes], CheckedFile]


def check_file(name: str, text: str | bytes) -> CheckedFile:
    """Parse one pack file and check it against the JSON Schema."""
    rep = Reporter()
    doc = _parsed(name, text, rep)
    if doc is None or doc.data is None:
        return CheckedFile(None, tuple(rep.problems), frozenset())
    problems, bad = schema_problems(doc)
    return CheckedFile(doc, tuple(problems), frozenset(bad))


def _checked_file(name: str, text: str | bytes, cache: FileCache | None) -> CheckedFile:
    if cache is None:
        return check_file(name, text)
    key = (name, text)
    found = cache.get(key)
    if found is None:
        found = cache[key] = check_file(name, text)
    return found


def load_pack(
    source: str | Path | Mapping[str, str | bytes], *, file_cache: FileCache | None = None
) -> Pack:
    """Load, check and compile a rule pack.

    `source` is a folder, or a mapping of relative file name to YAML text (packs stored in the
    database). Every problem is collected in one pass; any error raises PackError carrying all
    of them, each as file:line:column. Warnings are kept on the returned pack. `file_cache`
    keeps each file's parse and schema check by name and text, so loading again after an edit
    of one file only reads that file (the cross-file checks always run in full).
    """
    files = read_pack_files(source)
    try:
        return _checked(files, file_cache)
    except PackError:
        raise
    except Exception as exc:  # a failure nobody foresaw is still a problem of the pack
        name = next(iter(files), "pack.yaml")
        message = f"the pack could not be checked ({type(exc).__name__}); please report this"
        raise PackError([Problem(name, 1, 1, "error", message)]) from exc


def _parsed(name: str, text: str | bytes, rep: Reporter) -> Document | None:
    """One file's document, or None after reporting why it cannot be read."""
    try:
        return parse_yaml(name, text)
    except YamlProblem as exc:
        rep.problems.append(Problem(name, exc.line, exc.column, "error", exc.message))
    except (ValueError, TypeError, RecursionError, MemoryError) as exc:
        message = f"the file could not be read ({type(exc).__name__})"
        rep.problems.append(Problem(name, 1, 1, "error", message))
    return None


def _checked(files: Mapping[str, str | bytes], file_cache: FileCache | None) -> Pack:
    rep = Reporter()
    docs: list[Document] = []
    broken: dict[str, set[tuple[str, int]]] = {}
    for name, text in files.items():
        checked = _checked_file(name, text, file_cache)
        rep.problems.extend(checked.problems)
        if checked.doc is not None:
            broken[name] = set(checked.broken)
            docs.append(checked.doc)
    pack = _Builder(rep, docs, broken).build(fingerprint(files))
    if pack is not None and not rep.has_errors:
        rep.problems.extend(analyse(pack))
    if rep.has_errors or pack is None:
        raise PackError(rep.problems)
    warnings = tuple(sorted(p for p in rep.problems if not p.is_error))
    return dataclasses.replace(pack, warnings=warnings)


Items = Mapping[str, Item]  # by id
Shapes = Mapping[str, QuestionShape]  # by question id


class _Builder:
    """Turns schema-valid items into the model, reporting every reference it cannot resolve."""

    def __init__(
        self, rep: Reporter, docs: list[Document], broken: dict[str, set[tuple[str, int]]]
    ) -> None:
        self.rep = rep
        self.decision_shapes: dict[str, tuple[str, ...]] = {}
        self.meta: Item | None = None
        self.product_keys: tuple[str, ...] | None = None  # answers that may key products
        self.meta_broken = False  # a pack section exists but failed the schema (reported there)
        self.base_diagram: list[Item] = []
        self.items: dict[str, list[Item]] = {s: [] for s in SECTIONS}
        self.broken_ids: dict[str, set[str]] = {s: set() for s in SECTIONS}
        for doc in docs:
            self._collect(doc, broken.get(doc.name, set()))
        self.broken_questions = frozenset(self.broken_ids["questions"])

    def _collect(self, doc: Document, broken: set[tuple[str, int]]) -> None:
        if not isinstance(doc.data, dict):
            return
        for section, value in doc.data.items():
            if section == "pack" and ("pack", -1) in broken:
                self.meta_broken = True
            elif section == "pack":
                if self.meta is not None:
                    self.rep.error(
                        doc,
                        ("pack",),
                        f"the pack section is already in {self.meta.doc.name}",
                        key=True,
                    )
                else:
                    self.meta = Item(value, doc, ("pack",))
            elif section == "diagram" and ("diagram", -1) not in broken:
                self.base_diagram.append(Item(value, doc, ("diagram",)))
            elif section in SECTIONS and isinstance(value, list):
                for index, entry in enumerate(value):
                    if (section, index) in broken or (section, -1) in broken:
                        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                            self.broken_ids[section].add(entry["id"])
                        continue
                    self.items[section].append(Item(entry, doc, (section, index)))

    # --- helpers ---------------------------------------------------------------------------

    def _unique(self, section: str, key: str = "id") -> dict[str, Item]:
        seen: dict[str, Item] = {}
        for item in self.items[section]:
            ident = item.data[key]
            if ident in seen:
                first = seen[ident].where
                self.rep.error(
                    item.doc,
                    item.path + (key,),
                    f"duplicate {section[:-1]} id '{ident}' (first at {first.file}:{first.line})",
                )
            else:
                seen[ident] = item
        return seen

    def _ref(
        self,
        item: Item,
        path: DocPath,
        kind: str,
        value: str,
        known: Mapping[str, object] | set[str],
        section: str,
    ) -> bool:
        if value in known:
            return True
        if value not in self.broken_ids.get(section, set()):
            self.rep.unknown(item.doc, item.path + path, kind, value, known)
        return False

    # --- build -------------------------------------------------------------------------------

    def build(self, digest: str) -> Pack | None:
        if self.meta is None:
            if self.meta_broken:
                return None
            self.rep.problems.append(
                Problem(
                    "pack.yaml",
                    1,
                    1,
                    "error",
                    "no file has the `pack` section (id, name, version, ...)",
                )
            )
            return None
        meta = self.meta.data
        sources = {s["key"]: s for s in meta["sources"]}
        steps = self._unique("steps")
        questions = self._unique("questions")
        shapes = {
            qid: QuestionShape(it.data["type"], tuple(o["id"] for o in it.data.get("options", [])))
            for qid, it in questions.items()
        }
        components = self._unique("components")
        practices = self._unique("practices")
        decisions = self._unique("decisions")
        # a decision that failed the schema is known but has no options to check against
        self.decision_shapes = dict.fromkeys(self.broken_ids["decisions"], ())
        self.decision_shapes.update(
            (did, tuple(o["id"] for o in it.data["options"])) for did, it in decisions.items()
        )
        built_questions = tuple(self._question(it, steps, shapes) for it in questions.values())
        built_components = tuple(self._component(it, shapes) for it in components.values())
        built_practices = tuple(self._practice(it, shapes, sources) for it in practices.values())
        self.product_keys = self._product_keys(self.meta, shapes)
        built_decisions = tuple(
            self._decision(it, components, practices) for it in decisions.values()
        )
        rules = self._unique("rules")
        built_rules = tuple(
            self._rule(it, shapes, decisions, practices, sources) for it in rules.values()
        )
        built_plausibility = tuple(
            self._plausibility(it, shapes, sources) for it in self._unique("plausibility").values()
        )
        diagram = self._diagram(self.base_diagram, components)
        scenarios = self._unique("scenarios")
        by_id = {q.id: q for q in built_questions}
        warnings = {p.id for p in built_plausibility}
        built_scenarios = tuple(
            self._scenario(it, by_id, decisions, practices, warnings) for it in scenarios.values()
        )
        if self.rep.has_errors:  # compiled only when every reference resolved
            return None
        parts = Parts(
            built_questions, built_decisions, built_rules, built_practices, built_plausibility
        )
        return Pack(
            id=meta["id"],
            name=meta["name"],
            version=str(meta["version"]),
            description=meta["description"],
            products_question=meta.get("products_question"),
            products_default=meta.get("products_default"),
            sources=tuple(
                Source(s["key"], s["title"], s.get("url", ""), s.get("summary", ""))
                for s in meta["sources"]
            ),
            steps=tuple(
                Step(s.data["id"], s.data["title"], s.data.get("intro", "")) for s in steps.values()
            ),
            questions=built_questions,
            decisions=built_decisions,
            rules=built_rules,
            practices=built_practices,
            plausibility=built_plausibility,
            components=built_components,
            diagram=diagram,
            scenarios=built_scenarios,
            compiled=compile_pack(parts),
            fingerprint=digest,
        )

    def _question(self, it: Item, steps: Items, shapes: Shapes) -> Question:
        d = it.data
        self._ref(it, ("step",), "step", d["step"], steps, "steps")
        options = tuple(
            Option(o["id"], o["label"], o.get("help", ""), bool(o.get("exclusive", False)))
            for o in d.get("options", [])
        )
        seen: set[str] = set()
        for i, o in enumerate(options):
            if o.id in seen:
                self.rep.error(
                    it.doc, it.path + ("options", i, "id"), f"duplicate option id '{o.id}'"
                )
            seen.add(o.id)
            if o.exclusive and d["type"] != "multi":
                self.rep.error(
                    it.doc,
                    it.path + ("options", i, "exclusive"),
                    "exclusive only applies to multi questions",
                )
        if "min" in d and "max" in d and d["min"] > d["max"]:
            self.rep.error(it.doc, it.path + ("max",), f"max {d['max']} is below min {d['min']}")
        show_if = None
        if "show_if" in d:
            check_condition(
                self.rep,
                it.doc,
                it.path + ("show_if",),
                d["show_if"],
                shapes,
                self.broken_questions,
            )
            show_if = parse_condition(d["show_if"])
        return Question(
            id=d["id"],
            type=d["type"],
            text=d["text"],
            help=d["help"],
            step=d["step"],
            required=bool(d.get("required", False)),
            options=options,
            min=d.get("min"),
            max=d.get("max"),
            max_length=d.get("max_length", 500),
            show_if=show_if,
            where=it.where,
        )

    def _component(self, it: Item, shapes: Shapes) -> Component:
        d = it.data
        when = None
        if "when" in d:
            check_condition(
                self.rep, it.doc, it.path + ("when",), d["when"], shapes, self.broken_questions
            )
            when = parse_condition(d["when"])
        return Component(
            d["id"], d["label"], d["kind"], d["cluster"], when, d.get("shape"), d.get("color")
        )

    def _diagram_of(
        self, it: Item, raw: Mapping[str, Any], path: DocPath, components: Items
    ) -> Diagram:
        for i, cid in enumerate(raw.get("components", [])):
            self._ref(it, path + ("components", i), "component", cid, components, "components")
        links = []
        for i, link in enumerate(raw.get("links", [])):
            for end in ("from", "to"):
                self._ref(
                    it, path + ("links", i, end), "component", link[end], components, "components"
                )
            links.append(Link(link["from"], link["to"], link["label"], link.get("style", "solid")))
        drawn = raw.get("components", [])
        for i, cid in enumerate(raw.get("products_on", [])):
            if cid not in drawn:
                self.rep.error(
                    it.doc,
                    it.path + path + ("products_on", i),
                    f"products_on: '{cid}' is not one of this option's components",
                )
        return Diagram(tuple(drawn), tuple(links), tuple(raw.get("products_on", [])))

    def _diagram(self, items: list[Item], components: Items) -> Diagram:
        parts = [self._diagram_of(it, it.data, (), components) for it in items]
        return Diagram(
            tuple(c for p in parts for c in p.components),
            tuple(link for p in parts for link in p.links),
        )

    def _practice(self, it: Item, shapes: Shapes, sources: Mapping[str, object]) -> Practice:
        d = it.data
        self._ref(it, ("source",), "source", d["source"], sources, "")
        only_when = None
        if "only_when" in d:
            only_when = self._condition(it, ("only_when",), d["only_when"], shapes)
        return Practice(d["id"], d["title"], d["why"], d["source"], it.where, only_when)

    def _plausibility(
        self, it: Item, shapes: Shapes, sources: Mapping[str, object]
    ) -> Plausibility:
        d = it.data
        if "source" in d:
            self._ref(it, ("source",), "source", d["source"], sources, "")
        when = self._condition(it, ("when",), d["when"], shapes, decisions=False)
        return Plausibility(d["id"], when, d["message"], d.get("source", ""), it.where)

    def _condition(
        self,
        it: Item,
        path: DocPath,
        raw: Mapping[str, Any],
        shapes: Shapes,
        *,
        decisions: bool = True,
    ) -> Cond:
        """Check a rule-like condition (which may read decisions) and parse it."""
        check_condition(
            self.rep,
            it.doc,
            it.path + path,
            raw,
            shapes,
            self.broken_questions,
            self.decision_shapes if decisions else None,
        )
        return parse_condition(raw)

    def _check_products(self, it: Item, path: DocPath, products: Mapping[str, list[str]]) -> None:
        """Warn about a product name with unbalanced brackets: in a YAML flow list
        `[a, b (c, d)]` the comma inside the brackets splits one product into two."""
        for cloud, names in products.items():
            for k, name in enumerate(names):
                if name.count("(") != name.count(")") or name.count("[") != name.count("]"):
                    self.rep.warning(
                        it.doc,
                        it.path + path + ("products", cloud, k),
                        f"product {name!r} has unbalanced brackets; a comma inside a flow list "
                        "splits a name in two: put the name in quotes",
                    )

    def _product_keys(self, meta: Item, shapes: Shapes) -> tuple[str, ...] | None:
        """The answers that may key products: the options of the pack's `products_question`.

        None when the pack names no such question, or one that is not a single question.
        """
        qid = meta.data.get("products_question")
        if qid is None:
            if "products_default" in meta.data:
                self.rep.error(
                    meta.doc,
                    meta.path + ("products_default",),
                    "products_default needs products_question: the question it is an answer of",
                )
            return None
        if not self._ref(meta, ("products_question",), "question", qid, shapes, "questions"):
            return None
        shape = shapes[qid]
        if shape.type != "single":
            self.rep.error(
                meta.doc,
                meta.path + ("products_question",),
                f"'{qid}' is a {shape.type} question; products are picked by a single question",
            )
            return None
        default = meta.data.get("products_default")
        if default is not None and default not in shape.options:
            self.rep.unknown(
                meta.doc,
                meta.path + ("products_default",),
                f"option of '{qid}':",
                default,
                shape.options,
            )
        return shape.options

    def _products(
        self, it: Item, path: DocPath, raw: Mapping[str, list[str]]
    ) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """An option's products per answer of the products question, each answer checked."""
        question = self.meta.data.get("products_question") if self.meta else None
        if raw and question is None:
            self.rep.error(
                it.doc,
                it.path + path,
                "products need products_question in the pack section: "
                "the single question whose answer picks them",
            )
        keys = self.product_keys or ()  # none: not declared (said above) or said where it is
        for answer in raw if self.product_keys is not None else ():
            if answer not in keys:
                where = it.path + path + (answer,)
                self.rep.unknown(it.doc, where, f"answer of '{question}':", answer, keys, key=True)
        return tuple((answer, tuple(names)) for answer, names in raw.items())

    def _decision(self, it: Item, components: Items, practices: Items) -> Decision:
        d = it.data
        options = []
        seen: set[str] = set()
        for i, o in enumerate(d["options"]):
            path: DocPath = ("options", i)
            if o["id"] in seen:
                self.rep.error(it.doc, it.path + path + ("id",), f"duplicate option id '{o['id']}'")
            seen.add(o["id"])
            self._check_products(it, path, o.get("products", {}))
            for j, pid in enumerate(o.get("practices", [])):
                self._ref(it, path + ("practices", j), "practice", pid, practices, "practices")
            consequences = o.get("consequences", {})
            options.append(
                DecisionOption(
                    id=o["id"],
                    title=o["title"],
                    description=o["description"],
                    good=tuple(consequences.get("good", ())),
                    bad=tuple(consequences.get("bad", ())),
                    neutral=tuple(consequences.get("neutral", ())),
                    products=self._products(it, path + ("products",), o.get("products", {})),
                    diagram=self._diagram_of(
                        it, o.get("diagram", {}), path + ("diagram",), components
                    ),
                    practices=tuple(o.get("practices", ())),
                )
            )
        if d["default"] not in seen:
            self.rep.unknown(it.doc, it.path + ("default",), "default option", d["default"], seen)
        return Decision(d["id"], d["title"], d["question"], d["default"], tuple(options), it.where)

    def _rule(
        self,
        it: Item,
        shapes: Shapes,
        decisions: Items,
        practices: Items,
        sources: Mapping[str, object],
    ) -> Rule:
        d = it.data
        when = self._condition(it, ("when",), d["when"], shapes)
        self._ref(it, ("source",), "source", d["source"], sources, "")
        effects = []
        for i, e in enumerate(d["effects"]):
            path = ("effects", i)
            if "practice" in e:
                self._ref(
                    it, path + ("practice",), "practice", e["practice"], practices, "practices"
                )
                effects.append(Effect("practice", practice=e["practice"]))
                continue
            kind = next(k for k in DECISION_EFFECT_KINDS if k in e)
            if self._ref(
                it, path + ("decision",), "decision", e["decision"], decisions, "decisions"
            ):
                option_ids = [o["id"] for o in decisions[e["decision"]].data["options"]]
                self._ref(
                    it,
                    path + ("option",),
                    f"option of decision '{e['decision']}':",
                    e["option"],
                    set(option_ids),
                    "",
                )
            effects.append(Effect(kind, e["decision"], e["option"], e.get("score", 0)))
        return Rule(
            d["id"],
            d["title"],
            when,
            tuple(effects),
            d["why"],
            d["source"],
            it.where,
        )

    def _scenario(
        self,
        it: Item,
        questions: Mapping[str, Question],
        decisions: Items,
        practices: Items,
        warnings: set[str],
    ) -> Scenario:
        d = it.data
        for qid, value in d["answers"].items():
            path: DocPath = ("answers", qid)
            if qid not in questions:
                self._ref(it, path, "question", qid, questions, "questions")
                continue
            errors: dict[str, list[str]] = {}
            if value is not None:
                normalize(questions[qid], value, errors)
            for messages in errors.values():
                for message in messages:
                    self.rep.error(it.doc, it.path + path, message)
        expect = d["expect"]
        for did, option in expect.get("decisions", {}).items():
            path = ("expect", "decisions", did)
            if self._ref(it, path, "decision", did, decisions, "decisions"):
                option_ids = {o["id"] for o in decisions[did].data["options"]}
                if option not in option_ids:
                    self.rep.error(
                        it.doc,
                        it.path + path,
                        f"'{option}' is not an option of {did}{did_you_mean(option, option_ids)}",
                    )
        wanted = expect.get("practices", {})
        for key in ("include", "exclude"):
            for i, pid in enumerate(wanted.get(key, [])):
                self._ref(
                    it, ("expect", "practices", key, i), "practice", pid, practices, "practices"
                )
        for section in ("confidence", "products"):
            for did in expect.get(section, {}):
                self._ref(it, ("expect", section, did), "decision", did, decisions, "decisions")
        flagged = expect.get("plausibility", {})
        for key in ("include", "exclude"):
            for i, wid in enumerate(flagged.get(key, [])):
                self._ref(
                    it, ("expect", "plausibility", key, i), "plausibility check", wid, warnings, ""
                )
        return Scenario(
            id=d["id"],
            title=d["title"],
            answers=dict(d["answers"]),
            decisions=tuple(expect.get("decisions", {}).items()),
            include=tuple(wanted.get("include", ())),
            exclude=tuple(wanted.get("exclude", ())),
            where=it.where,
            confidence=tuple(expect.get("confidence", {}).items()),
            products=tuple((d, tuple(p)) for d, p in expect.get("products", {}).items()),
            warn=tuple(flagged.get("include", ())),
            no_warn=tuple(flagged.get("exclude", ())),
        )
