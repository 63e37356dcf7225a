"""SKL's report of a round (the Enkätredovisning): its sections as data, and the texts SKL writes.

A report template (`forms/rapporter/<form id>.toml`, beside its form; docs/forms.md) names the
report's own sections in order: Förord, Sammanfattning och slutsatser, Bakgrund och syfte,
Undersökningens genomförande with its subsections, … The questions' results follow the sections,
each with the analysis SKL writes under it, and the forms are appended. A form without a template
gets `default_template`.

What SKL writes is plain text with three conventions, so that the same text becomes real headings
and lists in Word and PDF:
- a blank line separates paragraphs;
- a line beginning with "## " is a subheading within the section ("## Syfte");
- lines beginning with "- " are a bulleted list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .forms import ID_PATTERN, FormError, check_table, not_utf8_text, toml_mistake

TEMPLATE_FOLDER = "rapporter"  # under the forms folder
PLACEMENTS = ("before_contents", "body")


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    level: int = 1  # 1: a chapter; 2: a section of the chapter above it
    placement: str = "body"  # "before_contents": before the table of contents (Förord)
    guidance: str = ""  # a hint shown in the empty text box


@dataclass(frozen=True)
class ReportTemplate:
    report_for: str  # the form id the report is of
    title: str  # "Enkätredovisning"
    subtitle: str = ""  # default: the form's report_title or title
    sections: tuple[Section, ...] = ()
    results_heading: str = "Enkätredovisning"  # the chapter of the questions' results
    analysis_label: str = "Analys"  # the text box under each question
    form_appendix: str = "Bilaga 1 – Kommunens enkät"
    county_form_appendix: str = "Bilaga 2 – Länens sammanställningsenkät"
    path: Path | None = field(default=None, compare=False)

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def section_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sections)


@dataclass(frozen=True)
class ReportTexts:
    """What SKL has written for a round's report: per section, and the analysis per question."""

    sections: dict[str, str] = field(default_factory=dict)  # section id -> text
    analyses: dict[str, str] = field(default_factory=dict)  # question id -> text

    def section(self, section_id: str) -> str:
        return self.sections.get(section_id, "")

    def analysis(self, question_id: str) -> str:
        return self.analyses.get(question_id, "")


@dataclass(frozen=True)
class Block:
    """A piece of a written text: a "paragraph", a "subheading" or a "bullets" list (`items`)."""

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()


_SUBHEADING = re.compile(r"^##\s+(.*\S)\s*$")
_BULLET = re.compile(r"^[-•]\s+(.*\S)\s*$")


def blocks(text: str) -> list[Block]:
    """A written text as paragraphs, subheadings and bulleted lists (the conventions above)."""
    result: list[Block] = []
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if paragraph:
            result.append(Block("paragraph", " ".join(paragraph)))
            paragraph.clear()
        if bullets:
            result.append(Block("bullets", items=tuple(bullets)))
            bullets.clear()

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
        elif heading := _SUBHEADING.match(line):
            flush()
            result.append(Block("subheading", heading.group(1)))
        elif bullet := _BULLET.match(line):
            if paragraph:
                flush()
            bullets.append(bullet.group(1))
        else:
            if bullets:
                flush()
            paragraph.append(line)
    flush()
    return result


# --------------------------------------------------------------------------- loading

_TEMPLATE_KEYS = {
    "report_for": (str, True), "title": (str, True), "subtitle": (str, False), "sections": (list, True),
    "results_heading": (str, False), "analysis_label": (str, False), "form_appendix": (str, False),
    "county_form_appendix": (str, False),
}
_SECTION_KEYS = {"id": (str, True), "heading": (str, True), "level": (int, False), "placement": (str, False),
                 "guidance": (str, False)}


def parse_template(data: dict, path: Path | str = "<rapportmall>") -> ReportTemplate:
    """A report template from parsed TOML, every key checked (a FormError names the file, key and reason)."""
    path = Path(path)
    table = check_table(path, "", data, _TEMPLATE_KEYS)
    sections = []
    for index, raw in enumerate(table["sections"]):
        where = f"sections[{index}]"
        item = check_table(path, where, raw, _SECTION_KEYS)
        if not ID_PATTERN.match(item["id"]):
            raise FormError(path, f"{where}.id", f"ogiltigt id {item['id']!r} (endast a–z, 0–9 och _, börjar med bokstav)")
        level = item.get("level", 1)
        if level not in (1, 2):
            raise FormError(path, f"{where}.level", "ska vara 1 (kapitel) eller 2 (avsnitt i kapitlet ovanför)")
        placement = item.get("placement", "body")
        if placement not in PLACEMENTS:
            raise FormError(path, f"{where}.placement", f"okänd placering {placement!r} (tillåtna: {', '.join(PLACEMENTS)})")
        if level == 2 and not sections:
            raise FormError(path, f"{where}.level", "ett avsnitt (level 2) behöver ett kapitel ovanför")
        sections.append(Section(item["id"], item["heading"], level, placement, item.get("guidance", "")))
    if not sections:
        raise FormError(path, "sections", "mallen har inga avsnitt")
    seen: set[str] = set()
    for index, section in enumerate(sections):
        if section.id in seen:
            raise FormError(path, f"sections[{index}].id", f"dubblett av id {section.id!r}")
        seen.add(section.id)
    optional = {k: table[k] for k in ("subtitle", "results_heading", "analysis_label", "form_appendix",
                                       "county_form_appendix") if k in table}
    return ReportTemplate(table["report_for"], table["title"], sections=tuple(sections), path=path, **optional)


def load_template(path: Path | str) -> ReportTemplate:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise FormError(path, "(fil)", f"kan inte läsas: {error.strerror or error}") from error
    try:
        source = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # as read_text's newlines
    except UnicodeDecodeError as error:
        raise FormError(path, "(fil)", f"inte giltig TOML: {not_utf8_text(raw)}") from error
    return template_from_text(source, path)


def template_from_text(source: str, path: Path | str = "<rapportmall>") -> ReportTemplate:
    """A report template from the text of its file (`path` names it in a FormError)."""
    import tomllib

    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        raise FormError(Path(path), "(fil)", f"inte giltig TOML: {toml_mistake(error)}") from error
    return parse_template(data, path)


def default_template(form_id: str) -> ReportTemplate:
    """The sections of a report when its form has no template of its own."""
    return ReportTemplate(form_id, "Enkätredovisning", sections=(
        Section("forord", "Förord", placement="before_contents"),
        Section("sammanfattning", "Sammanfattning och slutsatser"),
        Section("bakgrund", "Bakgrund och syfte"),
        Section("genomforande", "Undersökningens genomförande"),
        Section("bortfall", "Bortfall", level=2),
        Section("metodproblem", "Metodproblem", level=2),
        Section("definitioner", "Definitioner", level=2),
    ))


def template_for(forms_folder: Path, form_id: str) -> ReportTemplate:
    """The report template beside a form (`<forms>/rapporter/<form id>.toml`), else the default one."""
    path = Path(forms_folder) / TEMPLATE_FOLDER / f"{form_id}.toml"
    if not path.exists():
        return default_template(form_id)
    template = load_template(path)
    if template.report_for != form_id:
        raise FormError(path, "report_for", f"mallen gäller {template.report_for!r}, inte {form_id!r}")
    return template


def texts_outside(template: ReportTemplate, texts: ReportTexts, question_ids=()) -> list[tuple[str, str, str]]:
    """(kind, key, text) of the texts written for a section the template no longer has ("section"), or for
    a question the form no longer has ("analysis"; only when `question_ids` is given): kept, never dropped,
    and shown apart so that they can be moved or emptied."""
    sections = set(template.section_ids())
    outside = [("section", key, text) for key, text in texts.sections.items() if key not in sections and text]
    if question_ids:
        questions = set(question_ids)
        outside += [("analysis", key, text) for key, text in texts.analyses.items() if key not in questions and text]
    return outside
