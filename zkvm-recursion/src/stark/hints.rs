//! The batch-STARK verifier's hint values: the proof's values by slot, and the opening proof's
//! hints from the native transcript replayed up to the opening argument.

use p3_air::Air;
use p3_batch_stark::folder::VerifierConstraintFolderWithLookups;
use p3_batch_stark::verifier::commitments_with_opening_points;
use p3_batch_stark::{BatchProof, BatchVerifierTranscript, Commitment, CommonData, verify_batch};
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

/// The native verifier's transcript of a batch proof.
type NativeTranscript<'a> = BatchVerifierTranscript<'a, Challenger, Val, Ext, Commitment<Config>>;

/// Replays the native verifier's transcript of `proof` (a proof under `shape` and `common` with
/// `public_values`) up to the out-of-domain point `zeta`, then runs `then` on the transcript
/// there and `zeta`. Any proof may be replayed, verified or not: one whose degree bits,
/// terminals or commitments the transcript cannot take, or whose proof-of-work witness misses,
/// is an error, never a panic.
fn replay_to_zeta<R>(
    shape: &StarkShape,
    common: &CommonData<Config>,
    proof: &BatchProof<Config>,
    public_values: &[Vec<Val>],
    then: impl FnOnce(NativeTranscript<'_>, Ext) -> R,
) -> Result<R, StarkHintError> {
    let tables = &shape.tables;
    let shape_error = |what: &str| Err(StarkHintError::Shape(what.to_string()));
    if proof.degree_bits.len() != tables.len() {
        return shape_error("one degree per table");
    }
    let publics_fit = public_values.len() == tables.len()
        && tables.iter().zip(public_values).all(|(table, values)| table.public_values == values.len());
    if !publics_fit {
        return shape_error("each table's public values");
    }
    let terminals_fit = proof.lookup_terminals.len() == tables.len()
        && tables
            .iter()
            .zip(&proof.lookup_terminals)
            .all(|(table, terminal)| terminal.is_some() != table.lookup_buses.is_empty());
    if !terminals_fit {
        return shape_error("one LogUp terminal per table with lookups");
    }
    if proof.commitments.permutation.is_some() != shape.has_lookups() {
        return shape_error("a LogUp commitment exactly when a table has lookups");
    }
    if proof.commitments.random.is_some() {
        return shape_error("no randomization commitment");
    }
    let config = shape.parameters.config().map_err(|e| StarkHintError::Shape(e.to_string()))?;
    let mut challenger: Challenger = p3_uni_stark::StarkGenericConfig::initialise_challenger(&config);
    let mut transcript = NativeTranscript::new(&mut challenger, shape.native_shape());
    transcript.instance_bindings(&proof.degree_bits);
    transcript.main_phase(proof.commitments.main.clone(), public_values);
    transcript.preprocessed_phase(common.preprocessed.as_ref().map(|g| g.commitment.clone()));
    if let Err(e) = transcript.lookup_phase(&common.lookups, &LogUpGadget::new(), proof.lookup_pow_witness) {
        transcript.abort();
        return Err(StarkHintError::Invalid(format!("{e:?}")));
    }
    let terminals: Vec<Ext> = proof.lookup_terminals.iter().flatten().map(|t| t.0).collect();
    let _constraint_challenge =
        transcript.permutation_phase(proof.commitments.permutation.clone(), &terminals);
    transcript.quotient_phase(proof.commitments.quotient_chunks.clone(), None);
    match transcript.ood_phase(proof.ood_pow_witness) {
        Ok(zeta) => Ok(then(transcript, zeta)),
        Err(e) => {
            transcript.abort();
            Err(StarkHintError::Invalid(format!("{e:?}")))
        }
    }
}

/// The out-of-domain point `zeta` that the native verifier's transcript of `proof` (a proof
/// under `shape` and `common` with `public_values`, verified or not) draws; an error where
/// [`replay_to_zeta`] has one.
pub fn out_of_domain_point(
    shape: &StarkShape,
    common: &CommonData<Config>,
    proof: &BatchProof<Config>,
    public_values: &[Vec<Val>],
) -> Result<Ext, StarkHintError> {
    replay_to_zeta(shape, common, proof, public_values, |transcript, zeta| {
        // The rest of the transcript is the verifier's, not this replay's.
        transcript.abort();
        zeta
    })
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
    let preprocessed_widths: Vec<usize> = shape.tables.iter().map(|t| t.preprocessed_width).collect();
    let log_chunks: Vec<usize> = shape.tables.iter().map(|t| t.log_quotient_chunks).collect();
    replay_to_zeta(shape, common, proof, public_values, |mut transcript, zeta| {
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
    })?
}
