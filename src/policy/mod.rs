//! Stage 5, policy: the requirements in force per product and date, the JSON feed, and the
//! answer to `bulletin check`. Filled in by the policy work; the foundation needs none of it.
