//! The shape of a circuit as the soundness computation needs it, read from the circuit's AIRs
//! and the proof system's own layout (the same `p3-batch-stark` functions the prover uses to
//! size quotients and pack lookups), never restated by hand.

use std::sync::Arc;

use p3_air::symbolic::AirLayout;
use p3_air::{Air, BaseAir};
use p3_batch_stark::ProverData;
use p3_batch_stark::symbolic::{
    get_log_num_quotient_chunks, get_max_constraint_degree, get_symbolic_constraints,
};
use p3_field::PrimeField32;
use p3_lookup::{InteractionSymbolicBuilder, LogUpGadget, Lookups};
use p3_uni_stark::OpeningShape;
use serde::Serialize;

use crate::precompile::{ConstraintError, PrecompileSet};
use crate::prover::packing::best_layout;
use crate::prover::{
    Challenge, Config, MAX_TABLE_LOG_HEIGHT, MachineAir, ProofParameters, StatementTables, Val,
};

/// Degree of the challenge field over BabyBear.
pub const CHALLENGE_DEGREE: usize = 5;

/// Points every trace polynomial is opened at: the out-of-domain point and its successor.
pub const OPENING_POINTS: usize = 2;

/// Height given to tables whose height the statement decides, when their lookup layout is
/// read (the layout does not depend on it; the soundness bound uses the verifier's cap).
const LAYOUT_LOG_HEIGHT: usize = 8;

/// The LogUp argument of a circuit: all its buses share one challenge pair, so it is one
/// argument whose error grows with the number of fractions summed and the message width.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LookupShape {
    /// Upper bound on the query-side fractions (sends and receives with bounded multiplicity)
    /// the verifier accepts: its multiplicity-height check keeps their weighted count below
    /// the field modulus `p`.
    pub query_rows: u64,
    /// Upper bound on the table-side fractions (rows of tables that provide lookups with a
    /// free multiplicity column), from their fixed heights or the verifier's height cap.
    pub table_rows: u64,
    /// Field elements combined per fingerprint: the widest message plus the bus separator
    /// (`p3-lookup` offsets bus `i` by `(i + 1) beta^W`).
    pub columns: usize,
    /// Whether `query_rows` is the bound of the verifier's multiplicity-height check (else it
    /// counts every read the height-capped tables can hold).
    pub query_rows_checked: bool,
}

/// What the soundness formulas need to know about one circuit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CircuitShape {
    /// The circuit's name (soundcalc's `name`).
    pub name: String,
    /// log2 of the tallest trace the verifier accepts.
    pub max_log_height: usize,
    /// Largest constraint degree over all tables, the LogUp constraints included.
    pub air_max_degree: usize,
    /// Number of constraints over all tables, LogUp constraints included (a union bound over
    /// tables, as soundcalc counts them).
    pub num_constraints: usize,
    /// Base-field polynomials batched into the one FRI instance, counted once per opening
    /// point, extension-field polynomials counted per limb.
    pub batch_size: usize,
    /// Points each trace polynomial is opened at.
    pub opening_points: usize,
    /// The LogUp argument, if the circuit has buses.
    pub lookup: Option<LookupShape>,
}

/// The shape of the segment circuit: the built-in chipset with `precompiles` enabled.
pub fn segment_shape(
    precompiles: &Arc<PrecompileSet>,
    parameters: &ProofParameters,
) -> Result<CircuitShape, ShapeError> {
    let program = crate::asm::Assembler::new(0x1000).halt().program();
    let tables = StatementTables::new(&program, &[], &[])
        .map_err(|e| ShapeError::Backend(e.to_string()))?
        .with_precompiles(Arc::clone(precompiles))?;
    let airs = MachineAir::chips(&tables);
    let config = parameters.config().map_err(|e| ShapeError::Backend(e.to_string()))?;
    let tables: Vec<TableBound<'_, MachineAir>> = airs
        .iter()
        .map(|air| {
            let fixed = preprocessed_log_height(air);
            let layout_log_height = fixed.unwrap_or(LAYOUT_LOG_HEIGHT);
            TableBound {
                air,
                layout_log_height,
                max_log_height: statement_independent_height(air, fixed),
                // The packing the prover picks (it does not depend on the height).
                lookup_budget: best_layout(&config, air, layout_log_height, parameters.log_blowup).budget,
            }
        })
        .collect();
    // Query sides are bounded by the verifier's multiplicity-height check (below `p`).
    air_set_shape("segment", &tables, MAX_TABLE_LOG_HEIGHT, parameters, Some(u64::from(Val::ORDER_U32 - 1)))
}

/// One table of a circuit whose shape [`air_set_shape`] reads.
pub struct TableBound<'a, A> {
    /// The table's AIR.
    pub air: &'a A,
    /// log2 of a height the prover's lookup packing is read at (the packing does not depend on
    /// it): the table's fixed height if it has one, else any small height.
    pub layout_log_height: usize,
    /// log2 of the tallest trace of this table the verifier accepts.
    pub max_log_height: usize,
    /// The degree the prover packs the table's lookups to, as `p3-batch-stark`'s lookup budget
    /// overrides take it (0: the table's own degree, which keeps its quotient chunks).
    pub lookup_budget: usize,
}

/// The shape of a circuit made of `tables`, as the soundness formulas need it, read through
/// the same `p3-batch-stark` functions the prover uses (quotient chunks, lookup packing,
/// batched openings). `max_log_height` is the tallest table the verifier accepts;
/// `query_rows_bound`, when the verifier enforces one, caps the query-side LogUp fractions
/// (else they are counted from each table's height bound).
pub fn air_set_shape<A>(
    name: &str,
    tables: &[TableBound<'_, A>],
    max_log_height: usize,
    parameters: &ProofParameters,
    query_rows_bound: Option<u64>,
) -> Result<CircuitShape, ShapeError>
where
    A: Air<InteractionSymbolicBuilder<Val, Challenge>> + Clone,
{
    let config = parameters.config().map_err(|e| ShapeError::Backend(e.to_string()))?;
    let airs: Vec<A> = tables.iter().map(|t| t.air.clone()).collect();
    let degrees: Vec<usize> = tables.iter().map(|t| t.layout_log_height).collect();
    let budgets: Vec<usize> = tables.iter().map(|t| t.lookup_budget).collect();
    // The prover's own lookup packing (one LogUp column per packed group of interactions).
    let data = ProverData::<Config>::from_airs_and_degrees_with_lookup_budgets(
        &config,
        &airs,
        &degrees,
        &budgets,
        parameters.log_blowup,
    )
    .map_err(|e| ShapeError::Backend(format!("{e:?}")))?;
    let gadget = LogUpGadget::new();

    let mut shape = CircuitShape {
        name: name.to_string(),
        max_log_height,
        air_max_degree: 0,
        num_constraints: 0,
        batch_size: 0,
        opening_points: OPENING_POINTS,
        lookup: None,
    };
    let mut lookup = LookupShape {
        query_rows: 0,
        table_rows: 0,
        columns: 0,
        query_rows_checked: query_rows_bound.is_some(),
    };
    for (index, table) in tables.iter().enumerate() {
        let air = table.air;
        let layout = AirLayout::from_air::<Val>(air);
        let packed = &data.common.lookups[index];
        let trace_len = 1usize << degrees[index];
        let log_chunks =
            get_log_num_quotient_chunks::<Val, Challenge, _, _>(air, layout, trace_len, packed, 0, &gadget);
        let degree =
            get_max_constraint_degree::<Val, Challenge, _, _>(air, layout, trace_len, packed, &gadget);
        let (base, extension) =
            get_symbolic_constraints::<Val, Challenge, _, _>(air, layout, packed, &gadget);
        shape.air_max_degree = shape.air_max_degree.max(degree);
        shape.num_constraints += base.len() + extension.len();
        // Each trace is counted at the points the proof opens it at: the next row's too only
        // where the table's constraints read it (as the prover decides, from the same lists).
        shape.batch_size += p3_batch_stark::num_batched_openings(
            BaseAir::<Val>::width(air),
            !BaseAir::<Val>::main_next_row_columns(air).is_empty(),
            BaseAir::<Val>::preprocessed_width(air),
            !BaseAir::<Val>::preprocessed_next_row_columns(air).is_empty(),
            1 << log_chunks,
            packed.len(),
            CHALLENGE_DEGREE,
            OpeningShape::new(),
        );
        // Fractions: each interaction contributes one per row of its table's height bound,
        // times its multiplicity weight on the query side.
        let rows = 1u64 << table.max_log_height;
        for interaction in Lookups::<Val>::from_air::<Challenge, _>(air).iter() {
            let width = interaction.elements.iter().map(Vec::len).max().unwrap_or(0);
            lookup.columns = lookup.columns.max(width + 1);
            let messages = interaction.elements.len() as u64;
            if interaction.count_weight > 0 {
                lookup.query_rows =
                    lookup.query_rows.saturating_add(rows * messages * u64::from(interaction.count_weight));
            } else {
                lookup.table_rows = lookup.table_rows.saturating_add(rows * messages);
            }
        }
    }
    if let Some(bound) = query_rows_bound {
        lookup.query_rows = lookup.query_rows.min(bound);
    }
    if lookup.columns > 0 {
        shape.lookup = Some(lookup);
    }
    Ok(shape)
}

/// log2 of the height of a table's preprocessed trace, if it has one.
fn preprocessed_log_height(air: &MachineAir) -> Option<usize> {
    BaseAir::<Val>::preprocessed_trace(air).map(|t| (t.values.len() / t.width).trailing_zeros() as usize)
}

/// The log height bound of a table for the soundness computation: its fixed height when no
/// statement can change it (the byte and 16-bit range tables), else the verifier's cap.
fn statement_independent_height(air: &MachineAir, fixed: Option<usize>) -> usize {
    match (air, fixed) {
        (MachineAir::ByteTable(_) | MachineAir::Range16(_), Some(bits)) => bits,
        _ => MAX_TABLE_LOG_HEIGHT,
    }
}

/// Why a circuit's shape could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ShapeError {
    /// A precompile's constraints were refused when its chip was built.
    #[error(transparent)]
    Precompile(#[from] ConstraintError),
    /// The proof system refused the circuit or the parameters.
    #[error("the proof system refused the circuit: {0}")]
    Backend(String),
}
