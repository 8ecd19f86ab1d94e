"""The documents the portal generates about requests and contracts, as their reader meets them."""
