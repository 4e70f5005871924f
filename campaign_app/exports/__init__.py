"""Delivery exports of a petition's signatures in every format (CSV, XLSX, PDF, JSON)."""
