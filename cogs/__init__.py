"""Discord adapters: one extension per feature, thin; no SQL, no business rules."""
