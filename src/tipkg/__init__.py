"""tipkg: the recommendations of the UN Working Group on Trafficking in Persons as linked data."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tipkg")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
