"""Pure helpers: OIDs, IIN/BIN, names, keys, encodings. No I/O, no clock, imports nothing of ours."""
