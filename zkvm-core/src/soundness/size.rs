//! The expected size of a proof, from its shape and parameters alone: what a query costs in
//! opened rows, Merkle paths and FRI folding values, so that parameters and circuit designs can
//! be compared before anything is proven (and the proof-size floor of a design argued from
//! numbers, whitepaper §5).
//!
//! The model follows Plonky3 0.8's encoding of a batch proof:
//! - every input commitment is opened at every query: one row of each of its matrices, 4 bytes
//!   per base-field element (extension columns count 5);
//! - each commitment's openings share one *pruned* multi-opening: only the sibling digests
//!   that no queried leaf lies under are sent ([`expected_pruned_digests`]);
//! - each FRI round sends, per query, the `arity - 1` sibling values of the folded coset and
//!   one pruned multi-opening of that round's tree (leaves are cosets);
//! - the final polynomial's coefficients, and the out-of-domain values, are sent once.
//!
//! Query indices are uniform and independent, as the transcript draws them, so the path cost
//! is an expectation: a proof's actual size is within a few per cent of the estimate (a test
//! compares them).

use serde::Serialize;

use super::shape::CHALLENGE_DEGREE;
use crate::prover::ProofParameters;

/// Bytes of one base-field element in a proof.
pub const ELEMENT_BYTES: usize = 4;
/// Bytes of one Merkle digest (8 base-field elements).
pub const DIGEST_BYTES: usize = 8 * ELEMENT_BYTES;

/// One input commitment as the verifier opens it: its matrices, each a committed (LDE) height
/// and a width in base-field elements.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitmentShape {
    /// `(log2 of the committed height, width in base-field elements)` of each matrix.
    pub matrices: Vec<(usize, usize)>,
}

impl CommitmentShape {
    /// log2 of the tallest matrix: the depth of the commitment's Merkle tree.
    pub fn log_height(&self) -> usize {
        self.matrices.iter().map(|&(log_height, _)| log_height).max().unwrap_or(0)
    }

    /// Base-field elements of one opened row of every matrix.
    pub fn row_width(&self) -> usize {
        self.matrices.iter().map(|&(_, width)| width).sum()
    }
}

/// The expected bytes of a proof, by part.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct ProofSizeEstimate {
    /// Opened rows of the input commitments.
    pub opened_rows: f64,
    /// Pruned Merkle multi-openings of the input commitments.
    pub input_paths: f64,
    /// FRI folding: the sibling values of every round.
    pub fri_values: f64,
    /// FRI folding: the pruned multi-openings of every round.
    pub fri_paths: f64,
    /// The final polynomial and the out-of-domain values.
    pub sent_once: f64,
}

impl ProofSizeEstimate {
    /// All parts together.
    pub fn total(&self) -> f64 {
        self.opened_rows + self.input_paths + self.fri_values + self.fri_paths + self.sent_once
    }
}

/// The expected number of sibling digests in a pruned multi-opening of `queries` uniform,
/// independent leaf indices of a binary tree with `2^log_leaves` leaves.
///
/// A digest at level `l` is sent when its sibling subtree holds a queried leaf and it holds
/// none. A pair of subtrees of `2^l` leaves each has one side hit and the other missed with
/// probability `2 ((1 - 2^l / N)^q - (1 - 2^(l+1) / N)^q)`, and there are `N / 2^(l+1)` pairs.
pub fn expected_pruned_digests(queries: usize, log_leaves: usize) -> f64 {
    let leaves = (log_leaves as f64).exp2();
    let missed = |subtree: f64| (1.0 - subtree / leaves).powi(queries as i32);
    (0..log_leaves)
        .map(|level| {
            let subtree = (level as f64).exp2();
            let pairs = leaves / (2.0 * subtree);
            pairs * 2.0 * (missed(subtree) - missed(2.0 * subtree))
        })
        .sum()
}

/// FRI's folding schedule for inputs of these committed heights: Plonky3's own
/// [`p3_fri::fold_schedule`], from the tallest height down to the final polynomial's domain,
/// `max_log_arity` bits at a time, never folding past a height where a shorter input joins.
/// Returns the log arity of each round.
pub fn fri_schedule(input_log_heights: &[usize], parameters: &ProofParameters) -> Vec<usize> {
    let mut heights = input_log_heights.to_vec();
    heights.sort_unstable_by(|a, b| b.cmp(a));
    heights.dedup();
    let final_height = parameters.log_blowup + parameters.log_final_poly_len;
    p3_fri::fold_schedule(&heights, final_height, parameters.max_log_arity.max(1))
}

/// The expected size of a proof whose input commitments are `commitments`, with
/// `out_of_domain_values` extension elements opened at the out-of-domain points, under
/// `parameters`.
pub fn estimate_proof_size(
    commitments: &[CommitmentShape],
    out_of_domain_values: usize,
    parameters: &ProofParameters,
) -> ProofSizeEstimate {
    let queries = parameters.num_queries;
    let extension_bytes = (CHALLENGE_DEGREE * ELEMENT_BYTES) as f64;
    let row_width: usize = commitments.iter().map(CommitmentShape::row_width).sum();
    let input_paths: f64 = commitments.iter().map(|c| expected_pruned_digests(queries, c.log_height())).sum();
    let heights: Vec<usize> = commitments.iter().flat_map(|c| c.matrices.iter().map(|&(h, _)| h)).collect();
    let mut current = heights.iter().copied().max().unwrap_or(0);
    let (mut fri_values, mut fri_paths) = (0.0, 0.0);
    for log_arity in fri_schedule(&heights, parameters) {
        fri_values += queries as f64 * ((log_arity as f64).exp2() - 1.0) * extension_bytes;
        current -= log_arity;
        fri_paths += expected_pruned_digests(queries, current) * DIGEST_BYTES as f64;
    }
    let final_poly = (parameters.log_final_poly_len as f64).exp2() * extension_bytes;
    ProofSizeEstimate {
        opened_rows: (queries * row_width * ELEMENT_BYTES) as f64,
        input_paths: input_paths * DIGEST_BYTES as f64,
        fri_values,
        fri_paths,
        sent_once: final_poly + out_of_domain_values as f64 * extension_bytes,
    }
}
