"""A response as simple HTML (filled, or blank for paper), for print preview and printing.

Plain Python; Qt's QTextDocument renders it. Every text from a user is escaped.
"""

from __future__ import annotations

from html import escape

from ..survey.answers import Answers, skipped_questions
from ..survey.forms import Form
from .aggregate_text import (
    DATE_PATTERN,
    NUMBER_TYPES,
    blank_table_rows,
    bounds_text,
    column_hint,
    contact_block,
    intro_has_contact,
    respondent_rows,
    value_text,
)

CHECKED, UNCHECKED = "☒", "☐"


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(part).replace(chr(10), '<br>')}</p>" for part in text.split("\n\n") if part.strip())


def _options_html(question, answers: Answers) -> str:
    out = ["<table cellpadding='2'>"]
    chosen = answers.choices.get(question.id, [])
    ranks = answers.ranks.get(question.id, {})
    for option in question.options:
        if question.type == "ranking":
            rank = ranks.get(option.id)
            mark = f"[ {rank} ]" if rank else "[&nbsp;&nbsp;&nbsp;]"
        else:
            mark = CHECKED if option.id in chosen else UNCHECKED
        label = escape(option.label)
        if option.description:
            label += f"<br><span class='help'>{escape(option.description)}</span>"
        if option.specify:
            text = answers.specify.get((question.id, option.id), "")
            label += ": " + (f"<i>{escape(text)}</i>" if text else "_" * 30)
        out.append(f"<tr><td valign='top'>{mark}</td><td>{label}</td></tr>")
    out.append("</table>")
    return "".join(out)


def _table_html(question, answers: Answers, blank: bool) -> str:
    """Column headers (with unit and bounds, or ÅÅÅÅ-MM-DD), then the rows, or empty rows to write in."""
    heads = []
    for column in question.columns:
        hint = column_hint(column)
        heads.append(escape(column.label) + (f"<br><span class='help'>{escape(hint)}</span>" if hint else ""))
    out = ["<table border='1' cellspacing='0' cellpadding='4' width='100%'><tr><th>Rad</th>"]
    out += [f"<th align='left'>{head}</th>" for head in heads]
    out.append("</tr>")
    if blank:
        rows = [(n, {}) for n in range(1, blank_table_rows(question) + 1)]
    else:
        rows = [(n, row) for n, row in enumerate(answers.tables.get(question.id, []), start=1)
                if any(v.strip() for v in row.values())]
    for number, row in rows:
        cells = "".join(f"<td>{escape(value_text(c, row.get(c.id, ''))) or '&nbsp;'}</td>" for c in question.columns)
        out.append(f"<tr><td align='center'>{number}</td>{cells}</tr>")
    out.append("</table>")
    if not blank and not rows:
        out.append("<p class='hint'>Inga rader ifyllda.</p>")
    return "".join(out)


def _value_html(question, answers: Answers, blank: bool) -> str:
    """A number, date, text, longtext or table question: its answer, or room to write it."""
    if question.qtype.has_columns:
        return _table_html(question, answers, blank)
    if blank:
        if question.type == "longtext":
            return "<table border='1' cellspacing='0' width='100%'><tr><td height='90'>&nbsp;</td></tr></table>"
        if question.type == "date":
            return f"<p>Svar: <span class='help'>{DATE_PATTERN}</span> " + "_" * 14 + "</p>"
        bounds = f" {escape(bounds_text(question))}" if question.type in NUMBER_TYPES and bounds_text(question) else ""
        return f"<p>Svar{bounds}: " + "_" * 40 + "</p>"
    value = answers.values.get(question.id, "")
    if not value.strip():
        return "<p>Svar: –</p>"
    if question.type == "longtext":
        return "<p>Svar:</p>" + _paragraphs(value)
    return f"<p>Svar: <b>{escape(value_text(question, value))}</b></p>"


def _contact_html(contact_lines: list[str] | None) -> str:
    first, *rest = contact_block(contact_lines)
    return "<p>" + "<br>".join([f"<b>{escape(first)}</b>", *(escape(line) for line in rest)]) + "</p>"


def response_html(form: Form, *, municipality: str = "", code: str = "", answers: Answers | None = None,
                  meta: dict[str, str | None] | None = None, status: str | None = None,
                  contact_lines: list[str] | None = None, include_intro: bool = False) -> str:
    """The questionnaire with its answers ticked; `answers=None` gives a blank form to fill by hand."""
    meta = meta or {}
    blank = answers is None
    answers = answers or Answers()
    skipped = skipped_questions(form, answers)
    out = [
        "<html><head><meta charset='utf-8'><style>",
        "body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 10pt; }",
        "h1 { font-size: 14pt; } h2 { font-size: 11pt; margin-top: 14px; } h3 { font-size: 10.5pt; }",
        ".hint { color: #444; font-style: italic; } .help { color: #444; font-size: 8.5pt; }",
        ".line { border-bottom: 1px solid #888; }",
        "</style></head><body>",
        f"<h1>{escape(form.title)}</h1>",
    ]
    if include_intro:
        for section in form.intro:
            out.append(f"<h2>{escape(section.heading)}</h2>{_paragraphs(section.text)}")
            if section.contact:  # the letter's contact lines: the leader's, from the profile
                out.append(_contact_html(contact_lines))
    if contact_lines and not (include_intro and intro_has_contact(form)):
        out.append(_contact_html(contact_lines))
    out.append(f"<h2>{escape(form.header_title or 'Uppgiftslämnare')}</h2><table cellpadding='3'>")
    rows = respondent_rows(form, f"{municipality} ({code})" if code else municipality, answers, meta, status, blank)
    for label, value in rows:
        shown = escape(value) if value else "&nbsp;" * 40
        out.append(f"<tr><td><b>{escape(label)}:</b></td><td class='line'>{shown}</td></tr>")
    out.append("</table>")
    for question in form.questions:
        hint = f" <span class='hint'>{escape(question.hint)}</span>" if question.hint else ""
        if question.heading:  # the whole question's text, once, above its first part
            out.append(f"<h2>{question.number}) {escape(question.heading)}</h2>")
            out.append(f"<h3>{escape(question.label)} {escape(question.text)}{hint}</h3>")
        else:
            out.append(f"<h2>{escape(question.label)} {escape(question.text)}{hint}</h2>")
        if question.introduction:
            out.append(_paragraphs(question.introduction))
        if question.instruction:
            out.append(f"<p class='hint'>{escape(question.instruction)}</p>")
        if question.id in skipped and not answers.is_answered(question):
            out.append("<p class='hint'>Ej tillämpligt (hoppas över).</p>")
        if question.qtype.has_options:
            out.append(_options_html(question, answers))
        else:
            out.append(_value_html(question, answers, blank))
        comment = answers.comments.get(question.id, "")
        if comment:
            out.append(f"<p><b>Kommentar:</b> {escape(comment)}</p>")
        elif blank:
            out.append("<p><b>Kommentar:</b> " + "_" * 60 + "</p>")
        if question.help:
            out.append(f"<p class='help'>{escape(question.help).replace(chr(10), '<br>')}</p>")
    if form.closing:
        out.append(_paragraphs(form.closing))
    out.append("</body></html>")
    return "".join(out)
