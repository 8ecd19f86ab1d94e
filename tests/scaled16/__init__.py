"""Scaled mode (PostgreSQL + Redis, two web processes): outages, session control, operations, compose."""
