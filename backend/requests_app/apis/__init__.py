"""REST API of requests: client.py (submit, follow, reply), staff.py (task list, decisions),
schedule_quote.py (the schedule preview) and outputs.py (the response bodies they share).

Input serializers live in backend/requests_app/inputs.py, shared with the portal's pages.
"""
