"""One municipality's answers to a form, independent of storage and file format.

A response is kept as a set of canonical fields, each a string:
  "q1"                   the chosen option of a single-choice question
  "q2.politiker"         "X" when a multiple-choice option is ticked
  "q10.basuppgifter"     the rank ("1"…"7") of a ranking option
  "q2.annan.ange"        the "ange" text of an option
  "q1.kommentar"         the comment on a question (every type)
  "q3"                   the value of an integer, decimal, date, text or longtext question ("12.5")
  "q4.1.omfattning"      a table's cell: row 1, column "omfattning"
  "uppgiftslamnare.namn" / "uppgiftslamnare.befattning"
Which keys a question may hold, and what its values must be, is its type's (survey/types.py).
Fields make diffs, the audit log and storage one simple mapping.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..records import Record, record
from .forms import Form, Question
from .types import TICK, where_of  # noqa: F401  (TICK: imported from here by the views and files)

# Stored statuses. utkast: being filled in; importerad: the municipality's own answers, read from a
# svarsfil it returned (open to the leader's changes); klar: finished and locked.
STATUSES = ("utkast", "importerad", "klar")
NOT_STARTED = "ej påbörjad"
INCOMPLETE = "importerad – ofullständig"
ANSWER_MODES = {
    "intervju": "Personlig intervju",
    "telefon": "Telefonintervju",
    "gruppintervju": "Gruppintervju",
    "e-post": "E-post",
    "post": "Post",
    "egen_ifyllning": "Egen ifyllning",
}
# The respondent's fields are the form's `header` fields that a person fills in (not the municipality
# or region, which the response is of), stored as "uppgiftslamnare.<header id>".
RESPONDENT_PREFIX = "uppgiftslamnare"
FILLED_HEADER_TYPES = ("text", "integer")


def respondent_fields(form: Form) -> tuple:
    """The header fields of a form that the respondent fills in, in the form's order."""
    return tuple(h for h in form.header if h.type in FILLED_HEADER_TYPES)


def personal_fields(form: Form) -> tuple[str, ...]:
    """The stored field keys of a response that hold personal data (`personal = true` in the form)."""
    return tuple(f"{RESPONDENT_PREFIX}.{h.id}" for h in respondent_fields(form) if h.personal)


@dataclass
class Answers:
    """What a municipality answered: choices, ranks, "ange" texts, comments and respondent."""

    choices: dict[str, list[str]] = field(default_factory=dict)  # question -> chosen option ids
    ranks: dict[str, dict[str, int]] = field(default_factory=dict)  # question -> option -> rank
    specify: dict[tuple[str, str], str] = field(default_factory=dict)  # (question, option) -> text
    comments: dict[str, str] = field(default_factory=dict)  # question -> text
    respondent: dict[str, str] = field(default_factory=dict)  # header field id (the form's `header`) -> text
    values: dict[str, str] = field(default_factory=dict)  # integer/decimal/date/text/longtext question -> value
    tables: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # table question -> rows {column: value}

    def to_fields(self, form: Form) -> dict[str, str]:
        fields: dict[str, str] = {}
        for question in form.questions:
            qid = question.id
            question.qtype.write_fields(question, self, fields)
            comment = self.comments.get(qid, "")
            if comment.strip():
                fields[f"{qid}.kommentar"] = comment
        for header in respondent_fields(form):
            value = self.respondent.get(header.id, "")
            if value.strip():
                fields[f"{RESPONDENT_PREFIX}.{header.id}"] = value
        return fields

    @classmethod
    def from_fields(cls, form: Form, fields: dict[str, str]) -> Answers:
        answers = cls()
        for key, value in fields.items():
            parts = key.split(".")
            if parts[0] == RESPONDENT_PREFIX:
                answers.respondent[parts[1]] = value
                continue
            question = form.question(parts[0])
            if parts[1:] == ["kommentar"]:
                answers.comments[question.id] = value
            else:
                question.qtype.read_field(question, tuple(parts[1:]), value, answers)
        # Keep multiple choices in the form's order, whatever order they came in.
        for qid, chosen in answers.choices.items():
            order = form.question(qid).option_ids()
            chosen.sort(key=lambda oid: order.index(oid) if oid in order else len(order))
        return answers

    def is_answered(self, question: Question) -> bool:
        return question.qtype.is_answered(question, self)


def field_label(form: Form, key: str) -> str:
    """A Swedish description of a field for the history view, e.g. "Fråga 2: Politiker"."""
    parts = key.split(".")
    if parts[0] == RESPONDENT_PREFIX:
        header = next((h for h in respondent_fields(form) if h.id == parts[-1]), None)
        return f"{form.header_title or 'Uppgiftslämnare'}: {header.label.lower()}" if header else key
    try:
        question = form.question(parts[0])
    except KeyError:
        return key
    prefix = f"Fråga {question.number_text}"
    if len(parts) == 1:
        return prefix
    if parts[1] == "kommentar":
        return f"{prefix}: kommentar"
    if question.qtype.has_columns and len(parts) == 3:
        try:
            return f"{where_of(question, int(parts[1]), question.column(parts[2]))}"
        except (KeyError, ValueError):
            return key
    try:
        label = question.option(parts[1]).label
    except KeyError:
        label = parts[1]
    if len(parts) == 3:
        return f"{prefix}: {label} (text)"
    return f"{prefix}: {label}"


def skipped_questions(form: Form, answers: Answers) -> set[str]:
    """Questions that a chosen option's `skip_to` passes over (Q1 = Nej skips Q2–Q4)."""
    skipped: set[str] = set()
    for question in form.questions:
        if question.type != "single":
            continue
        for option_id in answers.choices.get(question.id, []):
            skipped.update(form.skipped_by(question.id, option_id))
    return skipped


def contradictions(form: Form, answers: Answers) -> list[str]:
    """Skipped questions that hold answers anyway: kept, flagged for the leader, not counted."""
    return [
        qid
        for qid in form.question_ids()
        if qid in skipped_questions(form, answers) and answers.is_answered(form.question(qid))
    ]


def unanswered(form: Form, answers: Answers) -> list[Question]:
    """Required questions without an answer, leaving out those that are skipped."""
    skipped = skipped_questions(form, answers)
    return [q for q in form.questions if q.required and q.id not in skipped and not answers.is_answered(q)]


@record
class ResponseState(Record):
    """A response's status as every part of the program shows and counts it (docs/anvandarguide.md)."""

    status: str | None  # the stored status; None when the municipality has no response
    missing: tuple[str | int, ...] = ()  # numbers ("3", "1 a") of the required questions without an answer

    @property
    def counts(self) -> bool:
        """Whether the municipality has answered: the one rule for list, progress line and compilation."""
        return self.status == "klar" or (self.status == "importerad" and not self.missing)

    @property
    def label(self) -> str:
        """ej påbörjad, utkast, importerad, importerad – ofullständig or klar."""
        if self.status is None:
            return NOT_STARTED
        return INCOMPLETE if self.status == "importerad" and self.missing else self.status

    @property
    def description(self) -> str:
        """The label, naming the missing questions of an incomplete import."""
        if self.label != INCOMPLETE:
            return self.label
        return f"{self.label}, saknar svar på fråga {', '.join(map(str, self.missing))}"


def response_state(form: Form, status: str | None, answers: Answers | None) -> ResponseState:
    """The state of a stored response (status None: no response)."""
    if status is None or answers is None:
        return ResponseState(status)
    return ResponseState(status, tuple(q.number_text for q in unanswered(form, answers)))


def check(form: Form, answers: Answers) -> list[str]:
    """Problems that make answers impossible to store, in Swedish; empty when all is well."""
    problems: list[str] = []
    for qid, chosen in answers.choices.items():
        try:
            question = form.question(qid)
        except KeyError:
            problems.append(f"okänd fråga {qid!r}")
            continue
        if question.type == "ranking":
            problems.append(f"fråga {question.number} är en rangordning, inte ett kryss")
            continue
        for option_id in chosen:
            if option_id not in question.option_ids():
                problems.append(f"fråga {question.number}: okänt svarsalternativ {option_id!r}")
        if len(set(chosen)) != len(chosen):
            problems.append(f"fråga {question.number}: samma svarsalternativ två gånger")
        if question.type == "single" and len(chosen) > 1:
            problems.append(f"fråga {question.number}: bara ett svar är tillåtet, men {len(chosen)} är ikryssade")
    for qid, ranks in answers.ranks.items():
        try:
            question = form.question(qid)
        except KeyError:
            problems.append(f"okänd fråga {qid!r}")
            continue
        if question.type != "ranking":
            problems.append(f"fråga {question.number} är ingen rangordning")
            continue
        for option_id, rank in ranks.items():
            if option_id not in question.option_ids():
                problems.append(f"fråga {question.number}: okänt svarsalternativ {option_id!r}")
            elif isinstance(rank, bool) or not isinstance(rank, int) or not 1 <= rank <= question.max_rank:
                problems.append(
                    f"fråga {question.number}: rangen för {option_id!r} ska vara ett heltal 1–{question.max_rank}, inte {rank!r}"
                )
    for (qid, option_id), _text in answers.specify.items():
        try:
            question = form.question(qid)
        except KeyError:
            problems.append(f"okänd fråga {qid!r} i ange-text")
            continue
        if option_id not in [o.id for o in question.specify_options]:
            problems.append(f"fråga {question.number}: alternativet {option_id!r} har ingen ange-text")
    for qid in answers.comments:
        if qid not in form.question_ids():
            problems.append(f"okänd fråga {qid!r} i kommentar")
    problems.extend(_check_typed(form, answers))
    known = [h.id for h in respondent_fields(form)]
    for key in answers.respondent:
        if key not in known:
            problems.append(f"okänt fält i uppgiftslämnare: {key!r}")
    return problems


def _check_typed(form: Form, answers: Answers) -> list[str]:
    """Values and tables: on questions of their kind, each value valid for its type."""
    problems: list[str] = []
    for store, wanted, name in ((answers.values, "is_value", "ett värde"), (answers.tables, "has_columns", "en tabell")):
        for qid in store:
            try:
                question = form.question(qid)
            except KeyError:
                problems.append(f"okänd fråga {qid!r}")
                continue
            if not getattr(question.qtype, wanted):
                problems.append(f"{where_of(question)} har inte {name} som svar")
    for question in form.questions:
        if question.id in answers.values or question.id in answers.tables:
            problems.extend(question.qtype.check(question, answers))
    return problems


def repeated_ranks(answers: Answers, question_id: str) -> list[int]:
    """Ranks given to more than one option (warned about, not refused)."""
    values = list(answers.ranks.get(question_id, {}).values())
    return sorted({v for v in values if values.count(v) > 1})
