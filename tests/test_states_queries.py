"""Store.states, what the municipality list shows at each refresh, reads the imported responses' answers
in one query, not one query per response: counted with sqlite3's trace callback on the store's
connection. The states expected come from what the test wrote (which municipality got which answers),
not from the code under test."""

from __future__ import annotations

from bou_desktop.survey.answers import Answers, ResponseState

# Question 1 = Nej skips 2–4; 5–9 answered: complete (10, the ranking, is optional).
COMPLETE = Answers(choices={"q1": ["nej"], "q5": ["ja"], "q6": ["ja"], "q7": ["ja"], "q8": ["annat"], "q9": ["annat"]})
# Question 1 = Ja asks 2–4; answered 1 and 5: missing 2, 3, 4, 6, 7, 8, 9.
PARTIAL = Answers(choices={"q1": ["ja"], "q5": ["ja"]})
PARTIAL_MISSING = ("2", "3", "4", "6", "7", "8", "9")


def counted_statements(store, call):
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        result = call()
    finally:
        store.db.conn.set_trace_callback(None)
    return result, [s for s in statements if s.lstrip().upper().startswith("SELECT")], statements


def test_the_states_of_290_imported_responses_take_a_few_queries(store):
    round_ = store.round_for()
    codes = [m.code for m in store.municipalities()]
    assert len(codes) == 290
    expected: dict[str, ResponseState] = {}
    for n, code in enumerate(codes):
        if n % 10 == 0:  # a response the municipality typed in the window and finished
            store.save_answers(round_, code, PARTIAL, source="gui", status="klar")
            expected[code] = ResponseState("klar")
        elif n % 10 == 1:  # a draft
            store.save_answers(round_, code, COMPLETE, source="gui", status="utkast")
            expected[code] = ResponseState("utkast")
        elif n % 2 == 0:  # imported, complete
            store.save_answers(round_, code, COMPLETE, source="import", status="importerad")
            expected[code] = ResponseState("importerad", ())
        else:  # imported, incomplete
            store.save_answers(round_, code, PARTIAL, source="import", status="importerad")
            expected[code] = ResponseState("importerad", PARTIAL_MISSING)
    imported = [c for c, s in expected.items() if s.status == "importerad"]
    assert len(imported) == 232 and sum(1 for c in imported if expected[c].missing) == 116

    store.form_of(round_)  # the round's form is read once per store, not at each refresh
    states, selects, statements = counted_statements(store, lambda: store.states(round_))
    assert states == expected
    assert len(statements) <= 4 and len(selects) <= 3, statements
    assert sum(1 for s in states.values() if s.counts) == 29 + 116  # klar, and the complete imports
    assert {states[c].label for c in imported if expected[c].missing} == {"importerad – ofullständig"}

    # a region's: the same, for its municipalities only
    östergötland = {m.code for m in store.municipalities() if m.region == "Östergötland"}
    states, selects, _ = counted_statements(store, lambda: store.states(round_, "Östergötland"))
    assert states == {c: s for c, s in expected.items() if c in östergötland} and len(states) == 13
    assert len(selects) <= 3
