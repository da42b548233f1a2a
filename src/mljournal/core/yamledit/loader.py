"""The one choice of PyYAML loader: libyaml's C safe loader, or the pure-Python one when libyaml is missing.

Every module that parses YAML (front-matter, the roadmap, the depth guard) takes `SafeLoader` from here, so a
PyYAML built without libyaml still works everywhere instead of failing at `yaml.CSafeLoader`.
"""

from __future__ import annotations

import yaml

try:  # the C loader is ~10x faster; the pure-Python one is a correct fallback when libyaml is missing
    SafeLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment,misc,unused-ignore]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    SafeLoader = yaml.SafeLoader
