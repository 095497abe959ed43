//! Recursive aggregation: the verifier circuit, the aggregation tree and the final proof.
//!
//! Recursion arrives after continuations; this crate is empty until then.
