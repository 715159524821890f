//! Request bytes and response parsing for the portfolio operations.
