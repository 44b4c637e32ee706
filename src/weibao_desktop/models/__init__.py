"""SQLAlchemy records, the store and its migrations."""
from .entities import (  # noqa: F401
    TRAVELLING, Assessment, Base, CategoryMembership, ChangeLog, Child, HelpMeasure, HotlineCall, Person,
    Referral, Relief, ReportClue, Setting, Station, User, Village, Visit,
)
from .entities import ImportLog, SyncBase, SyncConflict, SyncOut, SyncPeer, SyncSent  # noqa: F401
from .store import Store, open_store  # noqa: F401
