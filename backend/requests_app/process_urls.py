"""API paths under /api/workflows/ and /api/ops/ whose views act on requests (included by the config)."""

from backend.requests_app import batch_move_apis, process_apis, repair_apis

urlpatterns = [*process_apis.urlpatterns, *batch_move_apis.urlpatterns, *repair_apis.urlpatterns]
