"""What one questionnaire step shows: its form, the step list, progress and the preview."""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, field

from django.forms import BoundField

from advisor import services
from advisor.engine import Pack
from advisor.engine.model import Question, Step
from advisor.web.forms import SHOWN_FIELD, StepForm

FINISH = "finish"


@dataclass
class QuestionView:
    question: Question
    field: BoundField
    visible: bool
    conditional: bool

    @property
    def grouped(self) -> bool:
        """Radio and checkbox groups sit in a fieldset with a legend."""
        return self.question.type in ("single", "boolean", "multi")

    @property
    def hint(self) -> str:
        q = self.question
        if q.type == "multi":
            return "Tick all that apply, or leave them all unticked if you are not sure."
        if q.type == "integer":
            bounds = _range_words(q.min, q.max)
            return f"A whole number{bounds}. Leave it empty if you are not sure."
        if q.type == "text":
            return f"Up to {q.max_length} characters. Optional."
        return ""

    @property
    def described_by(self) -> str:
        qid = self.question.id
        ids = [f"hint-{qid}"] if self.hint else []
        return " ".join([*ids, f"errors-{qid}"] if self.field.errors else ids)

    def control(self) -> str:
        """A text or number input that names its hint and errors for screen readers."""
        attrs: dict[str, str | bool] = {}
        if self.described_by:
            attrs["aria-describedby"] = self.described_by
        if self.field.errors:
            attrs["aria-invalid"] = "true"
        return self.field.as_widget(attrs=attrs)

    @property
    def choices(self) -> list[tuple[object, str]]:
        """(radio or checkbox, its option's help) in the pack's order; "not sure" last."""
        helps = {o.id: o.help for o in self.question.options}
        return [(w, helps.get(str(w.data["value"]), "")) for w in self.field.subwidgets]


def _range_words(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f" from {low:,} to {high:,}"
    if low is not None:
        return f" of at least {low:,}"
    return f" of at most {high:,}" if high is not None else ""


@dataclass
class StepLink:
    step: Step
    number: int
    current: bool
    answered: int
    asked: int


@dataclass
class StepPage:
    step: Step
    number: int
    total: int
    steps: list[StepLink]
    questions: list[QuestionView]
    form: StepForm
    preview: list[dict[str, object]]
    previous_id: str | None
    next_target: str
    form_ok: bool = True
    valid_answers: dict[str, object] = field(default_factory=dict)
    newly_shown: list[str] = field(default_factory=list)
    changed: list[QuestionView] = field(default_factory=list)  # visibility differs from posted

    @property
    def shown(self) -> str:
        return ",".join(q.question.id for q in self.questions if q.conditional and q.visible)

    @property
    def next_title(self) -> str:
        return next((s.step.title for s in self.steps if s.step.id == self.next_target), "")

    @property
    def is_last(self) -> bool:
        return self.next_target == FINISH

    @property
    def waiting_count(self) -> int:
        return sum(1 for d in self.preview if d["waiting"])


def _merge(stored: Mapping[str, object], changes: Mapping[str, object]) -> dict[str, object]:
    return {k: v for k, v in {**stored, **changes}.items() if v is not None}


def _judge(
    form: StepForm, stored: Mapping[str, object], *, show_errors: bool
) -> tuple[dict[str, object], services.AnswersState]:
    """The step's typed answers that parse and that the engine accepts, and the state of the
    whole draft with them."""
    form.is_valid()
    answers = form.answers()
    state = services.answers_state(_merge(stored, answers))
    mine = {k: v for k, v in state.errors.items() if k.split("[", 1)[0] in answers}
    if show_errors:
        form.add_engine_errors(mine)
    rejected = set(form.errors) | {k.split("[", 1)[0] for k in mine}
    return {k: v for k, v in answers.items() if k not in rejected}, state


def _step_links(
    pack: Pack, current: str, answers: Mapping[str, object], hidden: Set[str]
) -> list[StepLink]:
    links = []
    for number, step in enumerate(pack.steps, start=1):
        asked = [q.id for q in pack.questions if q.step == step.id and q.id not in hidden]
        answered = sum(1 for qid in asked if qid in answers)
        links.append(StepLink(step, number, step.id == current, answered, len(asked)))
    return links


def step_page(
    pack: Pack,
    step_id: str,
    *,
    stored: Mapping[str, object],
    data: Mapping[str, object] | None = None,
    preview_only: bool = False,
) -> StepPage:
    """The page for `step_id`; with posted `data`, judged and merged over the stored draft."""
    questions = [q for q in pack.questions if q.step == step_id]
    form = StepForm(data, questions=questions, stored=stored)
    if data is None:
        valid: dict[str, object] = {}
        state = services.answers_state(stored)
    else:
        valid, state = _judge(form, stored, show_errors=not preview_only)
    hidden = state.hidden
    ids = [s.id for s in pack.steps]
    index = ids.index(step_id)
    views = [
        QuestionView(q, form[q.id], q.id not in hidden, q.show_if is not None) for q in questions
    ]
    page = StepPage(
        step=pack.steps[index],
        number=index + 1,
        total=len(ids),
        steps=[] if preview_only else _step_links(pack, step_id, state.asked, hidden),
        questions=views,
        form=form,
        preview=services.preview(state),
        previous_id=ids[index - 1] if index else None,
        next_target=ids[index + 1] if index + 1 < len(ids) else FINISH,
        form_ok=data is None or not form.errors,
        valid_answers=valid,
    )
    if data is not None:
        _note_visibility_changes(page, str(data.get(SHOWN_FIELD, "")))
    return page


def _note_visibility_changes(page: StepPage, posted_shown: str) -> None:
    was_shown = {qid for qid in posted_shown.split(",") if qid}
    for view in page.questions:
        if not view.conditional or view.visible == (view.question.id in was_shown):
            continue
        page.changed.append(view)
        if view.visible:
            page.newly_shown.append(view.question.id)
