"""SQLAlchemy records, the store and its migrations."""
from .audit import AuditEntry  # noqa: F401
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
from .households import CareArrangement, Household, HouseholdReview  # noqa: F401
from .pairing import PairPartner, StationKey  # noqa: F401
from .rules import CheckResolution  # noqa: F401
from .station_work import (  # noqa: F401
    Activity,
    ActivityChild,
    Attachment,
    Incident,
    StaffMember,
    StaffTraining,
    StaffVillage,
)
from .store import Store, open_store  # noqa: F401
