//! Constraints of the program table.

use std::sync::Arc;

use p3_air::{Air, BaseAir, WindowAccess};
use p3_field::Field;
use p3_lookup::InteractionBuilder;
use p3_matrix::dense::RowMajorMatrix;
use thiserror::Error;
use zkvm_bus::{ProgramMessage, provide};

use super::{ProgramColumns, ProgramPreprocessed};
use crate::chips::columns::{Columns, borrow, borrow_mut};
use crate::elf::Program;
use crate::isa::{Instruction, Opcode, reg};

/// The largest code address the prover accepts: pcs are single field elements, so every
/// instruction address (and the address after it) must stay below BabyBear's modulus
/// `2^31 - 2^27 + 1`.
pub const MAX_PROVABLE_PC: u32 = 0x7800_0000 - 8;

/// Why a program cannot be turned into a program table.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ProgramError {
    /// Some code lies at an address too high to be a field element.
    #[error(
        "code at {pc:#010x} lies above {MAX_PROVABLE_PC:#010x}: provable programs keep code below the field modulus"
    )]
    CodeTooHigh {
        /// The first offending address.
        pc: u32,
    },
}

/// One row of the table: the address and the fetched fields of an instruction.
pub type FetchRow = [u32; 10];

/// The program table chip, for one program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramChip {
    rows: Arc<Vec<FetchRow>>,
}

/// The fields the CPU fetches for `instruction` at `pc`: `[pc, opcode, rd, rs1, rs2, imm0..imm3,
/// rd_nonzero]`.
///
/// An `ecall` is fetched with the registers the call uses: `rs1 = t0` (the call number),
/// `rs2 = a0` (the first argument) and `rd = a0` (the result), so that the CPU reads and writes
/// them like any other instruction's operands.
pub fn fetch_row(pc: u32, instruction: &Instruction) -> FetchRow {
    let Instruction { opcode, mut rd, mut rs1, mut rs2, imm } = *instruction;
    if opcode == Opcode::Ecall {
        (rs1, rs2, rd) = (reg::T0, reg::A0, reg::A0);
    }
    let [i0, i1, i2, i3] = imm.to_le_bytes().map(u32::from);
    [pc, opcode.index() as u32, rd.into(), rs1.into(), rs2.into(), i0, i1, i2, i3, u32::from(rd != 0)]
}

impl ProgramChip {
    /// The table of `program`'s code, in address order.
    pub fn new(program: &Program) -> Result<Self, ProgramError> {
        let mut rows = Vec::with_capacity(program.code_len());
        for region in &program.code {
            for (i, instruction) in region.instructions.iter().enumerate() {
                let pc = region.base + 4 * i as u32;
                if pc > MAX_PROVABLE_PC {
                    return Err(ProgramError::CodeTooHigh { pc });
                }
                rows.push(fetch_row(pc, instruction));
            }
        }
        Ok(ProgramChip { rows: Arc::new(rows) })
    }

    /// Number of instruction words (the table is padded to the next power of two).
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the program has no code (never true for a loaded program).
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Height of the table: the number of words rounded up to a power of two.
    pub fn height(&self) -> usize {
        self.rows.len().next_power_of_two()
    }

    /// Row index of the instruction at `pc`, if `pc` is in the program.
    pub fn row_of_pc(&self, pc: u32) -> Option<usize> {
        self.rows.binary_search_by_key(&pc, |row| row[0]).ok()
    }
}

impl<F: Field> BaseAir<F> for ProgramChip {
    fn width(&self) -> usize {
        ProgramColumns::<F>::WIDTH
    }

    /// Each row is one instruction of the program: no constraint or message reads the next
    /// row, so a proof opens the chip at the out-of-domain point only.
    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }

    /// No preprocessed cell of the next row is read either.
    fn preprocessed_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }

    fn preprocessed_width(&self) -> usize {
        ProgramPreprocessed::<F>::WIDTH
    }

    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<F>> {
        let width = ProgramPreprocessed::<F>::WIDTH;
        // Padding rows carry the Invalid opcode at pc 0: no executing chip can fetch an
        // instruction with that opcode, so whatever multiplicity they claim cannot balance.
        let padding = fetch_row(0, &Instruction::INVALID);
        let mut trace = RowMajorMatrix::new(vec![F::ZERO; self.height() * width], width);
        for (cells, row) in
            trace.values.chunks_exact_mut(width).zip(self.rows.iter().chain(std::iter::repeat(&padding)))
        {
            let fixed: &mut ProgramPreprocessed<F> = borrow_mut(cells);
            let [pc, opcode, rd, rs1, rs2, i0, i1, i2, i3, rd_nonzero] = row.map(F::from_u32);
            *fixed = ProgramPreprocessed { pc, opcode, rd, rs1, rs2, imm: [i0, i1, i2, i3], rd_nonzero };
        }
        Some(trace)
    }
}

impl<AB: InteractionBuilder> Air<AB> for ProgramChip
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        let fixed: ProgramPreprocessed<AB::Var> = *borrow(builder.preprocessed().current_slice());
        let main = builder.main();
        let local: &ProgramColumns<AB::Var> = borrow(main.current_slice());

        // (I1) Provide the row's (pc, instruction) on the program bus, `multiplicity` times.
        // The multiplicity is free: LogUp with fewer than p fetches in total (checked from the
        // trace heights) forces it to equal the number of fetches of that instruction.
        let message = ProgramMessage {
            pc: fixed.pc.into(),
            opcode: fixed.opcode.into(),
            rd: fixed.rd.into(),
            rs1: fixed.rs1.into(),
            rs2: fixed.rs2.into(),
            imm: fixed.imm.map(Into::into),
            rd_nonzero: fixed.rd_nonzero.into(),
        };
        provide(builder, message, local.multiplicity);
    }
}
