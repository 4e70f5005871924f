"""The admin's management of accounts: the pages (on the accounts blueprint) and use cases."""
