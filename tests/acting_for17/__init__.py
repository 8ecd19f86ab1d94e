"""A form shown for one company and sent after another tab switched to another company."""
