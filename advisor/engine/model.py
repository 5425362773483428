"""The pack as frozen dataclasses: what the loader builds and everything else reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, get_args

from .conditions import Cond, QuestionType
from .result import DecisionEffectKind

EffectKind = DecisionEffectKind | Literal["practice"]
DECISION_EFFECT_KINDS: tuple[DecisionEffectKind, ...] = get_args(DecisionEffectKind)
LinkStyle = Literal["solid", "dashed", "dotted", "bold"]


@dataclass(frozen=True)
class Where:
    file: str
    line: int
    column: int


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    url: str = ""
    summary: str = ""  # what the source says, in the pack's own words (for /sources/)


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    intro: str = ""


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    help: str = ""
    exclusive: bool = False


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    text: str
    help: str
    step: str
    required: bool = False
    options: tuple[Option, ...] = ()
    min: int | None = None
    max: int | None = None
    max_length: int = 500
    show_if: Cond | None = None
    where: Where | None = field(default=None, compare=False)

    @cached_property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)

    @cached_property
    def labels(self) -> dict[str, str]:
        """Option id -> label, as the questionnaire shows it."""
        return {o.id: o.label for o in self.options}


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    label: str
    style: LinkStyle = "solid"


@dataclass(frozen=True)
class Diagram:
    components: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    products_on: tuple[str, ...] = ()  # where the option's products are written, in order


@dataclass(frozen=True)
class DecisionOption:
    id: str
    title: str
    description: str
    good: tuple[str, ...] = ()
    bad: tuple[str, ...] = ()
    neutral: tuple[str, ...] = ()
    # (answer of the pack's products question, products)
    products: tuple[tuple[str, tuple[str, ...]], ...] = ()
    diagram: Diagram = Diagram()
    practices: tuple[str, ...] = ()  # attached whenever this option is chosen

    def products_for(self, answer: str | None, *, default: str | None) -> tuple[str, ...]:
        """The products for `answer`, else those for the `default` answer, else none."""
        table = dict(self.products)
        return (table.get(answer) if answer else None) or table.get(default or "", ())


@dataclass(frozen=True)
class Decision:
    id: str
    title: str
    question: str
    default: str
    options: tuple[DecisionOption, ...]
    where: Where | None = field(default=None, compare=False)

    @cached_property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)

    @cached_property
    def options_by_id(self) -> dict[str, DecisionOption]:
        return {o.id: o for o in self.options}

    def option(self, option_id: str) -> DecisionOption:
        """The option with this id (KeyError for an id the decision does not have)."""
        return self.options_by_id[option_id]


@dataclass(frozen=True)
class Effect:
    """One effect of a rule: kind is score, require, exclude or practice."""

    kind: EffectKind
    decision: str = ""
    option: str = ""
    weight: int = 0
    practice: str = ""

    @property
    def argues_for(self) -> bool:
        """Whether it pushes its option forward (require, positive score) or holds it back."""
        return self.kind == "require" or (self.kind == "score" and self.weight > 0)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    when: Cond
    effects: tuple[Effect, ...]
    why: str
    source: str
    where: Where | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Practice:
    """Something to do whatever the architecture, attached to the result by rules."""

    id: str
    title: str
    why: str
    source: str
    where: Where | None = field(default=None, compare=False)
    only_when: Cond | None = None  # attached only while this holds (e.g. an option is chosen)


@dataclass(frozen=True)
class Plausibility:
    """Answers that rarely go together: a warning in words, never a change to the advice."""

    id: str
    when: Cond
    message: str
    source: str = ""
    where: Where | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Component:
    """A box the diagram can draw: in a cluster, and only `when` its condition holds."""

    id: str
    label: str
    kind: str
    cluster: str
    when: Cond | None = None
    shape: str | None = None
    color: str | None = None


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    answers: dict[str, object] = field(hash=False)
    decisions: tuple[tuple[str, str], ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    where: Where | None = field(default=None, compare=False)
    confidence: tuple[tuple[str, str], ...] = ()  # decision -> expected label
    products: tuple[tuple[str, tuple[str, ...]], ...] = ()  # decision -> exact products
    warn: tuple[str, ...] = ()  # plausibility ids that must be raised
    no_warn: tuple[str, ...] = ()  # ... and that must not
