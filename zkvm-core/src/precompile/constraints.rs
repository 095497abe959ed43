//! Constraints as data: how a precompile's AIR crosses a crate or library boundary.
//!
//! A [`ConstraintSystem`] is a DAG of [`Node`]s over the columns of one row (and the next),
//! plus the list of nodes that must vanish, each on a [`Scope`] of rows. It is plain data: a
//! plugin built in another crate (or another shared library) hands it to the host, the host
//! [checks](ConstraintSystem::check) it, computes its degree, renders it for the inventory, and
//! [evaluates](ConstraintSystem::eval) it over any Plonky3 `AirBuilder`: the same constraints in
//! the prover, the verifier and the symbolic degree analysis.
//!
//! Plugins write constraints with a [`ConstraintBuilder`], whose [`Expr`] handles support `+`,
//! `-` and `*`.

use std::cell::RefCell;
use std::ops::{Add, Mul, Neg, Sub};

use std::collections::HashMap;

use p3_air::symbolic::{BaseEntry, BaseLeaf, SymbolicExpression};
use p3_air::{AirBuilder, WindowAccess};
use p3_field::{PrimeCharacteristicRing, PrimeField32};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::prover::Val;

/// One node of the DAG. Operands are indices of earlier nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Node {
    /// A field constant (canonical, below the modulus).
    Constant(u32),
    /// A column of the current row.
    Local(u32),
    /// A column of the next row.
    Next(u32),
    /// Sum of two nodes.
    Add(u32, u32),
    /// Difference of two nodes.
    Sub(u32, u32),
    /// Product of two nodes.
    Mul(u32, u32),
    /// 1 on the first row of the trace, 0 elsewhere (degree 1).
    IsFirstRow,
    /// 1 on the last row of the trace, 0 elsewhere (degree 1).
    IsLastRow,
    /// 0 on the last row, 1 elsewhere (counted as degree 0, as Plonky3 does).
    IsTransition,
}

/// On which rows a constraint must hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    /// Every row.
    EveryRow,
    /// Every row but the last (it may read the next row).
    Transition,
    /// The first row.
    FirstRow,
    /// The last row.
    LastRow,
}

/// A set of polynomial constraints over a row of `width` columns.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConstraintSystem {
    /// Number of columns the constraints may read.
    pub width: usize,
    /// The expression DAG, in topological order.
    pub nodes: Vec<Node>,
    /// Each constraint: its rows and the node that must vanish there.
    pub constraints: Vec<(Scope, u32)>,
}

/// Why a constraint system is refused.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ConstraintError {
    /// A node reads a node that is not before it.
    #[error("node {node} reads node {operand}, which does not precede it")]
    Order {
        /// The node.
        node: usize,
        /// The operand.
        operand: u32,
    },
    /// A node reads a column outside the row.
    #[error("node {node} reads column {column} of a {width}-column row")]
    Column {
        /// The node.
        node: usize,
        /// The column.
        column: u32,
        /// The row's width.
        width: usize,
    },
    /// A constant is not a canonical field element.
    #[error("node {node}: constant {value} is not below the field modulus")]
    Constant {
        /// The node.
        node: usize,
        /// The constant.
        value: u32,
    },
    /// A constraint names a node that does not exist.
    #[error("constraint {index} names node {node} of {count}")]
    Missing {
        /// The constraint's index.
        index: usize,
        /// The node it names.
        node: u32,
        /// Number of nodes.
        count: usize,
    },
    /// A constraint that is not a transition reads the next row.
    #[error("constraint {index} reads the next row but is not a transition constraint")]
    NextOutsideTransition {
        /// The constraint's index.
        index: usize,
    },
    /// A precompile's block shape is invalid: zero rows per call, or several without block
    /// flags inside its compute columns.
    #[error("{rows} rows per call need block flags within the {width} compute columns")]
    Blocks {
        /// Rows per call.
        rows: usize,
        /// Compute columns.
        width: usize,
    },
    /// A constraint's degree is above the machine's limit.
    #[error("constraint {index} has degree {degree}, above the limit {limit}")]
    Degree {
        /// The constraint's index.
        index: usize,
        /// Its degree.
        degree: usize,
        /// The limit.
        limit: usize,
    },
}

impl ConstraintSystem {
    /// Checks that the DAG is well formed (operands precede their node, columns lie in the
    /// row, constants are canonical), that only transition constraints (or terms with a factor
    /// `IsTransition`) read the next row, and
    /// that every constraint's degree is at most `max_degree`.
    pub fn check(&self, max_degree: usize) -> Result<(), ConstraintError> {
        for (node, entry) in self.nodes.iter().enumerate() {
            let operands: &[u32] = match entry {
                Node::Constant(value) if *value >= Val::ORDER_U32 => {
                    return Err(ConstraintError::Constant { node, value: *value });
                }
                Node::Local(column) | Node::Next(column) if *column as usize >= self.width => {
                    return Err(ConstraintError::Column { node, column: *column, width: self.width });
                }
                Node::Add(a, b) | Node::Sub(a, b) | Node::Mul(a, b) => &[*a, *b],
                _ => &[],
            };
            if let Some(&operand) = operands.iter().find(|&&operand| operand as usize >= node) {
                return Err(ConstraintError::Order { node, operand });
            }
        }
        let (degrees, reads_next) = self.analysis();
        for (index, &(scope, node)) in self.constraints.iter().enumerate() {
            let Some(&degree) = degrees.get(node as usize) else {
                return Err(ConstraintError::Missing { index, node, count: self.nodes.len() });
            };
            if reads_next[node as usize] && scope != Scope::Transition {
                return Err(ConstraintError::NextOutsideTransition { index });
            }
            if degree > max_degree {
                return Err(ConstraintError::Degree { index, degree, limit: max_degree });
            }
        }
        Ok(())
    }

    /// Per node: its degree in the row's columns, and whether it reads the next row without
    /// being zero on the last row (a factor `IsTransition` guards every next-row term).
    fn analysis(&self) -> (Vec<usize>, Vec<bool>) {
        let mut degrees: Vec<usize> = Vec::with_capacity(self.nodes.len());
        // (reads the next row, every next-row term has an IsTransition factor)
        let mut next: Vec<(bool, bool)> = Vec::with_capacity(self.nodes.len());
        for node in &self.nodes {
            let (degree, reads) = match *node {
                Node::Constant(_) => (0, (false, false)),
                Node::IsTransition => (0, (false, true)),
                Node::Local(_) | Node::IsFirstRow | Node::IsLastRow => (1, (false, false)),
                Node::Next(_) => (1, (true, false)),
                Node::Add(a, b) | Node::Sub(a, b) => {
                    let ((ra, ga), (rb, gb)) = (next[a as usize], next[b as usize]);
                    let guarded = (ga || !ra) && (gb || !rb) && (ra || rb);
                    (degrees[a as usize].max(degrees[b as usize]), (ra || rb, guarded))
                }
                Node::Mul(a, b) => {
                    let ((ra, ga), (rb, gb)) = (next[a as usize], next[b as usize]);
                    (degrees[a as usize] + degrees[b as usize], (ra || rb, ga || gb))
                }
            };
            degrees.push(degree);
            next.push(reads);
        }
        (degrees, next.into_iter().map(|(reads, guarded)| reads && !guarded).collect())
    }

    /// The largest degree of a constraint (0 when there is none).
    pub fn max_degree(&self) -> usize {
        let (degrees, _) = self.analysis();
        self.constraints.iter().map(|&(_, node)| degrees[node as usize]).max().unwrap_or(0)
    }

    /// Asserts every constraint on `builder`, reading the system's column `c` from the row's
    /// column `offset + c`. The system must have passed [`ConstraintSystem::check`].
    pub fn eval<AB: AirBuilder>(&self, builder: &mut AB, offset: usize)
    where
        AB::F: PrimeCharacteristicRing,
    {
        let main = builder.main();
        let (local, next) = (main.current_slice(), main.next_slice());
        let mut values: Vec<AB::Expr> = Vec::with_capacity(self.nodes.len());
        for node in &self.nodes {
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
        for &(scope, node) in &self.constraints {
            let value = values[node as usize].clone();
            match scope {
                Scope::EveryRow => builder.assert_zero(value),
                Scope::Transition => builder.when_transition().assert_zero(value),
                Scope::FirstRow => builder.when_first_row().assert_zero(value),
                Scope::LastRow => builder.when_last_row().assert_zero(value),
            }
        }
    }

    /// The value of every constraint on the rows `local`, `next` (natively, for tests and
    /// trace checks), as `(scope, value)`; `first` and `last` say where the row is.
    pub fn evaluate_rows(&self, local: &[Val], next: &[Val], first: bool, last: bool) -> Vec<(Scope, Val)> {
        let mut values: Vec<Val> = Vec::with_capacity(self.nodes.len());
        for node in &self.nodes {
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
        self.constraints.iter().map(|&(scope, node)| (scope, values[node as usize])).collect()
    }
}

/// Builds a [`ConstraintSystem`] with expression handles.
#[derive(Debug, Default)]
pub struct ConstraintBuilder {
    system: RefCell<ConstraintSystem>,
}

/// A handle to a node of a [`ConstraintBuilder`]; combine handles with `+`, `-`, `*`.
#[derive(Clone, Copy, Debug)]
pub struct Expr<'a> {
    builder: &'a ConstraintBuilder,
    node: u32,
}

impl ConstraintBuilder {
    /// A builder of constraints over rows of `width` columns.
    pub fn new(width: usize) -> Self {
        ConstraintBuilder { system: RefCell::new(ConstraintSystem { width, ..Default::default() }) }
    }

    fn push(&self, node: Node) -> Expr<'_> {
        let mut system = self.system.borrow_mut();
        system.nodes.push(node);
        Expr { builder: self, node: system.nodes.len() as u32 - 1 }
    }

    /// The constant `value` (reduced modulo the field).
    pub fn constant(&self, value: u32) -> Expr<'_> {
        self.push(Node::Constant(value % Val::ORDER_U32))
    }

    /// Column `column` of the current row.
    pub fn local(&self, column: usize) -> Expr<'_> {
        self.push(Node::Local(column as u32))
    }

    /// Column `column` of the next row.
    pub fn next(&self, column: usize) -> Expr<'_> {
        self.push(Node::Next(column as u32))
    }

    /// The selector `node` (one of [`Node::IsFirstRow`], [`Node::IsLastRow`],
    /// [`Node::IsTransition`]).
    pub fn selector(&self, node: Node) -> Expr<'_> {
        self.push(node)
    }

    /// Imports a constraint Plonky3's symbolic builder produced for an AIR whose column `c` is
    /// this row's column `offset + c` (so an existing `p3_air::Air` can be a precompile's
    /// compute part). Shared subexpressions stay shared. Preprocessed, periodic and public
    /// variables are refused: a precompile has none.
    pub fn import(&self, expr: &SymbolicExpression<Val>, offset: usize) -> Result<Expr<'_>, String> {
        Ok(self.import_all(std::slice::from_ref(expr), offset)?[0])
    }

    /// [`ConstraintBuilder::import`] of several constraints, sharing what they share.
    pub fn import_all(
        &self,
        exprs: &[SymbolicExpression<Val>],
        offset: usize,
    ) -> Result<Vec<Expr<'_>>, String> {
        let mut memo: HashMap<*const SymbolicExpression<Val>, u32> = HashMap::new();
        exprs
            .iter()
            .map(|expr| self.import_node(expr, offset, &mut memo).map(|node| Expr { builder: self, node }))
            .collect()
    }

    fn import_node(
        &self,
        expr: &SymbolicExpression<Val>,
        offset: usize,
        memo: &mut HashMap<*const SymbolicExpression<Val>, u32>,
    ) -> Result<u32, String> {
        if let Some(&node) = memo.get(&(expr as *const _)) {
            return Ok(node);
        }
        let mut child = |e: &std::sync::Arc<SymbolicExpression<Val>>| self.import_node(e, offset, memo);
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
                let zero = self.push(Node::Constant(0)).node;
                Node::Sub(zero, x)
            }
        };
        let id = self.push(node).node;
        memo.insert(expr as *const _, id);
        Ok(id)
    }

    /// Requires `expr` to vanish on the rows of `scope`.
    pub fn assert_zero(&self, scope: Scope, expr: Expr<'_>) {
        self.system.borrow_mut().constraints.push((scope, expr.node));
    }

    /// Requires `expr` to be 0 or 1 on every row.
    pub fn assert_bool(&self, expr: Expr<'_>) {
        let one = self.constant(1);
        self.assert_zero(Scope::EveryRow, expr * (expr - one));
    }

    /// The constraints built so far.
    pub fn build(self) -> ConstraintSystem {
        self.system.into_inner()
    }
}

impl<'a> Add for Expr<'a> {
    type Output = Expr<'a>;
    fn add(self, other: Expr<'a>) -> Expr<'a> {
        self.builder.push(Node::Add(self.node, other.node))
    }
}

impl<'a> Sub for Expr<'a> {
    type Output = Expr<'a>;
    fn sub(self, other: Expr<'a>) -> Expr<'a> {
        self.builder.push(Node::Sub(self.node, other.node))
    }
}

impl<'a> Mul for Expr<'a> {
    type Output = Expr<'a>;
    fn mul(self, other: Expr<'a>) -> Expr<'a> {
        self.builder.push(Node::Mul(self.node, other.node))
    }
}

impl<'a> Neg for Expr<'a> {
    type Output = Expr<'a>;
    fn neg(self) -> Expr<'a> {
        let zero = self.builder.constant(0);
        zero - self
    }
}

impl<'a> Mul<u32> for Expr<'a> {
    type Output = Expr<'a>;
    fn mul(self, constant: u32) -> Expr<'a> {
        let constant = self.builder.constant(constant);
        self * constant
    }
}

impl<'a> Add<u32> for Expr<'a> {
    type Output = Expr<'a>;
    fn add(self, constant: u32) -> Expr<'a> {
        let constant = self.builder.constant(constant);
        self + constant
    }
}
