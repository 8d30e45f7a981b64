"""Use cases: each takes an explicit database session, owns its transaction's work,
calls crypto and writes audit entries. No request, no flash."""
