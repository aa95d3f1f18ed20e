"""The UNIS login domain: accounts, one-time challenges, the login policy and decision, login records."""
