"""The 2011 report's national figures as the seed gives them, for the Word and PDF report tests.

The response rates (24 regions), question 1 (83 % ja, 15 % nej), question 3 (seed's table) and
question 10 (the seed's means 1,8 … 5,0 from ten regions' ranks) come out to the digit; the other
questions about the report's shares. Also the seed's own texts (Förord …) to paste into the report.
"""

from __future__ import annotations

import re
from pathlib import Path

from test_national import SEED_Q3, seed_rates, spread

from bou_desktop.demo import _SHARES, _SINGLE
from bou_desktop.survey.national import CountyNumbers, national_report

SEED = Path(__file__).parent / "data" / "seed_001.txt"

# Question 10 as the seed reports it: option -> (the ten regions' ranks or fewer, the seed's mean).
SEED_Q10 = {
    "basuppgifter": ([1, 1, 1, 1, 1, 2, 2, 3, 3, 3], "1,8"),
    "resultat_familjehem": ([2, 2, 3, 3, 3, 4, 4, 4, 4, 3], "3,2"),
    "resultat_hvb": ([3, 3, 2, 2, 4, 4, 4, 3, 4, 4], "3,3"),
    "brukarmedverkan": ([4, 4, 4, 5, 5, 3, 3, 5, 2, 3], "3,8"),
    "individuell_uppfoljning": ([5, 5, 5, 4, 4, 5, 5, 2, 2, 2], "3,9"),
    "annat": ([7, 5, 2], "4,7"),
    "personalens_erfarenheter": ([6, 6, 6, 6, 6, 7, 7, 2, 2, 2], "5,0"),
}
# The seed's national table of question 3 ("REDOVISADE UPPGIFTER") names the options by short labels,
# in the form's order (SEED_Q3's keys): read from the seed itself.
def _seed_q3_labels() -> dict[str, str]:
    table = SEED.read_text(encoding="utf-8").split("REDOVISADE UPPGIFTER\tProcent\tAntal kommuner\n", 1)[1]
    rows = [line.split("\t") for line in table.splitlines()[: len(SEED_Q3)]]
    assert [(int(pct.rstrip("%")), int(n)) for _label, pct, n in rows] == list(SEED_Q3.values())  # aligned
    return {option_id: row[0] for option_id, row in zip(SEED_Q3, rows, strict=True)}


SEED_Q3_SHORT = _seed_q3_labels()
Q1 = {"ja": 158, "nej": 29}  # of 190: 83 % and 15 %, 3 without an answer
VG_NOTE = ("Det finns 21 län/regioner i landet, men Västra Götaland är uppdelat i 4 kommunförbund med var sin "
           "utvecklingsledare varför det totala antalet blir 24.")
SUMMARY = 'Budget <b>dominerar</b> & "resultat" saknas'


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def seed_section(start: str, end: str) -> str:
    """The seed's text between two headings (lines), as SKL would paste it."""
    text = seed_text()
    begin = text.index(f"\n{start}\n") + len(start) + 2
    return text[begin : text.index(f"\n{end}\n", begin)].strip()


def seed_report(form):
    rates = seed_rates(seed_text())
    answering = [(name, total, answered) for name, total, answered, _pct in rates[:-1] if answered]
    capacities = [a for _n, _t, a in answering]
    q3 = {option: spread(antal, capacities) for option, (_pct, antal) in SEED_Q3.items()}
    ja = spread(Q1["ja"], capacities)
    nej = spread(Q1["nej"], [a - j for a, j in zip(capacities, ja, strict=True)])
    files = {}
    for index, (name, total, answered) in enumerate(answering):
        counts = {"q1": {"ja": ja[index], "nej": nej[index]}, "q3": {o: n[index] for o, n in q3.items()}}
        for qid, shares in _SHARES.items():
            if qid != "q3":
                counts[qid] = {o: answered * pct // 100 for o, pct in shares.items()}
        for qid, shares in _SINGLE.items():
            if qid != "q1":
                counts[qid] = {o: answered * pct // 100 for o, pct in shares.items()}
        ranking = {option: ranks[index] for option, (ranks, _mean) in SEED_Q10.items() if index < len(ranks)}
        files[name] = CountyNumbers(
            name, total, answered, counts,
            ej_svar={qid: answered - sum(c.values()) for qid, c in counts.items() if qid in _SINGLE or qid == "q1"},
            ej_tillampligt={"q2": nej[index], "q3": nej[index], "q4": nej[index]},
            summaries={"q3": SUMMARY} if name == "Uppsala" else {},
            rankings={"q10": ranking},
            specify={"q10": "Kunskapsläget när det gäller barn och unga"} if name == "Uppsala" else {},
            ovriga_synpunkter="Svårt att prioritera." if name == "Kalmar" else "",
        )
    return national_report(form, 2011, [(name, total) for name, total, _a, _p in rates[:-1]], files), rates


def words(text: str) -> str:
    return " ".join(re.sub(r"[*]", "", text).split())
