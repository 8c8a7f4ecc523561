"""Gunicorn settings of one app server behind nginx (docs/deploy.md).

Several app servers run on one machine or many, each with its own port and, since
gunicorn 27 opens a control socket at a default path shared by every instance of a user
($XDG_RUNTIME_DIR/gunicorn.ctl or ~/.gunicorn/gunicorn.ctl), its own control socket:
``gunicornc -s /run/territoire-solidaire/gunicorn-8001.ctl -c "show workers"``.

Environment: PORT (8001), GUNICORN_HOST (127.0.0.1; 0.0.0.0 in a container),
GUNICORN_BIND ($GUNICORN_HOST:$PORT), WEB_CONCURRENCY (2 workers),
GUNICORN_CONTROL_SOCKET (/run/territoire-solidaire/gunicorn-$PORT.ctl).
"""

import os

port = os.getenv("PORT", "8001")
bind = os.getenv("GUNICORN_BIND", f"{os.getenv('GUNICORN_HOST', '127.0.0.1')}:{port}")
workers = int(os.getenv("WEB_CONCURRENCY", "2"))
proc_name = f"territoire-solidaire-{port}"
control_socket = os.getenv(
    "GUNICORN_CONTROL_SOCKET", f"/run/territoire-solidaire/gunicorn-{port}.ctl"
)
# nginx waits 35 s (proxy_read_timeout): a request killed here gets nginx's French 502.
timeout = 30
graceful_timeout = 20
# The application is loaded once by the master: a killed worker is replaced by a ready copy.
preload_app = True
# A restarted master binds even while old workers still hold the port.
reuse_port = True
accesslog = "-"
