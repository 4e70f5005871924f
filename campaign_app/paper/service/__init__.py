"""Paper signatures' use cases: entering batches (entering), CSV imports with a preview
(importing), invalidating and restoring batches (batches). Each public function commits at
most once, with its audit event; audit details hold counts, never names."""
