"""Values and aggregates as a person reads them, in plain text for the PDFs and the print preview.

The words and figures are those of the county and national views (gui/aggregate_view.py): numbers
with a decimal comma and the question's unit ("12,5 %"), a mean to two decimals, a mean rank to one,
dates as ÅÅÅÅ-MM-DD, a text with the name of its municipality or region (none when anonymised).
Plain Python, no Qt.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from ..survey.aggregates import DateAggregate, NumberAggregate, TextAggregate
from ..survey.compilation import round_half_up
from ..survey.types import QUESTION_TYPES, AnswerError

NUMBER_TYPES = ("integer", "decimal")
NUMBER_MEASURES = ("Antal svar", "Summa", "Medelvärde", "Median", "Minsta", "Största")
DATE_MEASURES = ("Antal svar", "Tidigast", "Senast")
DATE_PATTERN = "ÅÅÅÅ-MM-DD"
MEAN_PLACES = 2  # a mean of numbers: two decimals at most (2,4; 0,33)
RANK_PLACES = 1  # a mean rank: one decimal, as in the 2011 report (1,8)
DASH = "–"
UNIT_WORDS = {"kommun": ("kommun", "kommuner"), "region": ("region", "regioner")}


def swedish_number(value: Decimal | int | float | None, unit: str = "", places: int | None = None,
                   keep_places: bool = False) -> str:
    """"12,5 %", "2,33", "−3"; "–" for none. `places` rounds half up; `keep_places` keeps "2,0"."""
    if value is None:
        return DASH
    value = round_half_up(value, places) if places is not None else (
        Decimal(repr(value)) if isinstance(value, float) else Decimal(value))
    if not keep_places:
        value = value.normalize()
    text = format(value, "f").replace(".", ",")
    if text.startswith("-"):
        text = "−" + text[1:]
    return f"{text}\u00a0{unit}" if unit else text


def swedish_date(value: date | None) -> str:
    return value.isoformat() if value is not None else DASH


def unit_count(n: int, unit_key: str = "kommun") -> str:
    """"1 kommun", "3 regioner"."""
    one, many = UNIT_WORDS.get(unit_key, UNIT_WORDS["kommun"])
    return f"{n} {one if n == 1 else many}"


def report_title(form) -> str:
    """The national report's title: the form's `report_title`, else its title."""
    return form.report_title or form.title


def survey_name(form, year: int) -> str:
    """The survey as a running header names it: the form's round name and the year ("Kartläggning 2011",
    "Lägesrapport 2013"), as the rounds are named."""
    return form.round_title(year)


def rate_headings(unit_key: str = "kommun") -> tuple[str, str]:
    """The two count columns of a response-rate table: the units there are, and those that answered."""
    if unit_key == "region":
        return "Antal regioner", "Antal regioner som svarat"
    return "Antal kommuner i länet/regionen", "Antal kommuner i länet/regionen som besvarat enkäten"


def region_notes(regions, notes: Mapping[str, str] | None = None) -> list[str]:
    """The footnotes under a response-rate table: "Skaraborg, Fyrbodal, GR, Sjuhärad: Det finns 21 …",
    one per distinct note of the regions named (in their order). `notes`: region -> note, by default
    from the program's register (resources/regioner.csv, column fotnot)."""
    if notes is None:
        from ..paths import resources_dir
        from ..survey.register import load_register

        notes = {r.name: r.note for r in load_register(resources_dir()).regions}
    grouped: dict[str, list[str]] = {}
    for region in regions:
        note = notes.get(region, "").strip()
        if note:
            grouped.setdefault(note, []).append(region)
    return [f"{', '.join(names)}: {note}" for note, names in grouped.items()]


CONTACT_HEADING = "Kontaktuppgifter utvecklingsledaren:"
CONTACT_PLACEHOLDER = "Kontaktuppgifter utvecklingsledaren (här skriver du in namn, e-post och tfn nr)"  # Bilaga 1


def contact_block(contact_lines) -> list[str]:
    """The letter's contact lines: the leader's details from the profile under their heading, or, without
    them, Bilaga 1's own line for the leader to fill in (SKL's contacts of 2011 are not printed)."""
    lines = [line for line in (contact_lines or ()) if str(line).strip()]
    return [CONTACT_HEADING, *lines] if lines else [CONTACT_PLACEHOLDER]


def intro_has_contact(form) -> bool:
    """Whether an introduction section of the form says where the contact lines go (`contact = true`)."""
    return any(getattr(section, "contact", False) for section in form.intro)


def rate_notes(report) -> list[str]:
    """The footnotes under a national report's response-rate table. The register's notes speak of the
    municipal survey's regions (Västra Götaland's four kommunförbund): a region-level report has none."""
    return region_notes(r.region for r in report.regions) if report.unit_key == "kommun" else []


def can_be_skipped(form, question_id: str) -> bool:
    """Whether an option's `skip_to` passes over the question: then it has an "Ej tillämpligt" row."""
    return any(question_id in form.skipped_by(q.id, o.id) for q in form.questions for o in q.options)


def question_of(form, question_id: str):
    """The form's question, or None when the form has no such question (an older file's)."""
    try:
        return form.question(question_id)
    except KeyError:
        return None


def option_label(question, option_id: str, fallback: str) -> str:
    """An option as the tables and charts name it: the form's short label, else its label (docs/forms.md);
    `fallback` (the compilation's or report's label) when the form has no such option."""
    if question is not None:
        for option in question.options:
            if option.id == option_id:
                return option.report_label
    return fallback


def form_labels(question, result) -> dict[str, str]:
    """A county compilation's options in the county form's words (Bilaga 2's tables), else the compilation's."""
    labels = {o.option_id: o.label for o in result.options}
    if question is not None:
        labels.update({o.id: o.label for o in question.options if o.id in labels})
    return labels


def rate_sentence(report, percent, name=str) -> str:
    """"17 län/regioner ingår med underlag från 190 kommuner (83 %)." (or, for a region-level report,
    "… av … län/regioner har svarat"), then the regions whose files are missing. `percent` writes a
    percentage, `name` a region's name (the PDF escapes it)."""
    total = report.total
    if report.unit_key == "region":  # each region answers itself
        sentence = (f"{total.kommuner_svarat} av {total.kommuner_totalt} län/regioner har svarat "
                    f"({percent(total.svarsfrekvens)}).")
    else:
        with_file = sum(1 for r in report.regions if r.has_file)
        sentence = (f"{with_file} län/regioner ingår med underlag från {unit_count(total.kommuner_svarat)} "
                    f"({percent(total.svarsfrekvens)}).")
    if report.missing:
        sentence += f" Underlag saknas från {', '.join(name(region) for region in report.missing)}."
    return sentence


def units_word(unit_key: str = "kommun") -> str:
    """"kommuner" or "regioner"."""
    return UNIT_WORDS.get(unit_key, UNIT_WORDS["kommun"])[1]


def bounds_text(spec) -> str:
    """A number field's bounds and unit as a hint: "(0–100 %)", "(minst 0)", "(%)"; empty when none."""
    from .xlsx_values import bounds_text as bounds  # the Excel svarsfil's words for the same bounds

    text = " ".join(part for part in (bounds(spec), getattr(spec, "unit", "")) if part)
    return f"({text})" if text else ""


def value_text(spec, stored: str) -> str:
    """A stored value as read: "12,5 %" for a number, the date, the text; as typed when it is not valid."""
    kind = QUESTION_TYPES[spec.type]
    if spec.type in NUMBER_TYPES:
        try:
            return swedish_number(kind.parse(spec, stored), spec.unit)
        except AnswerError:
            return stored
    return stored.strip()


def number_cells(aggregate: NumberAggregate | None, unit: str = "") -> tuple[str, ...]:
    """Antal svar, Summa, Medelvärde, Median, Minsta, Största."""
    if aggregate is None or not aggregate.n:
        return ("0" if aggregate is None else str(aggregate.n), DASH, DASH, DASH, DASH, DASH)
    return (str(aggregate.n), swedish_number(aggregate.sum, unit), swedish_number(aggregate.mean, unit, MEAN_PLACES),
            swedish_number(aggregate.median, unit), swedish_number(aggregate.min, unit),
            swedish_number(aggregate.max, unit))


def date_cells(aggregate: DateAggregate | None) -> tuple[str, ...]:
    """Antal svar, Tidigast, Senast."""
    if aggregate is None:
        return ("0", DASH, DASH)
    return (str(aggregate.n), swedish_date(aggregate.min), swedish_date(aggregate.max))


def text_entries(aggregate: TextAggregate | None, names: Mapping[str, str] | None = None,
                 with_region: bool = False) -> list[tuple[str, str]]:
    """Each text as (who, text): who is the unit's name ("Motala"; "Östergötland – Motala" with its region
    when `with_region`), empty when anonymised."""
    names = names or {}
    entries = []
    for entry in aggregate.texts if aggregate is not None else ():
        who = names.get(entry.unit, entry.unit) if entry.unit is not None else ""
        if with_region and entry.region and entry.region != who:
            who = f"{entry.region} – {who}" if who else entry.region
        entries.append((who, entry.text.strip()))
    return entries


def rows_sentence(aggregate, unit_key: str = "kommun", can_be_skipped: bool = False) -> str:
    """A table question's "Antal rader: 7. Ej svar: 2 kommuner. Ej tillämpligt: 1 kommun." (PDF and Word alike)."""
    sentence = f"Antal rader: {aggregate.rows if aggregate is not None else 0}."
    if aggregate is not None and aggregate.ej_svar:
        sentence += f" Ej svar: {unit_count(aggregate.ej_svar, unit_key)}."
    if aggregate is not None and can_be_skipped and aggregate.ej_tillampligt:
        sentence += f" Ej tillämpligt: {unit_count(aggregate.ej_tillampligt, unit_key)}."
    return sentence


def texts_caption(caption: str, count: int, aggregate=None, unit_key: str = "kommun") -> str:
    """"Svar (3), ej svar: 2 kommuner:" above a list of texts (without "ej svar" when `aggregate` is None)."""
    heading = f"{caption} ({count})"
    if aggregate is not None and aggregate.ej_svar:
        heading += f", ej svar: {unit_count(aggregate.ej_svar, unit_key)}"
    return heading + ":"


BLANK_TABLE_ROWS = 5  # rows on a blank form for a table without max_rows
MAX_BLANK_TABLE_ROWS = 12  # a blank table never has more empty rows than this


def blank_table_rows(question) -> int:
    """How many empty rows a blank form gives a table question: max_rows, or a few, never too many."""
    count = question.max_rows if question.max_rows is not None else BLANK_TABLE_ROWS
    return max(min(count, MAX_BLANK_TABLE_ROWS), question.min_rows, 1)


def column_hint(column) -> str:
    """What a table column's header says below its label: its bounds and unit, or ÅÅÅÅ-MM-DD."""
    if column.type in NUMBER_TYPES:
        return bounds_text(column)
    return DATE_PATTERN if column.type == "date" else ""


def respondent_rows(form, place: str, answers, meta: Mapping[str, str | None], status: str | None,
                    blank: bool) -> list[tuple[str, str]]:
    """The header of a printed response: the municipality (or region), the form's respondent fields, and
    on a filled form how, when and by whom it was answered."""
    from ..survey.answers import ANSWER_MODES, respondent_fields

    unit_label = next((h.label for h in form.header if h.type in ("municipality", "region")),
                      "Region" if form.unit_key == "region" else "Kommun")
    rows = [(unit_label, place)]
    rows += [(h.label, answers.respondent.get(h.id, "")) for h in respondent_fields(form)]
    if not blank:
        rows += [
            ("Svarssätt", ANSWER_MODES.get(meta.get("svarssatt") or "", "")),
            ("Datum", meta.get("datum") or ""),
            ("Intervjuare", meta.get("intervjuare") or ""),
        ]
        if status:
            rows.append(("Status", status))
    return rows


# --------------------------------------------------------------------------- one unit's answer in words
def rows_text(n: int) -> str:
    """"1 rad", "3 rader"."""
    return f"{n} {'rad' if n == 1 else 'rader'}"


def answer_text(question, answers) -> str:
    """One unit's answer to a question in a line, as read: "Ja", "Politiker, Chefer", "1. A, 2. C",
    "12,5 %", a table's "3 rader"; an "ange" text after its option ("Annat: se bilaga"). Empty when
    the question has no answer. The comment is not part of it (see `answer_details`)."""
    qid = question.id
    if question.qtype.has_columns:
        rows = [row for row in answers.tables.get(qid, []) if any(str(v).strip() for v in row.values())]
        return rows_text(len(rows)) if rows else ""
    if question.qtype.is_value:
        value = answers.values.get(qid, "")
        return " ".join(line.strip() for line in value_text(question, value).splitlines()) if value.strip() else ""
    labels = {o.id: o.label for o in question.options}

    def with_specify(option_id: str) -> str:
        text = answers.specify.get((qid, option_id), "").strip()
        label = labels.get(option_id, option_id)
        return f"{label}: {' '.join(text.split())}" if text else label

    if question.type == "ranking":
        ranks = answers.ranks.get(qid, {})
        return ", ".join(f"{rank}. {with_specify(o)}" for o, rank in sorted(ranks.items(), key=lambda item: item[1]))
    return ", ".join(with_specify(o) for o in answers.choices.get(qid, []))


def answer_details(question, answers) -> str:
    """The whole answer for a tooltip: `answer_text` with a table's rows and a text in full, and the comment."""
    lines: list[str] = []
    if question.qtype.has_columns:
        for number, row in enumerate(answers.tables.get(question.id, []), start=1):
            cells = [f"{c.label}: {value_text(c, row[c.id])}" for c in question.columns if str(row.get(c.id, "")).strip()]
            if cells:
                lines.append(f"Rad {number}: " + ", ".join(cells))
    elif question.type == "longtext":
        value = answers.values.get(question.id, "").strip()
        if value:
            lines.append(value)
    else:
        text = answer_text(question, answers)
        if text:
            lines.append(text)
    comment = answers.comments.get(question.id, "").strip()
    if comment:
        lines.append(f"Kommentar: {comment}")
    return "\n".join(lines)
