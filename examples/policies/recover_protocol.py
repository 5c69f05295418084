"""Times and the plan document of the `ucodts recover --policy-cmd` protocol (docs/guide/policy-protocol.md).

Shared by the recover_*.py example policies beside this file (plain Python 3, standard library only).
Times in the documents are UTC text, YYYY-MM-DDTHH:MMZ; here they are whole minutes since 1970-01-01.
"""

import datetime

PLAN_VERSION = "ucodts.recovery-plan/1"
_EPOCH = datetime.datetime(1970, 1, 1)


def minutes(text):
    """Minutes since 1970-01-01 00:00 UTC of a YYYY-MM-DDTHH:MMZ time."""
    t = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%MZ")
    return int((t - _EPOCH).total_seconds()) // 60


def clock(m):
    """The YYYY-MM-DDTHH:MMZ text of minute `m` since 1970-01-01 UTC."""
    return (_EPOCH + datetime.timedelta(minutes=m)).strftime("%Y-%m-%dT%H:%MZ")


def plan_document(rotations):
    """A plan document of `rotations`: [{"aircraft": index, "legs": [{"flight": index, "departure": text}]}]."""
    return {"version": PLAN_VERSION, "rotations": rotations}
