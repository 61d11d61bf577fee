"""Research options from the workspace settings and the keychain (shared by the CLI and the window)."""
from __future__ import annotations

import logging

from app.core.errors import SecretsUnavailable
from app.research.sources import DEFAULT_SOURCES, KEY_SOURCES, NEWS_SOURCES, ResearchOptions
from app.secrets import SecretStore
from app.storage.repo import WorkspaceRepo

log = logging.getLogger(__name__)


def stored_keys(store: SecretStore | None = None) -> dict[str, str]:
    """The API keys the rep saved; none when there is no keychain (those sources stay off)."""
    store = store or SecretStore()
    keys = {}
    try:
        for name in KEY_SOURCES:
            value = store.get(name)
            if value:
                keys[name] = value
    except SecretsUnavailable as e:
        log.info("API keys unavailable: %s", e)
    return keys


def research_options(repo: WorkspaceRepo | None, name: str | None, url: str | None, max_pages: int = 8,
                     news: bool = True, store: SecretStore | None = None) -> ResearchOptions:
    settings = (lambda key, default: repo.get_setting(key, default)) if repo else (lambda key, default: default)
    # (A source the registry no longer has, such as a removed one, is dropped from old settings.)
    sources = {**DEFAULT_SOURCES, **{k: v for k, v in settings("research_sources", {}).items() if k in DEFAULT_SOURCES}}
    if not news:
        sources.update({s: False for s in NEWS_SOURCES})
    return ResearchOptions(
        name=name, url=url, max_pages=max_pages, sources=sources,
        keys=stored_keys(store) if news else {},
        endpoints=settings("news_endpoints", {}),
        contact=settings("user_agent_contact", ""),
        crawl_delay=float(settings("crawl_delay", 1.0)),
        allow_private_redirects=bool(settings("allow_private_redirects", False)),
    )
