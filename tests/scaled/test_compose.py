"""compose.yaml cannot run here (no Docker engine): check its shape against what the portal reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((REPO_ROOT / "compose.yaml").read_text())


def settings_variables() -> set[str]:
    """Return every environment variable name the portal's code reads through env()."""
    names: set[str] = set()
    for path in (REPO_ROOT / "backend").rglob("*.py"):
        names.update(re.findall(r'\benv\(\s*"([A-Z0-9_]+)"', path.read_text()))
    return names


def test_compose_runs_the_scaled_topology(compose):
    # given
    services = compose["services"]

    # when
    replicas = {name: service.get("deploy", {}).get("replicas", 1) for name, service in services.items()}

    # then
    assert {"postgres", "redis", "migrate", "web", "worker", "beat", "proxy"} <= set(services)
    assert replicas["web"] == 2
    assert replicas["worker"] == 2
    assert replicas["beat"] == 1
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    assert "scripts/serve_web.py" in services["web"]["command"]  # as `make run` serves (uvicorn inside)
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    for name in ("postgres", "redis", "web", "worker", "proxy"):
        assert "test" in services[name]["healthcheck"], name
    assert set(compose["volumes"]) >= {"pgdata", "redisdata", "media"}


def test_every_portal_variable_of_compose_is_read_by_the_settings(compose):
    # given
    portal_env = compose["services"]["web"]["environment"]
    read = settings_variables()

    # when
    unknown = sorted(set(portal_env) - read)

    # then
    assert unknown == []
    assert {
        "DATABASE_URL",
        "REDIS_URL",
        "DJANGO_SECRET_KEY",
        "DJANGO_PRODUCTION",
        "DJANGO_ALLOWED_HOSTS",
        "EMAIL_HOST",
        "BANK_SSO_ENABLED",
    } <= set(portal_env)
    for name in ("web", "worker", "beat", "migrate"):
        assert compose["services"][name]["environment"] == portal_env, name


def test_env_example_documents_every_variable_compose_interpolates():
    # given
    compose_text = (REPO_ROOT / "compose.yaml").read_text()
    example = (REPO_ROOT / ".env.example").read_text()

    # when
    interpolated = set(re.findall(r"\$\{([A-Z0-9_]+)", compose_text))
    documented = set(re.findall(r"^#?\s*([A-Z0-9_]+)=", example, flags=re.MULTILINE))

    # then
    assert sorted(interpolated - documented) == []


def test_proxy_config_upgrades_websockets_and_exists_where_compose_mounts_it(compose):
    # given
    mounts = compose["services"]["proxy"]["volumes"]
    config_path = REPO_ROOT / mounts[0].split(":")[0]

    # when
    config = config_path.read_text()

    # then
    assert "proxy_set_header Upgrade $http_upgrade" in config
    assert "server web:8000" in config


# Set by compose.yaml itself, whatever .env says: its own Redis service and the paths inside the image.
BUILT_BY_COMPOSE = frozenset({"REDIS_URL", "PORTAL_MEDIA_ROOT", "BANK_SSO_PUBLIC_KEY_FILE"})


def test_every_variable_of_env_example_reaches_the_web_worker_and_beat(compose):
    # given: the operator copies .env.example to .env and sets, say, SESSION_COOKIE_AGE or UPLOAD_MAX_BYTES
    example = (REPO_ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z0-9_]+)=", example, flags=re.MULTILINE))
    read = settings_variables()

    for name in ("web", "worker", "beat"):
        service = compose["services"][name]
        # when: compose starts the service
        env_files = service.get("env_file", [])
        env_files = [env_files] if isinstance(env_files, str) else env_files
        paths = [entry if isinstance(entry, str) else entry["path"] for entry in env_files]

        # then: the whole .env reaches it, and what it sets itself comes from .env or is the image's own
        assert ".env" in paths, name
        explicit = service["environment"]
        for variable in sorted(documented & read & set(explicit)):
            value = str(explicit[variable])
            assert "${" in value or variable in BUILT_BY_COMPOSE, variable


def test_every_folder_compose_mounts_from_the_repository_exists_and_web_is_checked_for_readiness(compose):
    sources = [  # ${VAR:-default} read as its default
        re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", volume).split(":")[0]
        for service in compose["services"].values()
        for volume in service.get("volumes", [])
    ]
    paths = [source for source in sources if source.startswith("./")]
    assert "./deploy/bank-sso" in paths
    assert [path for path in paths if not (REPO_ROOT / path).exists()] == []
    web_check = " ".join(compose["services"]["web"]["healthcheck"]["test"])
    assert "/readyz" in web_check  # readiness: PostgreSQL, Redis and the broker reached
