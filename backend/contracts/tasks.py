"""Periodic tasks of contracts: buyout quotes past their date become expired (idempotent)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="contracts.expire_buyout_quotes")
def expire_buyout_quotes() -> int:
    from backend.contracts.buyout_services import expire_quotes

    return expire_quotes()
