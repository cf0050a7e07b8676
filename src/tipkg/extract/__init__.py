"""Text extraction: repairing the damage that PDF extraction leaves in the report's text."""
