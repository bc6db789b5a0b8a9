"""Local tooling for agentsim: the provider emulator, the embedded AWS run and the CLI."""
