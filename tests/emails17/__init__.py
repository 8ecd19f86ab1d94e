"""What the portal e-mails say, as the outside tester read every one of them (round 17)."""
