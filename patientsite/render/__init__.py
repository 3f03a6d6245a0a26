"""The render stage: a frozen `Site` -> every output file as bytes (pages, JSON-LD, the render cache,
the doctor's review report)."""
