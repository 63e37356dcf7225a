"""A demo database with realistic synthetic answers, shaped like the 2011 survey.

Per region as many municipalities answered as in the seed's response-rate table, with
answer shares close to the national report's percentages. Deterministic (seeded), and
always written to its own file, never into a real database. `fill_demo_national` adds the county
files SKL would have received from the regions that answered, for the national view.
"""

from __future__ import annotations

import random

from .store import Store
from .survey.answers import Answers

# The seed's table "Antal kommuner i länet/regionen som besvarat enkäten".
ANSWERED_2011 = {
    "Stockholm": 0, "Uppsala": 8, "Södermanland": 9, "Östergötland": 6, "Jönköping": 8, "Kronoberg": 7,
    "Kalmar": 8, "Gotland": 1, "Blekinge": 4, "Skåne": 18, "Halland": 6, "Värmland": 16, "Västmanland": 8,
    "Dalarna": 15, "Örebro": 11, "Gävleborg": 9, "Västernorrland": 5, "Jämtland": 8, "Västerbotten": 15,
    "Norrbotten": 11, "Skaraborg": 5, "Fyrbodal": 12, "GR": 0, "Sjuhärad": 0,
}

# Shares from the national report (per cent of responding municipalities).
_SHARES = {
    "q2": {"politiker": 81, "chefer": 67, "handlaggare": 64, "brukare": 2, "annan": 6},
    "q3": {"verksamhetsmal": 54, "budget": 78, "laguppfyllelse": 29, "arbetsprocesser": 16, "placerade_barn": 65,
           "avslut": 15, "personalen": 26, "resultat_hvb": 3, "resultat_familjehem": 5, "uppfattning_barn": 8,
           "uppfattning_vardnadshavare": 6, "uppfattning_personal": 6, "uppfattning_vardgivare": 6, "andra_uppgifter": 4},
    "q4": {"verksamhetssystem": 71, "bbic": 34, "adad": 2, "andra_instrument": 4, "lokala_enkater": 12,
           "officiell_statistik": 43, "oppna_jamforelser": 31, "annat": 8},
    "q8": {"it_system": 55, "tidsbrist": 72, "kompetensbrister": 43, "annat": 22},
    "q9": {"it_system": 60, "statistikstod": 59, "forbattringsmetodik": 68, "annat": 20},
}
_SINGLE = {
    "q5": {"ja": 35, "ja_i_viss_man": 59, "nej": 5, "vet_ej": 1},
    "q6": {"ja": 25, "ja_i_viss_man": 40, "nej": 33, "vet_ej": 2},
    "q7": {"ja": 26, "ja_i_viss_man": 49, "nej": 19, "vet_ej": 6},
}
_SPECIFY_TEXTS = {
    "q2": ["Nätverkskommuner i länet", "Socialstyrelsen och SCB", "Publiceras på kommunens webbplats"],
    "q3": ["Sammanbrott i placeringar", "Kostnad per vårddygn"],
    "q4": ["Journal Digital", "Egen uppföljning i Excel"],
    "q8": ["Få placeringar ger litet underlag", "Svagt intresse från ledningen", "Budget och ekonomi"],
    "q9": ["Tydliga riktlinjer och en mall för uppföljning", "Brukarenkäter", "Samverkan med högskola"],
}
_COMMENTS = [
    "Vi har nyligen bytt verksamhetssystem och kan ännu inte ta ut statistik.",
    "Redovisas årligen i verksamhetsberättelsen.",
    "Månatliga rapporter till nämnden om antal placeringar och placeringsform.",
    "Det saknas rutiner för att följa upp resultat på gruppnivå.",
    "BBIC-formulären används för utredning men inte för uppföljning.",
    "Mindre kommun med få placeringar – uppföljningen görs manuellt.",
]
_FIRST = ["Anna", "Lena", "Karin", "Maria", "Eva", "Per", "Lars", "Mikael", "Åsa", "Örjan", "Ingrid", "Johan"]
_LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Öberg", "Åkesson"]
_TITLES = ["IFO-chef", "Enhetschef barn och unga", "Socialchef", "Verksamhetschef IFO"]
_MODES = ["intervju", "telefon", "gruppintervju", "e-post", "post", "egen_ifyllning"]


def demo_round(store: Store):
    """The round the demo fills: the database's first (2011's), never a round the user starts later."""
    return store.rounds()[0]


def synthetic_answers(store: Store, rng: random.Random) -> Answers:
    form = store.form_of(demo_round(store))
    answers = Answers()
    answers.respondent = {"namn": f"{rng.choice(_FIRST)} {rng.choice(_LAST)}", "befattning": rng.choice(_TITLES)}
    q1 = "ja" if rng.random() < 0.85 else "nej"
    answers.choices["q1"] = [q1]
    for qid, shares in _SHARES.items():
        if q1 == "nej" and qid in ("q2", "q3", "q4"):
            continue
        chosen = [oid for oid, pct in shares.items() if rng.random() * 100 < pct]
        if chosen:
            answers.choices[qid] = chosen
        question = form.question(qid)
        for option in question.specify_options:
            if option.id in chosen:
                answers.specify[(qid, option.id)] = rng.choice(_SPECIFY_TEXTS[qid])
    for qid, shares in _SINGLE.items():
        answers.choices[qid] = rng.choices(list(shares), weights=list(shares.values()))[0:1]
    for qid in rng.sample(form.question_ids()[:9], k=rng.randint(0, 3)):
        if qid in answers.choices:
            answers.comments[qid] = rng.choice(_COMMENTS)
    if rng.random() < 0.3:
        options = list(form.question("q10").option_ids()[:6])
        rng.shuffle(options)
        answers.ranks["q10"] = {oid: rank for rank, oid in enumerate(options[: rng.randint(2, 6)], start=1)}
    return answers


def fill_demo(store: Store, seed: int = 2011) -> int:
    """Fill an empty database with the demo round; returns the number of responses written."""
    round_ = demo_round(store)
    if store.responses(round_, with_fields=False):
        return 0
    rng = random.Random(seed)
    written = 0
    with store.bulk():
        for region in store.regions():
            municipalities = store.municipalities(region.name)
            answered = ANSWERED_2011.get(region.name, 0)
            picked = rng.sample(municipalities, k=min(len(municipalities), answered + (1 if answered else 0)))
            for index, municipality in enumerate(picked):
                status = "klar" if index < answered else "utkast"
                meta = {"svarssatt": rng.choice(_MODES), "datum": f"2011-11-{rng.randint(1, 25):02d}",
                        "intervjuare": "Demo Utvecklingsledare"}
                store.save_answers(round_, municipality.code, synthetic_answers(store, rng), source="demo",
                                   status=status, meta=meta)
                written += 1
    return written


_SUMMARIES = {
    "q5": ["De flesta kommuner kan ta ut grunduppgifter ur verksamhetssystemet, men inte resultat.",
           "IT-stödet finns men används lite för uppföljning på gruppnivå."],
    "q8": ["Tidsbrist och IT-system som inte ger statistik är de vanligaste hindren.",
           "Små kommuner har få placeringar, vilket gör underlaget litet."],
    "q9": ["Kommunerna efterfrågar gemensamma mallar och stöd i förbättringsarbete.",
           "Statistikstöd och nätverk i länet nämns av flera."],
}


def fill_demo_national(store: Store, seed: int = 2012) -> int:
    """Store a county file for every region with finished demo answers, as SKL receives them; returns how many.

    About half of the regions rank question 10, as in 2011. Does nothing when county files are already there.
    """
    round_ = demo_round(store)
    if store.county_file_count(round_):
        return 0  # every later demo start: nothing read, nothing imported (these modules load openpyxl)
    import json

    from .exchange.county_file import county_document
    from .exchange.national_file import import_county_bytes

    rng = random.Random(seed)
    ranking_options = [o for o in store.form_of(round_).question("q10").option_ids() if o != "annat"]
    imported = 0
    for region in store.regions():
        compilation = store.compile(round_, region.name)
        if not compilation.kommuner_svarat:
            continue
        document = county_document(compilation, exported_by="Demo Utvecklingsledare",
                                   exported_at=f"{round_.year + 1}-01-20T10:00:00+01:00")
        document["utvecklingsledare"] = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        for qid, texts in _SUMMARIES.items():
            if qid in document["questions"] and rng.random() < 0.6:
                document["questions"][qid]["summary"] = rng.choice(texts)
        if rng.random() < 0.5:
            order = list(ranking_options)
            rng.shuffle(order)
            document["ranking"] = {"q10": {oid: rank for rank, oid in enumerate(order, start=1)}}
        data = json.dumps(document, ensure_ascii=False).encode("utf-8")
        outcome, _message = import_county_bytes(store, data, f"Länssammanställning {region.name} {round_.year}.json")
        imported += outcome == "importerad"
    return imported


def fill_demo_database(store: Store) -> None:
    """Everything the demo database holds, for the window and the command line alike: the answers,
    and the county files SKL would have received (for Riket). Nothing is written the second time."""
    fill_demo(store)
    fill_demo_national(store)
