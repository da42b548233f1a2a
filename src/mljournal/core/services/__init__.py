"""Use cases that span domains (roadmap, entries, index): each module is one thing a user asks for."""
