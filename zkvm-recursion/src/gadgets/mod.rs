//! Gadgets: verifier components written as recursion-circuit relations, each checked against
//! its native counterpart.

pub mod challenger;
pub mod fri;
pub mod merkle;
pub mod powers;
#[cfg(test)]
mod tests;

pub use challenger::CircuitChallenger;
pub use fri::{
    alpha_combination, coset_start, domain_point, fold_arity_two, fold_chain, fold_row, input_point,
    input_point_from, opening_quotient, powers, query_point, quotient_of_combinations, select_by_bits,
};
pub use merkle::{OpenedRow, compress, hash_leaf, verify_batch_opening, verify_ext_batch_opening};
pub use powers::{negate_if, pow_by_bits};
