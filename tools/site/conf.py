"""Sphinx configuration of the course's website (``make site``; ``tools/site/build_site.py``
copies this file beside the pages it writes, with ``site.json``: the release and the address,
read from ``pyproject.toml``)."""

import json
from pathlib import Path

_site = json.loads((Path(__file__).parent / "site.json").read_text())

project = "Learning to Resize"
author = "The Learning to Resize authors"
copyright = "the Learning to Resize authors, MIT licence"  # noqa: A001 - Sphinx's name
version = release = _site["version"]
html_title = f"Learning to Resize {_site['tag']}"
html_baseurl = _site["url"]

extensions = ["myst_nb", "sphinx.ext.githubpages"]
exclude_patterns = ["_extra", "_repo", "**.ipynb_checkpoints"]
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}

# notebooks are executed by build_site.py (cached, without the licensed photos), never here
nb_execution_mode = "off"
nb_merge_streams = True
nb_ipywidgets_js = {}  # no widget scripts from a CDN: widget outputs are replaced by figures
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]  # the lessons' headings skip levels on purpose

# maths: MathJax 3 served from the site itself (copied into _static/mathjax by build_site.py)
mathjax_path = "mathjax/tex-chtml.js"

html_theme = "sphinx_book_theme"
html_static_path = ["_static"]
html_extra_path = ["_extra"]  # _extra/downloads/<lesson>.ipynb: the notebooks to download
html_css_files = ["course.css"]
html_copy_source = False
html_show_sourcelink = False
html_show_sphinx = False
html_last_updated_fmt = None
# a first visit has no stored colour mode: without a default the theme logs a console error
html_context = {"default_mode": "light"}
html_theme_options = {
    "repository_url": _site["repository"],
    "repository_branch": _site["tag"],
    "use_repository_button": True,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "navbar_persistent": [],  # one search field, in the sidebar
}
