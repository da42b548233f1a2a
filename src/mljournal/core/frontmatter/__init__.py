"""Entry files' front-matter: decode, split, safely load, and edit one field while keeping every other byte.

Reading (`parse_document`) never raises; editing (`set_field`, `remove_field`) refuses with
`FrontMatterEditError` anything that would not read back exactly. YAML, TOML and JSON front-matter are all
handled here; the YAML text itself is rendered by `core.yamledit`. (The package name shadows nothing: the
python-frontmatter library is the top-level `frontmatter`.)
"""

from mljournal.core.frontmatter.edit import remove_field as remove_field
from mljournal.core.frontmatter.edit import render_new_entry as render_new_entry
from mljournal.core.frontmatter.edit import set_field as set_field
from mljournal.core.frontmatter.errors import FrontMatterEditError as FrontMatterEditError
from mljournal.core.frontmatter.read import Document as Document
from mljournal.core.frontmatter.read import parse_document as parse_document
from mljournal.core.frontmatter.split import JSON_DELIMITER as JSON_DELIMITER
from mljournal.core.frontmatter.split import JSON_OPEN as JSON_OPEN
from mljournal.core.frontmatter.split import TOML_DELIMITER as TOML_DELIMITER
from mljournal.core.frontmatter.split import YAML_DELIMITER as YAML_DELIMITER
