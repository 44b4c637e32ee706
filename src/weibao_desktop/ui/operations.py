"""Writes from the GUI as operations (Anki's qt/aqt/operations): each runs on the single writer thread and
says what it changed; the main window hands that `Changes` to the pages and child files, and each reloads
only when it shows one of the changed records.

    run_operation(tasks, lambda: ws.visits.record(uuid, values), Changes(children={uuid}, visits=True),
                  parent=dialog, on_done=..., on_error=...)

The GUI thread never calls a service method that writes: it collects the values, starts the operation and
carries on drawing; `on_done` / `on_error` come back on the GUI thread. `Tasks.did_change` is the one route
change notices take (`SyncTasks` in tests runs the write at once and emits it the same way).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from typing import Any, Protocol, runtime_checkable

from PySide6.QtCore import QObject, SignalInstance
from PySide6.QtWidgets import QWidget

from .tasks import TaskHandle, Tasks


@dataclass(frozen=True)
class Changes:
    """What a write changed. `children` holds the uuids of files whose own data changed; `all_children`
    says a bulk write (ledger import, package, new cadence) may have changed any file."""

    children: frozenset[str] = field(default_factory=frozenset)
    all_children: bool = False
    visits: bool = False
    assessments: bool = False
    help: bool = False  # help measures and referrals
    clues: bool = False
    hotline: bool = False
    settings: bool = False  # station, villages, users, visit cadence
    exchange: bool = False  # packages sent or applied, conflicts, ledger imports
    work: bool = False  # activities, the roster and its training

    def __init__(self, children: Iterable[str] | None = None, **flags: bool):
        object.__setattr__(self, "children", frozenset(uuid for uuid in (children or ()) if uuid))
        for spec in fields(self):
            if spec.name != "children":
                object.__setattr__(self, spec.name, bool(flags.pop(spec.name, False)))
        if flags:
            raise TypeError(f"unknown change kinds: {sorted(flags)}")

    def __or__(self, other: Changes) -> Changes:
        merged = {spec.name: getattr(self, spec.name) or getattr(other, spec.name)
                  for spec in fields(self) if spec.name != "children"}
        return Changes(self.children | other.children, **merged)

    def child(self, uuid: str | None) -> bool:
        """True when the file of this child may have changed."""
        return self.all_children or (uuid is not None and uuid in self.children)

    @property
    def any_child(self) -> bool:
        return self.all_children or bool(self.children)

    def __bool__(self) -> bool:
        return self.any_child or any(getattr(self, spec.name) for spec in fields(self) if spec.name != "children")

    @classmethod
    def everything(cls) -> Changes:
        return cls(all_children=True, visits=True, assessments=True, help=True, clues=True, hotline=True,
                   settings=True, exchange=True)

    def with_children(self, *uuids: str | None) -> Changes:
        return replace(self, children=self.children | {u for u in uuids if u})


NOTHING = Changes()


@runtime_checkable
class Page(Protocol):
    """What the main window asks of a page in its navigation (and nothing else)."""

    title: str
    open_child: SignalInstance  # a child's uuid: open that file
    ready: SignalInstance  # the first content is on screen

    def is_ready(self) -> bool: ...

    def refresh(self) -> None:
        """Read everything shown again (F5)."""

    def on_changes(self, changes: Changes) -> None:
        """Something was written; reload what shows it, ignore the rest."""

    def save(self) -> bool:
        """Ctrl+S; False when the page has nothing of its own to save."""

    def print_current(self) -> bool:
        """Ctrl+P; False when the page has nothing to print."""

    def focus_search(self) -> None: ...

    def save_state(self) -> None:
        """Remember column widths and the like (on closing)."""


def run_operation(
    tasks: Tasks,
    write: Callable[[], Any],
    changes: Changes | Callable[[Any], Changes],
    *,
    parent: QWidget | None = None,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    label: str | None = None,
    initiator: QObject | None = None,
) -> TaskHandle:
    """Run `write` (service calls only, no widgets) on the writer thread; on success call `on_done(result)`
    and announce the changes (a function of the result when they depend on it)."""
    return run_long_operation(tasks, lambda progress, cancelled: write(), changes, parent=parent, on_done=on_done,
                              on_error=on_error, label=label, initiator=initiator)


def run_long_operation(
    tasks: Tasks,
    write: Callable[[Callable[..., None], Callable[[], bool]], Any],
    changes: Changes | Callable[[Any], Changes],
    *,
    parent: QWidget | None = None,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    label: str | None = None,
    initiator: QObject | None = None,
) -> TaskHandle:
    """`run_operation` for a write that reports progress and can be cancelled (imports, packages)."""

    def done(result: Any) -> None:
        if on_done is not None:
            on_done(result)
        changed = changes(result) if callable(changes) else changes
        if changed:
            tasks.did_change.emit(changed, initiator if initiator is not None else parent)

    return tasks.run(write, on_done=done, on_error=on_error, label=label, parent=parent, write=True)


__all__ = ["NOTHING", "Changes", "Page", "run_long_operation", "run_operation"]
