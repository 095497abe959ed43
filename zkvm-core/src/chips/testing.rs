//! Test support: a small proving configuration and query chips that exercise the tables.

use p3_air::{Air, BaseAir, WindowAccess};
use p3_batch_stark::{StarkInstance, prove_batch, verify_batch};
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::InteractionBuilder;
use p3_matrix::Matrix;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::{ByteMessage, ChipTrace, ProgramMessage, Range16Message, check_balance, send};

use crate::chips::byte_table::ByteTableChip;
use crate::chips::program::ProgramChip;
use crate::chips::range16::Range16Chip;
use crate::prover::packing::{LookupPacking, PackingGoal};
pub use crate::prover::{Challenge, ProofParameters, Val};

/// The chips under test plus query chips that send arbitrary messages.
#[derive(Clone, Debug)]
pub enum TestAir {
    Range16(Range16Chip),
    ByteTable(ByteTableChip),
    Program(ProgramChip),
    /// Columns (value, is_real): sends a range16 query on real rows.
    RangeQueries,
    /// Columns (operation, a, b, result, is_real): sends a byte query on real rows.
    ByteQueries,
    /// Columns (pc, opcode, rd, rs1, rs2, imm[4], rd_nonzero, is_real): fetches on real rows.
    ProgramQueries,
}

impl TestAir {
    pub fn name(&self) -> &'static str {
        match self {
            TestAir::Range16(_) => "range16",
            TestAir::ByteTable(_) => "byte-table",
            TestAir::Program(_) => "program",
            TestAir::ProgramQueries => "program-queries",
            TestAir::RangeQueries => "range-queries",
            TestAir::ByteQueries => "byte-queries",
        }
    }
}

impl LookupPacking for TestAir {
    /// The prover's default packing, as the segment chips under test have it.
    fn packing_goal(&self) -> PackingGoal {
        PackingGoal::OwnDegree
    }
}

impl<F: Field> BaseAir<F> for TestAir {
    fn width(&self) -> usize {
        match self {
            TestAir::Range16(chip) => BaseAir::<F>::width(chip),
            TestAir::ByteTable(chip) => BaseAir::<F>::width(chip),
            TestAir::Program(chip) => BaseAir::<F>::width(chip),
            TestAir::RangeQueries => 2,
            TestAir::ByteQueries => 5,
            TestAir::ProgramQueries => 11,
        }
    }
    fn preprocessed_width(&self) -> usize {
        match self {
            TestAir::Range16(chip) => BaseAir::<F>::preprocessed_width(chip),
            TestAir::ByteTable(chip) => BaseAir::<F>::preprocessed_width(chip),
            TestAir::Program(chip) => BaseAir::<F>::preprocessed_width(chip),
            _ => 0,
        }
    }
    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<F>> {
        match self {
            TestAir::Range16(chip) => chip.preprocessed_trace(),
            TestAir::ByteTable(chip) => chip.preprocessed_trace(),
            TestAir::Program(chip) => chip.preprocessed_trace(),
            _ => None,
        }
    }
}

impl<AB: InteractionBuilder> Air<AB> for TestAir
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        match self {
            TestAir::Range16(chip) => chip.eval(builder),
            TestAir::ByteTable(chip) => chip.eval(builder),
            TestAir::Program(chip) => chip.eval(builder),
            TestAir::ProgramQueries => {
                let row = builder.main().current_slice().to_vec();
                builder.assert_bool(row[10]);
                let [pc, opcode, rd, rs1, rs2, i0, i1, i2, i3, rd_nonzero] =
                    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(|i| row[i].into());
                send(
                    builder,
                    ProgramMessage { pc, opcode, rd, rs1, rs2, imm: [i0, i1, i2, i3], rd_nonzero },
                    row[10],
                );
            }
            TestAir::RangeQueries => {
                let row = builder.main().current_slice().to_vec();
                builder.assert_bool(row[1]);
                send(builder, Range16Message { value: row[0].into() }, row[1]);
            }
            TestAir::ByteQueries => {
                let row = builder.main().current_slice().to_vec();
                builder.assert_bool(row[4]);
                let message = ByteMessage {
                    operation: row[0].into(),
                    a: row[1].into(),
                    b: row[2].into(),
                    result: row[3].into(),
                };
                send(builder, message, row[4]);
            }
        }
    }
}

/// A query chip's trace: one row per query (fields then is_real = 1), padded with zero rows to a
/// power of two.
pub fn query_trace(queries: &[Vec<u32>], width: usize) -> RowMajorMatrix<Val> {
    let rows = queries.len().next_power_of_two().max(2);
    let mut values = vec![Val::ZERO; rows * width];
    for (row, query) in values.chunks_exact_mut(width).zip(queries) {
        for (cell, &v) in row.iter_mut().zip(query.iter().chain([&1])) {
            *cell = Val::from_u32(v);
        }
    }
    RowMajorMatrix::new(values, width)
}

/// What became of a proof attempt.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The proof verified.
    Accepted,
    /// The prover produced a proof (release builds do not check constraints first) and the
    /// verifier rejected it.
    Rejected,
}

/// Checks the buses with the debug balancer, then proves and verifies; returns the balancer's
/// verdict (`Ok` if balanced) and the verifier's.
pub fn prove_and_verify(airs: &[TestAir], traces: &[RowMajorMatrix<Val>]) -> (bool, Outcome) {
    let preprocessed: Vec<Option<RowMajorMatrix<Val>>> =
        airs.iter().map(|a| a.preprocessed_trace()).collect();
    let chip_traces: Vec<ChipTrace<'_, Val, TestAir>> = airs
        .iter()
        .zip(traces)
        .zip(&preprocessed)
        .map(|((air, main), pre)| ChipTrace {
            name: air.name(),
            air,
            main,
            preprocessed: pre.as_ref(),
            public_values: &[],
        })
        .collect();
    let balanced = check_balance::<Val, Challenge, TestAir>(&chip_traces).is_ok();

    let config = ProofParameters::TESTING.config().expect("valid parameters");
    let degrees: Vec<usize> = traces.iter().map(|t| t.height().trailing_zeros() as usize).collect();
    let data = crate::prover::packing::packed_prover_data(
        &config,
        airs,
        &degrees,
        ProofParameters::TESTING.log_blowup,
    )
    .expect("setup");
    let public_values = vec![vec![]; airs.len()];
    let trace_refs: Vec<&RowMajorMatrix<Val>> = traces.iter().collect();
    let instances = StarkInstance::new_multiple(airs, &trace_refs, &public_values);
    let proof = prove_batch(&config, &instances, &data).expect("the prover runs");
    let outcome = match verify_batch(&config, airs, &proof, &public_values, &data.common) {
        Ok(()) => Outcome::Accepted,
        Err(_) => Outcome::Rejected,
    };
    (balanced, outcome)
}

/// The README rows of a chip's interactions, rendered from its AIR:
/// `| I<n> | `bus` | direction | `(fields)` | `multiplicity` |`.
pub fn interaction_rows<A>(name: &str, air: &A, main: &[String], preprocessed: &[String]) -> Vec<String>
where
    A: Air<p3_lookup::InteractionSymbolicBuilder<Val, Challenge>> + BaseAir<Val>,
{
    use zkvm_bus::inventory::{ColumnNames, chip_interactions};
    let main: Vec<&str> = main.iter().map(String::as_str).collect();
    let preprocessed: Vec<&str> = preprocessed.iter().map(String::as_str).collect();
    let names = ColumnNames { main: &main, preprocessed: &preprocessed };
    let chip = chip_interactions::<Val, Challenge, A>(name, air, names);
    chip.interactions
        .iter()
        .enumerate()
        .map(|(n, interaction)| {
            format!(
                "| I{} | `{}` | {} | `({})` | `{}` |",
                n + 1,
                interaction.bus,
                format!("{:?}", interaction.direction).to_lowercase(),
                interaction.fields.join(", "),
                magnitude(&interaction.multiplicity),
            )
        })
        .collect()
}

/// A multiplicity without its sign: `-x` and `-(x * y)` become `x` and `x * y`.
fn magnitude(multiplicity: &str) -> &str {
    match multiplicity.strip_prefix("-(").and_then(|m| m.strip_suffix(')')) {
        Some(inner) => inner,
        None => multiplicity.trim_start_matches('-'),
    }
}

/// Checks that a chip's README lists each of its interactions as rendered from its AIR, so that
/// the documentation cannot drift from the constraints.
pub fn assert_readme_lists_interactions<A>(
    readme: &str,
    name: &str,
    air: &A,
    main: &[String],
    preprocessed: &[String],
) where
    A: Air<p3_lookup::InteractionSymbolicBuilder<Val, Challenge>> + BaseAir<Val>,
{
    for row in interaction_rows(name, air, main, preprocessed) {
        assert!(readme.contains(&row), "README.md of {name} lacks the row\n{row}");
    }
}
