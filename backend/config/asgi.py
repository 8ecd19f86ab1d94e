"""ASGI entry points: Django over HTTP, Channels consumers over WebSocket.

`application` is Django's own ASGI handler (what tests and ASGI_APPLICATION use). `served_application`
is what scripts/serve_web.py serves (`make run`, the compose replicas) through the factory `serve`: the
same WebSocket stack, but plain HTTP goes through Django's WSGI handler on a fixed pool of threads
(backend/config/wsgi_bridge.py). Under the ASGI handler every request runs in a thread of its own, so it opened a new database connection each time (CONN_MAX_AGE never took effect)
and paid the async/sync hops of the middleware chain; bench/bench_http.py measured ~8 ms of server CPU
per request saved this way, and the bridge's single hand-off per request more (figures in the README).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.config.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

from backend.config.wsgi_bridge import ThreadPoolWSGI  # noqa: E402
from backend.core.gc_tuning import freeze_startup_objects  # noqa: E402
from backend.documents.pdf_store import start_pdf_warm_up  # noqa: E402
from notifications.consumers import SocketOutageGuard  # noqa: E402
from notifications.routing import websocket_urlpatterns  # noqa: E402
from notifications.socket_origin import SameOriginValidator  # noqa: E402

# Threads serving HTTP in one process: each keeps its own database connection for its life.
HTTP_THREADS = int(os.environ.get("PORTAL_HTTP_THREADS", "8"))

# The guard outside the session and user middleware: they read the database before any consumer runs.
# The Origin: a host of ALLOWED_HOSTS, and the page's own scheme and port (notifications/socket_origin.py).
websocket_app = AllowedHostsOriginValidator(
    SameOriginValidator(SocketOutageGuard(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))))
)

application = ProtocolTypeRouter({"http": django_asgi_app, "websocket": websocket_app})

served_application = ProtocolTypeRouter(
    {"http": ThreadPoolWSGI(get_wsgi_application(), workers=HTTP_THREADS), "websocket": websocket_app}
)


def serve() -> ProtocolTypeRouter:
    """The served application (uvicorn --factory, scripts/serve_web.py), its start-up objects frozen and the
    PDF renderer warming up meanwhile (the first PDF of a process would otherwise wait for it)."""
    freeze_startup_objects()
    start_pdf_warm_up()
    return served_application
