"""Serving speed, in one run on one machine, with wrk (Debian's): `make bench` or `python bench/serve_bench.py`.

Four servers answer the same addresses (home, a concept, a chain, a result, a listing, a search,
the SKOS file):

1. nginx serving copies of those pages saved as static files: the anchor, as fast as it gets here;
2. gunicorn with the page cache off (every request rendered); as in `make run`, 2 gthread workers with
   4 threads each, which keep connections alive (the sync worker closes every one);
3. gunicorn with the page cache on (the hits);
4. Varnish (deploy/varnish/default.vcl) in front of 3.

It prints req/s, p50 and p99 per address and server, and each figure's ratio to the anchor. Goals:
page cache ≥ 1/20 of static, Varnish ≥ 0.5 × static.

Then, with wrk loading Varnish, it publishes and unpublishes a result again and again (as the
editor's button does, from this process, on the same database and cache) and right after each
change asks the result, the listing, the start page and the feed, straight from gunicorn and
through Varnish: any answer that still shows the old state is a stale read. Goal: 0.

Everything runs on a copy of the demo content in a temporary folder (SQLite, the cache on disk, or
Redis with REDIS_URL), with production settings over plain HTTP (portal.settings.run).
Options: --seconds N per measurement (default 5), --connections N (default 16).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} svarade inte inom {seconds:g} s")


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def wrk(url: str, seconds: int, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(pct):
        value, unit = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": latency(50), "p99": latency(99), "errors": int(errors.group(1)) if errors else 0}


class Bench:
    def __init__(self, seconds: int, connections: int):
        self.seconds, self.connections = seconds, connections
        self.dir = Path(tempfile.mkdtemp(prefix="larportalen-serve-bench-"))
        os.chmod(self.dir, 0o755)  # noqa: S103 - nginx's and varnishd's workers read the saved pages and the VCL
        self.processes: list[subprocess.Popen] = []
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.run",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "DATABASE_URL": f"sqlite:///{self.dir}/db.sqlite3",
            "CACHE_DIR": str(self.dir / "cache"),
            "ELASTICSEARCH_URL": "",
            "LOG_LEVEL": "WARNING",
        }
        self.ports = {name: free_port() for name in ("uncached", "cached", "varnish", "static")}
        self.env["FRONTEND_CACHE_URL"] = f"http://127.0.0.1:{self.ports['varnish']}"

    def manage(self, *args):
        subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=self.env, check=True, stdout=subprocess.DEVNULL)

    def start(self, args, env=None, **kwargs):
        process = subprocess.Popen(args, cwd=ROOT, env=env or self.env, **kwargs)
        self.processes.append(process)
        return process

    def gunicorn(self, name: str, page_cache: bool):
        env = {**self.env, "PAGE_CACHE": "true" if page_cache else "false"}
        self.start(
            [str(Path(PY).parent / "gunicorn"), "portal.wsgi", "--bind", f"127.0.0.1:{self.ports[name]}",
             "--workers", "2", "--worker-class", "gthread", "--threads", "4", "--log-level", "warning"],
            env=env,
        )  # fmt: skip

    def varnish(self):
        vcl = (ROOT / "deploy/varnish/default.vcl").read_text()
        vcl = re.sub(r'\.port = "\d+";', f'.port = "{self.ports["cached"]}";', vcl, count=1)
        (self.dir / "default.vcl").write_text(vcl)
        varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
        subprocess.run(
            [varnishd, "-a", f"127.0.0.1:{self.ports['varnish']}", "-f", str(self.dir / "default.vcl"),
             "-n", str(self.dir / "varnish"), "-s", "malloc,128m", "-P", str(self.dir / "varnishd.pid"), "-T", "none"],
            check=True,
        )  # fmt: skip

    def nginx(self, paths: dict):
        root = self.dir / "static"
        lines = []
        for name, path in paths.items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with urllib.request.urlopen(self.url("uncached", path), timeout=30) as response:  # noqa: S310
                target.write_bytes(response.read())
                content_type = response.headers["Content-Type"]
            # One exact location per address: the saved copy with the portal's content type.
            uri = path.split("?")[0]
            lines.append(f'location = {uri} {{ default_type "{content_type}"; try_files /{name} =404; }}')
        conf = self.dir / "nginx.conf"
        conf.write_text(f"""
worker_processes 2;
daemon off;
pid {self.dir}/nginx.pid;
error_log {self.dir}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    types {{ }}
    server {{
        listen 127.0.0.1:{self.ports["static"]};
        root {root};
        {chr(10).join(lines)}
    }}
}}
""")
        self.start(["nginx", "-c", str(conf), "-p", str(self.dir)], stderr=subprocess.DEVNULL)

    def url(self, name: str, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}{path}"

    def close(self):
        pidfile = self.dir / "varnishd.pid"
        if pidfile.exists():
            subprocess.run(["kill", pidfile.read_text().strip()], check=False)
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        shutil.rmtree(self.dir, ignore_errors=True)


def demo_paths() -> dict:
    """Saved-file name → address, for the page types the issue names (Django is set up here)."""
    from larande.models import ConceptPage, EffectChainPage, EvaluationResultPage

    return {
        "start.html": "/",
        "begrepp.html": ConceptPage.objects.live().order_by("path").first().url,
        "effektkedja.html": EffectChainPage.objects.live().order_by("path").first().url,
        "resultat.html": EvaluationResultPage.objects.live().order_by("path").first().url,
        "lista.html": "/resultat/",
        "sok.html": "/sok/?q=utfall",
        "begrepp.ttl": "/oppna-data/begrepp.ttl",
    }


def stale_reads(bench: Bench, changes: int) -> tuple[int, int]:
    """Publish and unpublish a result `changes` times under load; (stale reads, reads)."""
    from larande.models import EvaluationResultPage

    result = EvaluationResultPage.objects.live().order_by("path").last()
    url, title = result.url, result.title
    addresses = [url, "/resultat/", "/", "/resultat/rss/"]
    stale = reads = 0
    for n in range(changes):
        page = EvaluationResultPage.objects.get(pk=result.pk)
        if n % 2 == 0:
            page.unpublish()
            visible = False
        else:
            page.save_revision().publish()
            visible = True
        for origin in ("cached", "varnish"):
            for path in addresses:
                status, text = get(bench.url(origin, path))
                shown = status == 200 and title in text
                reads += 1
                if path == url:
                    stale += shown != visible
                elif not visible:
                    stale += shown
        time.sleep(0.2)
    if not result.live:
        EvaluationResultPage.objects.get(pk=result.pk).save_revision().publish()
    return stale, reads


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--changes", type=int, default=10)
    options = parser.parse_args()
    for tool in ("wrk", "nginx", "varnishd"):
        if not (shutil.which(tool) or Path(f"/usr/sbin/{tool}").exists()):
            print(f"{tool} saknas: apt-get install -y wrk nginx varnish")
            return 1

    bench = Bench(options.seconds, options.connections)
    try:
        print("Bygger demoinnehållet i en tillfällig databas …", flush=True)
        bench.manage("migrate", "--noinput")
        bench.manage("build_demo_content")
        bench.manage("rebuild_search_index")
        if not (ROOT / "staticfiles" / "staticfiles.json").exists():
            bench.manage("collectstatic", "--noinput")
        os.environ.update(bench.env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        paths = demo_paths()

        bench.gunicorn("uncached", page_cache=False)
        bench.gunicorn("cached", page_cache=True)
        for name in ("uncached", "cached"):
            wait_for(bench.url(name, "/"))
        bench.varnish()
        wait_for(bench.url("varnish", "/"))
        bench.nginx(paths)
        wait_for(bench.url("static", "/"))

        servers = [("static", "nginx, sparade filer"), ("uncached", "gunicorn utan cache"),
                   ("cached", "gunicorn med sidcache"), ("varnish", "Varnish framför")]  # fmt: skip
        print(f"\nwrk -t2 -c{options.connections} -d{options.seconds}s, {os.cpu_count()} processorer\n")
        print(f"{'adress':<34} {'server':<22} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'× statisk':>10}")
        worst = {"cached": float("inf"), "varnish": float("inf")}
        for path in paths.values():
            for server, _label in servers:
                get(bench.url(server, path))  # warm: the first request fills the caches
            anchor = None
            for server, label in servers:
                figures = wrk(bench.url(server, path), options.seconds, options.connections)
                anchor = anchor or figures["rps"]
                ratio = figures["rps"] / anchor
                if server in worst:
                    worst[server] = min(worst[server], ratio)
                errors = f"  ({figures['errors']} fel)" if figures["errors"] else ""
                print(
                    f"{path[:34]:<34} {label:<22} {figures['rps']:>9.0f} {figures['p50']:>8.2f} "
                    f"{figures['p99']:>8.2f} {ratio:>10.3f}{errors}",
                    flush=True,
                )

        print("\nPublicerar och avpublicerar ett resultat under last genom Varnish …", flush=True)
        load = threading.Thread(
            target=wrk, args=(bench.url("varnish", "/resultat/"), options.changes + 5, options.connections)
        )
        load.start()
        stale, reads = stale_reads(bench, options.changes)
        load.join()
        print(f"Inaktuella svar: {stale} av {reads} läsningar direkt efter {options.changes} ändringar")
        print(f"Sämsta kvot sidcache/statisk: {worst['cached']:.3f} (mål ≥ 0,05)")
        print(f"Sämsta kvot Varnish/statisk: {worst['varnish']:.3f} (mål ≥ 0,5)")
        ok = stale == 0 and worst["cached"] >= 0.05 and worst["varnish"] >= 0.5
        print("Målen nådda." if ok else "Något mål nåddes inte.")
        return 0 if ok else 1
    finally:
        bench.close()


if __name__ == "__main__":
    sys.exit(main())
