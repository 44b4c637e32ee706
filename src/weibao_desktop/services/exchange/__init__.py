"""Exchange with the county office by files: write packages, apply them with a three-way merge per
field, hold real conflicts for a person, acknowledge, undo.

The merge base of a record is the last version both sides are known to hold (`SyncBase`): what the
peer last sent us, or what we sent that the peer has since acknowledged applying. A field changed on
one side only is taken; the same field changed differently on both sides becomes a `SyncConflict`
that keeps base, mine and theirs until a person chooses; its base stays the old common value, so two
people who decide differently are asked again rather than silently overwriting each other. This explicit
per-peer base, not the change history, is what survives lost, duplicated and hand-corrected packages.

`service` holds the user actions, `apply` applies one package, `content` maps a record's exchange content
to this store; records are written through `services.records` like every other path.
"""
from .results import ApplyResult, ConflictInfo, DuplicateInfo, ExportResult, HandEdit, PeerInfo, county_code
from .service import ExchangeService

__all__ = ["ExchangeService", "ApplyResult", "ExportResult", "PeerInfo", "ConflictInfo", "DuplicateInfo", "HandEdit",
           "county_code"]
