"""Tidemark's platform simulator: the six social APIs, served locally from a synthetic world.

The demo (no credentials) and every test fetch from here instead of the real
APIs. Entry points:
  - `simulator.world.World`            deterministic synthetic accounts and metrics
  - `simulator.server.SimulatorServer` the HTTP server speaking the platforms' wire formats
  - `simulator.faults.FaultConfig`     injected failures (quota, 429, 500, expired tokens, ...)
Importing this package reads no environment and starts nothing.
"""

from simulator.faults import FaultConfig
from simulator.server import SimulatorServer
from simulator.world import World

__all__ = ["FaultConfig", "SimulatorServer", "World"]
