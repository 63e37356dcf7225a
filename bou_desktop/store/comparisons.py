"""A region's compilation beside an earlier round of the same survey, compiled from the database.

`compare_county` compiles the round compared with (the previous round of the same form id by
default, any earlier one on request) from the responses stored for it, re-keys it to this round's
ids (`survey.comparison`: `same_as` renames followed through the rounds between), and works out
every question's change (`survey.changes`). Only the round compared with is compiled, never the
rounds between; and its aggregates are kept while its responses are unchanged (the count and the
latest `modified` of its responses, one indexed query), so a view refreshed while this round's
answers change, or a report written again, does not compile an old round again.

`kept_while_unchanged` keeps anything else made from an earlier round's data the same way; the national
view keeps the earlier round's national compilation with it (exchange/national_file.py), keyed also by
the county files stored for that round (region and content hash).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

from ..survey.aggregates import Aggregate
from ..survey.changes import QuestionChange, question_changes
from ..survey.comparison import Counterpart, EarlierRound, counterparts, earlier_round, without_counterpart
from ..survey.compilation import CountyCompilation
from ..survey.forms import Question
from .repository import Round, Store, StoreError

PREVIOUS = "previous"  # compare with the previous round of the same survey

_CACHE_SIZE = 8
_cache: weakref.WeakKeyDictionary[Store, dict] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class CountyComparison:
    """A region's round beside an earlier round: the fronts' figures, keyed by this round's ids."""

    round_year: int
    region: str
    answered: int  # municipalities that answered this round
    earlier: EarlierRound  # the earlier round's aggregates and how many answered it
    matches: dict[str, Counterpart]
    without: tuple[Question, ...]  # this round's questions without an earlier counterpart
    changes: dict[str, QuestionChange] = field(default_factory=dict)

    @property
    def year(self) -> int:
        return self.earlier.year

    def change(self, question_id: str) -> QuestionChange | None:
        return self.changes.get(question_id)

    def comparable(self, question_id: str) -> bool:
        return question_id in self.earlier.aggregates

    def to_json(self) -> dict:
        """The county file's `earlier_rounds` (docs/formats.md)."""
        return {str(self.earlier.year): self.earlier.to_json()}


def earlier_choices(store: Store, round_: Round) -> list[Round]:
    """The rounds a round can be compared with: the earlier rounds of the same survey, newest first."""
    return list(reversed(store.earlier_rounds(round_)))


def round_compared(store: Store, round_: Round, compare_with: int | str | Round | None = PREVIOUS) -> Round | None:
    """The round to compare with: PREVIOUS (the default), a year, a round, or None (no comparison)."""
    if compare_with is None:
        return None
    earlier = store.earlier_rounds(round_)
    if compare_with == PREVIOUS:
        return earlier[-1] if earlier else None
    year = compare_with.year if isinstance(compare_with, Round) else compare_with
    found = [r for r in earlier if r.year == year and (not isinstance(compare_with, Round) or r.id == compare_with.id)]
    if not found:
        known = ", ".join(str(r.year) for r in reversed(earlier)) or "inga"
        raise StoreError(f"{year} är ingen tidigare omgång av samma enkät som {round_.year} "
                         f"(tidigare omgångar: {known}).")
    return found[-1]


def _fingerprint(store: Store, round_: Round) -> tuple:
    """Changes whenever a response of the round changes (every write touches `modified`)."""
    return tuple(store.db.execute("SELECT count(*), max(modified) FROM responses WHERE round_id = ?",
                                  [round_.id]).fetchone())


def _county_files_fingerprint(store: Store, round_: Round) -> tuple:
    return tuple(store.db.execute("SELECT region, content_hash FROM county_files WHERE round_id = ? ORDER BY region",
                                  [round_.id]).fetchall())


def kept_while_unchanged(store: Store, round_: Round, what: str, make):
    """`make()`, kept while the round's responses and its stored county files are as they were.

    `what` names the thing kept (one per round and name). For what an earlier round's data alone decides,
    such as its national compilation: a round's forms and the register do not change under an open store."""
    fingerprint = (_fingerprint(store, round_), _county_files_fingerprint(store, round_))
    return _kept(store, (what, round_.id), fingerprint, make)


def _kept(store: Store, key: tuple, fingerprint: tuple, make):
    """`make()`, kept under `key` in the store's cache while `fingerprint` is unchanged (at most
    _CACHE_SIZE things per store, the oldest dropped first)."""
    cache = _cache.setdefault(store, {})
    kept = cache.get(key)
    if kept is not None and kept[0] == fingerprint:
        return kept[1]
    value = make()
    if len(cache) >= _CACHE_SIZE:
        cache.pop(next(iter(cache)))
    cache[key] = (fingerprint, value)
    return value


def _earlier_aggregates(store: Store, earlier: Round, region: str, anonymous: bool) -> tuple[int, dict[str, Aggregate]]:
    """(municipalities that answered, aggregates by the earlier round's ids), kept while unchanged."""
    def make() -> tuple[int, dict[str, Aggregate]]:
        compilation = store.compile(earlier, region, anonymous=anonymous)
        return compilation.kommuner_svarat, {q.question_id: q.aggregate for q in compilation.questions
                                             if q.aggregate is not None}

    return _kept(store, (earlier.id, region, anonymous), _fingerprint(store, earlier), make)


def compare_county(store: Store, round_: Round, region: str, compilation: CountyCompilation | None = None, *,
                   compare_with: int | str | Round | None = PREVIOUS, anonymous: bool = False) -> CountyComparison | None:
    """A region's compilation of `round_` beside the round compared with; None when there is none.

    `compilation`: this round's, when the caller has it (else compiled here).
    """
    earlier = round_compared(store, round_, compare_with)
    if earlier is None:
        return None
    if compilation is None:
        compilation = store.compile(round_, region, anonymous=anonymous)
    form, before = store.form_of(round_), store.form_of(earlier)
    between = [store.form_of(r) for r in store.earlier_rounds(round_) if (r.year, r.id) > (earlier.year, earlier.id)]
    matches = counterparts(form, before, between)
    answered, aggregates = _earlier_aggregates(store, earlier, compilation.region, anonymous)
    then = earlier_round(earlier.year, answered, aggregates, matches)
    changes = question_changes(compilation.questions, compilation.kommuner_svarat, then)
    return CountyComparison(round_.year, compilation.region, compilation.kommuner_svarat, then, matches,
                            without_counterpart(form, matches), changes)
