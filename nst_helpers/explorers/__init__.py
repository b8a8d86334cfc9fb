"""The explorers: interactive widgets (``widgets``: the concrete explorers, ``explorer``:
their base), their job queue (``jobs``), the front end's abilities and uploads."""
