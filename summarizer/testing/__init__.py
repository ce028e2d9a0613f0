"""Test and benchmark support that ships with the package (fake OpenAI-compatible server)."""
