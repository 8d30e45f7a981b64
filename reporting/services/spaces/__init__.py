"""Spaces to meet: who may organise (leads.py), sessions (sessions.py), "I might come"
(interest.py). Every change an organiser makes is audited by session or staff id only."""
