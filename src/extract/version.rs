//! Vendor version numbers (placeholder; being written).
