//! The memory argument of the zkvm: timestamped offline memory checking within a segment and the
//! boundary between segments.
//!
//! The argument arrives with the segment prover; this crate is empty until then.
