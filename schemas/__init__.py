"""The project's published schemas (LEDES XML 2.x reconstructions, the JSON report), shipped as package data."""
