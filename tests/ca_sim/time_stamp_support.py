"""Test double of the TSA's ledger shared by the TSA's tests (ca_sim) and the API's."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from ca_sim.time_stamp_ledger import IssuedTimeStamp, TimeStampLedger


class DatabaseDown(TimeStampLedger):
    """The database refuses every write (the driver's text names the cause; nothing may show it)."""

    def record(self, issued: IssuedTimeStamp) -> bool:
        raise OperationalError("INSERT", {}, Exception("database is locked"))
