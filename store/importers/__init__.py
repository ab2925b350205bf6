"""Importers: page copies and Hugging Face JSON files turned into paper drafts."""
