//! A table's constraints at the out-of-domain point, written as circuit relations: Plonky3's
//! symbolic constraints (the AIR's, then the LogUp gadget's) lowered node by node, each shared
//! subexpression once.

use std::collections::HashMap;
use std::sync::Arc;

use p3_air::symbolic::{
    BaseEntry, BaseLeaf, ExtEntry, ExtLeaf, SymbolicExpr, SymbolicExpression, SymbolicExpressionExt,
};
use p3_field::PrimeCharacteristicRing;
use zkvm_core::prover::Val;

use crate::circuit::{CircuitBuilder, Ext, Slot};

/// One constraint, in the order the AIR and the LogUp gadget emit them (the order the
/// verifier folds them in).
#[derive(Clone, Debug)]
pub enum Constraint {
    /// A base-field constraint.
    Base(SymbolicExpression<Val>),
    /// An extension-field constraint (LogUp's).
    Ext(SymbolicExpressionExt<Val, Ext>),
}

/// What the constraints' variables stand for at `zeta`, in slots.
#[derive(Clone, Debug, Default)]
pub struct Point {
    /// Main trace row at `zeta` and at the next point.
    pub main: [Vec<Slot>; 2],
    /// Preprocessed row at `zeta` and at the next point.
    pub preprocessed: [Vec<Slot>; 2],
    /// Public values.
    pub public_values: Vec<Slot>,
    /// LogUp running-sum columns (extension elements) at `zeta` and at the next point.
    pub permutation: [Vec<Slot>; 2],
    /// LogUp challenges of this table's lookups.
    pub challenges: Vec<Slot>,
    /// This table's LogUp terminal.
    pub permutation_values: Vec<Slot>,
    /// Lagrange selectors of the trace domain at `zeta`.
    pub is_first_row: Option<Slot>,
    /// See `is_first_row`.
    pub is_last_row: Option<Slot>,
    /// See `is_first_row`.
    pub is_transition: Option<Slot>,
}

/// Lowers symbolic expressions to slots, remembering shared subexpressions by address.
pub struct Lowering<'a> {
    point: &'a Point,
    base_memo: HashMap<*const SymbolicExpression<Val>, Slot>,
    ext_memo: HashMap<*const SymbolicExpressionExt<Val, Ext>, Slot>,
}

impl<'a> Lowering<'a> {
    /// Lowering at `point`.
    pub fn new(point: &'a Point) -> Self {
        Lowering { point, base_memo: HashMap::new(), ext_memo: HashMap::new() }
    }

    /// The constraint's value at `zeta`.
    pub fn constraint(&mut self, builder: &mut CircuitBuilder, constraint: &Constraint) -> Slot {
        let point = self.point;
        let base_memo = &mut self.base_memo;
        match constraint {
            Constraint::Base(e) => {
                lower_tree(builder, e, base_memo, &mut |b, leaf| base_leaf(point, b, leaf))
            }
            Constraint::Ext(e) => {
                let mut leaf = |b: &mut CircuitBuilder, leaf: &ExtLeaf<Val, Ext>| match leaf {
                    ExtLeaf::Base(e) => lower_tree(b, e, base_memo, &mut |b, leaf| base_leaf(point, b, leaf)),
                    ExtLeaf::ExtVariable(v) => match v.entry {
                        ExtEntry::Permutation { offset } => point.permutation[offset][v.index],
                        ExtEntry::Challenge => point.challenges[v.index],
                        ExtEntry::PermutationValue => point.permutation_values[v.index],
                    },
                    ExtLeaf::ExtConstant(c) => b.constant(*c),
                };
                lower_tree(builder, e, &mut self.ext_memo, &mut leaf)
            }
        }
    }
}

/// A base-field leaf's slot.
fn base_leaf(point: &Point, builder: &mut CircuitBuilder, leaf: &BaseLeaf<Val>) -> Slot {
    match leaf {
        BaseLeaf::Variable(v) => match v.entry {
            BaseEntry::Main { offset } => point.main[offset][v.index],
            BaseEntry::Preprocessed { offset } => point.preprocessed[offset][v.index],
            BaseEntry::Public => point.public_values[v.index],
            BaseEntry::Periodic => unreachable!("periodic columns are refused by the shape"),
        },
        BaseLeaf::IsFirstRow => point.is_first_row.expect("selectors are set"),
        BaseLeaf::IsLastRow => point.is_last_row.expect("selectors are set"),
        BaseLeaf::IsTransition => point.is_transition.expect("selectors are set"),
        BaseLeaf::Constant(c) => builder.constant(Ext::from(*c)),
    }
}

/// Lowers an expression tree: leaves by `leaf`, operations as relations, every shared node
/// (an `Arc` seen before) once.
fn lower_tree<L>(
    builder: &mut CircuitBuilder,
    expr: &SymbolicExpr<L>,
    memo: &mut HashMap<*const SymbolicExpr<L>, Slot>,
    leaf: &mut dyn FnMut(&mut CircuitBuilder, &L) -> Slot,
) -> Slot {
    let mut child = |builder: &mut CircuitBuilder,
                     node: &Arc<SymbolicExpr<L>>,
                     leaf: &mut dyn FnMut(&mut CircuitBuilder, &L) -> Slot| {
        let key = Arc::as_ptr(node);
        if let Some(&slot) = memo.get(&key) {
            return slot;
        }
        let slot = lower_tree(builder, node, memo, leaf);
        memo.insert(key, slot);
        slot
    };
    match expr {
        SymbolicExpr::Leaf(l) => leaf(builder, l),
        SymbolicExpr::Add { x, y, .. } => {
            let (a, b) = (child(builder, x, leaf), child(builder, y, leaf));
            builder.add(a, b)
        }
        SymbolicExpr::Sub { x, y, .. } => {
            let (a, b) = (child(builder, x, leaf), child(builder, y, leaf));
            builder.sub(a, b)
        }
        SymbolicExpr::Neg { x, .. } => {
            let a = child(builder, x, leaf);
            let zero = builder.zero();
            builder.sub(zero, a)
        }
        SymbolicExpr::Mul { x, y, .. } => {
            let (a, b) = (child(builder, x, leaf), child(builder, y, leaf));
            builder.mul(a, b)
        }
    }
}

/// `sum_k constraint_k alpha^(n-1-k)`: the constraints folded by `alpha` in order (Horner), as
/// the verifier's constraint folder accumulates them.
pub fn fold_constraints(
    builder: &mut CircuitBuilder,
    lowering: &mut Lowering<'_>,
    constraints: &[Constraint],
    alpha: Slot,
) -> Slot {
    let mut accumulator = builder.constant(Ext::ZERO);
    for constraint in constraints {
        let value = lowering.constraint(builder, constraint);
        let scaled = builder.mul(accumulator, alpha);
        accumulator = builder.add(scaled, value);
    }
    accumulator
}
