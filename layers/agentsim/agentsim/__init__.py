"""agentsim: run voice-agent simulations on any provider and keep every result in one place."""

__version__ = "0.1.0"
