"""Two-way sync with the user's own feed server (docs/SYNC.md): a protocol adapter per kind of server
(:mod:`.adapter`; Fever first, :mod:`.fever`), an outbox of local changes pushed before each pull."""
