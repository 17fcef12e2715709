"""Everything about weiquan's data files: schema, loading, checking. No UI code."""
