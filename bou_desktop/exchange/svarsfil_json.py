"""The JSON svarsfil: one municipality's (or region's) answers to one round (documented in docs/formats.md).

Written at format_version 2, which carries every question type; version 1 files are read as before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .. import __version__
from ..survey.answers import ANSWER_MODES, STATUSES, Answers, check, respondent_fields
from ..survey.forms import Form, FormLibrary
from ..survey.register import Register
from ..survey.types import AnswerError
from .errors import RefusedFile, check_format_version

FORMAT = "bou-svarsfil"
FORMAT_VERSION = 2
READ_VERSIONS = (1, 2)
MAX_BYTES = 5_000_000  # a svarsfil is a few kilobytes; refuse anything absurd before parsing
MAX_TEXT = 20_000
_TOP_KEYS = {
    "format", "format_version", "form", "form_version", "round", "kommun", "kommun_namn", "uuid", "status",
    "svarssatt", "datum", "intervjuare", "uppgiftslamnare", "answers", "specify", "comments",
    "exported", "app_version",
}
_TOP_KEYS_V2 = _TOP_KEYS | {"region"}  # a region-level form's file names its region instead of a municipality


@dataclass
class Svarsfil:
    """A svarsfil read and checked, ready to be merged into a database."""

    form_id: str
    form_version: str
    round_year: int
    kommun: str  # "" in a region-level file
    uuid: str | None
    status: str
    meta: dict[str, str | None]
    answers: Answers
    region: str | None = None  # the region answering a region-level form (kind "region")


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise RefusedFile(f"fältet {where} ska vara text")
    if len(value) > MAX_TEXT:
        raise RefusedFile(f"fältet {where} är för långt ({len(value)} tecken, högst {MAX_TEXT})")
    try:
        value.encode("utf-8")  # a lone surrogate ("\ud800" in JSON, _xD800_ in Excel) cannot be stored
    except UnicodeEncodeError:
        raise RefusedFile(f"fältet {where} innehåller ogiltiga tecken") from None
    return value.strip()


def _parse_answers(form: Form, raw: dict) -> Answers:
    answers = Answers()
    for qid, value in _dict(raw.get("answers", {}), "answers").items():
        try:
            question = form.question(qid)
        except KeyError:
            raise RefusedFile(f"answers.{qid}: okänd fråga (formuläret {form.id} har {', '.join(form.question_ids())})") from None
        try:
            question.qtype.from_json(question, value, answers, f"answers.{qid}")
        except AnswerError as error:
            raise RefusedFile(str(error)) from None
    for qid, value in answers.values.items():
        answers.values[qid] = _text(value, f"answers.{qid}")
    for qid, rows in answers.tables.items():
        for index, row in enumerate(rows):
            for column_id, value in row.items():
                row[column_id] = _text(value, f"answers.{qid}[{index}].{column_id}")
    for qid, value in _dict(raw.get("specify", {}), "specify").items():
        try:
            question = form.question(qid)
        except KeyError:
            raise RefusedFile(f"specify.{qid}: okänd fråga") from None
        options = question.specify_options
        if not options:
            raise RefusedFile(f"specify.{qid}: fråga {question.number} har inget ”ange”-alternativ")
        if isinstance(value, dict):
            for option_id, text in value.items():
                if option_id not in [o.id for o in options]:
                    raise RefusedFile(f"specify.{qid}.{option_id}: alternativet har ingen ange-text")
                if _text(text, f"specify.{qid}.{option_id}"):
                    answers.specify[(qid, option_id)] = _text(text, f"specify.{qid}.{option_id}")
        else:
            if len(options) != 1:
                raise RefusedFile(f"specify.{qid}: ange vilket alternativ texten hör till")
            text = _text(value, f"specify.{qid}")
            if text:
                answers.specify[(qid, options[0].id)] = text
    for qid, value in _dict(raw.get("comments", {}), "comments").items():
        if qid not in form.question_ids():
            raise RefusedFile(f"comments.{qid}: okänd fråga")
        text = _text(value, f"comments.{qid}")
        if text:
            answers.comments[qid] = text
    known = [h.id for h in respondent_fields(form)]
    for key, value in _dict(raw.get("uppgiftslamnare", {}), "uppgiftslamnare").items():
        if key not in known:
            raise RefusedFile(f"uppgiftslamnare.{key}: okänt fält (tillåtna: {', '.join(known) or 'inga'})")
        text = _text(value, f"uppgiftslamnare.{key}")
        if text:
            answers.respondent[key] = text
    problems = check(form, answers)
    if problems:
        raise RefusedFile("; ".join(problems))
    return answers


def _dict(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise RefusedFile(f"fältet {where} ska vara ett objekt ({{…}})")
    return value


def parse_svarsfil(data: bytes, forms: FormLibrary, register: Register) -> Svarsfil:
    """Read a JSON svarsfil; raise RefusedFile naming the field that is wrong."""
    if len(data) > MAX_BYTES:
        raise RefusedFile(f"filen är för stor för en svarsfil ({len(data) // 1_000_000} MB)")
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise RefusedFile("filen är inte text i UTF-8 och kan inte vara en svarsfil") from None
    except RecursionError:
        raise RefusedFile("filen är för djupt nästlad för att vara en svarsfil") from None
    except json.JSONDecodeError as error:
        raise RefusedFile(f"filen är inte giltig JSON (rad {error.lineno}, kolumn {error.colno})") from None
    except ValueError:  # an integer of more than 4 300 digits
        raise RefusedFile("filen är inte giltig JSON (ett tal har för många siffror)") from None
    return svarsfil_from_dict(_dict(raw, "(filen)"), forms, register)


def status_on_import(uuid: str | None, status: str | None) -> str:
    """The status a svarsfil's response gets (docs/formats.md, "status").

    A file exported from a response carries its uuid and keeps that response's status. A file
    without a uuid is a questionnaire the municipality filled in itself (the blank template has
    neither uuid nor status; templates from earlier versions say utkast): its answers are the
    municipality's own, importerad, unless the file says klar.
    """
    if uuid is None:
        return "klar" if status == "klar" else "importerad"
    return status or "utkast"


def svarsfil_from_dict(raw: dict, forms: FormLibrary, register: Register) -> Svarsfil:
    """Check a svarsfil's content, whichever file it came from (JSON, or Excel read into this shape)."""
    if raw.get("format") != FORMAT:
        raise RefusedFile(f"filen är ingen svarsfil (fältet format ska vara {FORMAT!r})")
    version = check_format_version(raw, READ_VERSIONS)
    unknown = sorted(set(raw) - (_TOP_KEYS if version == 1 else _TOP_KEYS_V2))
    if unknown:
        raise RefusedFile(f"okänt fält {unknown[0]!r}")
    form_id = raw.get("form")
    if not isinstance(form_id, str) or form_id not in forms or forms[form_id].kind not in ("kommun", "region"):
        raise RefusedFile(f"fältet form: okänt formulär {form_id!r}")
    form = forms[form_id]
    form_version = raw.get("form_version")
    if form_version != form.version:
        raise RefusedFile(f"fältet form_version: {form_version!r} stämmer inte med formulärets version {form.version!r}")
    year = raw.get("round")
    if isinstance(year, bool) or not isinstance(year, int):
        raise RefusedFile("fältet round ska vara ett årtal, t.ex. 2011")
    kommun, region = _unit(form, raw, register)
    uuid = raw.get("uuid")
    if uuid is not None:
        uuid = _text(uuid, "uuid") or None
    status = raw.get("status")
    if status == "":  # what a template's empty status cell reads as
        status = None
    if status is not None and (not isinstance(status, str) or status not in STATUSES):
        raise RefusedFile(f"fältet status: {status!r} (tillåtna: {', '.join(STATUSES)})")
    status = status_on_import(uuid, status)
    svarssatt = raw.get("svarssatt")
    if svarssatt is not None and (not isinstance(svarssatt, str) or svarssatt not in ANSWER_MODES):
        raise RefusedFile(f"fältet svarssatt: {svarssatt!r} (tillåtna: {', '.join(ANSWER_MODES)})")
    meta = {
        "svarssatt": svarssatt,
        "datum": _text(raw["datum"], "datum") if raw.get("datum") else None,
        "intervjuare": _text(raw["intervjuare"], "intervjuare") if raw.get("intervjuare") else None,
    }
    return Svarsfil(form.id, form.version, year, kommun, uuid, status, meta, _parse_answers(form, raw), region)


def _unit(form: Form, raw: dict, register: Register) -> tuple[str, str | None]:
    """(kommun, region) of the file: a municipality code, or for a region-level form ("", region name)."""
    other = "kommun" if form.unit_key == "region" else "region"
    if other in raw:
        raise RefusedFile(f"fältet {other}: formuläret {form.id} besvaras per {form.unit_key}, inte per {other}")
    if form.unit_key == "region":
        name = raw.get("region")
        region = register.find_region(name) if isinstance(name, str) else None
        if region is None:
            raise RefusedFile(f"fältet region: okänd region {name!r}")
        return "", region.name
    kommun = raw.get("kommun")
    if not isinstance(kommun, str):
        raise RefusedFile("fältet kommun ska vara en kommunkod med fyra siffror, t.ex. \"0580\"")
    kommun = kommun.strip()
    try:
        register.municipality(kommun)
    except KeyError:
        raise RefusedFile(f"fältet kommun: okänd kommunkod {kommun!r}") from None
    return kommun, None


def build_svarsfil(form: Form, year: int, kommun: str, kommun_namn: str, uuid: str, status: str,
                   meta: dict[str, str | None], answers: Answers, exported: str) -> dict:
    """The JSON object of a svarsfil (format_version 2). For a region-level form `kommun` is the region's
    name, written as `"region"`, and `kommun_namn` is left out."""
    out_answers: dict[str, Any] = {}
    specify: dict[str, Any] = {}
    for question in form.questions:
        qid = question.id
        value = question.qtype.to_json(question, answers)
        if value is not None:
            out_answers[qid] = value
        texts = {o.id: answers.specify[(qid, o.id)] for o in question.specify_options if (qid, o.id) in answers.specify}
        if texts:
            specify[qid] = next(iter(texts.values())) if len(question.specify_options) == 1 else texts
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "form": form.id,
        "form_version": form.version,
        "round": year,
        **({"region": kommun} if form.unit_key == "region" else {"kommun": kommun, "kommun_namn": kommun_namn}),
        "uuid": uuid,
        "status": status,
        "svarssatt": meta.get("svarssatt"),
        "datum": meta.get("datum"),
        "intervjuare": meta.get("intervjuare"),
        "uppgiftslamnare": {h.id: answers.respondent[h.id] for h in respondent_fields(form) if h.id in answers.respondent},
        "answers": out_answers,
        "specify": specify,
        "comments": {q.id: answers.comments[q.id] for q in form.questions if q.id in answers.comments},
        "exported": exported,
        "app_version": __version__,
    }


def dumps(document: dict) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
