"""`mljournal export`: the journal as a static site, blog posts for Hugo, Jekyll or Astro, or one JSON file.

- `collect.py` gathers what to export (the entries a query picks, their links, the roadmap), read-only.
- `destination.py` owns the output folder: it refuses to overwrite what it didn't make, and swaps a finished
  export in whole.
- One module per format: `html_site.py` (with `html_render.py` for the Markdown), `blog.py`, `json_file.py`.
- `run.py` is the use case the CLI calls.

The journal's own files are only ever read.
"""
