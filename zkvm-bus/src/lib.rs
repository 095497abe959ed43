//! The bus registry of the zkvm: every LogUp bus, its message layout and the chips on each side.
//!
//! The buses arrive with the segment prover; this crate is empty until then.
