//! Embedding the core crates in another prover: a custom precompile (128-bit addition) written
//! outside the workspace's crates, enabled on a machine built from code, proven and verified
//! without the CLI. Tampering with any of its frame or compute columns, or verifying under
//! another chipset, is rejected.

use std::sync::Arc;

use p3_field::PrimeCharacteristicRing;
use zkvm_core::Executor;
use zkvm_core::asm::Assembler;
use zkvm_core::executor::ExecError;
use zkvm_core::isa::{Opcode, reg};
use zkvm_core::precompile::{
    ConstraintBuilder, ConstraintSystem, FrameLayout, Precompile, PrecompileSet, Scope, single_row_trace,
};
use zkvm_core::prover::testing::{assert_tampers_rejected, run_segment};
use zkvm_core::prover::{
    MachineAir, ProofParameters, StatementTables, Val, VerifyError, prove_segment, verify_segment,
};

/// `words[0..4] += words[4..8]` as little-endian 128-bit integers, modulo 2^128.
struct Add128;

/// Call number the tests enable [`Add128`] under.
const ADD128: u32 = 0x100;

impl Precompile for Add128 {
    fn name(&self) -> &str {
        "add128"
    }

    fn words(&self) -> usize {
        8
    }

    fn compute(&self, input: &[u32]) -> Result<Vec<u32>, String> {
        let number = |words: &[u32]| words.iter().rev().fold(0u128, |acc, &w| (acc << 32) | u128::from(w));
        let sum = number(&input[..4]).wrapping_add(number(&input[4..]));
        let mut output: Vec<u32> = (0..4).map(|i| (sum >> (32 * i)) as u32).collect();
        output.extend_from_slice(&input[4..]);
        Ok(output)
    }

    fn compute_width(&self) -> usize {
        16
    }

    fn compute_column_names(&self) -> Vec<String> {
        (0..16).map(|k| format!("carry[{k}]")).collect()
    }

    fn constraints(&self, layout: &FrameLayout) -> ConstraintSystem {
        let b = ConstraintBuilder::new(layout.width() + 16);
        let byte =
            |word: usize, k: usize, of: fn(&FrameLayout, usize, usize) -> usize| b.local(of(layout, word, k));
        let mut carry_in = b.constant(0);
        for k in 0..16 {
            let carry = b.local(layout.width() + k);
            // Each carry is a bit.
            b.assert_bool(carry);
            // Byte k of the sum: a_k + b_k + carry_in = out_k + 256 carry_k.
            let (a, addend) =
                (byte(k / 4, k % 4, FrameLayout::input), byte(4 + k / 4, k % 4, FrameLayout::input));
            let out = byte(k / 4, k % 4, FrameLayout::output);
            b.assert_zero(Scope::EveryRow, a + addend + carry_in - out - carry * 256);
            carry_in = carry;
        }
        // The addend's words are left as they were.
        for word in 4..8 {
            for k in 0..4 {
                let (input, output) = (byte(word, k, FrameLayout::input), byte(word, k, FrameLayout::output));
                b.assert_zero(Scope::EveryRow, input - output);
            }
        }
        b.build()
    }

    fn compute_trace(&self, inputs: &[Vec<u32>], height: usize) -> Result<Vec<Val>, String> {
        Ok(single_row_trace(16, inputs, 8, height, |input, row| {
            let mut carry = 0u32;
            for k in 0..16 {
                let (a, addend) = (input[k / 4].to_le_bytes()[k % 4], input[4 + k / 4].to_le_bytes()[k % 4]);
                carry = (u32::from(a) + u32::from(addend) + carry) >> 8;
                row[k] = Val::from_u32(carry);
            }
        }))
    }
}

fn precompiles() -> Arc<PrecompileSet> {
    Arc::new(PrecompileSet::new().with(ADD128, Arc::new(Add128)).unwrap())
}

const DATA: u32 = 0x20000;

/// Adds two 128-bit numbers with the precompile twice (the second on the first's result), then
/// exits with the xor of the result's words.
fn add_program() -> zkvm_core::Program {
    let a: u128 = 0xffff_ffff_0000_0001_8000_0000_ffff_fffe;
    let addend: u128 = 0x0000_0001_ffff_ffff_8000_0000_0000_0003;
    let mut bytes = a.to_le_bytes().to_vec();
    bytes.extend(addend.to_le_bytes());
    let mut asm = Assembler::new(0x10000);
    asm.data(DATA, bytes);
    asm.li(reg::A0, DATA).ecall(ADD128).ecall(ADD128);
    asm.i(Opcode::Lw, 11, reg::A0, 0).i(Opcode::Lw, 12, reg::A0, 4).i(Opcode::Lw, 13, reg::A0, 12);
    asm.r(Opcode::Xor, 11, 11, 12).r(Opcode::Xor, reg::A0, 11, 13).halt();
    asm.program()
}

#[test]
fn the_executor_runs_enabled_precompiles_only() {
    let program = add_program();
    let mut executor = Executor::new(program.clone().into(), vec![]).with_precompiles(precompiles());
    let exit = executor.run().unwrap();
    let a: u128 = 0xffff_ffff_0000_0001_8000_0000_ffff_fffe;
    let addend: u128 = 0x0000_0001_ffff_ffff_8000_0000_0000_0003;
    let sum = a.wrapping_add(addend).wrapping_add(addend);
    assert_eq!(exit, (sum as u32) ^ ((sum >> 32) as u32) ^ ((sum >> 96) as u32));
    let memory = executor.memory();
    assert_eq!(memory.load_word(DATA + 16), addend as u32, "the addend is left as it was");

    let mut without = Executor::new(program.into(), vec![]);
    assert!(matches!(without.run(), Err(ExecError::UnknownEcall { number: ADD128, .. })));

    let mut asm = Assembler::new(0x10000);
    asm.li(reg::A0, DATA + 2).ecall(ADD128).halt();
    let mut misaligned = Executor::new(asm.program().into(), vec![]).with_precompiles(precompiles());
    assert!(matches!(misaligned.run(), Err(ExecError::MisalignedPrecompile { .. })));
    assert_eq!(
        PrecompileSet::new().with(zkvm_core::abi::COMMIT, Arc::new(Add128)).err(),
        Some(zkvm_core::abi::COMMIT)
    );
}

#[test]
fn a_program_calling_a_precompile_proves_and_verifies() {
    let (tables, segment, memory) = run_segment(&add_program(), &[], &precompiles());
    let (proof, public) = prove_segment(&tables, &segment, &memory, &ProofParameters::TESTING).unwrap();
    assert_eq!(verify_segment(&tables, &proof, &public, &ProofParameters::TESTING), Ok(()));

    // Under a chipset without the precompile, or with it under another number, the proof is
    // rejected.
    let plain =
        StatementTables { precompiles: Arc::default(), precompile_chips: Vec::new(), ..tables.clone() };
    assert!(verify_segment(&plain, &proof, &public[..public.len() - 1], &ProofParameters::TESTING).is_err());
    let moved = Arc::new(PrecompileSet::new().with(ADD128 + 1, Arc::new(Add128)).unwrap());
    let other = plain.with_precompiles(moved).unwrap();
    let verdict = verify_segment(&other, &proof, &public, &ProofParameters::TESTING);
    assert!(matches!(verdict, Err(VerifyError::Invalid(_))), "{verdict:?}");
}

#[test]
fn tampering_with_the_precompile_chip_is_rejected() {
    let (tables, segment, memory) = run_segment(&add_program(), &[], &precompiles());
    let table = MachineAir::chips(&tables).len() - 1;
    let chip = &tables.precompile_chips[0];
    let names = chip.column_names();
    let layout = chip.layout;
    // Rows 0 and 1 are the two calls; row 2 is padding.
    let cases: [(usize, &str); 19] = [
        (0, "is_real"),
        (1, "clk"),
        (0, "pc"),
        (0, "pointer[1]"),
        (1, "pointer_quarter"),
        (1, "in_call"),
        (3, "in_call"),
        (0, "input[0][0]"),
        (1, "input[5][2]"),
        (0, "output[0][0]"),
        (1, "output[3][3]"),
        (0, "output[6][1]"),
        (0, "access[2].prev_timestamp"),
        (1, "access[7].diff_lo"),
        (0, "carry[3]"),
        (1, "carry[15]"),
        (2, "is_real"),
        (2, "carry[0]"),
        (2, "output[0][0]"),
    ];
    assert_eq!(names.len(), layout.width() + 16);
    assert_tampers_rejected(&(tables, segment, memory), table, &names, &cases);
}
