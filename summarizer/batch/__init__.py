"""Batch runs that resume, and the analysts' database export.

* :mod:`summarizer.batch.inputs`: command-line paths (files, directories, globs) to input files;
* :mod:`summarizer.batch.manifest`: the SQLite manifest in the output directory that makes a run
  resumable (each input's path, content hash, state, outputs, error and usage);
* :mod:`summarizer.batch.worker`: the rule work of one input, run in a process pool;
* :mod:`summarizer.batch.runner`: :func:`~summarizer.batch.runner.run_batch`, the orchestrator
  (process pool for the rules, one shared LLM client for every page);
* :mod:`summarizer.batch.progress`: the live display (rich) or one line per input;
* :mod:`summarizer.batch.export`: the output directory as DuckDB, Parquet, CSV or SQLite tables.

Nothing here is imported by ``import summarizer``; duckdb loads only when exporting to it.
"""
