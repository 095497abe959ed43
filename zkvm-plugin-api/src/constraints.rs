//! Constraints as data: how a precompile's AIR crosses a crate or library boundary.
//!
//! A [`ConstraintSystem`] is a DAG of [`Node`]s over the columns of one row (and the next),
//! plus the list of nodes that must vanish, each on a [`Scope`] of rows. It is plain data: a
//! plugin built in another crate (or another shared library) hands it to the host, the host
//! [checks](ConstraintSystem::check) it, computes its degree, and evaluates it over any Plonky3
//! `AirBuilder` (`zkvm_core::precompile::eval_constraints`): the same constraints in the prover,
//! the verifier and the symbolic degree analysis.
//!
//! Plugins write constraints with a [`ConstraintBuilder`], whose [`Expr`] handles support `+`,
//! `-` and `*`.

use std::cell::RefCell;
use std::ops::{Add, Mul, Neg, Sub};

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Most words a precompile may read and write per call (4 KiB).
pub const MAX_WORDS: usize = 1024;
/// Most compute columns a precompile may have.
pub const MAX_COMPUTE_WIDTH: usize = 1 << 14;
/// Most rows a precompile may take per call.
pub const MAX_ROWS_PER_CALL: usize = 1024;

/// Whether a precompile of `words` words, `compute_width` compute columns and `rows` rows per
/// call is within the host's limits (at least one word and one row).
pub fn shape_within_limits(words: usize, compute_width: usize, rows: usize) -> bool {
    (1..=MAX_WORDS).contains(&words)
        && compute_width <= MAX_COMPUTE_WIDTH
        && (1..=MAX_ROWS_PER_CALL).contains(&rows)
}

/// The field's modulus (BabyBear, `2^31 - 2^27 + 1`): constants must lie below it.
pub const FIELD_MODULUS: u32 = 0x7800_0001;

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
    /// A precompile's shape is outside the host's limits ([`MAX_WORDS`] words,
    /// [`MAX_COMPUTE_WIDTH`] compute columns, [`MAX_ROWS_PER_CALL`] rows per call).
    #[error(
        "a precompile of {words} words, {compute_width} compute columns and {rows} rows per call is outside the limits"
    )]
    Shape {
        /// Words per call.
        words: usize,
        /// Compute columns.
        compute_width: usize,
        /// Rows per call.
        rows: usize,
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
                Node::Constant(value) if *value >= FIELD_MODULUS => {
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

    /// The columns some node reads at the next row ([`Node::Next`]), in node order (a column
    /// read twice is listed twice). A proof opens the next row only for a chip whose
    /// constraints read it, so this list must cover every such read.
    pub fn next_row_columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.nodes.iter().filter_map(|node| match *node {
            Node::Next(column) => Some(column as usize),
            _ => None,
        })
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

    /// Appends `node` (its operands must be earlier nodes of this builder) and returns it.
    pub fn node(&self, node: Node) -> Expr<'_> {
        self.push(node)
    }

    /// A handle to the already built node `index`.
    pub fn existing(&self, index: u32) -> Expr<'_> {
        debug_assert!((index as usize) < self.system.borrow().nodes.len());
        Expr { builder: self, node: index }
    }

    /// The index of `expr`'s node.
    pub fn index(expr: Expr<'_>) -> u32 {
        expr.node
    }

    fn push(&self, node: Node) -> Expr<'_> {
        let mut system = self.system.borrow_mut();
        system.nodes.push(node);
        Expr { builder: self, node: system.nodes.len() as u32 - 1 }
    }

    /// The constant `value` (reduced modulo the field).
    pub fn constant(&self, value: u32) -> Expr<'_> {
        self.push(Node::Constant(value % FIELD_MODULUS))
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
