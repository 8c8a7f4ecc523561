"""`make test-faults`: the production stack on loopback, under faults, then the counts.

Starts a private PostgreSQL (initdb under `runuser -u postgres`, its own port and data
directory in /tmp), Redis (the local server, db 5), the Procfile's `web` (gunicorn, 2
workers), `worker` and `scheduler`, and an aiosmtpd sink that records every Message-ID.
Twenty submitters post the public proposal form as a browser does (CSRF token, the page's
submission key, the same key again after an error) for FAULTS_SECONDS (60 by default)
while the run kills a gunicorn worker every 5 s and the gunicorn master once, stops
PostgreSQL for 10 s, kills the task worker twice and stops the SMTP sink for 30 s. It then
waits (bounded) for the queue to drain and prints what was acknowledged, stored, lost and
duplicated, the receipt e-mails expected and sent, duplicate Message-IDs, the 5xx seen
and the seconds each fault took to recover from.

Environment: FAULTS_SECONDS (60), FAULTS_DRAIN_SECONDS (180), FAULTS_SUBMITTERS (20),
FAULTS_PG_PORT (55433), FAULTS_WEB_PORT (8431), FAULTS_SMTP_PORT (8432),
FAULTS_REDIS_URL (redis://127.0.0.1:6379/5). Needs root (runuser) and PostgreSQL's
server binaries (initdb, pg_ctl). Exit code 0 only when nothing is lost or duplicated
and every receipt was sent once.
"""

import collections
import contextlib
import html.parser
import http.client
import json
import os
import pwd
import random
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
SECONDS = float(os.getenv("FAULTS_SECONDS", "60"))
DRAIN_SECONDS = float(os.getenv("FAULTS_DRAIN_SECONDS", "180"))
SUBMITTERS = int(os.getenv("FAULTS_SUBMITTERS", "20"))
PG_PORT = int(os.getenv("FAULTS_PG_PORT", "55433"))
WEB_PORT = int(os.getenv("FAULTS_WEB_PORT", "8431"))
SMTP_PORT = int(os.getenv("FAULTS_SMTP_PORT", "8432"))
REDIS_URL = os.getenv("FAULTS_REDIS_URL", "redis://127.0.0.1:6379/5")
DB_NAME = "solidaire_faults"
RECEIPT_SUBJECT = "Votre initiative a bien été reçue"
TITLE_PREFIX = "Essai de panne"
# A submitter whose attempt is still failing when the time is up keeps retrying this long.
GRACE_SECONDS = 30.0
# A browser gives up on a page after about this long; gunicorn's --timeout is 30 s.
REQUEST_TIMEOUT = 30.0
# The drain stops early when neither the sink nor the task table has changed for this long
# (longer than the worker's retry delays and stale-claim timeout set below).
STALL_SECONDS = 60.0


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def fail(message: str) -> None:
    print(f"test-faults : {message}", file=sys.stderr, flush=True)
    sys.exit(2)


# --- Private PostgreSQL -----------------------------------------------------------------


def pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not candidates:
        fail(f"{name} introuvable : installez le serveur PostgreSQL (paquet Debian postgresql).")
    return str(candidates[-1])


class PrivatePostgres:
    """A PostgreSQL cluster of its own, owned by the postgres user, in a /tmp directory."""

    def __init__(self, base: Path, port: int, db_name: str = DB_NAME):
        self.base = base
        self.data = base / "pgdata"
        self.sockets = base / "pgsock"
        self.port = port
        self.db_name = db_name
        self.url = f"postgres://postgres@127.0.0.1:{port}/{db_name}"

    def _as_postgres(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["runuser", "-u", "postgres", "--", *args],
            check=check,
            capture_output=True,
            text=True,
        )

    def create(self) -> None:
        uid = pwd.getpwnam("postgres").pw_uid
        for folder in (self.data, self.sockets):
            folder.mkdir()
            os.chown(folder, uid, -1)
        self._as_postgres(
            pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8"
        )
        self.start()
        self._as_postgres(
            pg_bin("createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            self.db_name,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1"
        self._as_postgres(
            pg_bin("pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.data / "server.log"),
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self) -> None:
        # "fast": what a host's shutdown or a failover does to open connections.
        self._as_postgres(pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        self._as_postgres(
            pg_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False
        )


# --- Processes --------------------------------------------------------------------------


def procfile_commands() -> dict[str, str]:
    """The production Procfile's commands: the run exercises what is deployed."""
    commands = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, sep, command = line.partition(":")
        if sep and name.strip() and not name.startswith("#"):
            commands[name.strip()] = command.strip()
    return commands


class Process:
    """One supervised process: started in its own session so that a kill hits it all."""

    def __init__(self, name: str, command: str, env: dict, logs: Path):
        self.name = name
        self.command = command
        self.env = env
        self.log_path = logs / f"{name}.log"
        self.popen: subprocess.Popen | None = None
        self.expected_exit = False
        self.restarts = 0
        self.unexpected_exits: list[int] = []

    def start(self) -> None:
        with open(self.log_path, "a") as out:
            self.popen = subprocess.Popen(
                ["sh", "-c", "exec " + self.command],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.expected_exit = False

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def kill(self) -> None:
        """SIGKILL the whole process group: a container or a machine going away."""
        self.expected_exit = True
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait()

    def kill_master_only(self) -> None:
        self.expected_exit = True
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.popen.pid, signal.SIGKILL)
        self.popen.wait()

    def stop(self) -> None:
        if not self.alive():
            return
        self.expected_exit = True
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


class Supervisor(threading.Thread):
    """Restarts whatever exits, as a platform or honcho-with-restart would; counts exits."""

    def __init__(self, processes: list[Process]):
        super().__init__(daemon=True)
        self.processes = processes
        self.running = True
        self.paused: set[str] = set()

    def run(self) -> None:
        while self.running:
            for process in self.processes:
                if process.name in self.paused or process.alive():
                    continue
                if not process.expected_exit:
                    process.unexpected_exits.append(process.popen.returncode)
                    log(f"{process.name} s'est arrêté seul (code {process.popen.returncode})")
                    time.sleep(1)  # a supervisor's backoff
                process.restarts += 1
                process.start()
            time.sleep(0.2)


# --- Submitters -------------------------------------------------------------------------


class FormReader(html.parser.HTMLParser):
    """What a browser would send back from the proposal page: every field's default."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self.options: dict[str, list[str]] = collections.defaultdict(list)
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind in ("submit", "button"):
                return
            self.fields.setdefault(name, attrs.get("value") or "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            self.options[self._select].append(value)
            if "selected" in attrs:
                self.fields[self._select] = value

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.acknowledged: dict[str, dict] = {}
        self.given_up = 0
        self.statuses = collections.Counter()
        self.errors_5xx = 0
        self.non_french_5xx = 0
        self.connection_errors = 0
        self.timeouts = 0
        self.ack_times: list[float] = []

    def count(self, status: int, body: bytes) -> None:
        with self.lock:
            self.statuses[status] += 1
            if status >= 500:
                self.errors_5xx += 1
                if b'lang="fr"' not in body:
                    self.non_french_5xx += 1


def request(
    method: str,
    path: str,
    *,
    body: str | None = None,
    cookies: dict,
    port: int = WEB_PORT,
    host_port: int | None = None,
    timeout: float = REQUEST_TIMEOUT,
) -> tuple:
    """(status, Location, body) of one request on loopback; ``cookies`` is updated as a
    browser's jar. ``host_port`` names the site in the Host header when ``port`` is one
    server behind a balancer (the deployment test)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Host": f"127.0.0.1:{host_port or port}"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location", ""), content
    finally:
        connection.close()


def submitter(number: int, stats: Stats, campaign_id: str, stop_at: float) -> None:
    sequence = 0
    give_up_at = stop_at + GRACE_SECONDS
    while time.monotonic() < stop_at:
        sequence += 1
        marker = f"{TITLE_PREFIX} {number:02d}-{sequence:04d}"
        email = f"deposant-{number:02d}-{sequence:04d}@faults.test"
        cookies: dict = {}
        key = None
        acknowledged = False
        while not acknowledged and time.monotonic() < give_up_at:
            try:
                status, _, page = request("GET", "/initiatives/proposer/", cookies=cookies)
                stats.count(status, page)
                if status != 200:
                    time.sleep(0.3)
                    continue
                form = FormReader()
                form.feed(page.decode())
                fields = dict(form.fields)
                # The browser keeps the page it first got: a retry sends the same key.
                key = key or fields["submission_key"]
                fields.update(
                    submission_key=key,
                    title=marker,
                    description="Distribution de repas préparés par des bénévoles.",
                    campaign=campaign_id,
                    actor_name="Association d'essai",
                    actor_kind="association",
                    beneficiaries="personnes isolées",
                    communes="62193",
                    submitter_name="Camille Déposante",
                    submitter_email=email,
                    submitter_phone="06 12 34 56 78",
                    consent_public_contacts="on",
                    website="",
                )
                body = urllib.parse.urlencode(fields)
                status, location, page = request(
                    "POST", "/initiatives/proposer/", body=body, cookies=cookies
                )
                stats.count(status, page)
                if status == 302 and location.endswith("/initiatives/proposer/merci/"):
                    acknowledged = True
                    with stats.lock:
                        stats.acknowledged[marker] = {"key": key, "email": email}
                        stats.ack_times.append(time.monotonic())
                else:
                    time.sleep(0.3)
            except TimeoutError:
                with stats.lock:
                    stats.timeouts += 1
            except (OSError, http.client.HTTPException):
                with stats.lock:
                    stats.connection_errors += 1
                time.sleep(0.3)
        if not acknowledged:
            with stats.lock:
                stats.given_up += 1


# --- The run ----------------------------------------------------------------------------


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        fail(f"manage.py {' '.join(args)} a échoué :\n{done.stdout}\n{done.stderr}")
    return done.stdout


def available_commands(env: dict) -> set[str]:
    script = (
        "import django; django.setup(); from django.core.management import get_commands; "
        "print(' '.join(get_commands()))"
    )
    done = subprocess.run(
        [str(PYTHON), "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return set(done.stdout.split())


def sink_records(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def stored_rows(url: str) -> list[tuple[str, str, str]]:
    with psycopg.connect(url, connect_timeout=5) as connection:
        return connection.execute(
            "SELECT title, submission_key, submitter_email FROM initiatives_initiative "
            "WHERE title LIKE %s",
            [TITLE_PREFIX + "%"],
        ).fetchall()


def task_states(url: str) -> dict[str, int]:
    with psycopg.connect(url, connect_timeout=5) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_name LIKE '%%dbtaskresult'"
            )
        ]
        if not tables:
            return {}
        rows = connection.execute(f'SELECT status, count(*) FROM "{tables[0]}" GROUP BY status')
        return dict(rows.fetchall())


def receipts_sent(records: list[dict], expected: set[str]) -> tuple[int, int, int]:
    """(recipients served, extra copies to a served recipient, duplicate Message-IDs)."""
    receipts = [r for r in records if r["subject"].strip().startswith(RECEIPT_SUBJECT)]
    per_recipient = collections.Counter(to for r in receipts for to in r["to"] if to in expected)
    ids = collections.Counter(r["message_id"] for r in records)
    duplicate_ids = sum(n - 1 for n in ids.values() if n > 1)
    extra = sum(n - 1 for n in per_recipient.values())
    return len(per_recipient), extra, duplicate_ids


def first_after(times: list[float], moment: float) -> float | None:
    later = [t for t in times if t >= moment]
    return min(later) - moment if later else None


def main() -> int:
    if os.geteuid() != 0:
        fail("il faut les droits root (runuser -u postgres crée le PostgreSQL privé).")
    started = time.monotonic()
    base = Path(tempfile.mkdtemp(prefix="faults-", dir="/tmp"))
    os.chmod(base, 0o755)
    logs = base / "logs"
    logs.mkdir()
    log(f"dossier de l'essai : {base} (journaux dans {logs})")

    pg = PrivatePostgres(base, PG_PORT)
    processes: list[Process] = []
    sink: Process | None = None
    supervisor: Supervisor | None = None
    orphans: list[int] = []  # process groups of killed gunicorn masters
    try:
        pg.create()
        log(f"PostgreSQL privé sur 127.0.0.1:{PG_PORT} ({pg.data})")
        cache = redis.Redis.from_url(REDIS_URL)
        cache.ping()
        cache.flushdb()  # db 5 belongs to this run
        sink_file = base / "smtp-sink.jsonl"
        env = {
            **os.environ,
            "PATH": f"{PYTHON.parent}:{os.environ.get('PATH', '')}",
            "DATABASE_URL": pg.url,
            "REDIS_URL": REDIS_URL,
            "DEBUG": "False",
            # Plain HTTP on loopback: the development profile only drops the HTTPS redirect
            # and secure cookies; secret, hosts, SMTP and the rest are set here as in production.
            "DJANGO_ENV": "dev",
            "SECRET_KEY": "faults-run-secret-key-not-for-production",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_ROOT": f"http://127.0.0.1:{WEB_PORT}",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(SMTP_PORT),
            # Every submitter comes from 127.0.0.1: the per-address limit would refuse them.
            "RATELIMIT_ENABLE": "False",
            # No collectstatic (minutes on a first run): pages are served from the finders.
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "WHITENOISE_USE_FINDERS": "True",
            "PORT": str(WEB_PORT),
            "WEB_CONCURRENCY": "2",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "solidaire.settings",
            # The worker's timings, shortened so that a bounded run sees a killed worker's
            # claim taken up again and a refused e-mail retried (production keeps defaults).
            "TASKS_STALE_AFTER": "20",
            "TASKS_BACKOFF_MAX": "10",
            "OUTBOX_RETRY_DELAY": "5",
            "OUTBOX_RETRY_MAX_DELAY": "20",
            "OUTBOX_SENDING_TIMEOUT": "20",
        }
        log("migrate, load_territory…")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_territory")
        campaign_id = manage(
            env,
            "shell",
            "-c",
            "from solidaire.initiatives.models import Campaign; "
            "c, _ = Campaign.objects.get_or_create(slug='faults', defaults={'name': 'Essai'}); "
            "c.departments.set(['62']); print(c.pk)",
        ).split()[-1]

        commands = procfile_commands()
        known = available_commands(env)
        worker_command = commands["worker"]
        if "run_worker" not in known:
            worker_command = "python manage.py db_worker"
            log("run_worker absent sur cette branche : la file est servie par db_worker")
        sink = Process(
            "smtp-sink",
            f"{shlex.quote(str(PYTHON))} bench/smtp_sink.py {SMTP_PORT} {sink_file}",
            env,
            logs,
        )
        # The Procfile binds every interface, as platforms need; the run stays on loopback.
        web = Process("web", commands["web"].replace("0.0.0.0", "127.0.0.1"), env, logs)
        worker = Process("worker", worker_command, env, logs)
        processes = [sink, web, worker]
        if "run_scheduler" in known:
            processes.append(Process("scheduler", commands["scheduler"], env, logs))
            scheduler_note = "scheduler : run_scheduler"
        else:
            scheduler_note = "scheduler : IGNORÉ (run_scheduler absent sur cette branche)"
        log(scheduler_note)
        for process in processes:
            process.start()
        for _ in range(100):
            try:
                if request("GET", "/", cookies={})[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            fail(f"gunicorn ne répond pas sur 127.0.0.1:{WEB_PORT} (voir {web.log_path})")
        supervisor = Supervisor(processes)
        supervisor.start()

        # The faults, at fixed fractions of the run (durations shrink with a short run).
        pg_outage = min(10.0, SECONDS / 6)
        smtp_outage = min(30.0, SECONDS / 2)
        schedule = [
            (0.13 * SECONDS, "worker-kill"),
            (0.25 * SECONDS, "pg-stop"),
            (0.25 * SECONDS + pg_outage, "pg-start"),
            (0.45 * SECONDS, "smtp-stop"),
            (0.45 * SECONDS + smtp_outage, "smtp-start"),
            (0.65 * SECONDS, "worker-kill"),
            (0.8 * SECONDS, "master-kill"),
        ]
        log(
            f"{SUBMITTERS} déposants pendant {SECONDS:.0f} s ; pannes : worker gunicorn tué "
            f"toutes les 5 s, PostgreSQL arrêté {pg_outage:.0f} s, SMTP arrêté "
            f"{smtp_outage:.0f} s, worker de tâches tué 2 fois, maître gunicorn tué 1 fois"
        )
        stats = Stats()
        t0 = time.monotonic()
        stop_at = t0 + SECONDS
        threads = [
            threading.Thread(target=submitter, args=(n, stats, campaign_id, stop_at), daemon=True)
            for n in range(SUBMITTERS)
        ]
        for thread in threads:
            thread.start()

        moments: dict[str, float] = {}
        gunicorn_kills = 0
        chooser = random.Random(0)
        master_bind_seconds = None
        next_worker_kill = t0 + 5
        pending = sorted(schedule)
        while time.monotonic() < stop_at:
            now = time.monotonic()
            if pending and now - t0 >= pending[0][0]:
                _, action = pending.pop(0)
                moments.setdefault(action, now)
                if action == "worker-kill":
                    log("worker de tâches tué (SIGKILL)")
                    worker.kill()
                elif action == "pg-stop":
                    log("PostgreSQL arrêté")
                    pg.stop()
                elif action == "pg-start":
                    pg.start()
                    moments["pg-start"] = time.monotonic()
                    log("PostgreSQL redémarré")
                elif action == "smtp-stop":
                    log("serveur SMTP arrêté")
                    supervisor.paused.add(sink.name)
                    sink.stop()
                elif action == "smtp-start":
                    supervisor.paused.discard(sink.name)
                    moments["smtp-start"] = time.monotonic()
                    log("serveur SMTP relancé")
                elif action == "master-kill":
                    log("maître gunicorn tué (SIGKILL), relancé aussitôt")
                    supervisor.paused.add(web.name)
                    orphans.append(web.pid)
                    web.kill_master_only()
                    killed = time.monotonic()
                    web.restarts += 1
                    web.start()
                    supervisor.paused.discard(web.name)
                    while time.monotonic() - killed < 60 and web.alive():
                        if children(web.pid):
                            master_bind_seconds = time.monotonic() - killed
                            break
                        time.sleep(0.05)
                continue
            if now >= next_worker_kill:
                next_worker_kill += 5
                workers = children(web.pid) if web.alive() else []
                if workers:
                    # Either worker, as a crash would pick; seeded, so that a run repeats.
                    os.kill(chooser.choice(workers), signal.SIGKILL)
                    gunicorn_kills += 1
            time.sleep(0.05)
        for thread in threads:
            thread.join(timeout=GRACE_SECONDS + 35)
        submitting_ended = time.monotonic()
        log(f"soumissions terminées ; attente de la file (au plus {DRAIN_SECONDS:.0f} s)")

        rows = stored_rows(pg.url)
        expected = {email for _, _, email in rows}
        drained_after = None
        last_change, last_seen = time.monotonic(), None
        while time.monotonic() - submitting_ended < DRAIN_SECONDS:
            served, _, _ = receipts_sent(sink_records(sink_file), expected)
            if served >= len(expected):
                drained_after = time.monotonic() - submitting_ended
                break
            seen = (served, task_states(pg.url))
            if seen != last_seen:
                last_change, last_seen = time.monotonic(), seen
            elif time.monotonic() - last_change > STALL_SECONDS:
                log(f"rien n'a bougé depuis {STALL_SECONDS:.0f} s : fin de l'attente")
                break
            time.sleep(1)
        time.sleep(2)  # a message being written when the last receipt arrived

        # --- The counts -------------------------------------------------------------
        rows = stored_rows(pg.url)
        stored_titles = collections.Counter(title for title, _, _ in rows)
        acknowledged = stats.acknowledged
        lost = [m for m in acknowledged if m not in stored_titles]
        duplicated = sum(n - 1 for n in stored_titles.values() if n > 1)
        unacknowledged_stored = sum(1 for title in stored_titles if title not in acknowledged)
        expected = {email for _, _, email in rows}
        records = sink_records(sink_file)
        served, extra_copies, duplicate_ids = receipts_sent(records, expected)
        states = task_states(pg.url)
        pg_recovery = first_after(stats.ack_times, moments.get("pg-start", float("inf")))

        def seconds(value):
            return "jamais" if value is None else f"{value:.1f} s"

        print()
        print("=== make test-faults : résultats ===")
        print(
            f"durée : {SECONDS:.0f} s, {SUBMITTERS} déposants ; {gunicorn_kills} workers gunicorn "
            f"tués, maître gunicorn tué 1 fois, PostgreSQL arrêté {pg_outage:.0f} s, SMTP arrêté "
            f"{smtp_outage:.0f} s, worker de tâches tué 2 fois"
        )
        print(f"file de tâches : {worker.command} ; {scheduler_note}")
        print(f"propositions acquittées : {len(acknowledged)}")
        print(f"propositions enregistrées : {len(stored_titles)}")
        print(f"perdues : {len(lost)}")
        print(f"en double : {duplicated}")
        print(f"enregistrées sans accusé de réception au déposant : {unacknowledged_stored}")
        print(f"abandonnées par les déposants (jamais acquittées) : {stats.given_up}")
        print(f"e-mails d'accusé de réception attendus : {len(expected)}")
        print(f"e-mails d'accusé de réception envoyés : {served}")
        print(f"copies en trop (même destinataire) : {extra_copies}")
        print(f"Message-ID en double : {duplicate_ids}")
        print(
            f"réponses 5xx vues : {stats.errors_5xx} (dont pages hors français : "
            f"{stats.non_french_5xx}) ; connexions refusées ou coupées : {stats.connection_errors} ; "
            f"sans réponse en {REQUEST_TIMEOUT:.0f} s : {stats.timeouts}"
        )
        print(
            f"première proposition acquittée après le retour de PostgreSQL : {seconds(pg_recovery)}"
        )
        master_recovery = first_after(stats.ack_times, moments.get("master-kill", float("inf")))
        print(
            f"nouveau maître gunicorn prêt (application chargée, workers lancés) en : "
            f"{seconds(master_bind_seconds)} ; première proposition acquittée après la mort "
            f"du maître : {seconds(master_recovery)}"
        )
        print(
            f"file vidée (tous les accusés envoyés) après la fin des soumissions : {seconds(drained_after)}"
        )
        during_smtp = sum(
            1
            for t in stats.ack_times
            if moments.get("smtp-stop", float("inf")) <= t <= moments.get("smtp-start", 0)
        )
        during_pg = sum(
            1
            for t in stats.ack_times
            if moments.get("pg-stop", float("inf")) <= t <= moments.get("pg-start", 0)
        )
        print(
            f"propositions acquittées pendant la coupure SMTP : {during_smtp} ; "
            f"pendant la coupure PostgreSQL : {during_pg}"
        )
        buckets = collections.Counter(int((t - t0) // 10) for t in stats.ack_times)
        print(
            "acquittées par tranche de 10 s : "
            + " ".join(str(buckets.get(i, 0)) for i in range(max(buckets, default=0) + 1))
        )
        print(
            f"codes HTTP vus par les déposants : {json.dumps(dict(sorted(stats.statuses.items())))}"
        )
        print(f"tâches en fin d'essai : {json.dumps(states, sort_keys=True)}")
        for process in processes:
            if process.unexpected_exits:
                print(
                    f"{process.name} : {len(process.unexpected_exits)} arrêt(s) non provoqué(s) "
                    f"(codes {process.unexpected_exits}), relancé par le superviseur de l'essai"
                )
        print(f"durée totale de l'essai : {time.monotonic() - started:.0f} s")
        ok = (
            acknowledged
            and not lost
            and not duplicated
            and served == len(expected)
            and not extra_copies
            and not duplicate_ids
        )
        print("RÉSULTAT :", "OK" if ok else "ÉCHEC (voir les chiffres ci-dessus)")
        return 0 if ok else 1
    finally:
        if supervisor:
            supervisor.running = False
            supervisor.join(timeout=2)
        for process in reversed(processes):
            with contextlib.suppress(ProcessLookupError):
                process.stop()
        for group in orphans:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
        pg.destroy()
        if os.getenv("FAULTS_KEEP") != "1":
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
