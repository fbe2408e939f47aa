"""The durable session journal (SQLite): events, the exercise snapshot, locking, listing, export."""
