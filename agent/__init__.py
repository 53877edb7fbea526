"""crisiscell: categorise crisis events, retrieve precedents, propose SOP-compliant scenarios."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("crisiscell")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+source"
