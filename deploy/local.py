"""`make deploy-local`: the multi-server layout of docs/deploy.md, on loopback.

nginx (deploy/nginx/territoire-solidaire.conf, its production values replaced by local
ones) in front of two gunicorn app servers (deploy/gunicorn.conf.py, each with its own
control socket), the Procfile's worker and scheduler, a private Redis, a private
PostgreSQL primary created with initdb and a streaming replica made from it with
pg_basebackup. Both PostgreSQL servers run as the `postgres` user, on ports and in
folders of their own under /tmp: never the machine's cluster. The Procfile's release
step (migrate, load_territory, collectstatic) runs before the app servers start.

`make deploy-local` starts it all and waits for Ctrl+C; deploy/test_deploy.py
(`make test-deploy`) starts it, runs its checks, then stops everything.

Environment: DEPLOY_NGINX_PORT (8580), DEPLOY_APP_PORTS (8581,8582), DEPLOY_PG_PORT
(55440), DEPLOY_REPLICA_PORT (55441), DEPLOY_REDIS_PORT (56380), DEPLOY_WEB_CONCURRENCY
(2), DEPLOY_KEEP=1 to keep the folder (logs) afterwards. Needs root (runuser, nginx),
PostgreSQL's server binaries, redis-server and nginx (`make deploy-local` installs nginx).
"""

import contextlib
import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from faults import (  # noqa: E402  (bench/faults.py: the private PostgreSQL and processes)
    PYTHON,
    PrivatePostgres,
    Process,
    log,
    pg_bin,
    procfile_commands,
)

NGINX_PORT = int(os.getenv("DEPLOY_NGINX_PORT", "8580"))
APP_PORTS = [int(p) for p in os.getenv("DEPLOY_APP_PORTS", "8581,8582").split(",")]
PG_PORT = int(os.getenv("DEPLOY_PG_PORT", "55440"))
REPLICA_PORT = int(os.getenv("DEPLOY_REPLICA_PORT", "55441"))
REDIS_PORT = int(os.getenv("DEPLOY_REDIS_PORT", "56380"))
WEB_CONCURRENCY = os.getenv("DEPLOY_WEB_CONCURRENCY", "2")
DB_NAME = "solidaire_deploy"
SITE_CONF = ROOT / "deploy" / "nginx" / "territoire-solidaire.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def fail(message: str) -> None:
    print(f"deploy-local : {message}", file=sys.stderr, flush=True)
    sys.exit(2)


class PrivateReplica(PrivatePostgres):
    """A hot standby of a PrivatePostgres, streaming from it (pg_basebackup -R)."""

    def create_from(self, primary: PrivatePostgres) -> None:
        self.sockets.mkdir()
        os.chown(self.sockets, _postgres_uid(), -1)
        os.chown(self.base, _postgres_uid(), -1)  # pg_basebackup creates pgdata in it
        self._as_postgres(
            pg_bin("pg_basebackup"),
            "-h",
            "127.0.0.1",
            "-p",
            str(primary.port),
            "-U",
            "postgres",
            "-D",
            str(self.data),
            "-R",  # standby.signal and primary_conninfo: a streaming replica
            "-X",
            "stream",
            "-c",
            "fast",
        )
        self.start()

    def sql(self, query: str) -> str:
        done = self._as_postgres(
            pg_bin("psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            self.db_name,
            "-At",
            "-c",
            query,
        )
        return done.stdout.strip()


def _postgres_uid() -> int:
    import pwd

    return pwd.getpwnam("postgres").pw_uid


def render_site(conf: str, local: dict[str, str]) -> str:
    """The production site file with each "# local: <key>" line replaced by local[key]
    and each "# tls" line dropped (loopback has no certificate)."""
    lines, used = [], set()
    for line in conf.splitlines():
        code, _, comment = line.partition("#")
        comment = comment.strip()
        if comment == "tls":
            continue
        if comment.startswith("local:"):
            key = comment.removeprefix("local:").strip()
            indent = line[: len(line) - len(line.lstrip())]
            lines.append(indent + local[key])
            used.add(key)
            continue
        lines.append(line)
    missing = set(local) - used
    if missing:
        raise ValueError(f"no '# local:' line for {sorted(missing)} in {SITE_CONF}")
    return "\n".join(lines) + "\n"


def http_get(port: int, path: str, timeout: float = 10.0) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def wait_for(port: int, path: str, seconds: float, status: int = 200) -> float:
    """Seconds until GET path answers `status`; fails after `seconds`."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        with contextlib.suppress(OSError, http.client.HTTPException):
            if http_get(port, path, timeout=5)[0] == status:
                return time.monotonic() - started
        time.sleep(0.3)
    fail(f"127.0.0.1:{port}{path} ne répond pas {status} après {seconds:.0f} s")


def nginx_conf(folder: Path, app_ports: list[int], listen_port: int) -> Path:
    """Debian's nginx.conf, cut down, and the site file rendered for loopback, written in
    folder and checked with nginx -t (bench/scale.py --through-nginx uses it too)."""
    (folder / "logs").mkdir(parents=True)
    site = render_site(
        SITE_CONF.read_text(),
        {
            "app 1": f"server 127.0.0.1:{app_ports[0]} max_fails=1 fail_timeout=10s;",
            "app 2": f"server 127.0.0.1:{app_ports[1]} max_fails=1 fail_timeout=10s;",
            "listen": f"listen 127.0.0.1:{listen_port};",
            "server_name": "server_name 127.0.0.1 localhost;",
            "root": f"root {ROOT};",
            "errors": f"root {ROOT / 'deploy' / 'nginx'};",
            "static": f"alias {ROOT / 'staticfiles'}/;",
        },
    )
    (folder / "territoire-solidaire.conf").write_text(site)
    main = folder / "nginx.conf"
    main.write_text(
        f"""# Written by deploy/local.py: Debian's nginx.conf, cut down, for one run.
user www-data;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/logs/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder}/logs/access.log;
    client_body_temp_path {folder}/tmp-body;
    proxy_temp_path {folder}/tmp-proxy;
    fastcgi_temp_path {folder}/tmp-fastcgi;
    uwsgi_temp_path {folder}/tmp-uwsgi;
    scgi_temp_path {folder}/tmp-scgi;
    sendfile on;
    server_tokens off;
    include {folder}/territoire-solidaire.conf;
}}
"""
    )
    check = subprocess.run(
        [NGINX, "-t", "-p", str(folder), "-c", str(main)], capture_output=True, text=True
    )
    if check.returncode:
        fail(f"nginx -t refuse la configuration :\n{check.stderr}")
    return main


class LocalDeployment:
    def __init__(self, env_overrides: dict[str, str] | None = None):
        self.base = Path(tempfile.mkdtemp(prefix="deploy-local-", dir="/tmp"))
        os.chmod(self.base, 0o755)
        self.logs = self.base / "logs"
        self.run_dir = self.base / "run"
        for folder in (self.logs, self.run_dir, self.base / "primary", self.base / "replica"):
            folder.mkdir()
            os.chmod(folder, 0o755)
        self.primary = PrivatePostgres(self.base / "primary", PG_PORT, DB_NAME)
        self.replica = PrivateReplica(self.base / "replica", REPLICA_PORT, DB_NAME)
        self.env_overrides = env_overrides or {}
        self.redis: Process | None = None
        self.apps: dict[int, Process] = {}
        self.worker: Process | None = None
        self.scheduler: Process | None = None
        self.nginx: Process | None = None
        self.env: dict[str, str] = {}

    # --- the pieces ---------------------------------------------------------------------

    def app_env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PATH": f"{PYTHON.parent}:{os.environ.get('PATH', '')}",
            # Plain HTTP on loopback: the development profile only drops the HTTPS redirect
            # and secure cookies; secret, hosts, databases and cache are set as in production.
            "DJANGO_ENV": "dev",
            "DEBUG": "False",
            "SECRET_KEY": "deploy-local-secret-key-not-for-production-use-only",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_ROOT": f"http://127.0.0.1:{NGINX_PORT}",
            "DATABASE_URL": self.primary.url,
            "DATABASE_REPLICA_URL": self.replica.url,
            "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
            # nginx is the one proxy in front (deploy/nginx/territoire-solidaire.conf).
            "TRUSTED_PROXY_COUNT": "1",
            "REPLICA_CHECK_SECONDS": "1",
            "REPLICA_RETRY_SECONDS": "2",
            "EMAIL_FILE_PATH": str(self.base / "mail"),
            # collectstatic copies the files as they are (seconds), rather than hashing and
            # compressing them (minutes on a first run); nginx serves them either way.
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "WEB_CONCURRENCY": WEB_CONCURRENCY,
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "solidaire.settings",
            **self.env_overrides,
        }

    def start_databases(self) -> None:
        self.primary.create()
        log(f"PostgreSQL principal sur 127.0.0.1:{PG_PORT} ({self.primary.data})")
        self.replica.create_from(self.primary)
        log(f"réplique (pg_basebackup, flux continu) sur 127.0.0.1:{REPLICA_PORT}")

    def start_redis(self) -> None:
        folder = self.base / "redis"
        folder.mkdir()
        self.redis = Process(
            "redis",
            f"redis-server --port {REDIS_PORT} --bind 127.0.0.1 --save '' --appendonly no "
            f"--dir {folder}",
            dict(os.environ),
            self.logs,
        )
        self.redis.start()

    def release(self) -> None:
        command = procfile_commands()["release"]
        log(f"release : {command}")
        done = subprocess.run(
            ["sh", "-c", command], cwd=ROOT, env=self.env, capture_output=True, text=True
        )
        (self.logs / "release.log").write_text(done.stdout + done.stderr)
        if done.returncode:
            fail(f"release a échoué :\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")

    def app_server(self, port: int) -> Process:
        env = {
            **self.env,
            "PORT": str(port),
            "GUNICORN_CONTROL_SOCKET": str(self.control_socket(port)),
        }
        command = f"{PYTHON.parent}/gunicorn -c deploy/gunicorn.conf.py solidaire.wsgi"
        return Process(f"web-{port}", command, env, self.logs)

    def control_socket(self, port: int) -> Path:
        return self.run_dir / f"gunicorn-{port}.ctl"

    def nginx_conf(self) -> Path:
        return nginx_conf(self.base / "nginx", APP_PORTS, NGINX_PORT)

    def start_nginx(self) -> None:
        main = self.nginx_conf()
        self.nginx = Process(
            "nginx",
            f"{NGINX} -p {main.parent} -c {main} -g 'daemon off;'",
            dict(os.environ),
            self.logs,
        )
        self.nginx.start()

    # --- the whole layout ---------------------------------------------------------------

    def start(self) -> None:
        if os.geteuid() != 0:
            fail("il faut les droits root (runuser -u postgres, nginx).")
        if not Path(NGINX).exists():
            fail("nginx introuvable : apt-get install nginx (make deploy-local l'installe).")
        log(f"dossier : {self.base} (journaux dans {self.logs})")
        self.start_databases()
        self.start_redis()
        self.env = self.app_env()
        self.release()
        commands = procfile_commands()
        self.apps = {port: self.app_server(port) for port in APP_PORTS}
        self.worker = Process("worker", commands["worker"], self.env, self.logs)
        self.scheduler = Process("scheduler", commands["scheduler"], self.env, self.logs)
        for process in [*self.apps.values(), self.worker, self.scheduler]:
            process.start()
        for port in APP_PORTS:
            seconds = wait_for(port, "/sante/", 120)
            log(f"serveur d'application 127.0.0.1:{port} prêt en {seconds:.1f} s")
        self.start_nginx()
        wait_for(NGINX_PORT, "/sante/", 30)
        log(f"nginx : http://127.0.0.1:{NGINX_PORT}/")

    def processes(self) -> list[Process]:
        found = [self.nginx, *self.apps.values(), self.worker, self.scheduler, self.redis]
        return [process for process in found if process is not None]

    def stop(self) -> None:
        for process in self.processes():
            with contextlib.suppress(ProcessLookupError):
                process.stop()
        self.replica.destroy()
        self.primary.destroy()
        if os.getenv("DEPLOY_KEEP") == "1":
            log(f"dossier gardé : {self.base}")
        else:
            shutil.rmtree(self.base, ignore_errors=True)


def main() -> int:
    deployment = LocalDeployment()
    stopping = {"now": False}

    def stop(signum, frame):
        stopping["now"] = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        deployment.start()
        print(
            f"\nDéploiement local prêt : http://127.0.0.1:{NGINX_PORT}/ (nginx) → app "
            f"{', '.join(str(p) for p in APP_PORTS)} ; PostgreSQL {PG_PORT} (principal) et "
            f"{REPLICA_PORT} (réplique) ; Redis {REDIS_PORT} ; santé : "
            f"http://127.0.0.1:{NGINX_PORT}/sante/ ; Ctrl+C pour tout arrêter.",
            flush=True,
        )
        while not stopping["now"]:
            for process in deployment.processes():
                if not process.alive():
                    log(f"{process.name} s'est arrêté (voir {process.log_path}) : arrêt")
                    return 1
            time.sleep(1)
        return 0
    finally:
        deployment.stop()
        log("déploiement local arrêté")


if __name__ == "__main__":
    sys.exit(main())
