"""What each role may do: permissions by role, and which roles see id numbers masked.

Pure rules. services/access.py maps every public service method to one of these permissions and checks it
before the call; services/queries.py narrows what a director (and a county account limited to some
townships) sees. Role codes and labels are domain.codes.ROLE."""
from __future__ import annotations

from .codes import ROLE

# Read casework: lists, files, statistics, prints (scoped; ids masked for director and viewer).
READ = "read"
CASEWORK = "casework"  # create and change children, visits, assessments, help measures, referrals
INTAKE = "intake"  # clues and hotline calls: the station's intake, not a village's
INTAKE_VIEW = "intake_view"
EXPORT = "export"  # ledgers and prints written to files (masked for director and viewer)
IMPORT = "import"  # ledger import
EXCHANGE = "exchange"  # county exchange packages: export, apply, undo, conflicts
STATION_VIEW = "station_view"  # station-wide logs that are not about one village: imports, exchange log
SETTINGS = "settings"  # villages, visit cadence, program settings
ACCOUNTS = "accounts"  # add, change, lock and unlock accounts
BACKUP = "backup"
RESTORE = "restore"
REVEAL_ID = "reveal_id"  # see or export full id numbers
AUDIT = "audit"  # read and export the audit log
OPEN = "open"  # what every account needs to start: the station's name, whether one is set up

_EVERYONE = frozenset(ROLE.keys())
_STAFF = frozenset({"head", "supervisor", "county_admin", "county"})
_ADMINS = frozenset({"head", "county_admin"})

PERMISSIONS: dict[str, frozenset[str]] = {
    READ: _EVERYONE,
    CASEWORK: _STAFF | {"director"},
    INTAKE: _STAFF,
    INTAKE_VIEW: _STAFF | {"viewer"},
    EXPORT: _EVERYONE,
    IMPORT: _STAFF,
    EXCHANGE: _STAFF,
    STATION_VIEW: _STAFF | {"viewer"},
    SETTINGS: _ADMINS,
    ACCOUNTS: _ADMINS,
    BACKUP: _STAFF,
    RESTORE: _ADMINS,
    REVEAL_ID: _STAFF,
    AUDIT: _ADMINS,
    OPEN: _EVERYONE,
}

# Stores made before roles were enforced name the station head "admin".
_ALIASES = {"admin": "head"}


def canonical_role(role: str | None) -> str:
    """The ROLE code a stored role means; an unknown role gets no rights (it is not a key of any set)."""
    role = (role or "").strip()
    return _ALIASES.get(role, role)


def allows(role: str | None, permission: str) -> bool:
    return canonical_role(role) in PERMISSIONS[permission]


def masks_ids(role: str | None) -> bool:
    """A director and a viewer never see a full id number: not in files, lists, exports or prints."""
    return not allows(role, REVEAL_ID)


def role_label(role: str | None) -> str:
    return ROLE.label_of(canonical_role(role)) or "未知角色"


def is_village_scoped(role: str | None) -> bool:
    return canonical_role(role) == "director"


def is_county(role: str | None) -> bool:
    return canonical_role(role) in ("county", "county_admin")
