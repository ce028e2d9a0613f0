"""Prompt templates, glossary and price table, shipped as package data (``summarizer.prompts``)."""
