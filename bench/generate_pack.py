"""Generate a valid, reproducible rule pack of N rules for the scaling benchmarks.

The pack has 20 questions of every type (two with a show_if), 5 decisions, 5 practices and
N rules whose conditions are random nested all/any/not trees over random leaves. Every rule
is satisfiable by construction: it is generated *against a witness*, a random valid answer
set, so that the whole condition is true on it (children of all/any/not get target values
that make their parent's value right, unknown included). The loader's static analysis, which
refuses conditions that can never be true, therefore accepts every rule.

    generate_pack(1000)                       # {file name: YAML text}, same output every time
    python bench/generate_pack.py 1000 --out /tmp/pack1000   # write it as a folder
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Mapping
from pathlib import Path

from naive_interpreter import evaluate_condition

SEED = 20240601
RULES_PER_FILE = 500
MAX_DEPTH = 3
# chance that a node at a given depth is a leaf (depth 3 always is)
LEAF_CHANCE = (0.25, 0.6, 0.85, 1.0)

# id, type, options (or (min, max) for integers), show_if
QUESTIONS: list[tuple[str, str, object, dict | None]] = [
    ("s1", "single", ["small", "medium", "large"], None),
    ("s2", "single", ["north", "south", "east", "west"], None),
    ("s3", "single", ["alpha", "beta", "gamma", "delta", "epsilon"], None),
    ("s4", "single", ["low", "mid", "high"], None),
    ("s5", "single", ["red", "green", "blue", "black"], None),
    ("s6", "single", ["daily", "weekly", "monthly"], {"q": "b1", "is": True}),
    ("m1", "multi", ["web", "mobile", "desktop", "devices", "none"], None),
    ("m2", "multi", ["chat", "video", "files", "search", "maps", "payments"], None),
    ("m3", "multi", ["eu", "us", "apac", "none"], None),
    ("m4", "multi", ["sso", "mfa", "audit", "scim", "rbac"], None),
    ("b1", "boolean", None, None),
    ("b2", "boolean", None, None),
    ("b3", "boolean", None, None),
    ("b4", "boolean", None, None),
    ("b5", "boolean", None, None),
    ("i1", "integer", (0, 100_000), None),
    ("i2", "integer", (1, 500), None),
    ("i3", "integer", (0, 1_000), None),
    (
        "i4",
        "integer",
        (0, 1_000_000),
        {"q": "m1", "count_gte": 2, "of": ["web", "mobile", "desktop"]},
    ),
    ("t1", "text", None, None),
]
TEXTS = ["acme", "globex", "initech", "umbrella"]
DECISIONS: list[tuple[str, list[str]]] = [
    ("d1", ["none", "basic", "advanced"]),
    ("d2", ["rest", "graphql", "grpc", "trpc"]),
    ("d3", ["none", "queue", "stream", "both", "log"]),
    ("d4", ["none", "sse", "websocket"]),
    ("d5", ["inline", "deferred", "batched", "streamed"]),
]
PRACTICES = ["p-retries", "p-idempotency", "p-rate-limits", "p-tracing", "p-backups"]

_BY_ID = {q[0]: q for q in QUESTIONS}
_VISIBILITY = [(q[0], q[3]) for q in QUESTIONS if q[3] is not None]


# --- answers --------------------------------------------------------------------------------


def _random_value(rng: random.Random, qid: str) -> object:
    _, kind, spec, _ = _BY_ID[qid]
    if kind == "single":
        return rng.choice(spec)  # type: ignore[arg-type]
    if kind == "multi":
        options: list[str] = list(spec)  # type: ignore[arg-type]
        if "none" in options and rng.random() < 0.15:
            return ["none"]
        plain = [o for o in options if o != "none"]
        return rng.sample(plain, rng.randint(0 if rng.random() < 0.05 else 1, len(plain)))
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "integer":
        low, high = spec  # type: ignore[misc]
        # mostly small numbers, sometimes anywhere in the range, like real traffic figures
        return (
            rng.randint(low, min(high, low + 50)) if rng.random() < 0.4 else rng.randint(low, high)
        )
    return rng.choice(TEXTS)


def random_answers(rng: random.Random, answered: float = 0.8) -> dict[str, object]:
    """A valid answer set as JSON-like data; some questions are left unanswered and some
    hidden questions are answered anyway (the engine ignores those)."""
    return {qid: _random_value(rng, qid) for qid, *_ in QUESTIONS if rng.random() < answered}


def _normalized_visible(answers: Mapping[str, object]) -> dict[str, object]:
    values = {k: frozenset(v) if isinstance(v, list) else v for k, v in answers.items()}
    for qid, show_if in _VISIBILITY:
        if evaluate_condition(show_if, values) is not True:  # type: ignore[arg-type]
            values.pop(qid, None)
    return values


# --- conditions generated against a witness ---------------------------------------------------


class _Builder:
    def __init__(self, rng: random.Random, witness: dict[str, object]) -> None:
        self.rng = rng
        self.w = witness
        self.answered = [qid for qid in _BY_ID if qid in witness]
        self.unknown = [qid for qid in _BY_ID if qid not in witness]

    def cond(self, target: bool | None, depth: int = 0) -> dict:
        if depth == MAX_DEPTH or self.rng.random() < LEAF_CHANCE[depth]:
            return self.leaf(target)
        op = self.rng.choices(("all", "any", "not"), (0.45, 0.4, 0.15))[0]
        if op == "not":
            inner = None if target is None else not target
            return {"not": self.cond(inner, depth + 1)}
        n = self.rng.choice((2, 2, 3))
        # all: true if all true; false if one false; unknown if none false and one unknown.
        # any is the mirror image.
        strong = op != "all"  # the value that decides the node: False for all, True for any
        weak = not strong
        if target is strong:
            targets = [self._any_target() for _ in range(n)]
            targets[self.rng.randrange(n)] = strong
        elif target is weak:
            targets = [weak] * n
        else:  # unknown: callers only ask for it when some question is unanswered
            targets = [self.rng.choice((weak, None)) for _ in range(n)]
            targets[self.rng.randrange(n)] = None
        return {op: [self.cond(t, depth + 1) for t in targets]}

    def _any_target(self) -> bool | None:
        if not self.unknown:
            return self.rng.choice((True, False))
        return self.rng.choices((True, False, None), (0.4, 0.4, 0.2))[0]

    def leaf(self, target: bool | None) -> dict:
        """A leaf whose value on the witness is `target` (None: on an unanswered question)."""
        rng = self.rng
        if target is not None and (rng.random() < 0.06 or not self.answered):
            qid = rng.choice(list(_BY_ID))
            return {"q": qid, "answered": (qid in self.w) == target}
        for _ in range(50):
            if target is None:
                leaf = self._leaf_on(rng.choice(self.unknown), rng.random() < 0.5, known=False)
            else:
                leaf = self._leaf_on(rng.choice(self.answered), target, known=True)
            if leaf is not None:
                return leaf
        if target is None:  # pragma: no cover - the generator never asks without unknowns
            raise RuntimeError("no leaf can be unknown on this witness")
        qid = rng.choice(list(_BY_ID))
        return {"q": qid, "answered": (qid in self.w) == target}

    def _leaf_on(self, qid: str, target: bool, *, known: bool) -> dict | None:
        """A leaf on `qid` that is `target` on the witness (any value if not `known`)."""
        rng = self.rng
        _, kind, spec, _ = _BY_ID[qid]
        v = self.w.get(qid) if known else _random_value(rng, qid)
        if not known and kind == "multi":
            v = frozenset(v)  # type: ignore[arg-type]
        if kind == "single":
            options: list[str] = spec  # type: ignore[assignment]
            others = [o for o in options if o != v]
            if rng.random() < 0.6:
                return {"q": qid, "is": v if target else rng.choice(others)}
            if target:
                return {"q": qid, "in": [v, *rng.sample(others, rng.randint(0, len(others) - 1))]}
            return {"q": qid, "in": rng.sample(others, rng.randint(1, len(others)))}
        if kind == "boolean":
            return {"q": qid, "is": v if target else not v}
        if kind == "text":
            return {"q": qid, "is": v if target else rng.choice([t for t in TEXTS if t != v])}
        if kind == "integer":
            return self._integer_leaf(qid, v, spec, target)  # type: ignore[arg-type]
        return self._multi_leaf(qid, v, spec, target)  # type: ignore[arg-type]

    def _integer_leaf(self, qid: str, v: int, spec: tuple[int, int], target: bool) -> dict | None:
        rng = self.rng
        low, high = spec
        op = rng.choice(("gte", "gte", "lte", "lte", "between", "is", "in"))
        step = max(1, (high - low) // 20)
        if op == "gte":
            n = rng.randint(max(low, v - step), v) if target else v + rng.randint(1, step)
            return {"q": qid, "gte": n} if n <= high else None
        if op == "lte":
            n = rng.randint(v, min(high, v + step)) if target else v - rng.randint(1, step)
            return {"q": qid, "lte": n} if n >= low else None
        if op == "between":
            if target:
                return {"q": qid, "between": [max(low, v - rng.randint(0, step)), v + step]}
            a = v + rng.randint(1, step)
            return {"q": qid, "between": [a, a + step]} if a <= high else None
        if op == "is":
            return {"q": qid, "is": v if target else v + 1}
        near = [v + d for d in (-2, -1, 1, 2) if low <= v + d <= high]
        picked = rng.sample(near, rng.randint(1, len(near)))
        return {"q": qid, "in": [v, *picked] if target else picked}

    def _multi_leaf(self, qid: str, v: frozenset, spec: list[str], target: bool) -> dict | None:
        rng = self.rng
        inside = sorted(v)
        outside = [o for o in spec if o not in v]
        op = rng.choice(("includes", "includes", "includes_any", "includes_all", "count_gte"))
        if op == "includes":
            pool = inside if target else outside
            return {"q": qid, "includes": rng.choice(pool)} if pool else None
        if op == "includes_any":
            if target:
                if not inside:
                    return None
                chosen = [rng.choice(inside), *rng.sample(outside, min(len(outside), 1))]
            else:
                if not outside:
                    return None
                chosen = rng.sample(outside, rng.randint(1, min(3, len(outside))))
            return {"q": qid, "includes_any": sorted(set(chosen))}
        if op == "includes_all":
            if target:
                if not inside:
                    return None
                chosen = rng.sample(inside, rng.randint(1, min(3, len(inside))))
            else:
                if not outside:
                    return None
                chosen = [rng.choice(outside), *rng.sample(inside, min(len(inside), 1))]
            return {"q": qid, "includes_all": sorted(set(chosen))}
        plain = [o for o in spec if o != "none"]
        of = sorted(rng.sample(plain, rng.randint(2, len(plain)))) if rng.random() < 0.5 else None
        count = len(v & set(of)) if of else len(v)
        limit = len(of) if of else len(plain)
        if target:
            n = rng.randint(max(0, count - 1), count)
        elif count + 1 > limit:
            return None
        else:
            n = rng.randint(count + 1, limit)
        leaf: dict = {"q": qid, "count_gte": n}
        if of:
            leaf["of"] = of
        return leaf


def _effects(rng: random.Random) -> list[dict]:
    effects: list[dict] = []
    used: set[tuple[str, str]] = set()
    for _ in range(rng.choices((1, 2, 3), (0.5, 0.35, 0.15))[0]):
        decision, options = rng.choice(DECISIONS)
        option = rng.choice(options)
        if (decision, option) in used:
            continue
        used.add((decision, option))
        kind = rng.choices(("score", "exclude", "require"), (0.955, 0.04, 0.005))[0]
        if kind == "score":
            weight = rng.choice((-3, -2, -1, 1, 1, 2, 2, 3, 3, 4, 5))
            effects.append({"decision": decision, "option": option, "score": weight})
        else:
            effects.append({"decision": decision, "option": option, kind: True})
    if rng.random() < 0.15:
        effects.append({"practice": rng.choice(PRACTICES)})
    return effects


def generate_rules(n_rules: int, seed: int = SEED) -> list[dict]:
    """N rules as plain data; each one's condition is true on its own witness answers."""
    rng = random.Random(seed)
    rules = []
    for index in range(n_rules):
        witness = _normalized_visible(random_answers(rng, answered=0.85))
        builder = _Builder(rng, witness)
        target = True
        when = builder.cond(target)
        got = evaluate_condition(when, witness)
        assert got is True, f"generator bug: rule {index} is {got} on its witness"
        rules.append(
            {
                "id": f"rule-{index:05d}",
                "title": f"Generated rule {index}",
                "when": when,
                "effects": _effects(rng),
                "why": "Generated for the scaling benchmark.",
                "source": "bench",
            }
        )
    return rules


# --- YAML text ------------------------------------------------------------------------------


def _flow(value: object) -> str:
    """JSON is YAML flow style; quoted strings stay strings under the strict loader."""
    return json.dumps(value, separators=(", ", ": "))


def _questions_yaml() -> str:
    lines = ["questions:"]
    for qid, kind, spec, show_if in QUESTIONS:
        lines += [
            f"  - id: {qid}",
            f"    type: {kind}",
            "    step: main",
            f"    text: Generated question {qid}?",
            "    help: A question of the generated benchmark pack.",
        ]
        if kind in ("single", "multi"):
            lines.append("    options:")
            for option in spec:  # type: ignore[attr-defined]
                extra = ", exclusive: true" if kind == "multi" and option == "none" else ""
                lines.append(f'      - {{id: "{option}", label: "Option {option}"{extra}}}')
        if kind == "integer":
            low, high = spec  # type: ignore[misc]
            lines += [f"    min: {low}", f"    max: {high}"]
        if kind == "text":
            lines.append("    max_length: 100")
        if show_if is not None:
            lines.append(f"    show_if: {_flow(show_if)}")
    return "\n".join(lines) + "\n"


def _decisions_yaml() -> str:
    lines = ["decisions:"]
    for did, options in DECISIONS:
        lines += [
            f"  - id: {did}",
            f"    title: Decision {did}",
            f"    question: Which option for {did}?",
            f"    default: {options[0]}",
            "    options:",
        ]
        for option in options:
            lines.append(
                f'      - {{id: "{option}", title: "{option}", description: "Option {option}."}}'
            )
    return "\n".join(lines) + "\n"


def _rules_yaml(rules: list[dict]) -> str:
    lines = ["rules:"]
    for rule in rules:
        lines += [
            f"  - id: {rule['id']}",
            f"    title: {rule['title']}",
            f"    when: {_flow(rule['when'])}",
            "    effects:",
            *(f"      - {_flow(e)}" for e in rule["effects"]),
            f"    why: {rule['why']}",
            f"    source: {rule['source']}",
        ]
    return "\n".join(lines) + "\n"


def generate_pack(n_rules: int, seed: int = SEED) -> dict[str, str]:
    """A complete pack of `n_rules` rules as {file name: YAML text}, for load_pack."""
    files = {
        "pack.yaml": (
            "pack:\n"
            f"  id: generated_{n_rules}\n"
            f"  name: Generated pack with {n_rules} rules\n"
            '  version: "1.0.0"\n'
            "  description: A random but valid pack for the scaling benchmarks.\n"
            "  sources:\n"
            "    - {key: bench, title: The benchmark generator}\n"
            "steps:\n"
            "  - {id: main, title: Questions}\n"
        ),
        "questions.yaml": _questions_yaml(),
        "decisions.yaml": _decisions_yaml(),
        "practices.yaml": "practices:\n"
        + "".join(
            f"  - {{id: {p}, title: Practice {p}, why: Generated., source: bench}}\n"
            for p in PRACTICES
        ),
    }
    rules = generate_rules(n_rules, seed)
    for start in range(0, n_rules, RULES_PER_FILE):
        chunk = rules[start : start + RULES_PER_FILE]
        files[f"rules/rules_{start // RULES_PER_FILE:03d}.yaml"] = _rules_yaml(chunk)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rules", type=int, help="number of rules")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", required=True, help="folder to write the pack into")
    args = parser.parse_args()
    out = Path(args.out)
    for name, text in generate_pack(args.rules, args.seed).items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    print(f"wrote a pack of {args.rules} rules to {out}")


if __name__ == "__main__":
    main()
