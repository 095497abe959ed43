//! Constraint systems as data: malformed ones are refused, well-formed ones evaluate as
//! written. The precompile chip end to end (a custom precompile built from outside the crate,
//! proven, tampered with) is in `tests/tests/embedding.rs`.

use p3_field::{PrimeCharacteristicRing, PrimeField32};

use super::*;
use zkvm_plugin_api::constraints::{MAX_COMPUTE_WIDTH, MAX_WORDS};

#[test]
fn malformed_constraint_systems_are_refused() {
    let system =
        |nodes: Vec<Node>, constraints: Vec<(Scope, u32)>| ConstraintSystem { width: 4, nodes, constraints };
    let cases = [
        (system(vec![Node::Add(0, 0)], vec![]), ConstraintError::Order { node: 0, operand: 0 }),
        (system(vec![Node::Local(4)], vec![]), ConstraintError::Column { node: 0, column: 4, width: 4 }),
        (
            system(vec![Node::Constant(Val::ORDER_U32)], vec![]),
            ConstraintError::Constant { node: 0, value: Val::ORDER_U32 },
        ),
        (
            system(vec![Node::Local(0)], vec![(Scope::EveryRow, 1)]),
            ConstraintError::Missing { index: 0, node: 1, count: 1 },
        ),
        (
            system(vec![Node::Next(0)], vec![(Scope::EveryRow, 0)]),
            ConstraintError::NextOutsideTransition { index: 0 },
        ),
        (
            system(vec![Node::Local(0), Node::Mul(0, 0), Node::Mul(1, 1)], vec![(Scope::Transition, 2)]),
            ConstraintError::Degree { index: 0, degree: 4, limit: MAX_PRECOMPILE_DEGREE },
        ),
    ];
    for (system, error) in cases {
        assert_eq!(system.check(MAX_PRECOMPILE_DEGREE), Err(error));
    }
    // A next-row read with a factor IsTransition needs no transition scope.
    let guarded = system(
        vec![Node::IsTransition, Node::Next(1), Node::Local(1), Node::Sub(1, 2), Node::Mul(0, 3)],
        vec![(Scope::EveryRow, 4)],
    );
    assert_eq!(guarded.check(MAX_PRECOMPILE_DEGREE), Ok(()));
    let half_guarded = system(
        vec![Node::IsTransition, Node::Next(1), Node::Mul(0, 1), Node::Next(2), Node::Add(2, 3)],
        vec![(Scope::EveryRow, 4)],
    );
    assert_eq!(
        half_guarded.check(MAX_PRECOMPILE_DEGREE),
        Err(ConstraintError::NextOutsideTransition { index: 0 })
    );
    // A well-formed system evaluates natively as the builder wrote it.
    let b = ConstraintBuilder::new(2);
    let (x, y) = (b.local(0), b.next(1));
    b.assert_zero(Scope::Transition, x * y - b.constant(6));
    b.assert_bool(x);
    let built = b.build();
    assert_eq!(built.check(MAX_PRECOMPILE_DEGREE), Ok(()));
    assert_eq!(built.max_degree(), 2);
    let values =
        evaluate_rows(&built, &[Val::from_u32(2), Val::ZERO], &[Val::ZERO, Val::from_u32(3)], true, false);
    assert_eq!(values, [(Scope::Transition, Val::ZERO), (Scope::EveryRow, Val::from_u32(2))]);
}

/// A precompile of any shape, for the host's shape checks (its function is the identity).
pub(crate) struct Shaped {
    pub(crate) words: usize,
    pub(crate) compute_width: usize,
    pub(crate) rows: usize,
}

impl Precompile for Shaped {
    fn name(&self) -> &str {
        "shaped"
    }
    fn words(&self) -> usize {
        self.words
    }
    fn compute(&self, input: &[u32]) -> Result<Vec<u32>, String> {
        Ok(input.to_vec())
    }
    fn compute_width(&self) -> usize {
        self.compute_width
    }
    fn compute_column_names(&self) -> Vec<String> {
        vec![String::new(); self.compute_width]
    }
    fn constraints(&self, layout: &FrameLayout) -> ConstraintSystem {
        ConstraintBuilder::new(layout.width() + self.compute_width).build()
    }
    fn compute_trace(&self, _inputs: &[Vec<u32>], height: usize) -> Result<Vec<Val>, String> {
        Ok(vec![Val::ZERO; height * self.compute_width])
    }
    fn rows_per_call(&self) -> usize {
        self.rows
    }
}

#[test]
fn precompiles_outside_the_shape_limits_are_refused() {
    let chip = |words, compute_width, rows| {
        PrecompileChip::new(0x100, std::sync::Arc::new(Shaped { words, compute_width, rows }))
    };
    assert!(chip(4, 2, 1).is_ok());
    for (words, compute_width, rows) in
        [(0, 2, 1), (MAX_WORDS + 1, 2, 1), (4, MAX_COMPUTE_WIDTH + 1, 1), (4, 2, 0)]
    {
        let error = chip(words, compute_width, rows).err();
        assert_eq!(error, Some(ConstraintError::Shape { words, compute_width, rows }));
    }
    // Several rows per call need block flags.
    assert_eq!(chip(4, 2, 8).err(), Some(ConstraintError::Blocks { rows: 8, width: 2 }));
}

#[test]
fn the_plugin_api_agrees_with_the_proof_system() {
    // The API crate has no proof-system dependency, so it restates these; they must agree.
    assert_eq!(zkvm_plugin_api::FIELD_MODULUS, Val::ORDER_U32);
    let names = FrameLayout { words: 2 }.column_names();
    let at = FrameLayout { words: 2 }.access(1);
    assert_eq!(names[at..at + 3], zkvm_memory::AccessColumns::<()>::names("access[1]")[..]);
}
