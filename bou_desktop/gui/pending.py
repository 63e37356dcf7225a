"""Saving while another program holds the database: the GUI's writes, in order, kept until written.

The questionnaire and the county view hand every change to `PendingWrites`. It is made at once
when the database is free. When another program (an import on the command line, a second window,
a backup) holds the write lock, the change is kept, the field keeps what was typed, and the write
is tried again on a timer: the window never waits for the lock. Closing with changes still waiting
offers to wait; what cannot be written goes to a recovery file that the next start offers to apply.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from PySide6 import QtWidgets  # dialogs as QtWidgets.X, made only when shown (see main_window.py)
from PySide6.QtCore import QElapsedTimer, QEventLoop, QObject, QTimer, Signal

from ..store import Store, StoreBusy, StoreError
from ..store.pending import (
    COUNTY,
    META_PREFIX,
    REPORT,
    PendingWrite,
    load_recovery,
    perform,
    remove_recovery,
    save_recovery,
)

RETRY_MS = 250  # how often kept writes are tried again
CLOSE_WAIT_S = 10  # how long closing waits for the database when the user chooses to wait
PENDING_MESSAGE = "Inte sparat ännu – försöker igen"


class PendingWrites(QObject):
    """The GUI's writes in the order they were made; those the database cannot take yet are kept."""

    pending_changed = Signal(int)  # how many writes are kept (0: all written)
    flushed = Signal(str)  # the kept writes are all written now, at this time ("hh:mm:ss")
    written = Signal(object)  # a kept write (PendingWrite) has been written
    refused = Signal(object, str)  # a kept write was refused by the store, and why

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.queue: list[PendingWrite] = []
        self._flushing = False
        self.timer = QTimer(self)
        self.timer.setInterval(RETRY_MS)
        self.timer.timeout.connect(self.flush)

    def __len__(self) -> int:
        return len(self.queue)

    def submit(self, write: PendingWrite) -> bool:
        """Write now (True), or keep the write for later (False) while the database is busy or
        earlier writes wait. Raises StoreError when the store refuses it."""
        if self.queue and self.queue[-1].key() == write.key():
            self.queue[-1] = write  # the same field typed on: only its latest text is to be written
        else:
            self.queue.append(write)
        if self.timer.isActive():
            return False  # waiting already: kept behind the earlier writes, tried with them
        refusal = self._flush(own=write)
        if refusal is not None:
            raise StoreError(refusal)
        return write not in self.queue

    def flush(self) -> None:
        """Try the kept writes again, in order (the timer's call)."""
        self._flush()

    def _flush(self, own: PendingWrite | None = None) -> str | None:
        """Write from the front of the queue until the database is busy; the refusal of `own`, if any."""
        if self._flushing or self.store.closed:
            return None
        waited = self.timer.isActive()
        self._flushing = True
        done: list[tuple[PendingWrite, str | None]] = []
        try:
            with self.store.without_waiting():
                while self.queue:
                    write = self.queue[0]
                    try:
                        perform(self.store, write)
                    except StoreBusy:
                        break
                    except (StoreError, sqlite3.Error) as error:
                        done.append((write, str(error) if isinstance(error, StoreError) else f"Databasfel: {error}"))
                    else:
                        done.append((write, None))
                    self.queue.pop(0)
        finally:
            self._flushing = False
        # Told after the database is back to waiting as usual: the listeners may write too.
        own_refusal = None
        for write, message in done:
            if write is own:
                own_refusal = message
            elif message is None:
                self.written.emit(write)
            else:
                self.refused.emit(write, message)
        if self.queue:
            if not waited:
                self.timer.start()
                self.pending_changed.emit(len(self.queue))
        elif waited:
            self.timer.stop()
            self.pending_changed.emit(0)
            self.flushed.emit(datetime.now().strftime("%H:%M:%S"))
        return own_refusal

    def values_for(self, kind: str, round_id: int, target: str) -> dict[str, str | int | None]:
        """The kept values of one response or county form, the latest of each key."""
        values: dict[str, str | int | None] = {}
        for write in self.queue:
            if write.concerns(kind, round_id, target):
                values.update(write.values)
        return values

    def wait(self, seconds: float, on_tick=None) -> bool:
        """Keep trying for up to `seconds` with the window answering; whether all is written.
        `on_tick(elapsed_ms)` is called on each try; returning False from it stops the wait."""
        if not self.queue:
            return True
        clock = QElapsedTimer()
        clock.start()
        loop = QEventLoop()

        def tick() -> None:
            self.flush()
            if not self.queue or clock.elapsed() >= seconds * 1000 or (on_tick is not None and on_tick(clock.elapsed()) is False):
                loop.quit()

        ticker = QTimer()
        ticker.setInterval(RETRY_MS)
        ticker.timeout.connect(tick)
        ticker.start()
        loop.exec()
        ticker.stop()
        return not self.queue

    def keep_for_next_start(self) -> None:
        """Save what is still kept to the recovery file, and forget it here."""
        if self.queue:
            save_recovery(self.store.path, self.queue)
        self.queue = []
        self.timer.stop()


def with_pending_fields(fields: dict[str, str], meta: dict[str, str | None],
                        values: dict[str, str | int | None]) -> None:
    """Put kept questionnaire values on top of the stored ones, as the store would save them."""
    for key, value in values.items():
        if key.startswith(META_PREFIX):
            meta[key[len(META_PREFIX):]] = str(value) if value else None
        elif value is None or not str(value).strip():
            fields.pop(key, None)
        else:
            fields[key] = str(value)


def with_pending_leader_texts(leader, values: dict[str, str | int | None]):
    """A county form's stored texts (`LeaderTexts`) with kept values on top."""
    from dataclasses import replace

    if not values:
        return leader
    summaries, ranking, fields = dict(leader.summaries), dict(leader.ranking), dict(leader.fields)
    rankings = {qid: dict(ranks) for qid, ranks in leader.rankings.items()}
    specifies = dict(leader.specify)
    for key, value in values.items():
        if key.startswith("summary."):
            summaries[key.split(".", 1)[1]] = "" if value is None else str(value)
        elif key.startswith("rank."):
            parts = key.split(".")[1:]
            ranks = rankings.setdefault(parts[0], {}) if len(parts) == 2 else ranking
            if value in (None, "", 0):
                ranks.pop(parts[-1], None)
            else:
                ranks[parts[-1]] = int(value)
        elif key.startswith("ranking_specify."):
            specifies[key.split(".", 1)[1]] = "" if value is None else str(value)
        else:  # a field of the county form (its header or a free text)
            fields[key] = "" if value is None else str(value)
    return replace(leader, summaries=summaries, ranking=ranking, rankings=rankings, specify=specifies,
                   fields=fields)


# ---------------------------------------------------------------------- closing and the next start
def _ask(parent, icon, title: str, text: str, informative: str, answers: list[tuple[str, str, str]]) -> str:
    """A question with buttons (text, role name, answer); the first is the default, the last Esc's."""
    box = QtWidgets.QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(text)
    box.setInformativeText(informative)
    buttons = {box.addButton(label, getattr(QtWidgets.QMessageBox.ButtonRole, role)): answer
               for label, role, answer in answers}
    box.setDefaultButton(next(iter(buttons)))
    box.setEscapeButton(list(buttons)[-1])
    box.exec()
    return buttons.get(box.clickedButton(), answers[-1][2])


def _changes(count: int) -> str:
    return "1 ändring" if count == 1 else f"{count} ändringar"


def ask_on_close(parent, count: int) -> str:
    """Closing with kept changes: "wait", "close" (keep them in a file for the next start) or "cancel"."""
    return _ask(parent, QtWidgets.QMessageBox.Icon.Warning, "Ändringar är inte sparade ännu",
                f"{_changes(count)} är inte sparade ännu: databasen används av ett annat program eller fönster.\n\n"
                "Vill du vänta medan programmet försöker spara igen?",
                "Stänger du ändå sparas ändringarna i en fil, och programmet erbjuder att spara "
                "dem i databasen nästa gång det startar.",
                [("Vänta och försök igen", "AcceptRole", "wait"), ("Stäng ändå", "DestructiveRole", "close"),
                 ("Avbryt", "RejectRole", "cancel")])


def wait_with_progress(parent, pending: PendingWrites, seconds: float = CLOSE_WAIT_S) -> bool:
    """Try again for a while, showing a progress dialog that can be cancelled; whether all is written."""
    dialog = QtWidgets.QProgressDialog("Väntar på databasen och försöker spara …", "Sluta vänta", 0,
                                       int(seconds * 1000), parent)
    dialog.setWindowTitle("Sparar")
    dialog.setMinimumDuration(0)
    dialog.setValue(0)

    def tick(elapsed: int) -> bool:
        dialog.setValue(min(elapsed, dialog.maximum() - 1))
        return not dialog.wasCanceled()

    try:
        return pending.wait(seconds, tick)
    finally:
        dialog.close()
        dialog.deleteLater()


def settle_before_close(parent, pending: PendingWrites) -> bool:
    """Before the window closes: nothing kept, or written after waiting, or kept in the recovery
    file. False when the user chooses to stay."""
    if not pending.queue:
        return True
    choice = ask_on_close(parent, len(pending))
    if choice == "cancel":
        return False
    if choice == "wait" and wait_with_progress(parent, pending):
        return True
    count = len(pending)
    pending.keep_for_next_start()
    QtWidgets.QMessageBox.information(
        parent, "Ändringarna är sparade i en fil",
        f"{_changes(count)} kunde inte sparas i databasen och finns nu i en fil "
        "i programmets datamapp. Nästa gång programmet startar erbjuds du att spara dem i databasen.")
    return True


def _describe(store: Store, writes: list[PendingWrite]) -> str:
    """Where kept changes belong: "Linköping, Östergötland (länssammanställningen)"."""
    places: list[str] = []
    for write in writes:
        if write.kind == COUNTY:
            place = f"{write.target} (länssammanställningen)"
        elif write.kind == REPORT:
            place = "rapportens texter"
        else:
            try:
                place = store.register.municipality(write.target).name
            except KeyError:
                place = write.target
        if place not in places:
            places.append(place)
    return ", ".join(places)


def offer_recovery(parent, store: Store, pending: PendingWrites) -> int | None:
    """At the start: offer to save the changes kept from last time; how many were handed to the store
    (None when there were none or the user said no)."""
    writes = load_recovery(store.path)
    if not writes:
        return None
    answer = _ask(parent, QtWidgets.QMessageBox.Icon.Question, "Osparade ändringar",
                  f"Det finns osparade ändringar från förra gången programmet användes ({_changes(len(writes))} i "
                  f"{_describe(store, writes)}): databasen var upptagen när programmet stängdes.\n\n"
                  "Vill du spara dem i databasen nu?",
                  "De sparas i den ordning de gjordes och syns i historiken som vanligt.",
                  [("Spara ändringarna", "AcceptRole", "apply"), ("Ta bort dem", "DestructiveRole", "discard"),
                   ("Inte nu", "RejectRole", "later")])
    if answer == "discard":
        remove_recovery(store.path)
    if answer != "apply":
        return None
    refusals = []
    for write in writes:
        try:
            pending.submit(write)  # kept and tried again if the database is busy now too
        except StoreError as error:
            refusals.append(f"{_describe(store, [write])}: {error}")
    remove_recovery(store.path)
    if refusals:
        QtWidgets.QMessageBox.warning(parent, "Några ändringar sparades inte",
                                      "Dessa ändringar sparades inte:\n\n" + "\n".join(refusals))
    return len(writes) - len(refusals)
