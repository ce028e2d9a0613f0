"""Prompt templates and glossary, shipped as package data (``summarizer.prompts``)."""
