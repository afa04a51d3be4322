//! Stage 3, extract: structured facts from one rendered notice: minimum versions per
//! product, deadlines and milestones, impacts. Filled in by the policy work; the foundation
//! needs none of it yet, so this module holds no types until a stage consumes them.
