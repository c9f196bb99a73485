"""Peak resident memory of a process serving every page (or the bare Dash app): prints kB.

python -m bench.rss app|bare URL SIZE
"""

from __future__ import annotations

import sys

from bench.run import GZIP, PAGES, TRIVIAL_BODY, bare_app, body_for
from bench.seed import PASSWORD, SIZES


def peak_kb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("no VmHWM")


def main() -> None:
    mode, url, size_name = sys.argv[1:4]
    size = SIZES[size_name]
    if mode == "bare":
        client = bare_app().server.test_client()
        for path in ("/", "/_dash-layout", "/_dash-dependencies"):
            client.get(path).close()
        for _ in range(3):
            client.post("/_dash-update-component", json=TRIVIAL_BODY).close()
    else:
        from dashboard.app import create_app
        from dashboard.config import Settings

        app = create_app(Settings(database_url=url, secret_key="bench", fixed_today=size.today))
        client = app.server.test_client()
        client.post("/login", data={"username": "leader", "password": PASSWORD}).close()
        deps = client.get("/_dash-dependencies").get_json()
        search = f"?campaign={size.years[-1]}&as_of={size.today.isoformat()}"
        for _name, path, content in PAGES:
            client.get(path + search).close()
            client.get("/_dash-layout").close()
            body = body_for(deps, content, search)
            response = client.post("/_dash-update-component", json=body, headers=GZIP)
            assert response.status_code == 200, (path, response.status_code)
            response.close()
    print(peak_kb())


if __name__ == "__main__":
    main()
