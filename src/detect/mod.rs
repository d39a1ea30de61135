//! Structured signals (under construction).
