//! The PCS verifier's hint values: the native verification replayed, its intermediate values
//! (challenges, the rows each FRI round folds) recomputed, and Plonky3's pruned multi-openings
//! expanded into one Merkle path per query.

use p3_commit::{CommitmentWithOpeningPoints, Mmcs};
use p3_field::BasedVectorSpace;
use p3_field::coset::TwoAdicMultiplicativeCoset;
use p3_fri::{BatchMultiOpening, FriProof, PcsVerifierTranscript, TwoAdicFriFolding, VerifierTranscript};
use p3_matrix::Dimensions;
use p3_uni_stark::StarkGenericConfig;
use thiserror::Error;
use zkvm_core::prover::{ChallengeMmcs, Challenger, Val, ValMmcs, merkle_mmcs};

use super::{PcsProofSlots, PcsShape};
use crate::circuit::{Ext, HintValues};

/// A PCS opening proof as the proof system produces it.
pub type PcsProof = FriProof<Ext, ChallengeMmcs, Val, Vec<BatchMultiOpening<Val, ValMmcs>>>;

/// The native claims: each batch's commitment and, per matrix, its domain, points and claimed
/// values.
pub type NativeClaims = Vec<
    CommitmentWithOpeningPoints<Ext, <ValMmcs as Mmcs<Val>>::Commitment, TwoAdicMultiplicativeCoset<Val>>,
>;

/// Why no hints could be made for a PCS proof.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum PcsHintError {
    /// The claims do not have the shape the circuit was built for.
    #[error("the claims do not have the circuit's shape: {0}")]
    Shape(String),
    /// The proof does not verify natively (a recursive prover proves only valid children).
    #[error("the opening proof does not verify: {0}")]
    Invalid(String),
}

/// Sets the hint values of `slots` (allocated for `shape`) from `proof` of `claims`, replaying
/// the native verification on `challenger`, which is left where the native verifier leaves it.
pub fn pcs_hints(
    shape: &PcsShape,
    claims: &NativeClaims,
    proof: &PcsProof,
    challenger: &mut Challenger,
    slots: &PcsProofSlots,
    hints: &mut HintValues,
) -> Result<(), PcsHintError> {
    check_shape(shape, claims)?;
    let parameters = shape.parameters();
    let fri = parameters.fri_parameters();
    let config = parameters.config().map_err(|e| PcsHintError::Shape(e.to_string()))?;
    p3_commit::Pcs::<Ext, Challenger>::verify(config.pcs(), claims.clone(), proof, &mut challenger.clone())
        .map_err(|e| PcsHintError::Invalid(format!("{e:?}")))?;
    let OpeningChallenges { alpha, betas, indices } =
        replay_verified_opening(shape, claims, proof, challenger);

    let log_max = shape.log_max_height();
    let fold_rounds = shape.fold_rounds();
    let log_arities = shape.log_arities();
    let rounds = fold_rounds.len();
    let mmcs = merkle_mmcs();
    let reduced =
        p3_fri::verifier::open_inputs(&fri, log_max, &indices, &proof.input_openings, alpha, &mmcs, claims)
            .map_err(|e| PcsHintError::Invalid(format!("{e:?}")))?;
    let folding = TwoAdicFriFolding::<Vec<BatchMultiOpening<Val, ValMmcs>>, <ValMmcs as Mmcs<Val>>::Error>(
        std::marker::PhantomData,
    );
    let mut groups = vec![Vec::new(); rounds];
    let mut rows = vec![Vec::new(); rounds];
    for (query, (&index, openings)) in indices.iter().zip(reduced).enumerate() {
        let mut start = index;
        let _folded = p3_fri::verifier::fold_query::<_, Val, Ext, ChallengeMmcs>(
            &folding,
            query,
            &mut start,
            &betas,
            &log_arities,
            &proof.commit_phase_openings,
            openings,
            log_max,
            shape.log_final_height(),
            &mut groups,
            &mut rows,
        )
        .map_err(|e| PcsHintError::Invalid(format!("{e:?}")))?;
    }

    // Proof values.
    let p = parameters;
    if let Some(slot) = slots.batch_pow_witness {
        hints.set_base(slot, proof.batch_pow_witness);
    }
    for (root, commitment) in slots.commit_roots.iter().zip(&proof.commit_phase_commits) {
        hints.set_all_base(root, &commitment.roots()[0]);
    }
    if p.commit_pow_bits > 0 {
        hints.set_all_base(&slots.commit_pow_witnesses, &proof.commit_pow_witnesses);
    }
    hints.set_all(&slots.final_poly, &proof.final_poly);
    if let Some(slot) = slots.query_pow_witness {
        hints.set_base(slot, proof.query_pow_witness);
    }

    // Input openings: rows and one full path per query.
    for (batch, (matrices, opening)) in shape.batches().iter().zip(&proof.input_openings).enumerate() {
        let heights: Vec<usize> = matrices.iter().map(|m| 1 << shape.log_height(m)).collect();
        let dimensions: Vec<Dimensions> =
            matrices.iter().zip(&heights).map(|(m, &height)| Dimensions { width: m.width, height }).collect();
        let shift = log_max - heights.iter().max().expect("a non-empty batch").trailing_zeros() as usize;
        let batch_indices: Vec<usize> = indices.iter().map(|&index| index >> shift).collect();
        let paths = mmcs
            .restore_and_recompute_paths(
                &dimensions,
                &batch_indices,
                &opening.opened_values,
                &opening.opening_proof,
            )
            .map_err(|e| PcsHintError::Invalid(format!("batch {batch}: {e:?}")))?;
        for (query, path) in paths.iter().enumerate() {
            let target = &slots.queries[query].batches[batch];
            for (row_slots, row) in target.rows.iter().zip(&opening.opened_values[query]) {
                hints.set_all_base(row_slots, row);
            }
            for (digest_slots, digest) in target.siblings.iter().zip(&path.siblings) {
                hints.set_all_base(digest_slots, digest);
            }
        }
    }

    // FRI rounds: the opened row (the folded value and its siblings) and one full path per
    // query.
    for (round, ((step, &(log_arity, folded_height)), (round_groups, round_rows))) in
        proof.commit_phase_openings.iter().zip(&fold_rounds).zip(groups.iter().zip(&rows)).enumerate()
    {
        let width = (1 << log_arity) * <Ext as BasedVectorSpace<Val>>::DIMENSION;
        let dimensions = [Dimensions { width, height: 1 << folded_height }];
        let flattened: Vec<Vec<Vec<Val>>> = round_rows
            .iter()
            .map(|rows| {
                rows.iter()
                    .map(|row| row.iter().flat_map(|v| v.as_basis_coefficients_slice().to_vec()).collect())
                    .collect()
            })
            .collect();
        let paths = mmcs
            .restore_and_recompute_paths(&dimensions, round_groups, &flattened, &step.opening_proof)
            .map_err(|e| PcsHintError::Invalid(format!("round {round}: {e:?}")))?;
        for (query, path) in paths.iter().enumerate() {
            let target = &slots.queries[query].rounds[round];
            hints.set_all(&target.row, &round_rows[query][0]);
            for (digest_slots, digest) in target.path.iter().zip(&path.siblings) {
                hints.set_all_base(digest_slots, digest);
            }
        }
    }
    Ok(())
}

/// The challenges of a PCS opening proof: the batching challenge, the folding challenges and
/// the query indices.
pub struct OpeningChallenges {
    /// The challenge that batches every claim.
    pub alpha: Ext,
    /// One folding challenge per FRI round.
    pub betas: Vec<Ext>,
    /// The query indices, in draw order.
    pub indices: Vec<usize>,
}

/// The challenges of `proof` of `claims`, replayed on `challenger` with Plonky3's own
/// transcript descriptions, which leaves it where the native verifier leaves it. The proof
/// must have verified natively (no step is checked again).
pub fn replay_verified_opening(
    shape: &PcsShape,
    claims: &NativeClaims,
    proof: &PcsProof,
    challenger: &mut Challenger,
) -> OpeningChallenges {
    let mut transcript =
        PcsVerifierTranscript::<Challenger, Val, Ext>::new(challenger, shape.native_pcs_shape());
    transcript.claimed_openings(claims).expect("the proof verified");
    let alpha = transcript.batch_phase(Some(proof.batch_pow_witness)).expect("the proof verified");
    let (betas, indices) = transcript.delegate(|challenger| {
        let mut fri_transcript =
            VerifierTranscript::<Challenger, Val, Ext>::new(challenger, shape.native_fri_shape());
        let betas = fri_transcript
            .commit_rounds(&proof.commit_phase_commits, &proof.commit_pow_witnesses)
            .expect("the proof verified");
        let indices = fri_transcript
            .query_phase(&proof.final_poly, Some(proof.query_pow_witness))
            .expect("the proof verified");
        fri_transcript.finish();
        (betas, indices)
    });
    transcript.finish();
    OpeningChallenges { alpha, betas, indices }
}

/// Checks that `claims` have `shape`'s batches, domains, points and widths.
fn check_shape(shape: &PcsShape, claims: &NativeClaims) -> Result<(), PcsHintError> {
    let error = |what: String| Err(PcsHintError::Shape(what));
    if claims.len() != shape.batches().len() {
        return error(format!("{} batches, the circuit has {}", claims.len(), shape.batches().len()));
    }
    for (b, (batch, claim)) in shape.batches().iter().zip(claims).enumerate() {
        if claim.matrices.len() != batch.len() {
            return error(format!(
                "batch {b}: {} matrices, the circuit has {}",
                claim.matrices.len(),
                batch.len()
            ));
        }
        for (m, (matrix, opening)) in batch.iter().zip(&claim.matrices).enumerate() {
            let log_size = opening.domain.log_size();
            let widths_match = opening.points.iter().all(|point| point.values.len() == matrix.width);
            if log_size != matrix.log_degree || opening.points.len() != matrix.points || !widths_match {
                return error(format!("batch {b} matrix {m}"));
            }
        }
    }
    Ok(())
}
