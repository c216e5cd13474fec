"""The demo administration: a Dutch wholesaler with 18 months of customers, invoices and
payments, generated deterministically and loaded through the real importers.

`generator` makes the rows (pure Python, no Django); `services.demo_build` imports them.
"""
