"""The three-way merge of one record, field by field. Pure: no database, no files."""
from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

TOMBSTONE = "deleted_at"


@dataclass
class MergeOutcome:
    take: dict[str, str | None] = field(default_factory=dict)  # fields to set to the peer's value
    conflicts: list[str] = field(default_factory=list)  # fields both sides changed differently


def merge_record(keys, base: dict | None, mine: dict, theirs: dict, held: AbstractSet[str] = frozenset()) -> MergeOutcome:
    """Decide each field of a record both sides hold.

    base: the last version both sides are known to hold (None: never exchanged, e.g. a row added by hand).
    held: fields with an open conflict; they are left to the person deciding it.
    A field changed on one side only is taken from that side; changed on both sides to different
    values, it is a conflict. A delete meets an edit of the other side as a conflict too.
    """
    out = MergeOutcome()
    mine_edited = base is not None and any(mine.get(k) != base.get(k) for k in keys if k != TOMBSTONE)
    theirs_edited = base is not None and any(theirs.get(k) != base.get(k) for k in keys if k != TOMBSTONE)
    for key in keys:
        if key in held:
            continue
        m, t = mine.get(key), theirs.get(key)
        if m == t:
            continue
        if key == TOMBSTONE:
            if m is None:  # deleted there
                if mine_edited or (base is None and any(mine.get(k) != theirs.get(k) for k in keys if k != TOMBSTONE)):
                    out.conflicts.append(key)
                else:
                    out.take[key] = t
            elif t is None:  # deleted here, alive there
                if theirs_edited:
                    out.conflicts.append(key)
            continue  # both deleted, at different times: stays deleted
        b = base.get(key) if base is not None else None
        if base is None:
            if m is None:
                out.take[key] = t
            elif t is not None:
                out.conflicts.append(key)
        elif t == b:
            continue
        elif m == b:
            out.take[key] = t
        else:
            out.conflicts.append(key)
    return out


def next_base(theirs: dict, old_base: dict | None, held: set[str]) -> dict:
    """After applying: the peer holds `theirs`; fields still in conflict keep the old common value,
    so two people who decide a conflict differently are asked again."""
    out = dict(theirs)
    for key in held:
        out[key] = (old_base or {}).get(key)
    return out
