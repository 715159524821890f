//! Refused by the licence check: GPL-3.0-only.
