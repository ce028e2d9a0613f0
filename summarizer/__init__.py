"""summarizer: English briefings and verified structured facts from Chinese industrial-policy news."""

__version__ = "0.1.0"
