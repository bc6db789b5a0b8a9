"""The CLI's commands, one module per family (emulator, local, deployed)."""
