"""The condition language: a small data tree compiled once into closures.

Closures return True, False or None (unknown) and follow Kleene's three-valued logic, so a
rule never fires on an answer nobody gave. Loops are explicit: they are several times faster
than `all()`/`any()` over generator expressions on this hot path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias, get_args

# Normalized answers: multi answers are frozensets; unknown = absent. A value's type follows
# its question's type (validate_answers guarantees it), which a static type cannot say per key;
# closures read Any rather than pay an isinstance check on every call of the hot path.
Answers: TypeAlias = Mapping[str, Any]
Check: TypeAlias = Callable[[Answers], "bool | None"]

# Decision outcomes sit in the same mapping as answers under this prefix; question ids are
# snake_case, so a key with a colon can never collide with one.
DECISION_PREFIX = "decision:"
DECISION_OPERATORS = ("is", "in")


def decision_key(decision_id: str) -> str:
    """The key under which a decision's chosen option is visible to conditions."""
    return DECISION_PREFIX + decision_id


QuestionType = Literal["single", "multi", "boolean", "integer", "text"]
NodeOperator = Literal["all", "any", "not"]
LeafOperator = Literal[
    "is",
    "in",
    "includes",
    "includes_any",
    "includes_all",
    "count_gte",
    "gte",
    "lte",
    "between",
    "answered",
]
Operator = NodeOperator | LeafOperator
# What a leaf compares with, as parsed from YAML (lists become tuples).
LeafValue: TypeAlias = "str | bool | int | tuple[str | int, ...] | None"

LEAF_OPERATORS: tuple[LeafOperator, ...] = get_args(LeafOperator)
QUESTION_TYPES: tuple[QuestionType, ...] = get_args(QuestionType)

OPERATORS_BY_TYPE: dict[QuestionType, tuple[LeafOperator, ...]] = {
    "single": ("is", "in", "answered"),
    "multi": ("includes", "includes_any", "includes_all", "count_gte", "answered"),
    "boolean": ("is", "answered"),
    "integer": ("is", "in", "gte", "lte", "between", "answered"),
    "text": ("is", "answered"),
}


@dataclass(frozen=True)
class Cond:
    """One node: `all`/`any`/`not` with children, a leaf `q <op> value` on a question, or a
    leaf `decision <op> value` on the option another decision chose."""

    op: Operator
    q: str | None = None
    value: LeafValue = None
    of: tuple[str, ...] | None = None
    children: tuple[Cond, ...] = ()
    decision: str | None = None

    @property
    def is_leaf(self) -> bool:
        return self.q is not None or self.decision is not None

    @property
    def key(self) -> str:
        """Where a leaf reads its value: the question id, or the decision's key."""
        if self.decision is not None:
            return decision_key(self.decision)
        return str(self.q)

    @property
    def question(self) -> str:
        """The question a leaf reads (the loader never builds a leaf without one)."""
        if self.q is None:
            raise ValueError(f"'{self.op}' is not a leaf")
        return self.q

    @property
    def members(self) -> tuple[str | int, ...]:
        """The list a leaf compares with (in, includes_any, includes_all, between)."""
        if not isinstance(self.value, tuple):
            raise ValueError(f"'{self.op}' on {self.q} needs a list, not {self.value!r}")
        return self.value

    @property
    def number(self) -> int:
        """The integer a leaf compares with (count_gte, gte, lte)."""
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise ValueError(f"'{self.op}' on {self.q} needs an integer, not {self.value!r}")
        return self.value


def parse_condition(raw: Mapping[str, Any]) -> Cond:
    """Turn a schema-valid mapping (checked by the JSON Schema first) into a Cond tree."""
    if "all" in raw:
        return Cond("all", children=tuple(parse_condition(c) for c in raw["all"]))
    if "any" in raw:
        return Cond("any", children=tuple(parse_condition(c) for c in raw["any"]))
    if "not" in raw:
        return Cond("not", children=(parse_condition(raw["not"]),))
    op = next(k for k in LEAF_OPERATORS if k in raw)
    value = raw[op]
    if isinstance(value, list):
        value = tuple(value)
    if "decision" in raw:
        return Cond(op, value=value, decision=str(raw["decision"]))
    of = tuple(raw["of"]) if "of" in raw else None
    return Cond(op, q=str(raw["q"]), value=value, of=of)


def leaves(cond: Cond) -> list[Cond]:
    if cond.is_leaf:
        return [cond]
    found: list[Cond] = []
    for child in cond.children:
        found.extend(leaves(child))
    return found


def questions_of(cond: Cond) -> set[str]:
    return {leaf.q for leaf in leaves(cond) if leaf.q is not None}


def decisions_of(cond: Cond) -> set[str]:
    """The decisions whose outcome `cond` reads."""
    return {leaf.decision for leaf in leaves(cond) if leaf.decision is not None}


def compile_condition(cond: Cond, *, strict: bool = False) -> Check:
    """A closure evaluating `cond` on normalized answers: True, False or None (unknown).

    With `strict`, `answered` leaves are unknown: the closure is then true only when the
    answers actually given make `cond` true, not the absence of one (see "firm" evidence).
    """
    if cond.op == "all":
        return _junction(
            [compile_condition(c, strict=strict) for c in cond.children], decisive=False
        )
    if cond.op == "any":
        return _junction(
            [compile_condition(c, strict=strict) for c in cond.children], decisive=True
        )
    if cond.op == "not":
        return _not(compile_condition(cond.children[0], strict=strict))
    if strict and cond.op == "answered":
        return _unknown
    return _LEAF_BUILDERS[cond.op](cond)


def _unknown(a: Answers) -> bool | None:
    return None


def _junction(checks: list[Check], *, decisive: bool) -> Check:
    """`all` (one False decides) or `any` (one True decides). Without a deciding child, an
    unknown child makes the whole unknown (Kleene's logic)."""
    otherwise = not decisive

    def check(a: Answers) -> bool | None:
        result: bool | None = otherwise
        for c in checks:
            r = c(a)
            if r is decisive:
                return decisive
            if r is None:
                result = None
        return result

    return check


def _not(inner: Check) -> Check:
    def check(a: Answers) -> bool | None:
        r = inner(a)
        return None if r is None else not r

    return check


def _is(cond: Cond) -> Check:
    q, want = cond.key, cond.value

    def check(a: Answers) -> bool | None:
        v = a.get(q)
        return None if v is None else v == want

    return check


def _in(cond: Cond) -> Check:
    q, allowed = cond.key, frozenset(cond.members)

    def check(a: Answers) -> bool | None:
        v = a.get(q)
        return None if v is None else v in allowed

    return check


def _includes(cond: Cond) -> Check:
    q, want = cond.question, cond.value

    def check(a: Answers) -> bool | None:
        v = a.get(q)
        return None if v is None else want in v

    return check


def _includes_any(cond: Cond) -> Check:
    q, wanted = cond.question, frozenset(cond.members)

    def check(a: Answers) -> bool | None:
        v = a.get(q)
        return None if v is None else not wanted.isdisjoint(v)

    return check


def _includes_all(cond: Cond) -> Check:
    q, wanted = cond.question, frozenset(cond.members)

    def check(a: Answers) -> bool | None:
        v = a.get(q)
        return None if v is None else wanted <= v

    return check


def _count_gte(cond: Cond) -> Check:
    q, n = cond.question, cond.number
    among = frozenset(cond.of) if cond.of else None

    def check(a: Answers) -> bool | None:
        v = a.get(q)
        if v is None:
            return None
        return len(v & among if among is not None else v) >= n

    return check


def _gte(cond: Cond) -> Check:
    q, n = cond.question, cond.number

    def check(a: Answers) -> bool | None:
        v = a.get(q)
        return None if v is None else v >= n

    return check


def _lte(cond: Cond) -> Check:
    q, n = cond.question, cond.number

    def check(a: Answers) -> bool | None:
        v = a.get(q)
        return None if v is None else v <= n

    return check


def _between(cond: Cond) -> Check:
    q, (low, high) = cond.question, cond.members

    def check(a: Answers) -> bool | None:
        v = a.get(q)
        return None if v is None else low <= v <= high

    return check


def _answered(cond: Cond) -> Check:
    q, want = cond.question, bool(cond.value)

    def check(a: Answers) -> bool | None:
        return (q in a) is want

    return check


# In LEAF_OPERATORS order; zip(strict=True) refuses an operator without its builder at import.
_BUILDERS = (_is, _in, _includes, _includes_any, _includes_all, _count_gte, _gte, _lte)
_LEAF_BUILDERS: dict[Operator, Callable[[Cond], Check]] = dict(
    zip(LEAF_OPERATORS, (*_BUILDERS, _between, _answered), strict=True)
)


def positive_leaves(cond: Cond) -> list[Cond]:
    """The leaves not under a `not`: those whose truth can explain why a rule fired."""
    if cond.is_leaf:
        return [cond]
    if cond.op == "not":
        return []
    found: list[Cond] = []
    for child in cond.children:
        found.extend(positive_leaves(child))
    return found


def _words(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


# decision id -> (decision title, option id -> option title), to word decision leaves
DecisionNames = Mapping[str, tuple[str, Mapping[str, str]]]


def _lower_first(text: str) -> str:
    """'A message queue' -> 'a message queue'; names such as 'GraphQL' or 'REST' stay."""
    first = text.split(" ", 1)[0]
    rest = first[1:]
    return text[:1].lower() + text[1:] if rest == rest.lower() else text


def _describe_decision(cond: Cond, names: DecisionNames | None) -> str:
    """'the messaging backbone is a log-based event stream' (ids when no names are given)."""
    did = str(cond.decision)
    options = cond.value if isinstance(cond.value, tuple) else (cond.value,)
    if names is None or did not in names:
        return f"{did} is {'one of ' if cond.op == 'in' else ''}{_words(cond.value)}"
    title, option_titles = names[did]
    words = [_lower_first(option_titles.get(str(o), str(o))) for o in options]
    choice = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
    return f"the {_lower_first(title)} is {choice}"


def describe(cond: Cond, names: DecisionNames | None = None) -> str:
    """The condition in plain words, e.g. 'clients includes web and backend_teams is at least 2'.

    With `names`, a leaf on a decision reads as words ("the messaging backbone is a log-based
    event stream") rather than ids.
    """
    if cond.op in ("all", "any"):
        joiner = " and " if cond.op == "all" else " or "
        parts = [describe(c, names) for c in cond.children]
        text = joiner.join(f"({p})" if " and " in p or " or " in p else p for p in parts)
        return text
    if cond.op == "not":
        return f"not ({describe(cond.children[0], names)})"
    if cond.decision is not None:
        return _describe_decision(cond, names)
    q, v = cond.q, cond.value
    phrases = {
        "is": f"{q} is {_words(v)}",
        "in": f"{q} is one of {_words(v)}",
        "includes": f"{q} includes {_words(v)}",
        "includes_any": f"{q} includes any of {_words(v)}",
        "includes_all": f"{q} includes all of {_words(v)}",
        "count_gte": f"{q} has at least {v} selected"
        + (f" among {_words(cond.of)}" if cond.of else ""),
        "gte": f"{q} is at least {v}",
        "lte": f"{q} is at most {v}",
        "between": f"{q} is between {_words(v)}".replace(", ", " and ", 1),
        "answered": f"{q} is {'answered' if v else 'not answered'}",
    }
    return phrases[cond.op]


def condition_data(cond: Cond) -> dict[str, object]:
    """The condition back in its YAML/JSON form (for the questionnaire API and editors)."""
    if cond.op in ("all", "any"):
        return {cond.op: [condition_data(c) for c in cond.children]}
    if cond.op == "not":
        return {"not": condition_data(cond.children[0])}
    value = list(cond.value) if isinstance(cond.value, tuple) else cond.value
    if cond.decision is not None:
        return {"decision": cond.decision, cond.op: value}
    data: dict[str, object] = {"q": cond.q, cond.op: value}
    if cond.of:
        data["of"] = list(cond.of)
    return data
