//! The bus inventory: which chip sends, receives or provides what on which bus.
//!
//! Built from the chips' own AIRs by symbolic evaluation, so it always matches the constraints
//! the prover uses. The whitepaper includes it (as JSON) and each chip's README lists its rows.

use p3_air::symbolic::{AirLayout, BaseEntry, BaseLeaf, SymbolicExpr, SymbolicExpression};
use p3_air::{Air, BaseAir};
use p3_field::{ExtensionField, Field, PrimeField32};
use p3_lookup::InteractionSymbolicBuilder;
use serde::Serialize;

use crate::registry::{BusSpec, CORE_BUSES};

/// The role of an interaction, read off its multiplicity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Direction {
    /// Adds the message to the bus (a query, or the producing side of a permutation).
    Send,
    /// Takes the message off the bus (the consuming side of a permutation).
    Receive,
    /// Answers queries: a lookup table row with a multiplicity column.
    Provide,
}

/// One interaction of a chip, rendered with the chip's column names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InteractionEntry {
    /// The bus name.
    pub bus: String,
    /// Send, receive or provide.
    pub direction: Direction,
    /// The message fields, as expressions over the chip's columns.
    pub fields: Vec<String>,
    /// The multiplicity expression.
    pub multiplicity: String,
    /// The per-row bound on the multiplicity that the lookup argument's height check uses
    /// (0 for a table's provided side).
    pub bound: u32,
}

/// Every bus interaction of one chip.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChipInteractions {
    /// The chip's name.
    pub chip: String,
    /// Its interactions, in the order its AIR declares them.
    pub interactions: Vec<InteractionEntry>,
}

/// Column names used to render expressions.
#[derive(Clone, Copy, Debug)]
pub struct ColumnNames<'a> {
    /// Names of the main columns, by index.
    pub main: &'a [&'a str],
    /// Names of the preprocessed columns, by index.
    pub preprocessed: &'a [&'a str],
}

/// Renders a symbolic expression with column names: `name` for the current row, `name'` for
/// the next, `pre.name` for preprocessed columns, `public[i]` for public values.
pub fn render<F: PrimeField32>(expr: &SymbolicExpression<F>, names: ColumnNames<'_>) -> String {
    render_prec(expr, names, 0)
}

fn render_prec<F: PrimeField32>(expr: &SymbolicExpression<F>, names: ColumnNames<'_>, outer: u8) -> String {
    let wrap = |text: String, prec: u8| if prec < outer { format!("({text})") } else { text };
    match expr {
        SymbolicExpr::Leaf(leaf) => match leaf {
            BaseLeaf::Variable(v) => {
                let name = |list: &[&str], i: usize| {
                    list.get(i).map_or_else(|| format!("col{i}"), |s| s.to_string())
                };
                match v.entry {
                    BaseEntry::Main { offset } => {
                        format!("{}{}", name(names.main, v.index), "'".repeat(offset))
                    }
                    BaseEntry::Preprocessed { offset } => {
                        format!("pre.{}{}", name(names.preprocessed, v.index), "'".repeat(offset))
                    }
                    BaseEntry::Public => format!("public[{}]", v.index),
                    BaseEntry::Periodic => format!("periodic[{}]", v.index),
                }
            }
            BaseLeaf::IsFirstRow => "is_first_row".into(),
            BaseLeaf::IsLastRow => "is_last_row".into(),
            BaseLeaf::IsTransition => "is_transition".into(),
            BaseLeaf::Constant(c) => {
                let v = c.as_canonical_u32();
                if v > F::ORDER_U32 / 2 { format!("-{}", F::ORDER_U32 - v) } else { v.to_string() }
            }
        },
        SymbolicExpr::Add { x, y, .. } => {
            wrap(format!("{} + {}", render_prec(x, names, 1), render_prec(y, names, 1)), 1)
        }
        SymbolicExpr::Sub { x, y, .. } => {
            wrap(format!("{} - {}", render_prec(x, names, 1), render_prec(y, names, 2)), 1)
        }
        SymbolicExpr::Neg { x, .. } => wrap(format!("-{}", render_prec(x, names, 3)), 3),
        SymbolicExpr::Mul { x, y, .. } => {
            wrap(format!("{} * {}", render_prec(x, names, 2), render_prec(y, names, 2)), 2)
        }
    }
}

/// Evaluates `expr` with every column and public value set to 1: the sign of a multiplicity
/// built from boolean selectors.
fn sign_at_ones<F: PrimeField32>(expr: &SymbolicExpression<F>) -> i64 {
    fn eval<F: Field>(e: &SymbolicExpression<F>) -> F {
        match e {
            SymbolicExpr::Leaf(BaseLeaf::Constant(c)) => *c,
            SymbolicExpr::Leaf(_) => F::ONE,
            SymbolicExpr::Add { x, y, .. } => eval(x) + eval(y),
            SymbolicExpr::Sub { x, y, .. } => eval(x) - eval(y),
            SymbolicExpr::Neg { x, .. } => -eval(x),
            SymbolicExpr::Mul { x, y, .. } => eval(x) * eval(y),
        }
    }
    let v = eval(expr).as_canonical_u32();
    if v == 0 {
        0
    } else if v > F::ORDER_U32 / 2 {
        -1
    } else {
        1
    }
}

/// Lists the interactions of one chip.
pub fn chip_interactions<F, EF, A>(chip: &str, air: &A, names: ColumnNames<'_>) -> ChipInteractions
where
    F: PrimeField32,
    EF: ExtensionField<F>,
    A: Air<InteractionSymbolicBuilder<F, EF>> + BaseAir<F>,
{
    let mut builder = InteractionSymbolicBuilder::<F, EF>::new(AirLayout::from_air(air));
    air.eval(&mut builder);
    let interactions = builder
        .global_interactions()
        .iter()
        .map(|i| {
            let direction = if i.count_weight == 0 {
                Direction::Provide
            } else if sign_at_ones(&i.count) < 0 {
                Direction::Receive
            } else {
                Direction::Send
            };
            InteractionEntry {
                bus: i.bus_name.clone(),
                direction,
                fields: i.fields.iter().map(|f| render(f, names)).collect(),
                multiplicity: render(&i.count, names),
                bound: i.count_weight,
            }
        })
        .collect();
    ChipInteractions { chip: chip.to_string(), interactions }
}

/// One bus with the chips on each side.
#[derive(Clone, Debug, Serialize)]
pub struct BusEntry {
    /// The bus.
    pub spec: BusSpec,
    /// Chips that send on it.
    pub senders: Vec<String>,
    /// Chips that receive from it.
    pub receivers: Vec<String>,
    /// Chips that provide table rows to it.
    pub providers: Vec<String>,
}

/// Every core bus with its endpoints, from the interactions of every chip.
pub fn bus_inventory(chips: &[ChipInteractions]) -> Vec<BusEntry> {
    CORE_BUSES
        .iter()
        .map(|spec| {
            let on = |direction| -> Vec<String> {
                chips
                    .iter()
                    .filter(|c| c.interactions.iter().any(|i| i.bus == spec.name && i.direction == direction))
                    .map(|c| c.chip.clone())
                    .collect()
            };
            BusEntry {
                spec: *spec,
                senders: on(Direction::Send),
                receivers: on(Direction::Receive),
                providers: on(Direction::Provide),
            }
        })
        .collect()
}
