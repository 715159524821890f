//! Request bytes and response parsing for the communications operations.
