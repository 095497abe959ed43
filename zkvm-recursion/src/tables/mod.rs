//! The tables of a recursion circuit, as one AIR type (all tables of a `p3-batch-stark` proof
//! share one AIR type), and their traces.

pub mod arith;
pub mod ext;
pub mod merged;
pub mod poseidon2;
pub mod public;
#[cfg(test)]
mod tests;
pub mod witness;

use p3_air::{Air, BaseAir};
use p3_field::Field;
use p3_lookup::InteractionBuilder;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_core::prover::Val;
use zkvm_core::prover::packing::{LookupPacking, PackingGoal};

use crate::circuit::{Circuit, Ext};

/// Smallest table height (the LogUp running sum needs a few rows).
pub const MIN_HEIGHT: usize = 4;

/// log2 of the tallest table a recursion proof may have: the prover refuses to prove, and the
/// verifier to accept, a circuit with a taller table. The soundness computation of the node
/// circuits (`crate::node::soundness`) bounds every table by it.
pub const MAX_TABLE_LOG_HEIGHT: usize = 24;

/// log2 of the tallest table the final circuit may have. The final circuit verifies one node
/// proof, whose size the node parameters fix: at the default node parameters its tables have
/// 2^18 rows, over a run's node proofs and over the tallest node proof [`MAX_TABLE_LOG_HEIGHT`]
/// allows alike (a test builds it), which leaves node parameters twice that work room. The
/// final key refuses a taller final
/// circuit (the prover before it aggregates, the verifier before it checks a proof), so the
/// soundness computation bounds the final circuit's tables by this rather than by
/// [`MAX_TABLE_LOG_HEIGHT`]: the terms that grow with the codeword length (FRI batching and
/// commit rounds, DEEP, LogUp) are 5 bits stronger for it.
pub const FINAL_MAX_TABLE_LOG_HEIGHT: usize = 19;

/// `rows` rounded up to a power of two, at least [`MIN_HEIGHT`].
pub fn table_height(rows: usize) -> usize {
    rows.next_power_of_two().max(MIN_HEIGHT)
}

/// The names of the tables [`growing_table_heights`] sizes, in its order (those
/// [`RecursionAir::name`] gives them).
pub const GROWING_TABLES: [&str; 3] = ["witness", "arith", "poseidon2"];

/// How many slots a witness row and how many relations an arith row hold, fixed by the circuit
/// (and so by its verifying key). Lanes make a table shorter for the same cells; the tallest
/// table sets the length of every commitment's codeword and Merkle tree, and so the prover's
/// time and memory, while every column is opened at every query of the proof.
///
/// A witness row has two kinds of lane: a base lane holds a slot whose value is a base-field
/// element in every honest filling ([`Circuit::base`]) in one column, an extension lane any
/// slot in five. Most of a recursion circuit's slots are base (Merkle digests, opened rows of
/// base-field traces, permutation states, index bits: about three quarters of a leaf's slots
/// and four fifths of the final circuit's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lanes {
    /// Base-field slots per witness row: the `i`-th base slot (in slot order) is base lane
    /// `i % base` of row `i / base`.
    pub base: usize,
    /// Extension-field slots per witness row: the `i`-th other slot is extension lane
    /// `i % ext` of row `i / ext`.
    pub ext: usize,
    /// Relations per arith row: relation `i` is lane `i % arith` of row `i / arith`.
    pub arith: usize,
}

impl Lanes {
    /// Leaf and internal circuits: seven base and three extension lanes keep the arity-2 node
    /// circuits (the leaf over two segment proofs: 1.10 M relations, 2.75 M base slots and
    /// 1.00 M others) within 2^19 rows with room to spare (75 % and 63 % of the lanes' cells),
    /// in 22 main columns where nine extension lanes took 45; three arith lanes hold their
    /// relations at that height.
    pub const NODE: Lanes = Lanes { base: 7, ext: 3, arith: 3 };
    /// The fewest lanes of the final circuit ([`Lanes::for_final`]): its two-row poseidon2
    /// part may set a height at which a few lanes hold every slot and relation.
    pub const FINAL: Lanes = Lanes { base: 1, ext: 1, arith: 1 };
    /// The most lanes of the final circuit. Its soundness computation takes these widths:
    /// more committed columns and more messages only weaken the terms that count them.
    pub const FINAL_MAX: Lanes = Lanes { base: 12, ext: 4, arith: 4 };

    /// The final circuit's lanes, whose proof is sent rather than verified inside another
    /// circuit, so that every column costs bytes at every query while the tallest table sets
    /// the length of every codeword, Merkle path and folding chain: the fewest lanes, between
    /// [`Lanes::FINAL`] and [`Lanes::FINAL_MAX`], that bring the witness and arith tables down
    /// to the lowest height those bounds and the poseidon2 table (whose height no lane
    /// changes) allow. Over the README's node proofs (folding by 4) the permutations, two rows
    /// each ([`Poseidon2Layout::TwoRows`](poseidon2::Poseidon2Layout::TwoRows)), take 2^17
    /// rows, and seven base lanes, two extension lanes and two arith lanes bring the other
    /// parts to that height (900,206 base slots, 191,280 others, 231,162 relations;
    /// `final_lanes_ranked_by_the_size_model` ranks the alternatives).
    pub fn for_final(circuit: &Circuit) -> Lanes {
        let (base, ext) = circuit.slot_counts();
        let relations = circuit.arith.len();
        let target = table_height(poseidon2_rows(circuit))
            .max(table_height(base.div_ceil(Self::FINAL_MAX.base)))
            .max(table_height(ext.div_ceil(Self::FINAL_MAX.ext)))
            .max(table_height(relations.div_ceil(Self::FINAL_MAX.arith)));
        Lanes {
            base: base.div_ceil(target).clamp(Self::FINAL.base, Self::FINAL_MAX.base),
            ext: ext.div_ceil(target).clamp(Self::FINAL.ext, Self::FINAL_MAX.ext),
            arith: relations.div_ceil(target).clamp(Self::FINAL.arith, Self::FINAL_MAX.arith),
        }
    }
}

/// The heights of `circuit`'s witness, arith and poseidon2 tables: each table's rows (the
/// witness table holds [`Lanes::base`] base slots and [`Lanes::ext`] others per row, the arith
/// table [`Lanes::arith`] relations, as `circuit.lanes` says) rounded up to a power of two, at
/// least [`MIN_HEIGHT`] and at least the circuit's padding ([`Circuit::min_rows`]).
pub fn growing_table_heights(circuit: &Circuit) -> [usize; 3] {
    let (base, ext) = circuit.slot_counts();
    let witness_rows = base.div_ceil(circuit.lanes.base).max(ext.div_ceil(circuit.lanes.ext));
    let arith_rows = circuit.arith.len().div_ceil(circuit.lanes.arith);
    let rows = [witness_rows, arith_rows, poseidon2_rows(circuit)];
    std::array::from_fn(|k| table_height(rows[k]).max(circuit.min_rows[k]))
}

/// The rows `circuit`'s permutations take in its poseidon2 layout (before padding).
pub fn poseidon2_rows(circuit: &Circuit) -> usize {
    circuit.poseidon2.len() * circuit.poseidon2_layout.rows_per_permutation()
}

/// Whether a circuit's witness, arith, poseidon2 and public tables are separate tables or one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableLayout {
    /// Four tables, each of its own height (leaf and internal circuits: their poseidon2 table
    /// is shorter than the others, and their proofs are verified inside the next circuit, whose
    /// cost grows with the rows as much as with the columns).
    Separate,
    /// One table of one height holding the four rows side by side ([`merged::MergedChip`]):
    /// one set of quotient chunks and one running sum instead of four (the final circuit,
    /// whose proof is sent: every column costs bytes at every query).
    Merged,
}

/// The current row's main and preprocessed cells and the next row's main cells, copied out of `builder` so that a table's
/// `eval_row` can read them while it adds constraints.
/// The next row's main cells are copied only `with_next` (the tables that read them), since
/// the prover evaluates every row.
pub(crate) fn current_row<AB: p3_air::AirBuilder>(builder: &AB, with_next: bool) -> CopiedRow<AB::Var> {
    use p3_air::WindowAccess;
    CopiedRow {
        main: builder.main().current_slice().to_vec(),
        next: if with_next { builder.main().next_slice().to_vec() } else { Vec::new() },
        fixed: builder.preprocessed().current_slice().to_vec(),
    }
}

/// A row's cells as [`current_row`] copies them.
pub(crate) struct CopiedRow<V> {
    /// The current row's main cells.
    pub main: Vec<V>,
    /// The next row's main cells (the two-row poseidon2 layout reads them; empty unless asked).
    pub next: Vec<V>,
    /// The current row's preprocessed cells.
    pub fixed: Vec<V>,
}

/// Index of the public table among [`RecursionAir::tables`] of a circuit in the separate layout
/// with public inputs or constants (in the merged layout the public inputs and constants are
/// part of the one table).
pub const PUBLIC_TABLE: usize = 1;

/// One table of a recursion circuit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecursionAir {
    /// The slots, [`Lanes::witness`] per row.
    Witness(witness::WitnessChip),
    /// The public inputs and the constants.
    Public(public::PublicChip),
    /// Additions and multiplications, [`Lanes::arith`] per row.
    Arith(arith::ArithChip),
    /// Poseidon2 permutations.
    Poseidon2(poseidon2::Poseidon2Chip),
    /// The witness, arith, poseidon2 and public tables in one ([`TableLayout::Merged`]).
    Merged(merged::MergedChip),
}

impl RecursionAir {
    /// The tables of `circuit`, in proof order (a table with no rows is left out).
    pub fn tables(circuit: &Circuit) -> Vec<RecursionAir> {
        // Every table names slots by witness id: computed once, for all of them.
        let ids = circuit.witness_ids();
        if circuit.table_layout == TableLayout::Merged {
            return vec![RecursionAir::Merged(merged::MergedChip::new(circuit, &ids))];
        }
        let public = (circuit.num_publics > 0 || !circuit.constants.is_empty())
            .then(|| RecursionAir::Public(public::PublicChip::new(circuit, &ids)));
        let mut tables = vec![RecursionAir::Witness(witness::WitnessChip::new(circuit, &ids))];
        tables.extend(public);
        if !circuit.arith.is_empty() {
            tables.push(RecursionAir::Arith(arith::ArithChip::new(circuit, &ids)));
        }
        if !circuit.poseidon2.is_empty() {
            tables.push(RecursionAir::Poseidon2(poseidon2::Poseidon2Chip::new(circuit, &ids)));
        }
        tables
    }

    /// log2 of the table's height, fixed by the circuit and its padding: the height its traces
    /// (preprocessed and main) have.
    pub fn log_height(&self) -> usize {
        let rows = match self {
            RecursionAir::Witness(chip) => chip.height,
            RecursionAir::Public(_) => public::PUBLIC_TABLE_HEIGHT,
            RecursionAir::Arith(chip) => chip.height,
            RecursionAir::Poseidon2(chip) => chip.height,
            RecursionAir::Merged(chip) => chip.height(),
        };
        rows.trailing_zeros() as usize
    }

    /// log2 of each table height of `circuit`'s proofs, in proof order.
    pub fn log_heights(circuit: &Circuit) -> Vec<usize> {
        Self::tables(circuit).iter().map(Self::log_height).collect()
    }

    /// The table's name.
    pub fn name(&self) -> &'static str {
        match self {
            RecursionAir::Witness(_) => "witness",
            RecursionAir::Public(_) => "public",
            RecursionAir::Arith(_) => "arith",
            RecursionAir::Poseidon2(_) => "poseidon2",
            RecursionAir::Merged(_) => "merged",
        }
    }

    /// The table's main trace, given every slot's value by witness id
    /// ([`Circuit::in_witness_order`]).
    pub fn trace(&self, slots: &[Ext]) -> RowMajorMatrix<Val> {
        match self {
            RecursionAir::Witness(chip) => chip.trace(slots),
            RecursionAir::Public(chip) => chip.trace(slots),
            RecursionAir::Arith(chip) => chip.trace(slots),
            RecursionAir::Poseidon2(chip) => chip.trace(slots),
            RecursionAir::Merged(chip) => chip.trace(slots),
        }
    }

    /// The table's public values, given the circuit's public inputs: their coefficients for
    /// the table that declares public values (the public table, or the merged table that holds
    /// it), none for the others.
    pub fn public_values(&self, publics: &[Ext]) -> Vec<Val> {
        if BaseAir::<Val>::num_public_values(self) == 0 {
            return Vec::new();
        }
        publics.iter().flat_map(|v| ext::coefficients(*v)).collect()
    }
}

/// Calls `$body` with `$chip` bound to the inner chip of `$air`.
macro_rules! dispatch {
    ($air:expr, $chip:ident => $body:expr) => {
        match $air {
            RecursionAir::Witness($chip) => $body,
            RecursionAir::Public($chip) => $body,
            RecursionAir::Arith($chip) => $body,
            RecursionAir::Poseidon2($chip) => $body,
            RecursionAir::Merged($chip) => $body,
        }
    };
}

impl LookupPacking for RecursionAir {
    /// Every recursion table takes its narrowest packing: a node proof's columns are what its
    /// parent circuit hashes and combines at every query, the final proof's what the user
    /// receives, and a recursion table's constraints are cheap to evaluate.
    fn packing_goal(&self) -> PackingGoal {
        PackingGoal::Narrowest
    }
}

impl<F: Field> BaseAir<F> for RecursionAir {
    fn width(&self) -> usize {
        dispatch!(self, chip => BaseAir::<F>::width(chip))
    }

    fn preprocessed_width(&self) -> usize {
        dispatch!(self, chip => BaseAir::<F>::preprocessed_width(chip))
    }

    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<F>> {
        dispatch!(self, chip => BaseAir::<F>::preprocessed_trace(chip))
    }

    fn num_public_values(&self) -> usize {
        dispatch!(self, chip => BaseAir::<F>::num_public_values(chip))
    }

    fn main_next_row_columns(&self) -> Vec<usize> {
        dispatch!(self, chip => BaseAir::<F>::main_next_row_columns(chip))
    }

    fn preprocessed_next_row_columns(&self) -> Vec<usize> {
        dispatch!(self, chip => BaseAir::<F>::preprocessed_next_row_columns(chip))
    }
}

impl RecursionAir {
    /// Whether the table's constraints read the next row's main cells (a poseidon2 table or
    /// part in the two-row layout): what [`BaseAir::main_next_row_columns`] lists, and the only
    /// case in which [`Air::eval`] copies the next row out of the builder, so that no table
    /// can read a row its proofs do not open.
    pub fn reads_next_row(&self) -> bool {
        match self {
            RecursionAir::Poseidon2(chip) => chip.reads_next_row(),
            RecursionAir::Merged(chip) => chip.poseidon2.reads_next_row(),
            RecursionAir::Witness(_) | RecursionAir::Public(_) | RecursionAir::Arith(_) => false,
        }
    }
}

impl<AB: InteractionBuilder> Air<AB> for RecursionAir
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        // The growing tables read one row each, so they take its cells as slices (a merged row
        // hands each part its own columns); the public table reads its rows itself. The next
        // row is copied only for a table whose proofs open it.
        let CopiedRow { main, next, fixed } = current_row(builder, self.reads_next_row());
        match self {
            RecursionAir::Public(chip) => chip.eval(builder),
            RecursionAir::Witness(chip) => chip.eval_row(builder, &main, &fixed),
            RecursionAir::Arith(chip) => chip.eval_row(builder, &main, &fixed),
            RecursionAir::Poseidon2(chip) => chip.eval_row(builder, &main, &next, &fixed),
            RecursionAir::Merged(chip) => chip.eval_row(builder, &main, &next, &fixed),
        }
    }
}
