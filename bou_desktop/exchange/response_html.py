"""A response as simple HTML (filled, or blank for paper), for print preview and printing.

Plain Python; Qt's QTextDocument renders it. Every text from a user is escaped.
"""

from __future__ import annotations

from html import escape

from ..survey.answers import ANSWER_MODES, Answers, skipped_questions
from ..survey.forms import Form

CHECKED, UNCHECKED = "☒", "☐"


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(part).replace(chr(10), '<br>')}</p>" for part in text.split("\n\n") if part.strip())


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
        "h1 { font-size: 14pt; } h2 { font-size: 11pt; margin-top: 14px; }",
        ".hint { color: #444; font-style: italic; } .help { color: #444; font-size: 8.5pt; }",
        ".line { border-bottom: 1px solid #888; }",
        "</style></head><body>",
        f"<h1>{escape(form.title)}</h1>",
    ]
    if include_intro:
        for section in form.intro:
            out.append(f"<h2>{escape(section.heading)}</h2>{_paragraphs(section.text)}")
    if contact_lines:
        out.append("<p><b>Kontaktuppgifter utvecklingsledaren:</b><br>" + "<br>".join(escape(c) for c in contact_lines) + "</p>")
    out.append(f"<h2>{escape(form.header_title or 'Uppgiftslämnare')}</h2><table cellpadding='3'>")
    respondent = answers.respondent
    rows = [
        ("Kommun", f"{municipality} ({code})" if code else municipality),
        ("Namn", respondent.get("namn", "")),
        ("Befattning", respondent.get("befattning", "")),
    ]
    if not blank:
        rows += [
            ("Svarssätt", ANSWER_MODES.get(meta.get("svarssatt") or "", "")),
            ("Datum", meta.get("datum") or ""),
            ("Intervjuare", meta.get("intervjuare") or ""),
        ]
        if status:
            rows.append(("Status", status))
    for label, value in rows:
        shown = escape(value) if value else "&nbsp;" * 40
        out.append(f"<tr><td><b>{escape(label)}:</b></td><td class='line'>{shown}</td></tr>")
    out.append("</table>")
    for question in form.questions:
        hint = f" <span class='hint'>{escape(question.hint)}</span>" if question.hint else ""
        out.append(f"<h2>{question.number}) {escape(question.text)}{hint}</h2>")
        if question.introduction:
            out.append(_paragraphs(question.introduction))
        if question.instruction:
            out.append(f"<p class='hint'>{escape(question.instruction)}</p>")
        if question.id in skipped and not answers.is_answered(question):
            out.append("<p class='hint'>Ej tillämpligt (hoppas över).</p>")
        out.append("<table cellpadding='2'>")
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
