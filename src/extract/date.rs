//! Date phrases (placeholder; being written).
