"""SQLAlchemy records, the store and its migrations."""
from .entities import (  # noqa: F401  # noqa: F401
    TRAVELLING,
    Assessment,
    Base,
    CategoryMembership,
    ChangeLog,
    Child,
    HelpMeasure,
    HotlineCall,
    ImportLog,
    Person,
    Referral,
    Relief,
    ReportClue,
    Setting,
    Station,
    SyncBase,
    SyncConflict,
    SyncOut,
    SyncPeer,
    SyncSent,
    User,
    Village,
    Visit,
)
from .station_work import Activity, ActivityChild, Attachment, StaffMember, StaffTraining, StaffVillage  # noqa: F401
from .store import Store, open_store  # noqa: F401
