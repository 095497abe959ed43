//! The final proof without the opening of its preprocessed commitment.
//!
//! A batch proof opens each of its commitments at every query: the row of every committed
//! matrix there and the pruned Merkle paths to those rows. The final circuit's preprocessed
//! commitment is its verifying key, which the final verifier computes itself ([`FinalKey`]),
//! so the verifier holds that commitment's Merkle tree and can open it at any index. A final
//! proof therefore leaves the preprocessed batch out of its opening argument and carries the
//! query indices instead; the verifier opens its own tree at those indices, puts the batch
//! back and verifies the proof as Plonky3 made it.
//!
//! The same holds for the preprocessed columns' values at the out-of-domain point `zeta` (and
//! at the next row's point, where the constraints read it): they are the key's polynomials at
//! a point the transcript fixes, so the proof leaves them out too, and the verifier replays the
//! transcript to `zeta` (which draws it before any opened value is read) and evaluates its own
//! preprocessed trace there.
//!
//! The indices need no trust. Plonky3's verifier draws its own from the transcript and checks
//! every batch's opening against them, and the tree binds each row to its position: a batch
//! opened at other indices fails that check. Nor do the values: they are computed, never read.
//! So the verifier accepts exactly the proofs it accepts in full, and the preprocessed values
//! it reads are the key's, at its own indices and its own `zeta`.
//!
//! [`FinalKey`]: super::FinalKey

use p3_air::BaseAir;
use p3_batch_stark::{CommonData, verify_batch};
use p3_commit::Mmcs;
use p3_field::TwoAdicField;
use p3_fri::BatchMultiOpening;
use p3_matrix::dense::RowMajorMatrix;
use p3_matrix::interpolation::Interpolate;
use p3_uni_stark::PreprocessedOpenedValues;
use zkvm_core::prover::{Config, ProofParameters, Val, ValMmcs, merkle_mmcs};

use super::{FinalVerifyError, NodeError};
use crate::circuit::{Circuit, Ext};
use crate::pcs::replay_verified_opening;
use crate::prove::{CircuitProof, RecursionVerifyError};
pub use crate::stark::PREPROCESSED_BATCH;
use crate::stark::{StarkHintError, StarkShape, out_of_domain_point, replay_to_opening};
use crate::tables::RecursionAir;

/// The Merkle tree of a circuit's preprocessed commitment, which opens it.
pub type PreprocessedTree = <ValMmcs as Mmcs<Val>>::ProverData<RowMajorMatrix<Val>>;

/// Input openings a recursion proof has: main, quotient, preprocessed (at
/// [`PREPROCESSED_BATCH`]) and LogUp; every recursion circuit has all four.
const BATCHES: usize = 4;

/// Takes the preprocessed batch and the preprocessed out-of-domain values out of `proof`, a
/// proof of `circuit` with `publics` under the key `common` and `parameters`, and returns the
/// query indices its transcript drew (from which [`restore_preprocessed_opening`] re-creates
/// the batch). The proof must verify: the indices are read by replaying its transcript.
pub fn omit_preprocessed_opening(
    circuit: &Circuit,
    common: &CommonData<Config>,
    proof: &mut CircuitProof,
    publics: &[Ext],
    parameters: &ProofParameters,
) -> Result<Vec<u32>, NodeError> {
    let airs = RecursionAir::tables(circuit);
    let heights = RecursionAir::log_heights(circuit);
    let public_values: Vec<Vec<Val>> = airs.iter().map(|air| air.public_values(publics)).collect();
    let invalid = |reason: String| NodeError::Backend(format!("the final proof: {reason}"));
    verify_batch(&parameters.config()?, &airs, proof, &public_values, common)
        .map_err(|e| invalid(format!("does not verify: {e:?}")))?;
    if proof.opening_proof.input_openings.len() != BATCHES {
        return Err(invalid(format!("{} input openings", proof.opening_proof.input_openings.len())));
    }
    let shape = StarkShape::new(&airs, common, &heights, *parameters).map_err(|e| invalid(e.to_string()))?;
    let indices = replay_to_opening(&shape, &airs, common, proof, &public_values, |claims, challenger| {
        replay_verified_opening(&shape.pcs, claims, &proof.opening_proof, challenger).indices
    })
    .map_err(|e| invalid(e.to_string()))?;
    proof.opening_proof.input_openings.remove(PREPROCESSED_BATCH);
    for instance in &mut proof.opened_values.instances {
        instance.base_opened_values.preprocessed = None;
    }
    indices
        .into_iter()
        .map(|index| u32::try_from(index).map_err(|_| invalid(format!("query index {index}"))))
        .collect()
}

/// `proof` (a final proof of `circuit` with `publics` under the key `common`, as
/// [`omit_preprocessed_opening`] left it) with its preprocessed batch re-created from `tree`
/// at `indices` (indices into the tallest codeword, one per query of `parameters`) and its
/// preprocessed out-of-domain values computed from the key. A proof that sends any of them, or
/// whose indices are not one per query inside the codeword, is refused, never opened; one
/// whose transcript cannot reach `zeta` is invalid.
pub fn restore_preprocessed_opening(
    circuit: &Circuit,
    common: &CommonData<Config>,
    proof: &CircuitProof,
    publics: &[Ext],
    indices: &[u32],
    tree: &PreprocessedTree,
    parameters: &ProofParameters,
) -> Result<CircuitProof, FinalVerifyError> {
    let refuse = |reason: String| FinalVerifyError::Opening(reason);
    let sent = proof.opening_proof.input_openings.len();
    if sent != BATCHES - 1 {
        return Err(refuse(format!("{sent} input openings, a final proof sends {}", BATCHES - 1)));
    }
    if proof.opened_values.instances.iter().any(|instance| instance.base_opened_values.preprocessed.is_some())
    {
        return Err(refuse("preprocessed values sent, a final proof sends none".into()));
    }
    if indices.len() != parameters.num_queries {
        return Err(refuse(format!(
            "{} query indices for {} queries",
            indices.len(),
            parameters.num_queries
        )));
    }
    let heights = RecursionAir::log_heights(circuit);
    // The key's heights bound log_max_height (at most 2^24 rows times a blowup of 2^6).
    let log_max_height = heights.iter().max().copied().unwrap_or(0) + parameters.log_blowup;
    let mmcs = merkle_mmcs();
    let tree_height = mmcs.get_max_height(tree);
    let shift = log_max_height
        .checked_sub(tree_height.trailing_zeros() as usize)
        .ok_or_else(|| refuse("the preprocessed codewords are the tallest".into()))?;
    let codeword = 1usize << log_max_height;
    let mut reduced = Vec::with_capacity(indices.len());
    for &index in indices {
        if index as usize >= codeword {
            return Err(refuse(format!(
                "query index {index} is outside the 2^{log_max_height}-row codeword"
            )));
        }
        reduced.push(index as usize >> shift);
    }
    let airs = RecursionAir::tables(circuit);
    let values = preprocessed_values_at_zeta(&airs, &heights, common, proof, publics, parameters)?;
    let (opened_values, opening_proof) = mmcs.open_multi_batch(&reduced, tree);
    // The proof's type has no Clone; its own encoding copies it.
    let bytes = postcard::to_allocvec(proof).map_err(|e| refuse(e.to_string()))?;
    let mut restored: CircuitProof = postcard::from_bytes(&bytes).map_err(|e| refuse(e.to_string()))?;
    let batch = BatchMultiOpening { opened_values, opening_proof };
    restored.opening_proof.input_openings.insert(PREPROCESSED_BATCH, batch);
    for (instance, values) in restored.opened_values.instances.iter_mut().zip(values) {
        instance.base_opened_values.preprocessed = values;
    }
    Ok(restored)
}

/// Each table's preprocessed values at the out-of-domain point `zeta` that `proof`'s transcript
/// draws, and at the next row's point where its constraints read the next preprocessed row:
/// its preprocessed trace (the trace the key `common` commits to) evaluated there,
/// `None` for a table without preprocessed columns. Evaluation is barycentric over the table's
/// subgroup, one batch inversion per point for all of its columns.
fn preprocessed_values_at_zeta(
    airs: &[RecursionAir],
    heights: &[usize],
    common: &CommonData<Config>,
    proof: &CircuitProof,
    publics: &[Ext],
    parameters: &ProofParameters,
) -> Result<Vec<Option<PreprocessedOpenedValues<Ext>>>, FinalVerifyError> {
    let shape = StarkShape::new(airs, common, heights, *parameters)
        .map_err(|e| FinalVerifyError::Rebuild(format!("the final circuit's shape: {e}")))?;
    let public_values: Vec<Vec<Val>> = airs.iter().map(|air| air.public_values(publics)).collect();
    let zeta = out_of_domain_point(&shape, common, proof, &public_values).map_err(|e| match e {
        StarkHintError::Shape(reason) => RecursionVerifyError::Shape(reason),
        other => RecursionVerifyError::Invalid(other.to_string()),
    })?;
    let mut values = Vec::with_capacity(airs.len());
    for ((air, table), &log_height) in airs.iter().zip(&shape.tables).zip(heights) {
        let Some(trace) = BaseAir::<Val>::preprocessed_trace(air) else {
            values.push(None);
            continue;
        };
        let local = trace.interpolate_subgroup(zeta);
        let next = table.preprocessed_next.then(|| {
            let next_point = zeta * Val::two_adic_generator(log_height);
            trace.interpolate_subgroup(next_point)
        });
        values.push(Some(PreprocessedOpenedValues { local, next }));
    }
    Ok(values)
}
