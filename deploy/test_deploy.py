"""`make test-deploy`: the multi-server layout (deploy/local.py) under its real failures.

Not part of `make test` (a few minutes; root, PostgreSQL's server binaries, Redis, nginx).
It starts the layout, then shows, printing each result:

1. each app server has its own gunicorn control socket;
2. a proposal written through one app server is read back through the other (shared
   sessions and data), while the replica's replay is paused: the writer, pinned to the
   primary, sees it; a new visitor, reading from the replica, does not yet; once replay
   resumes, the visitor reads it from the replica;
3. nginx spreads requests over both app servers;
4. stopping the replica keeps every public page working (reads fall back to the primary,
   logged), and it is used again once restarted;
5. /sante/ turns 503 when the primary is stopped; public pages are still read from the
   replica, a page read from the primary gets the French 503 rather than a hang; /sante/
   is 200 again once the primary is back;
6. nginx with no app server answers its French 502 page.

Exit code 0 only when every check passed.
"""

import json
import re
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "bench")]

from faults import FormReader, request  # noqa: E402  (bench/faults.py)
from local import (  # noqa: E402
    APP_PORTS,
    NGINX_PORT,
    PYTHON,
    ROOT,
    LocalDeployment,
    http_get,
    log,
)

TITLE = "Essai de déploiement distribution de repas"
PUBLIC_PAGES = [
    "/",
    "/initiatives/",
    "/carte/",
    "/communes/62193/",
    "/departements/62/",
    "/regions/",
    "/bulletins/",
    "/chiffres/",
    "/donnees/",
    "/api/v1/initiatives/",
    "/initiatives/proposer/",
    "/mentions-legales/",
]


class Browser:
    """Cookies kept between requests, sent to one port or another, as a browser would
    behind a balancer that sends each request anywhere."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, port, method, path, body=None, timeout=30.0):
        return request(
            method,
            path,
            body=body,
            cookies=self.cookies,
            port=port,
            host_port=NGINX_PORT,
            timeout=timeout,
        )


class Checks:
    def __init__(self):
        self.results: list[tuple[bool, str]] = []

    def check(self, ok: bool, message: str) -> bool:
        self.results.append((bool(ok), message))
        log(("OK    " if ok else "ÉCHEC ") + message)
        return bool(ok)


def propose(browser: Browser, port: int, campaign_id: str) -> int:
    status, _, page = browser.request(port, "GET", "/initiatives/proposer/")
    assert status == 200, status
    form = FormReader()
    form.feed(page.decode())
    fields = dict(form.fields)
    fields.update(
        title=TITLE,
        description="Distribution de repas préparés par des bénévoles du quartier.",
        campaign=campaign_id,
        actor_name="Association d'essai",
        actor_kind="association",
        beneficiaries="personnes isolées",
        communes="62193",
        submitter_name="Camille Déposante",
        submitter_email="deposante@deploy.test",
        submitter_phone="06 12 34 56 78",
        consent_public_contacts="on",
        website="",
    )
    status, location, _ = browser.request(
        port, "POST", "/initiatives/proposer/", body=urllib.parse.urlencode(fields)
    )
    return status if not location.endswith("/merci/") else 302


def app_requests(deployment: LocalDeployment) -> dict[int, int]:
    """Requests each app server logged (gunicorn's access log, one line per request)."""
    counts = {}
    for port, process in deployment.apps.items():
        text = process.log_path.read_text(errors="replace")
        counts[port] = len(re.findall(r'"(?:GET|POST|HEAD) ', text))
    return counts


def main() -> int:
    started = time.monotonic()
    # Lag is not checked in this run: replay is paused on purpose to tell the databases
    # apart (the lag fallback has its unit test, tests/test_replica.py).
    deployment = LocalDeployment({"REPLICA_MAX_LAG_SECONDS": "86400"})
    checks = Checks()
    try:
        deployment.start()
        campaign_id = subprocess.run(
            [
                str(PYTHON),
                "manage.py",
                "shell",
                "-c",
                "from solidaire.initiatives.models import Campaign; "
                "c, _ = Campaign.objects.get_or_create(slug='deploiement', "
                "defaults={'name': 'Essai de déploiement'}); "
                "c.departments.set(['62']); print(c.pk)",
            ],
            cwd=ROOT,
            env=deployment.env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()[-1]

        # 1. One control socket per app server.
        for port in APP_PORTS:
            socket = deployment.control_socket(port)
            done = subprocess.run(
                [str(PYTHON.parent / "gunicornc"), "-s", str(socket), "-c", "show workers", "-j"],
                capture_output=True,
                text=True,
            )
            workers = None
            if done.returncode == 0:
                data = json.loads(done.stdout)
                workers = len(data.get("workers", data) if isinstance(data, dict) else data)
            checks.check(
                socket.exists() and workers,
                f"serveur {port} : socket de contrôle {socket.name}, "
                f"gunicornc « show workers » : {workers} workers",
            )

        # 2. Written through one app server, read back through the other and the replica.
        a, b = APP_PORTS
        deployment.replica.sql("SELECT pg_wal_replay_pause()")
        writer = Browser()
        status = propose(writer, a, campaign_id)
        checks.check(status == 302, f"proposition envoyée par le serveur {a} : {status}")
        checks.check(
            "ts_primaire" in writer.cookies,
            "le déposant reçoit le cookie ts_primaire (ses lectures restent sur le principal)",
        )
        status, _, page = writer.request(b, "GET", "/initiatives/proposer/merci/")
        link = re.search(r'href="(/initiatives/suivi/[^"]+/)"', page.decode())
        checks.check(
            status == 200 and link and TITLE in page.decode(),
            f"page « Merci » relue par l'autre serveur ({b}) : {status}, titre et lien de suivi "
            "présents (session partagée en base)",
        )
        link = link.group(1) if link else "/initiatives/suivi/absent/"
        status, _, page = writer.request(b, "GET", link)
        checks.check(
            status == 200 and TITLE in page.decode(),
            f"réplique en pause : le déposant qui vient d'écrire lit sa proposition (serveur {b}) "
            f"sur le principal : {status}",
        )
        visitor = Browser()
        status, _, _ = visitor.request(b, "GET", link)
        checks.check(
            status == 404,
            f"réplique en pause : un autre navigateur lit sur la réplique, qui ne l'a pas "
            f"encore : {status}",
        )
        deployment.replica.sql("SELECT pg_wal_replay_resume()")
        waited = time.monotonic()
        while time.monotonic() - waited < 30:
            count = deployment.replica.sql(
                "SELECT count(*) FROM initiatives_initiative WHERE title = "
                f"'{TITLE.replace(chr(39), chr(39) * 2)}'"
            )
            if count == "1":
                break
            time.sleep(0.2)
        replicated = time.monotonic() - waited
        status, _, page = visitor.request(a, "GET", link)
        checks.check(
            status == 200 and TITLE in page.decode(),
            f"après la reprise de la réplication ({replicated:.1f} s) : le même navigateur la "
            f"lit sur la réplique par le serveur {a} : {status}",
        )

        # 3. nginx spreads requests over both app servers.
        before = app_requests(deployment)
        statuses = [http_get(NGINX_PORT, "/initiatives/")[0] for _ in range(20)]
        after = app_requests(deployment)
        served = {port: after[port] - before[port] for port in APP_PORTS}
        checks.check(
            statuses.count(200) == 20 and all(served.values()),
            f"20 pages par nginx : codes {sorted(set(statuses))}, requêtes par serveur {served}",
        )
        status, headers, _ = http_get(NGINX_PORT, "/static/js/char-count.js")
        checks.check(
            status == 200 and "Cache-Control" in headers,
            f"fichier statique servi par nginx : {status}, Cache-Control « "
            f"{headers.get('Cache-Control', '')} »",
        )

        # 4. The replica stopped: every page still answers, from the primary.
        baseline = {path: http_get(NGINX_PORT, path)[0] for path in PUBLIC_PAGES}
        checks.check(
            set(baseline.values()) == {200},
            f"{len(PUBLIC_PAGES)} pages publiques avec la réplique : {baseline}",
        )
        deployment.replica.stop()
        log("réplique arrêtée")
        time.sleep(1.5)  # REPLICA_CHECK_SECONDS=1: each process probes it again
        answers = {}
        for _ in range(2):  # every gunicorn worker, probably
            for path in [*PUBLIC_PAGES, link]:
                answers.setdefault(path, set()).add(http_get(NGINX_PORT, path)[0])
        bad = {path: codes for path, codes in answers.items() if codes != {200}}
        checks.check(
            not bad,
            f"réplique arrêtée : {len(answers)} pages demandées deux fois, toutes en 200"
            + (f" sauf {bad}" if bad else ""),
        )
        status, _, body = http_get(NGINX_PORT, "/sante/")
        replica_check = json.loads(body)["checks"].get("replica", {})
        checks.check(
            status == 200 and not replica_check.get("ok"),
            f"/sante/ réplique arrêtée : {status}, réplique : {replica_check.get('detail')}",
        )
        logged = sum(
            "reads fall back to the primary" in process.log_path.read_text(errors="replace")
            for process in deployment.apps.values()
        )
        checks.check(logged == 2, f"repli sur le principal journalisé par {logged} serveurs sur 2")
        deployment.replica.start()
        time.sleep(2.5)  # REPLICA_RETRY_SECONDS=2
        status, _, body = http_get(NGINX_PORT, "/sante/")
        replica_check = json.loads(body)["checks"].get("replica", {})
        checks.check(
            replica_check.get("ok"),
            f"réplique relancée : /sante/ {status}, réplique {replica_check}",
        )

        # 5. The primary stopped: /sante/ says 503 and which part; a page gets the 503.
        deployment.primary.stop()
        log("PostgreSQL principal arrêté")
        t0 = time.monotonic()
        status, _, body = http_get(NGINX_PORT, "/sante/")
        took = time.monotonic() - t0
        failed = json.loads(body).get("failed") if status == 503 else None
        checks.check(
            status == 503 and failed == ["database"],
            f"/sante/ base arrêtée : {status} en {took:.1f} s, parties en échec : {failed}",
        )
        status, _, page = Browser().request(NGINX_PORT, "GET", "/initiatives/")
        checks.check(
            status == 200 and b"<h1" in page,
            f"principal arrêté : la liste publique est lue sur la réplique : {status}",
        )
        pinned = Browser()
        pinned.cookies["ts_primaire"] = "1"
        t0 = time.monotonic()
        # A page the page cache never keeps (its form carries a CSRF token): the list above
        # may be answered from the cache, which is the point of the cache, not of this check.
        status, _, page = pinned.request(NGINX_PORT, "GET", "/initiatives/proposer/", timeout=40)
        took = time.monotonic() - t0
        checks.check(
            status == 503 and 'lang="fr"' in page.decode() and took < 15,
            f"principal arrêté : une page lue sur le principal (navigateur qui vient d'écrire) : "
            f"{status} en {took:.1f} s (attente du pool bornée par DB_POOL_TIMEOUT), "
            f"« {_heading(page)} »",
        )
        deployment.primary.start()
        # Every process's pool reconnects on its own (psycopg_pool's backoff): the check
        # waits for ten 200s in a row, which nginx spreads over every gunicorn worker.
        t0 = time.monotonic()
        first = None
        in_a_row = 0
        while time.monotonic() - t0 < 90 and in_a_row < 10:
            if http_get(NGINX_PORT, "/sante/")[0] == 200:
                first = first or time.monotonic() - t0
                in_a_row += 1
            else:
                in_a_row = 0
                time.sleep(0.3)
        checks.check(
            in_a_row == 10,
            f"/sante/ après le retour du principal : premier 200 au bout de "
            f"{first or 0:.1f} s, dix 200 de suite (tous les workers) au bout de "
            f"{time.monotonic() - t0:.1f} s",
        )

        # 6. No app server: nginx's own French page.
        for process in deployment.apps.values():
            process.stop()
        log("serveurs d'application arrêtés")
        status, _, page = http_get(NGINX_PORT, "/")
        checks.check(
            status == 502 and 'lang="fr"' in page.decode(),
            f"nginx sans serveur d'application : {status}, « {_heading(page)} »",
        )
    finally:
        deployment.stop()

    passed = sum(ok for ok, _ in checks.results)
    print()
    print("=== make test-deploy : résultats ===")
    for ok, message in checks.results:
        print(("OK    " if ok else "ÉCHEC ") + message)
    print(f"vérifications réussies : {passed} sur {len(checks.results)}")
    print(f"durée totale : {time.monotonic() - started:.0f} s")
    ok = passed == len(checks.results) and passed > 0
    print("RÉSULTAT :", "OK" if ok else "ÉCHEC")
    return 0 if ok else 1


def _heading(page: bytes) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", page.decode(errors="replace"), re.S)
    return found.group(1).strip() if found else "(sans titre)"


if __name__ == "__main__":
    sys.exit(main())
