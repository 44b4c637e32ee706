"""Times as the user reads them. Services stamp records in UTC (naive datetimes); every such stamp is
shown in this computer's local time. Times a person typed (a visit's date, when a call came in) are
already local and are shown as typed."""
from __future__ import annotations

import datetime as dt


def local_stamp(moment: dt.datetime | None, empty: str = "") -> str:
    """A stored UTC stamp (naive or aware) as local yyyy-MM-dd HH:mm."""
    if moment is None:
        return empty
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
