//! The batch-STARK verifier's hint values: the proof's values by slot, and the opening proof's
//! hints from the native transcript replayed up to the opening argument.

use p3_air::Air;
use p3_batch_stark::folder::VerifierConstraintFolderWithLookups;
use p3_batch_stark::verifier::commitments_with_opening_points;
use p3_batch_stark::{BatchProof, BatchVerifierTranscript, CommonData, verify_batch};
use p3_lookup::InteractionSymbolicBuilder;
use p3_lookup::logup::LogUpGadget;
use thiserror::Error;
use zkvm_core::prover::{Challenger, Config, Val};

use super::{StarkProofSlots, StarkShape};
use crate::circuit::{Ext, HintValues};
use crate::pcs::{NativeClaims, PcsHintError, pcs_hints};

/// Why no hints could be made for a batch proof.
#[derive(Debug, Error)]
pub enum StarkHintError {
    /// The proof does not have the shape the circuit was built for.
    #[error("the proof does not have the circuit's shape: {0}")]
    Shape(String),
    /// The proof does not verify natively (a recursive prover proves only valid children).
    #[error("the proof does not verify: {0}")]
    Invalid(String),
    /// The opening proof's hints could not be made.
    #[error(transparent)]
    Pcs(#[from] PcsHintError),
}

/// Sets the hint values of `slots` (allocated for `shape`) from `proof`, a proof of `airs` under
/// `common` with `public_values`.
pub fn stark_hints<A>(
    shape: &StarkShape,
    airs: &[A],
    common: &CommonData<Config>,
    proof: &BatchProof<Config>,
    public_values: &[Vec<Val>],
    slots: &StarkProofSlots,
    hints: &mut HintValues,
) -> Result<(), StarkHintError>
where
    A: Air<InteractionSymbolicBuilder<Val, Ext>>
        + for<'a> Air<VerifierConstraintFolderWithLookups<'a, Config>>,
{
    let config = shape.parameters.config().map_err(|e| StarkHintError::Shape(e.to_string()))?;
    let heights: Vec<usize> = shape.tables.iter().map(|t| t.degree_bits).collect();
    if proof.degree_bits != heights {
        return Err(StarkHintError::Shape(format!(
            "heights 2^{:?}, the circuit's 2^{heights:?}",
            proof.degree_bits
        )));
    }
    verify_batch(&config, airs, proof, public_values, common)
        .map_err(|e| StarkHintError::Invalid(format!("{e:?}")))?;

    // Proof values.
    let root = |c: &<zkvm_core::prover::ValMmcs as p3_commit::Mmcs<Val>>::Commitment| c.roots()[0];
    hints.set_all_base(&slots.main_root, &root(&proof.commitments.main));
    hints.set_all_base(&slots.quotient_root, &root(&proof.commitments.quotient_chunks));
    if let (Some(s), Some(c)) = (&slots.permutation_root, &proof.commitments.permutation) {
        hints.set_all_base(s, &root(c));
    }
    if let (Some(s), Some(w)) = (slots.lookup_pow_witness, proof.lookup_pow_witness) {
        hints.set_base(s, w);
    }
    if let Some(s) = slots.ood_pow_witness {
        hints.set_base(s, proof.ood_pow_witness);
    }
    for ((table, opened), terminal) in
        slots.tables.iter().zip(&proof.opened_values.instances).zip(&proof.lookup_terminals)
    {
        let base = &opened.base_opened_values;
        let mut rows = vec![&base.trace_local];
        rows.extend(base.trace_next.as_ref());
        for (row_slots, values) in table.main.iter().zip(rows) {
            hints.set_all(row_slots, values);
        }
        if let Some(pre) = &base.preprocessed {
            let mut rows = vec![&pre.local];
            rows.extend(pre.next.as_ref());
            for (row_slots, values) in table.preprocessed.iter().zip(rows) {
                hints.set_all(row_slots, values);
            }
        }
        for (row_slots, values) in
            table.permutation.iter().zip([&opened.permutation_local, &opened.permutation_next])
        {
            hints.set_all(row_slots, values);
        }
        for (chunk_slots, values) in table.quotient_chunks.iter().zip(&base.quotient_chunks) {
            hints.set_all(chunk_slots, values);
        }
        if let (Some(s), Some(t)) = (table.terminal, terminal) {
            hints.set(s, t.0);
        }
    }

    // The transcript up to the opening argument, then the opening proof's hints.
    let result = replay_to_opening(shape, airs, common, proof, public_values, |claims, challenger| {
        pcs_hints(&shape.pcs, claims, &proof.opening_proof, challenger, &slots.pcs, hints)
    })?;
    Ok(result?)
}

/// Replays the native verifier's transcript of `proof` (a proof of `airs` under `common` with
/// `public_values`, which must have verified natively) up to its opening argument, then runs
/// `opening` on the opening argument's claims and the sponge there, as the native verifier
/// hands them to the PCS.
pub fn replay_to_opening<A, R>(
    shape: &StarkShape,
    airs: &[A],
    common: &CommonData<Config>,
    proof: &BatchProof<Config>,
    public_values: &[Vec<Val>],
    opening: impl FnOnce(&NativeClaims, &mut Challenger) -> R,
) -> Result<R, StarkHintError>
where
    A: Air<InteractionSymbolicBuilder<Val, Ext>>
        + for<'a> Air<VerifierConstraintFolderWithLookups<'a, Config>>,
{
    let config = shape.parameters.config().map_err(|e| StarkHintError::Shape(e.to_string()))?;
    let mut challenger: Challenger = p3_uni_stark::StarkGenericConfig::initialise_challenger(&config);
    let mut transcript =
        BatchVerifierTranscript::<Challenger, Val, Ext, _>::new(&mut challenger, shape.native_shape());
    transcript.instance_bindings(&proof.degree_bits);
    transcript.main_phase(proof.commitments.main.clone(), public_values);
    transcript.preprocessed_phase(common.preprocessed.as_ref().map(|g| g.commitment.clone()));
    transcript
        .lookup_phase(&common.lookups, &LogUpGadget::new(), proof.lookup_pow_witness)
        .expect("the proof verified");
    let terminals: Vec<Ext> = proof.lookup_terminals.iter().flatten().map(|t| t.0).collect();
    let _constraint_challenge =
        transcript.permutation_phase(proof.commitments.permutation.clone(), &terminals);
    transcript.quotient_phase(proof.commitments.quotient_chunks.clone(), None);
    let zeta = transcript.ood_phase(proof.ood_pow_witness).expect("the proof verified");
    let preprocessed_widths: Vec<usize> = shape.tables.iter().map(|t| t.preprocessed_width).collect();
    let log_chunks: Vec<usize> = shape.tables.iter().map(|t| t.log_quotient_chunks).collect();
    let claims = match commitments_with_opening_points(
        &config,
        airs,
        zeta,
        &proof.commitments,
        &proof.opened_values,
        common,
        &proof.degree_bits,
        &preprocessed_widths,
        &log_chunks,
    ) {
        Ok((claims, _, _)) => claims,
        Err(e) => {
            transcript.abort();
            return Err(StarkHintError::Invalid(format!("{e:?}")));
        }
    };
    let result = transcript.delegate(|challenger| opening(&claims, challenger));
    transcript.finish();
    Ok(result)
}
