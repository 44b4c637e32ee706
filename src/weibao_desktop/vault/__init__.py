"""The store's key and who may unlock it: key slots beside the store, the recovery key, the lockout counter,
and logging in. Nothing here imports SQLAlchemy at import time, so a login window can ask for the password
while the data layer is still loading (see docs/architecture.md, 加密与账号)."""
