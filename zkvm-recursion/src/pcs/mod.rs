//! The polynomial commitment scheme's verifier as circuit relations: Plonky3 0.8's
//! `TwoAdicFriPcs::verify` with FRI folding by 2 to 16 (its own fold schedule), replayed in a
//! recursion circuit.
//!
//! What the verifier knows before it reads a proof is a [`PcsShape`]: the committed batches,
//! each matrix's trace-domain size, width and number of opening points, and the proof
//! parameters. The circuit takes the commitments and claimed evaluations as slots
//! ([`BatchClaim`]), allocates the proof's own values as hints ([`PcsProofSlots`]) and checks,
//! in the order of the native verifier:
//!
//! 1. the PCS transcript: its domain-separation seed (constants fixed by the shape), every
//!    claimed evaluation absorbed, the batching proof of work, the batching challenge `alpha`;
//! 2. the FRI transcript: its seed, each round's commitment, proof of work and folding
//!    challenge `beta`, the final polynomial, the query proof of work, the query indices;
//! 3. per query: every input batch's Merkle opening at the query's index (shifted to the
//!    batch's height), the reduced openings per height (alpha-combined quotients
//!    `(p(z) - p(x)) / (z - x)`), the folding chain with roll-ins, each round's Merkle opening
//!    of the row (coset) it folded, and the final polynomial's value at the folded point.
//!
//! [`pcs_hints`] replays the same verification natively and gives the hint values, expanding
//! Plonky3's pruned multi-openings into one full Merkle path per query (the circuit's shape
//! must not depend on which queries share paths).

mod circuit;
mod hints;
#[cfg(test)]
mod tests;

use p3_challenger::CanObserve;
use p3_field::TwoAdicField;
use thiserror::Error;
use zkvm_core::prover::{ProofParameters, Val};

pub use circuit::verify_pcs;
pub use hints::{
    NativeClaims, OpeningChallenges, PcsHintError, PcsProof, pcs_hints, replay_verified_opening,
};

use crate::circuit::Slot;
use crate::gadgets::merkle::DigestSlots;

/// The largest folding arity the circuit verifies, as a log: 16, as [`ProofParameters::validate`]
/// allows.
pub const MAX_LOG_ARITY: usize = 4;

/// One committed matrix as the verifier knows it before the proof.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatrixShape {
    /// log2 of the matrix's trace-domain size (its committed height is that times the blowup).
    pub log_degree: usize,
    /// Number of columns.
    pub width: usize,
    /// Number of points at which it is opened.
    pub points: usize,
}

/// The shape of one PCS opening proof: the committed batches (in transcript order, each a list of
/// matrices in commitment order) and the proof parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PcsShape {
    batches: Vec<Vec<MatrixShape>>,
    parameters: ProofParameters,
}

/// Why a PCS shape cannot be verified in a circuit.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum PcsShapeError {
    /// The circuit folds by 2, 4, 8 or 16 (`max_log_arity` 1 to 4).
    #[error("the recursive verifier folds by 2 to 16; max_log_arity is {0}")]
    Arity(usize),
    /// Nothing is committed, or a batch, a matrix's columns or its points are empty.
    #[error("an empty batch, matrix or point list")]
    Empty,
    /// A matrix would sit at or below FRI's final height (Plonky3 treats those specially).
    #[error("a matrix of 2^{log_degree} rows is not above FRI's final height")]
    TooShort {
        /// The matrix's log trace-domain size.
        log_degree: usize,
    },
    /// The tallest committed matrix exceeds the field's two-adicity or a 30-bit query index.
    #[error("a committed height of 2^{0} is out of range")]
    TooTall(usize),
}

impl PcsShape {
    /// Checks that the circuit can verify proofs of this shape.
    pub fn new(batches: Vec<Vec<MatrixShape>>, parameters: ProofParameters) -> Result<Self, PcsShapeError> {
        if !(1..=MAX_LOG_ARITY).contains(&parameters.max_log_arity) {
            return Err(PcsShapeError::Arity(parameters.max_log_arity));
        }
        let matrices = || batches.iter().flatten();
        if batches.is_empty()
            || batches.iter().any(Vec::is_empty)
            || matrices().any(|m| m.width == 0 || m.points == 0)
        {
            return Err(PcsShapeError::Empty);
        }
        if let Some(m) = matrices().find(|m| m.log_degree <= parameters.log_final_poly_len) {
            return Err(PcsShapeError::TooShort { log_degree: m.log_degree });
        }
        let shape = PcsShape { batches, parameters };
        let log_max = shape.log_max_height();
        if log_max > Val::TWO_ADICITY || log_max > 30 {
            return Err(PcsShapeError::TooTall(log_max));
        }
        Ok(shape)
    }

    /// The batches.
    pub fn batches(&self) -> &[Vec<MatrixShape>] {
        &self.batches
    }

    /// The proof parameters.
    pub fn parameters(&self) -> &ProofParameters {
        &self.parameters
    }

    /// log2 of a matrix's committed height.
    pub fn log_height(&self, matrix: &MatrixShape) -> usize {
        matrix.log_degree + self.parameters.log_blowup
    }

    /// log2 of the tallest committed height: where folding starts, and the query index's bits.
    pub fn log_max_height(&self) -> usize {
        self.batches.iter().flatten().map(|m| self.log_height(m)).max().unwrap_or(0)
    }

    /// log2 of the height where folding stops (the final polynomial's evaluation domain).
    pub fn log_final_height(&self) -> usize {
        self.parameters.log_blowup + self.parameters.log_final_poly_len
    }

    /// Each FRI round's folding arity as a log: Plonky3's fold schedule from the tallest
    /// committed height down to the final height, at most `max_log_arity` bits a round and never
    /// past a height where a shorter matrix is rolled in.
    pub fn log_arities(&self) -> Vec<usize> {
        zkvm_core::soundness::fri_schedule(&self.input_log_heights(), &self.parameters)
    }

    /// Each FRI round as `(log arity, log height folded to)`: the round opens rows of
    /// `2^log_arity` values from a tree of `2^(log height folded to)` leaves, at the query index
    /// shifted down by every bit folded so far.
    pub fn fold_rounds(&self) -> Vec<(usize, usize)> {
        let mut height = self.log_max_height();
        self.log_arities()
            .into_iter()
            .map(|log_arity| {
                height -= log_arity;
                (log_arity, height)
            })
            .collect()
    }

    /// The distinct committed log heights, tallest first.
    fn input_log_heights(&self) -> Vec<usize> {
        let mut heights: Vec<usize> = self.batches.iter().flatten().map(|m| self.log_height(m)).collect();
        heights.sort_unstable_by(|a, b| b.cmp(a));
        heights.dedup();
        heights
    }

    /// Plonky3's description of the PCS transcript for this shape.
    fn native_pcs_shape(&self) -> p3_fri::PcsShape {
        p3_fri::PcsShape {
            claimed_evaluation_counts: self
                .batches
                .iter()
                .map(|batch| batch.iter().map(|m| vec![m.width; m.points]).collect())
                .collect(),
            batch_pow_bits: self.parameters.batch_pow_bits,
        }
    }

    /// Plonky3's description of the FRI transcript for this shape.
    fn native_fri_shape(&self) -> p3_fri::FriShape {
        p3_fri::FriShape::new(
            &self.parameters.fri_parameters(),
            &self.input_log_heights(),
            self.log_max_height(),
        )
    }

    /// The field elements the PCS transcript's domain separator absorbs first (they depend on
    /// the shape only, so the circuit absorbs them as constants).
    pub fn pcs_seed(&self) -> Vec<Val> {
        record_seed(&self.native_pcs_shape().domain_separator::<Val, crate::Ext>())
    }

    /// The field elements the FRI transcript's domain separator absorbs first.
    pub fn fri_seed(&self) -> Vec<Val> {
        record_seed(&self.native_fri_shape().domain_separator::<Val, crate::Ext>())
    }
}

/// The elements a domain separator absorbs when it seeds a transcript.
pub(crate) fn record_seed(
    separator: &p3_challenger::fs::DomainSeparator<p3_challenger::fs::FieldUnit<Val>>,
) -> Vec<Val> {
    /// Records every element observed.
    struct Recorder(Vec<Val>);
    impl CanObserve<Val> for Recorder {
        fn observe(&mut self, value: Val) {
            self.0.push(value);
        }
    }
    let mut recorder = Recorder(Vec::new());
    separator.seed(&mut recorder);
    recorder.0
}

/// One opening point of a matrix and the values claimed there, in slots.
#[derive(Clone, Debug)]
pub struct PointClaim {
    /// The point `z`.
    pub point: Slot,
    /// The claimed evaluation of every column at `z`.
    pub values: Vec<Slot>,
}

/// A committed batch in slots: its root and, per matrix, the claims at each opening point.
#[derive(Clone, Debug)]
pub struct BatchClaim {
    /// The commitment (a Merkle root).
    pub root: DigestSlots,
    /// Per matrix (commitment order), its opening points and claimed values.
    pub matrices: Vec<Vec<PointClaim>>,
}

/// One query's openings of one input batch, in slots.
#[derive(Clone, Debug)]
pub struct InputOpeningSlots {
    /// Per matrix, its opened row.
    pub rows: Vec<Vec<Slot>>,
    /// The Merkle path, leaf level first.
    pub siblings: Vec<DigestSlots>,
}

/// One query's opening of one FRI round's commitment, in slots.
#[derive(Clone, Debug)]
pub struct RoundOpeningSlots {
    /// The opened row: the round's codeword on the coset the query folds (`2^log_arity`
    /// evaluations, the folded one among them).
    pub row: Vec<Slot>,
    /// The Merkle path of the row, leaf level first.
    pub path: Vec<DigestSlots>,
}

/// One query's openings, in slots.
#[derive(Clone, Debug)]
pub struct QuerySlots {
    /// Per input batch.
    pub batches: Vec<InputOpeningSlots>,
    /// Per FRI round.
    pub rounds: Vec<RoundOpeningSlots>,
}

/// A PCS opening proof's values as hint slots.
#[derive(Clone, Debug)]
pub struct PcsProofSlots {
    /// The batching proof-of-work witness (absent without batching grinding).
    pub batch_pow_witness: Option<Slot>,
    /// Each FRI round's commitment.
    pub commit_roots: Vec<DigestSlots>,
    /// Each FRI round's proof-of-work witness (empty without commit-phase grinding).
    pub commit_pow_witnesses: Vec<Slot>,
    /// The final polynomial's coefficients.
    pub final_poly: Vec<Slot>,
    /// The query proof-of-work witness (absent without query grinding).
    pub query_pow_witness: Option<Slot>,
    /// Per query.
    pub queries: Vec<QuerySlots>,
}

impl PcsProofSlots {
    /// Hint slots for every value of a proof of `shape`.
    pub fn allocate(builder: &mut crate::CircuitBuilder, shape: &PcsShape) -> Self {
        let p = &shape.parameters;
        let digest = |b: &mut crate::CircuitBuilder| -> DigestSlots { std::array::from_fn(|_| b.hint()) };
        let fold_rounds = shape.fold_rounds();
        let rounds = fold_rounds.len();
        let batch_pow_witness = (p.batch_pow_bits > 0).then(|| builder.hint());
        let commit_roots = (0..rounds).map(|_| digest(builder)).collect();
        let commit_pow_witnesses =
            if p.commit_pow_bits > 0 { (0..rounds).map(|_| builder.hint()).collect() } else { Vec::new() };
        let final_poly = (0..1usize << p.log_final_poly_len).map(|_| builder.hint()).collect();
        let query_pow_witness = (p.query_pow_bits > 0).then(|| builder.hint());
        let queries = (0..p.num_queries)
            .map(|_| QuerySlots {
                batches: shape
                    .batches
                    .iter()
                    .map(|batch| {
                        let levels = batch.iter().map(|m| shape.log_height(m)).max().unwrap_or(0);
                        InputOpeningSlots {
                            rows: batch
                                .iter()
                                .map(|m| (0..m.width).map(|_| builder.hint()).collect())
                                .collect(),
                            siblings: (0..levels).map(|_| digest(builder)).collect(),
                        }
                    })
                    .collect(),
                rounds: fold_rounds
                    .iter()
                    .map(|&(log_arity, folded_height)| RoundOpeningSlots {
                        row: (0..1usize << log_arity).map(|_| builder.hint()).collect(),
                        path: (0..folded_height).map(|_| digest(builder)).collect(),
                    })
                    .collect(),
            })
            .collect();
        PcsProofSlots {
            batch_pow_witness,
            commit_roots,
            commit_pow_witnesses,
            final_poly,
            query_pow_witness,
            queries,
        }
    }
}
