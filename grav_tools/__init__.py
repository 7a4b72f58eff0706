"""grav-tools: validate, normalise and convert Grav CMS post folders."""

__version__ = "0.1.0"
