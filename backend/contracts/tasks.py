"""Periodic tasks of contracts (idempotent): buyout quotes past their date become expired, contracts whose
agreed buyout took effect end."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="contracts.expire_buyout_quotes")
def expire_buyout_quotes() -> int:
    from backend.contracts.buyout_services import expire_quotes

    return expire_quotes()


@shared_task(name="contracts.end_bought_out_contracts")
def end_bought_out_contracts() -> int:
    from backend.contracts.buyout_services import end_bought_out_contracts as end_contracts

    return end_contracts()
