"""A team server for a test: a fresh database on the throwaway cluster (tests/fixtures/postgres.py), set up
by its admin, with reps of their own (role names carry the database's number: roles belong to the cluster)."""
from __future__ import annotations

from app.team import server
from tests.fixtures.postgres import ADMIN


def team_database(cluster, reps: dict[str, str], tag: str) -> dict[str, tuple[str, str, str]]:
    """{first name: display name} -> {first name: (URL as that rep, password, display name)}."""
    db = cluster.new_database()
    server.init_server(db.url_for(ADMIN), cluster.admin_password)
    suffix = db.name.rsplit("_", 1)[1]
    out = {}
    with server.connect(db.url_for(ADMIN), cluster.admin_password) as admin:
        for first, name in reps.items():
            role, password = f"{first}_{tag}{suffix}", f"{first}-secret-{suffix}"
            server.add_rep(admin, role, password, name)
            out[first] = (db.url_for(role), password, name)
    return out
