"""The report's sections as data (survey/report.py) and the conventions of the texts SKL writes."""

from __future__ import annotations

import re

import pytest
from conftest import REPO, SEED

from bou_desktop.survey.forms import FormError
from bou_desktop.survey.report import Block, blocks, default_template, parse_template, template_for


def seed_contents() -> list[str]:
    """The headings of the seed report's table of contents ("Innehåll"), without page numbers."""
    text = SEED.read_text(encoding="utf-8")
    start = text.index("Innehåll\n")
    end = text.index("Bilaga 2 – Länens sammanställningsenkät", start)
    lines = text[start:end].splitlines()[1:]
    return [re.sub(r"\.*\t\d+$", "", line).strip() for line in lines if line.strip()]


def test_the_2011_template_has_the_seeds_chapters_in_order():
    template = template_for(REPO / "forms", "kommunenkat")
    contents = seed_contents()
    # Förord precedes the contents; every other section and the results chapter are in the contents, in order
    assert [s.heading for s in template.sections if s.placement == "before_contents"] == ["Förord"]
    headings = [s.heading for s in template.sections if s.placement == "body"] + [template.results_heading]
    positions = [contents.index(h) for h in headings]
    assert positions == sorted(positions)
    assert [s.heading for s in template.sections if s.level == 2] == [
        "Kommunenkät", "Sammanställningsenkät", "Bortfall", "Metodproblem", "Definitioner och val av begrepp"]
    appendices = [template.form_appendix, template.county_form_appendix]
    assert appendices == [line for line in SEED.read_text(encoding="utf-8").splitlines()
                          if line.startswith("Bilaga ") and "\t" not in line][:2]  # the headings, not the contents


def test_a_form_without_a_template_gets_the_default_sections(tmp_path):
    template = template_for(tmp_path, "lagesrapport")
    assert template == default_template("lagesrapport")
    assert template.sections[0].heading == "Förord" and template.sections[0].placement == "before_contents"


@pytest.mark.parametrize(("change", "key", "reason"), [
    ({"sections": []}, "sections", "inga avsnitt"),
    ({"sections": [{"id": "a", "heading": "A", "level": 2}]}, "sections[0].level", "kapitel ovanför"),
    ({"sections": [{"id": "a", "heading": "A", "level": 3}]}, "sections[0].level", "ska vara 1"),
    ({"sections": [{"id": "A b", "heading": "A"}]}, "sections[0].id", "ogiltigt id"),
    ({"sections": [{"id": "a", "heading": "A"}, {"id": "a", "heading": "B"}]}, "sections[1].id", "dubblett"),
    ({"sections": [{"id": "a", "heading": "A", "placement": "sist"}]}, "sections[0].placement", "okänd placering"),
    ({"titel": "x"}, "titel", "okänd nyckel"),
])
def test_a_bad_template_is_refused_with_where_and_why(change, key, reason):
    data = {"report_for": "provform", "title": "Rapport", "sections": [{"id": "a", "heading": "A"}]} | change
    with pytest.raises(FormError) as error:
        parse_template(data, "prov.toml")
    assert error.value.key == key and reason in error.value.reason


def test_a_template_for_another_form_is_refused(tmp_path):
    (tmp_path / "rapporter").mkdir()
    (tmp_path / "rapporter" / "provform.toml").write_text(
        'report_for = "annan"\ntitle = "R"\n[[sections]]\nid = "a"\nheading = "A"\n', encoding="utf-8")
    with pytest.raises(FormError, match="gäller 'annan'"):
        template_for(tmp_path, "provform")


def test_written_text_becomes_paragraphs_subheadings_and_lists():
    text = ("Första stycket\nfortsätter här.\n\n## Syfte\nSyftet är att …\n- Klienternas förväntningar\n"
            "- De sociala insatsernas innehåll\nEfter listan.\r\n\r\n\n")
    assert blocks(text) == [
        Block("paragraph", "Första stycket fortsätter här."),
        Block("subheading", "Syfte"),
        Block("paragraph", "Syftet är att …"),
        Block("bullets", items=("Klienternas förväntningar", "De sociala insatsernas innehåll")),
        Block("paragraph", "Efter listan."),
    ]
    assert blocks("") == [] and blocks("   \n\n") == []
    assert blocks("-1 grad är kallt") == [Block("paragraph", "-1 grad är kallt")]  # not a list without a space
