# The portal image: one image for the web (ASGI), worker, beat and migrate services of compose.yaml.
FROM python:3.11-slim-bookworm

# WeasyPrint renders PDFs through Pango; DejaVu has every Polish diacritic.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=backend.config.settings \
    PORTAL_VAR_DIR=/app/var \
    PORTAL_MEDIA_ROOT=/data/media \
    PYTHONPATH=/app

WORKDIR /app
# Dependencies first, so a code change does not reinstall them. The code itself runs from /app.
COPY pyproject.toml requirements.lock ./
COPY scripts/requirements.py scripts/
RUN python scripts/requirements.py >/tmp/requirements.txt \
    && pip install -c requirements.lock -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt
COPY . .
RUN python manage.py collectstatic --noinput -v0 \
    && useradd --system --uid 10001 --home-dir /app portal \
    && mkdir -p /data/media \
    && chown -R portal:portal /app/var /data

USER portal
EXPOSE 8000
# Several replicas run behind the proxy. Its X-Forwarded-For is read by the portal itself, from
# PORTAL_TRUSTED_PROXIES only (backend/core/net.py): uvicorn trusting "*" let a client forge its address.
CMD ["python", "scripts/serve_web.py", "--host", "0.0.0.0", "--port", "8000"]
