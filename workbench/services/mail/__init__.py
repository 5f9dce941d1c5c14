"""Secure mail as a second e-consult channel: TLS-only IMAP pull, SMTP send, parsing."""
