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
//! The indices need no trust. Plonky3's verifier draws its own from the transcript and checks
//! every batch's opening against them, and the tree binds each row to its position: a batch
//! opened at other indices fails that check. So the verifier accepts exactly the proofs it
//! accepts in full, and the preprocessed values it reads are the key's, at its own indices.
//!
//! [`FinalKey`]: super::FinalKey

use p3_batch_stark::{CommonData, verify_batch};
use p3_commit::Mmcs;
use p3_fri::BatchMultiOpening;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_core::prover::{Config, ProofParameters, Val, ValMmcs, merkle_mmcs};

use super::{FinalVerifyError, NodeError};
use crate::circuit::{Circuit, Ext};
use crate::pcs::replay_verified_opening;
use crate::prove::CircuitProof;
pub use crate::stark::PREPROCESSED_BATCH;
use crate::stark::{StarkShape, replay_to_opening};
use crate::tables::RecursionAir;

/// The Merkle tree of a circuit's preprocessed commitment, which opens it.
pub type PreprocessedTree = <ValMmcs as Mmcs<Val>>::ProverData<RowMajorMatrix<Val>>;

/// Input openings a recursion proof has: main, quotient, preprocessed (at
/// [`PREPROCESSED_BATCH`]) and LogUp; every recursion circuit has all four.
const BATCHES: usize = 4;

/// Takes the preprocessed batch out of `proof`, a proof of `circuit` with `publics` under the
/// key `common` and `parameters`, and returns the query indices its transcript drew (from which
/// [`restore_preprocessed_opening`] re-creates the batch). The proof must verify: the indices
/// are read by replaying its transcript.
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
    indices
        .into_iter()
        .map(|index| u32::try_from(index).map_err(|_| invalid(format!("query index {index}"))))
        .collect()
}

/// `proof` (a final proof as [`omit_preprocessed_opening`] left it) with its preprocessed batch
/// re-created from `tree` at `indices`: indices into the tallest codeword, `2^log_max_height`
/// rows, one per query of `parameters`. Anything else is refused, never opened.
pub fn restore_preprocessed_opening(
    proof: &CircuitProof,
    indices: &[u32],
    tree: &PreprocessedTree,
    log_max_height: usize,
    parameters: &ProofParameters,
) -> Result<CircuitProof, FinalVerifyError> {
    let refuse = |reason: String| FinalVerifyError::Opening(reason);
    let sent = proof.opening_proof.input_openings.len();
    if sent != BATCHES - 1 {
        return Err(refuse(format!("{sent} input openings, a final proof sends {}", BATCHES - 1)));
    }
    if indices.len() != parameters.num_queries {
        return Err(refuse(format!(
            "{} query indices for {} queries",
            indices.len(),
            parameters.num_queries
        )));
    }
    let mmcs = merkle_mmcs();
    let tree_height = mmcs.get_max_height(tree);
    let shift = log_max_height
        .checked_sub(tree_height.trailing_zeros() as usize)
        .ok_or_else(|| refuse("the preprocessed codewords are the tallest".into()))?;
    // The key's heights bound log_max_height (at most 2^24 rows times a blowup of 2^6).
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
    let (opened_values, opening_proof) = mmcs.open_multi_batch(&reduced, tree);
    // The proof's type has no Clone; its own encoding copies it.
    let bytes = postcard::to_allocvec(proof).map_err(|e| refuse(e.to_string()))?;
    let mut restored: CircuitProof = postcard::from_bytes(&bytes).map_err(|e| refuse(e.to_string()))?;
    let batch = BatchMultiOpening { opened_values, opening_proof };
    restored.opening_proof.input_openings.insert(PREPROCESSED_BATCH, batch);
    Ok(restored)
}
