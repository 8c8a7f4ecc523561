"""The staff page of background work. It sits above accounts (it needs their role check)
while the rest of the outbox sits below them (accounts send e-mails through it), hence a
layer unit of its own in tests/test_layers.py."""
