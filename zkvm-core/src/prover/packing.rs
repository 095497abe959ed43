//! How many LogUp fractions each table's running-sum columns carry.
//!
//! A table sends or receives messages on buses. Plonky3's batch prover gives each column of
//! fractions as many messages of one bus as fit a degree budget: `k` messages with degree-1
//! payloads in one column make a constraint of degree `k + 1`. By default the budget is the
//! table's own degree (its quotient chunks unchanged), so a table of degree 2 gets a column per
//! message.
//!
//! Every committed column is opened at every query: a running-sum column costs five base-field
//! elements per query (it is an extension element), and so does a quotient chunk. A table is
//! narrowest where the two together are fewest. Raising a table's budget (and with it its
//! quotient chunks) can remove more running-sum columns than it adds chunks: for example a
//! recursion circuit's eleven witness lanes take twelve columns and one chunk at degree 2, four
//! columns and four chunks at degree 5. But each doubling of the chunks doubles the points the
//! prover evaluates the table's constraints at. So each table states its [`PackingGoal`]:
//! - a table whose rows grow with the work proven and whose constraints are costly (the segment
//!   chips) keeps its own degree;
//! - a table of one row (the register boundary), or one whose proof's width matters more than
//!   its rows (every recursion table: a node proof's columns are what its parent verifies, the
//!   final proof's what the user receives), takes the narrowest layout.
//!
//! The chunks never exceed the blowup (the low-degree test has no room for more). The budgets
//! are a function of the tables, their heights and the parameters' blowup, so the prover and
//! the verifier compute the same ones (the verifying key holds the packed lookups).

use p3_air::symbolic::AirLayout;
use p3_air::{Air, BaseAir};
use p3_batch_stark::ProverData;
use p3_batch_stark::symbolic::get_log_num_quotient_chunks_for_domain;
use p3_commit::{Pcs, PolynomialSpace};
use p3_lookup::logup::LogUpGadget;
use p3_lookup::{InteractionSymbolicBuilder, Lookups};
use p3_uni_stark::StarkGenericConfig;

use super::{Challenge, Challenger, Config, Val};

/// The key of tables `airs` at `2^log_heights` rows proven under `config` (of blowup
/// `2^log_blowup`), their lookups packed as [`lookup_budgets`] chooses: the key every zkvm
/// prover and verifier builds (segments and recursion circuits alike). Fails with the proof
/// system's refusal.
pub fn packed_prover_data<A>(
    config: &Config,
    airs: &[A],
    log_heights: &[usize],
    log_blowup: usize,
) -> Result<ProverData<Config>, String>
where
    A: Air<InteractionSymbolicBuilder<Val, Challenge>> + BaseAir<Val> + LookupPacking,
{
    let budgets = lookup_budgets(config, airs, log_heights, log_blowup);
    ProverData::<Config>::from_airs_and_degrees_with_lookup_budgets(
        config,
        airs,
        log_heights,
        &budgets,
        log_blowup,
    )
    .map_err(|e| format!("{e:?}"))
}

/// Base-field elements one running-sum column or one quotient chunk adds to every opened row
/// (both are extension elements).
const EXTENSION_COLUMNS: usize = 5;

/// One table's running-sum and quotient layout under one packing budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PackedLayout {
    /// The fraction-constraint degree the table's lookups were packed to.
    pub budget: usize,
    /// LogUp columns (the packed columns and the running sum; none without lookups).
    pub running_sum_columns: usize,
    /// log2 of the quotient chunks.
    pub log_quotient_chunks: usize,
}

impl PackedLayout {
    /// Base-field elements the layout adds to every opened row.
    pub fn opened_width(&self) -> usize {
        EXTENSION_COLUMNS * (self.running_sum_columns + (1 << self.log_quotient_chunks))
    }
}

/// How a table wants its lookups packed (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PackingGoal {
    /// As many messages per column as the table's own constraint degree allows (Plonky3's
    /// default: the quotient chunks stay those of the table's constraints).
    OwnDegree,
    /// The layout that opens the fewest base-field elements per query (running-sum columns and
    /// quotient chunks together), the chunks at most the blowup; of equally narrow layouts the
    /// one with the fewest chunks.
    Narrowest,
}

/// A table that states how its lookups are packed.
pub trait LookupPacking {
    /// This table's [`PackingGoal`] (a property of the table, not of its height, so the
    /// soundness computation reads the same layout as every proof has).
    fn packing_goal(&self) -> PackingGoal;
}

/// The packing budget of each table (as `p3-batch-stark`'s lookup budget overrides take them):
/// the budget of the layout [`best_layout`] picks.
pub fn lookup_budgets<A>(config: &Config, airs: &[A], log_heights: &[usize], log_blowup: usize) -> Vec<usize>
where
    A: Air<InteractionSymbolicBuilder<Val, Challenge>> + BaseAir<Val> + LookupPacking,
{
    airs.iter()
        .zip(log_heights)
        .map(|(air, &log_height)| best_layout(config, air, log_height, log_blowup).budget)
        .collect()
}

/// The layout of `air` at `2^log_height` rows that its [`PackingGoal`] picks.
pub fn best_layout<A>(config: &Config, air: &A, log_height: usize, log_blowup: usize) -> PackedLayout
where
    A: Air<InteractionSymbolicBuilder<Val, Challenge>> + BaseAir<Val> + LookupPacking,
{
    let layouts = candidate_layouts(config, air, log_height, log_blowup);
    match air.packing_goal() {
        PackingGoal::OwnDegree => layouts[0],
        PackingGoal::Narrowest => {
            let narrowest = layouts.iter().map(PackedLayout::opened_width).min();
            // The candidates come by increasing chunks: the first of the narrowest has the fewest.
            *layouts.iter().find(|l| Some(l.opened_width()) == narrowest).expect("one candidate at least")
        }
    }
}

/// The layout of `air` at `2^log_height` rows under each budget from its own degree (packing
/// that keeps its quotient chunks: the first candidate) up to the one that fills `2^log_blowup`
/// chunks, each budget the highest degree that a chunk count allows (`2^c + 1`, as
/// `p3-batch-stark` counts it).
pub fn candidate_layouts<A>(
    config: &Config,
    air: &A,
    log_height: usize,
    log_blowup: usize,
) -> Vec<PackedLayout>
where
    A: Air<InteractionSymbolicBuilder<Val, Challenge>> + BaseAir<Val>,
{
    let unpacked = Lookups::<Val>::from_air::<Challenge, _>(air);
    let domain =
        <<Config as StarkGenericConfig>::Pcs as Pcs<Challenge, Challenger>>::natural_domain_for_degree(
            config.pcs(),
            1 << log_height,
        );
    let gadget = LogUpGadget::new();
    let layout = AirLayout::from_air::<Val>(air);
    let chunks = |lookups: &Lookups<Val>| {
        get_log_num_quotient_chunks_for_domain::<Val, Challenge, _, _>(
            air, layout, domain, lookups, 0, &gadget,
        )
    };
    let own = chunks(&unpacked);
    let transition = domain.transition_degree_multiple();
    (own..=log_blowup.max(own))
        .map(|log_chunks| {
            let budget = (1 << log_chunks) + 1;
            let packed = unpacked.clone().pack_same_bus_with_degree(budget, |l| {
                gadget.constraint_degree_with_transition(l, transition)
            });
            let running_sum_columns = if packed.is_empty() { 0 } else { packed.len() + 1 };
            PackedLayout { budget, running_sum_columns, log_quotient_chunks: chunks(&packed) }
        })
        .collect()
}
