"""PostgreSQL through Django's pool, failing fast right after the pool timed out.

A gunicorn sync worker serves one request at a time: when its pool cannot hand out a
connection within DB_POOL_TIMEOUT, the database is unreachable (or refuses connections),
not busy with this process's other requests. Making every following request wait that
long again would queue the clients behind one another until they time out; for
DB_POOL_FAIL_FAST_SECONDS after a timeout, a request is refused at once instead (the same
PoolTimeout, hence the same French 503 page), then one request tries again.
"""

import time

from django.conf import settings
from django.db.backends.postgresql import base
from psycopg_pool import PoolTimeout

# alias -> monotonic time before which a connection is refused without waiting.
_refuse_until: dict[str, float] = {}


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        if self.pool is None:
            return super().get_new_connection(conn_params)
        if time.monotonic() < _refuse_until.get(self.alias, 0.0):
            raise PoolTimeout("the pool timed out a moment ago: not waiting again")
        try:
            return super().get_new_connection(conn_params)
        except PoolTimeout:
            _refuse_until[self.alias] = time.monotonic() + settings.DB_POOL_FAIL_FAST_SECONDS
            raise


def fail_fast_reset() -> None:
    _refuse_until.clear()
