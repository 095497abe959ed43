//! Constraints as data (see `zkvm_plugin_api::constraints`), on the proof system's side:
//! evaluated over any Plonky3 `AirBuilder`, evaluated natively on rows, and imported from an
//! existing Plonky3 AIR's symbolic constraints.

use std::collections::HashMap;

use p3_air::symbolic::{BaseEntry, BaseLeaf, SymbolicExpression};
use p3_air::{AirBuilder, WindowAccess};
use p3_field::{PrimeCharacteristicRing, PrimeField32};
pub use zkvm_plugin_api::constraints::*;

use crate::prover::Val;

/// Asserts every constraint of `system` on `builder`, reading the system's column `c` from the
/// row's column `offset + c`. The system must have passed [`ConstraintSystem::check`].
pub fn eval_constraints<AB: AirBuilder>(system: &ConstraintSystem, builder: &mut AB, offset: usize)
where
    AB::F: PrimeCharacteristicRing,
{
    let main = builder.main();
    let (local, next) = (main.current_slice(), main.next_slice());
    let mut values: Vec<AB::Expr> = Vec::with_capacity(system.nodes.len());
    for node in &system.nodes {
        let value = match *node {
            Node::Constant(c) => AB::Expr::from_u32(c),
            Node::Local(column) => local[offset + column as usize].into(),
            Node::Next(column) => next[offset + column as usize].into(),
            Node::IsFirstRow => builder.is_first_row(),
            Node::IsLastRow => builder.is_last_row(),
            Node::IsTransition => builder.is_transition(),
            Node::Add(a, b) => values[a as usize].clone() + values[b as usize].clone(),
            Node::Sub(a, b) => values[a as usize].clone() - values[b as usize].clone(),
            Node::Mul(a, b) => values[a as usize].clone() * values[b as usize].clone(),
        };
        values.push(value);
    }
    for &(scope, node) in &system.constraints {
        let value = values[node as usize].clone();
        match scope {
            Scope::EveryRow => builder.assert_zero(value),
            Scope::Transition => builder.when_transition().assert_zero(value),
            Scope::FirstRow => builder.when_first_row().assert_zero(value),
            Scope::LastRow => builder.when_last_row().assert_zero(value),
        }
    }
}

/// The value of every constraint of `system` on the rows `local`, `next` (natively, for tests
/// and trace checks), as `(scope, value)`; `first` and `last` say where the row is.
pub fn evaluate_rows(
    system: &ConstraintSystem,
    local: &[Val],
    next: &[Val],
    first: bool,
    last: bool,
) -> Vec<(Scope, Val)> {
    let mut values: Vec<Val> = Vec::with_capacity(system.nodes.len());
    for node in &system.nodes {
        let value = match *node {
            Node::Constant(c) => Val::from_u32(c),
            Node::Local(column) => local[column as usize],
            Node::Next(column) => next[column as usize],
            Node::IsFirstRow => Val::from_bool(first),
            Node::IsLastRow => Val::from_bool(last),
            Node::IsTransition => Val::from_bool(!last),
            Node::Add(a, b) => values[a as usize] + values[b as usize],
            Node::Sub(a, b) => values[a as usize] - values[b as usize],
            Node::Mul(a, b) => values[a as usize] * values[b as usize],
        };
        values.push(value);
    }
    system.constraints.iter().map(|&(scope, node)| (scope, values[node as usize])).collect()
}

/// Imports constraints Plonky3's symbolic builder produced for an AIR whose column `c` is the
/// row's column `offset + c` into `builder` (so an existing `p3_air::Air` can be a precompile's
/// compute part), sharing what they share. Preprocessed, periodic and public variables are
/// refused: a precompile has none.
pub fn import_all<'a>(
    builder: &'a ConstraintBuilder,
    exprs: &[SymbolicExpression<Val>],
    offset: usize,
) -> Result<Vec<Expr<'a>>, String> {
    let mut memo: HashMap<*const SymbolicExpression<Val>, u32> = HashMap::new();
    exprs.iter().map(|expr| import_node(builder, expr, offset, &mut memo)).collect()
}

fn import_node<'a>(
    builder: &'a ConstraintBuilder,
    expr: &SymbolicExpression<Val>,
    offset: usize,
    memo: &mut HashMap<*const SymbolicExpression<Val>, u32>,
) -> Result<Expr<'a>, String> {
    if let Some(&index) = memo.get(&(expr as *const _)) {
        // Re-reference an imported node through a zero-cost alias: x + 0 is not needed, the
        // builder hands out the node itself.
        return Ok(builder.existing(index));
    }
    let mut child = |e: &std::sync::Arc<SymbolicExpression<Val>>| {
        import_node(builder, e, offset, memo).map(ConstraintBuilder::index)
    };
    let node = match expr {
        SymbolicExpression::Leaf(leaf) => match leaf {
            BaseLeaf::Constant(c) => Node::Constant(c.as_canonical_u32()),
            BaseLeaf::IsFirstRow => Node::IsFirstRow,
            BaseLeaf::IsLastRow => Node::IsLastRow,
            BaseLeaf::IsTransition => Node::IsTransition,
            BaseLeaf::Variable(v) => match (v.entry, v.index) {
                (BaseEntry::Main { offset: 0 }, column) => Node::Local((offset + column) as u32),
                (BaseEntry::Main { offset: 1 }, column) => Node::Next((offset + column) as u32),
                (entry, _) => return Err(format!("unsupported variable {entry:?}")),
            },
        },
        SymbolicExpression::Add { x, y, .. } => Node::Add(child(x)?, child(y)?),
        SymbolicExpression::Sub { x, y, .. } => Node::Sub(child(x)?, child(y)?),
        SymbolicExpression::Mul { x, y, .. } => Node::Mul(child(x)?, child(y)?),
        SymbolicExpression::Neg { x, .. } => {
            let x = child(x)?;
            let zero = ConstraintBuilder::index(builder.constant(0));
            Node::Sub(zero, x)
        }
    };
    let expr_out = builder.node(node);
    memo.insert(expr as *const _, ConstraintBuilder::index(expr_out));
    Ok(expr_out)
}
