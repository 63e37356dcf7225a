"""Feedback to each municipality with its own answers of the round before (issue 17): "Ert svar 2011"
beside this round's answer, the county and the nation. Figures tallied here from the answers written."""

from __future__ import annotations

import io

from pypdf import PdfReader

from bou_desktop import core
from bou_desktop.exchange.national_pdf import EarlierOwn, earlier_own_answers, feedback_pdf, feedback_pdfs_for_region
from bou_desktop.survey.answers import Answers

REGION = "Östergötland"
NOW = {  # 2013: four municipalities of the region, finished
    "0580": Answers(choices={"q1": ["ja"], "q2": ["politiker", "chefer"], "q5": ["nej"]},
                    ranks={"q10": {"basuppgifter": 1}}),
    "0581": Answers(choices={"q1": ["ja"], "q2": ["politiker"], "q5": ["ja"]}),
    "0583": Answers(choices={"q1": ["ja"], "q2": ["chefer"], "q5": ["ja"]}),
    "0512": Answers(choices={"q1": ["nej"], "q5": ["nej"]}),
}
THEN = {  # 2011: Linköping answered otherwise; Norrköping did not answer
    "0580": Answers(choices={"q1": ["ja"], "q2": ["chefer", "brukare"], "q5": ["ja"]},
                    ranks={"q10": {"basuppgifter": 3, "resultat_hvb": 1}}),
    "0583": Answers(choices={"q1": ["nej"], "q5": ["vet_ej"]}),
}


def text_of(pdf: bytes) -> str:
    return " ".join("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def two_rounds(tmp_path):
    store = core.open_store(tmp_path / "återkoppling.sqlite")
    first = store.round_for(2011)
    for code, answers in THEN.items():
        store.save_answers(first, code, answers, source="cli", status="klar")
    later = store.add_round(2013, "kommunenkat")
    for code, answers in NOW.items():
        store.save_answers(later, code, answers, source="cli", status="klar")
    return store, later


def percent(count: int, total: int) -> int:
    return (200 * count + total) // (2 * total)  # whole percent, half up


def test_feedback_shows_own_answers_of_both_rounds_beside_the_county(tmp_path):
    store, later = two_rounds(tmp_path)
    form = store.form_of(later)
    pdfs = feedback_pdfs_for_region(store, later, REGION, None)
    assert set(pdfs) == set(NOW)
    text = text_of(pdfs["0580"])
    assert "Kolumnen ”Ert svar 2011” visar ert svar i kartläggningen 2011" in text
    assert text.count("Svarsalternativ Ert svar Ert svar 2011 Länet (%) Riket (%)") == 9

    def row(qid, oid, now, then):
        label = form.question(qid).option(oid).label
        ticked = sum(oid in a.choices.get(qid, []) for a in NOW.values())
        return " ".join(f"{label} {now} {then} {percent(ticked, len(NOW))} % –".split())

    assert row("q1", "ja", "☒", "☒") in text and row("q1", "nej", "☐", "☐") in text
    assert row("q2", "politiker", "☒", "☐") in text  # 2 of 4: 50 %
    assert row("q2", "chefer", "☒", "☒") in text
    assert row("q2", "brukare", "☐", "☒") in text
    assert row("q5", "ja", "☐", "☒") in text and row("q5", "nej", "☒", "☐") in text
    q10 = form.question("q10")
    assert "Alternativ Er rangordning Er rangordning 2011 Riket (medelvärde)" in text
    assert " ".join(f"{q10.option('basuppgifter').label} 1 3 –".split()) in text
    assert " ".join(f"{q10.option('resultat_hvb').label} – 1 –".split()) in text

    # Motala said Nej 2011: questions 2–4 were passed over then
    motala = text_of(pdfs["0583"])
    assert " ".join(f"{form.question('q2').option('chefer').label} ☒ – 50 % –".split()) in motala
    # Norrköping did not answer 2011 (and Mjölby not this year): no earlier column at all
    assert "Ert svar 2011" not in text_of(pdfs["0581"])


def test_a_question_without_counterpart_says_so(tmp_path):
    store, later = two_rounds(tmp_path)
    form = store.form_of(later)
    year, answers, matches = earlier_own_answers(store, later, REGION)
    assert year == 2011 and set(answers) == set(THEN)
    del matches["q5"]  # as if the question were new this year
    pdf = feedback_pdf(form, municipality="Linköping", code="0580", region=REGION, round_year=2013,
                       answers=NOW["0580"], county=store.compile(later, REGION), national=None,
                       earlier=EarlierOwn(year, answers["0580"], matches))
    text = text_of(pdf)
    assert text.count("Frågan är ny sedan 2011 och har inget svar från då att jämföra med.") == 1
    label = form.question("q5").option("ja").label
    assert " ".join(f"{label} ☐ – 50 % –".split()) in text
