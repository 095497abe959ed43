//! The multi-table STARK verifier as circuit relations: Plonky3 0.8's `p3_batch_stark::verify_batch`
//! (no zero knowledge, LogUp lookups, one global preprocessed commitment) replayed in a recursion
//! circuit, for a fixed [`StarkShape`]: the tables, their heights, and the verifying key's
//! preprocessed commitment, which enters the circuit as constants (so a circuit built for one
//! verifying key accepts no proof under another).
//!
//! The circuit checks, in the native verifier's order: the transcript (seed, instance heights,
//! main commitment, public values, preprocessed commitment, LogUp grinding and challenges,
//! permutation commitment and terminals, the constraint challenge, the quotient commitment, the
//! out-of-domain grinding and point `zeta`); the PCS opening of every committed matrix at
//! `zeta` (and the next point where a table reads its next row) through [`crate::pcs`]; per table,
//! its constraints folded at `zeta` equal its quotient (recomposed from its chunks) times the
//! trace domain's vanishing polynomial; and the LogUp terminals sum to zero.

mod circuit;
pub mod constraints;
mod hints;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use p3_air::symbolic::AirLayout;
use p3_air::{Air, BaseAir};
use p3_batch_stark::CommonData;
use p3_batch_stark::symbolic::{
    get_constraint_layout, get_log_num_quotient_chunks_for_domain, get_symbolic_constraints,
};
use p3_lookup::logup::LogUpGadget;
use p3_lookup::{InteractionSymbolicBuilder, Kind};
use p3_uni_stark::StarkGenericConfig;
use thiserror::Error;
use zkvm_core::prover::{Challenger, Config, ProofParameters, Val};
use zkvm_core::soundness::{CommitmentShape, ProofSizeEstimate, estimate_proof_size};

pub use circuit::{StarkProofSlots, TableOpeningSlots, verify_stark, verify_stark_with_key};
pub use constraints::Constraint;
pub use hints::{StarkHintError, out_of_domain_point, replay_to_opening, stark_hints};

use crate::Ext;
use crate::pcs::{MatrixShape, PcsShape, PcsShapeError};

/// One table of a proof, as the verifier knows it before the proof.
#[derive(Clone, Debug)]
pub struct TableShape {
    /// Main trace width.
    pub width: usize,
    /// Number of public values.
    pub public_values: usize,
    /// Preprocessed width (0: none).
    pub preprocessed_width: usize,
    /// Whether the constraints read the main trace's next row.
    pub main_next: bool,
    /// Whether the constraints read the preprocessed trace's next row.
    pub preprocessed_next: bool,
    /// log2 of the table's height.
    pub degree_bits: usize,
    /// log2 of the number of quotient chunks.
    pub log_quotient_chunks: usize,
    /// The LogUp bus number (Plonky3's challenge layout) of each of the table's lookups.
    pub lookup_buses: Vec<usize>,
    /// The constraints in emission order.
    pub constraints: Vec<Constraint>,
}

impl TableShape {
    /// Points at which the main trace is opened (`zeta`, and the next point if read).
    pub fn main_points(&self) -> usize {
        1 + usize::from(self.main_next)
    }

    /// Points at which the preprocessed trace is opened.
    pub fn preprocessed_points(&self) -> usize {
        1 + usize::from(self.preprocessed_next)
    }

    /// Number of LogUp running-sum columns (one per lookup plus the total; none without lookups).
    pub fn permutation_width(&self) -> usize {
        if self.lookup_buses.is_empty() { 0 } else { self.lookup_buses.len() + 1 }
    }
}

/// Everything the verifier of one batch proof knows before the proof.
#[derive(Clone, Debug)]
pub struct StarkShape {
    /// The tables, in proof order.
    pub tables: Vec<TableShape>,
    /// The proof parameters.
    pub parameters: ProofParameters,
    /// The preprocessed commitment (the verifying key) and, per committed preprocessed matrix,
    /// its table.
    pub preprocessed: Option<([Val; 8], Vec<usize>)>,
    /// Widest LogUp message (Plonky3 separates buses by `beta^width`).
    pub max_message_width: usize,
    /// The opening proof's shape.
    pub pcs: PcsShape,
}

/// Why a proof's shape cannot be verified in a circuit.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum StarkShapeError {
    /// The tables, heights and lookups disagree in number.
    #[error("{airs} tables, {heights} heights, {lookups} lookup lists")]
    Count {
        /// Tables.
        airs: usize,
        /// Heights.
        heights: usize,
        /// Lookup lists.
        lookups: usize,
    },
    /// A table declares periodic columns (not supported by the circuit).
    #[error("table {0} has periodic columns")]
    Periodic(usize),
    /// The parameters are out of range.
    #[error(transparent)]
    Parameters(#[from] zkvm_core::prover::ParameterError),
    /// The opening proof's shape cannot be verified in a circuit.
    #[error(transparent)]
    Pcs(#[from] PcsShapeError),
}

impl StarkShape {
    /// The shape of a proof of `airs` with heights `2^degree_bits`, under the common data
    /// (verifying key and lookups) and parameters it was made with.
    pub fn new<A>(
        airs: &[A],
        common: &CommonData<Config>,
        degree_bits: &[usize],
        parameters: ProofParameters,
    ) -> Result<Self, StarkShapeError>
    where
        A: BaseAir<Val> + Air<InteractionSymbolicBuilder<Val, Ext>>,
    {
        if airs.len() != degree_bits.len() || airs.len() != common.lookups.len() {
            return Err(StarkShapeError::Count {
                airs: airs.len(),
                heights: degree_bits.len(),
                lookups: common.lookups.len(),
            });
        }
        let config = parameters.config()?;
        let gadget = LogUpGadget::new();
        let (bus_ids, max_message_width) = lookup_buses(&common.lookups);
        let mut tables = Vec::with_capacity(airs.len());
        for (i, air) in airs.iter().enumerate() {
            if air.num_periodic_columns() > 0 {
                return Err(StarkShapeError::Periodic(i));
            }
            let preprocessed_width = common
                .preprocessed
                .as_ref()
                .and_then(|g| g.instances[i].as_ref().map(|m| m.width))
                .unwrap_or(0);
            let layout = AirLayout {
                preprocessed_width,
                main_width: air.width(),
                num_public_values: air.num_public_values(),
                num_periodic_columns: 0,
                ..Default::default()
            };
            let lookups = &common.lookups[i];
            let domain = p3_commit::Pcs::<Ext, Challenger>::natural_domain_for_degree(
                config.pcs(),
                1 << degree_bits[i],
            );
            let log_quotient_chunks = get_log_num_quotient_chunks_for_domain::<Val, Ext, A, _>(
                air, layout, domain, lookups, 0, &gadget,
            );
            let (base, extension) = get_symbolic_constraints::<Val, Ext, A, _>(air, layout, lookups, &gadget);
            let order = get_constraint_layout::<Val, Ext, A, _>(air, layout, lookups, &gadget);
            let mut constraints: Vec<(usize, Constraint)> = order
                .base_indices
                .iter()
                .zip(base)
                .map(|(&k, c)| (k, Constraint::Base(c)))
                .chain(order.ext_indices.iter().zip(extension).map(|(&k, c)| (k, Constraint::Ext(c))))
                .collect();
            constraints.sort_by_key(|(k, _)| *k);
            tables.push(TableShape {
                width: air.width(),
                public_values: air.num_public_values(),
                preprocessed_width,
                main_next: !air.main_next_row_columns().is_empty(),
                preprocessed_next: !air.preprocessed_next_row_columns().is_empty(),
                degree_bits: degree_bits[i],
                log_quotient_chunks,
                lookup_buses: bus_ids[i].clone(),
                constraints: constraints.into_iter().map(|(_, c)| c).collect(),
            });
        }
        let preprocessed =
            common.preprocessed.as_ref().map(|g| (g.commitment.roots()[0], g.matrix_to_instance.clone()));
        let pcs = PcsShape::new(pcs_batches(&tables, preprocessed.as_ref().map(|p| &p.1)), parameters)?;
        Ok(StarkShape { tables, parameters, preprocessed, max_message_width, pcs })
    }

    /// The expected size in bytes of a proof with these tables and heights made under
    /// `parameters`: the shape's own, or others of the same blowup (the quotient and LogUp
    /// layout were read under the shape's) with any query count, folding arity or final
    /// polynomial, such as the natively verified final proof's. [`estimate_proof_size`] over
    /// the committed matrices, each at its trace height times the blowup, and the values opened
    /// out of domain.
    pub fn size_estimate(&self, parameters: &ProofParameters) -> ProofSizeEstimate {
        self.estimate(parameters, false)
    }

    /// [`Self::size_estimate`] for a final proof, which sends no opening of its preprocessed
    /// commitment and none of its preprocessed out-of-domain values
    /// (`node::preprocessed_opening`) but one query index per query (a varint of the tallest
    /// codeword's index bits).
    pub fn final_size_estimate(&self, parameters: &ProofParameters) -> ProofSizeEstimate {
        self.estimate(parameters, true)
    }

    /// The size estimate, with or without the preprocessed commitment's opening and values.
    fn estimate(&self, parameters: &ProofParameters, omit_preprocessed: bool) -> ProofSizeEstimate {
        let batches = self.pcs.batches();
        let omitted = (omit_preprocessed && self.preprocessed.is_some()).then_some(PREPROCESSED_BATCH);
        // A final proof sends neither the omitted batch's opening nor its out-of-domain values.
        let sent = || batches.iter().enumerate().filter(|&(index, _)| Some(index) != omitted).map(|(_, b)| b);
        let commitments: Vec<CommitmentShape> = sent()
            .map(|batch| CommitmentShape {
                matrices: batch.iter().map(|m| (m.log_degree + parameters.log_blowup, m.width)).collect(),
            })
            .collect();
        let out_of_domain = sent().flatten().map(|m| m.width * m.points).sum();
        let mut estimate = estimate_proof_size(&commitments, out_of_domain, parameters);
        if omit_preprocessed {
            let tallest = batches.iter().flatten().map(|m| m.log_degree).max().unwrap_or(0);
            let index_bytes = (tallest + parameters.log_blowup).div_ceil(7).max(1);
            estimate.sent_once += (parameters.num_queries * index_bytes) as f64;
        }
        estimate
    }

    /// Plonky3's description of this proof's transcript.
    pub(crate) fn native_shape(&self) -> p3_batch_stark::BatchShape {
        p3_batch_stark::BatchShape {
            trace_widths: self.tables.iter().map(|t| t.width).collect(),
            public_value_counts: self.tables.iter().map(|t| t.public_values).collect(),
            preprocessed_widths: self.tables.iter().map(|t| t.preprocessed_width).collect(),
            has_preprocessed_commitment: self.preprocessed.is_some(),
            num_lookup_instances: self.tables.iter().filter(|t| !t.lookup_buses.is_empty()).count(),
            lookup_pow_bits: self.parameters.lookup_pow_bits,
            has_randomization_commitment: false,
            ood_pow_bits: self.parameters.ood_pow_bits,
        }
    }

    /// The field elements the transcript's domain separator absorbs first (a function of the
    /// shape, so the circuit absorbs them as constants).
    pub fn seed(&self) -> Vec<Val> {
        crate::pcs::record_seed(&self.native_shape().domain_separator::<Val, Ext>())
    }

    /// Whether any table has lookups.
    pub fn has_lookups(&self) -> bool {
        self.tables.iter().any(|t| !t.lookup_buses.is_empty())
    }

    /// Number of LogUp buses (Plonky3's numbering: global buses by first appearance, each local
    /// lookup its own).
    pub fn num_buses(&self) -> usize {
        self.tables.iter().flat_map(|t| t.lookup_buses.iter().map(|b| b + 1)).max().unwrap_or(0)
    }
}

/// Where the preprocessed batch sits among a proof's input openings when it has one: Plonky3's
/// batch prover opens the main traces, the quotient chunks, then the preprocessed traces
/// ([`pcs_batches`] keeps that order).
pub const PREPROCESSED_BATCH: usize = 2;

/// The opening proof's batches in the native verifier's order: main traces, quotient chunks,
/// preprocessed traces, LogUp running sums.
pub(crate) fn pcs_batches(tables: &[TableShape], preprocessed: Option<&Vec<usize>>) -> Vec<Vec<MatrixShape>> {
    let m = |log_degree, width, points| MatrixShape { log_degree, width, points };
    let mut batches = vec![tables.iter().map(|t| m(t.degree_bits, t.width, t.main_points())).collect()];
    batches.push(
        tables
            .iter()
            .flat_map(|t| (0..1usize << t.log_quotient_chunks).map(|_| m(t.degree_bits, 5, 1)))
            .collect(),
    );
    if let Some(order) = preprocessed {
        batches.push(
            order
                .iter()
                .map(|&i| {
                    m(tables[i].degree_bits, tables[i].preprocessed_width, tables[i].preprocessed_points())
                })
                .collect(),
        );
    }
    let permutation: Vec<MatrixShape> = tables
        .iter()
        .filter(|t| t.permutation_width() > 0)
        .map(|t| m(t.degree_bits, 5 * t.permutation_width(), 2))
        .collect();
    if !permutation.is_empty() {
        batches.push(permutation);
    }
    batches
}

/// Each table's lookups' bus numbers and the widest message, as Plonky3 lays out the LogUp
/// challenges (`lay_out_lookup_challenges`).
fn lookup_buses(all: &[p3_lookup::Lookups<Val>]) -> (Vec<Vec<usize>>, usize) {
    let mut global: HashMap<String, usize> = HashMap::new();
    let mut next = 0;
    let mut widest = 1;
    let ids = all
        .iter()
        .map(|lookups| {
            lookups
                .iter()
                .map(|lookup| {
                    let width = lookup.elements.first().map_or(0, Vec::len);
                    widest = widest.max(width);
                    match &lookup.kind {
                        Kind::Global(name) => *global.entry(name.clone()).or_insert_with(|| {
                            next += 1;
                            next - 1
                        }),
                        Kind::Local => {
                            next += 1;
                            next - 1
                        }
                    }
                })
                .collect()
        })
        .collect();
    (ids, widest)
}
