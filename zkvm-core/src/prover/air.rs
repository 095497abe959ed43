//! The machine's AIR: every chip of a segment proof, as one type (all tables of a
//! `p3-batch-stark` proof share one AIR type).

use std::sync::Arc;

use p3_air::{Air, BaseAir};
use p3_field::Field;
use p3_lookup::InteractionBuilder;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_memory::memory_merkle::MemoryMerkleChip;
use zkvm_memory::merkle::Digest;
use zkvm_memory::ram_boundary::RamBoundaryChip;
use zkvm_memory::register_boundary::RegisterBoundaryChip;

use super::packing::{LookupPacking, PackingGoal};
use crate::chips::alu::AluChip;
use crate::chips::branch::BranchChip;
use crate::chips::byte_table::ByteTableChip;
use crate::chips::cpu::CpuChip;
use crate::chips::divrem::DivRemChip;
use crate::chips::ecall::EcallChip;
use crate::chips::io_table::IoTableChip;
use crate::chips::jump::JumpChip;
use crate::chips::load_store::LoadStoreChip;
use crate::chips::mul::MulChip;
use crate::chips::program::{ProgramChip, ProgramError};
use crate::chips::range16::Range16Chip;
use crate::chips::shift::ShiftChip;
use crate::elf::Program;
use crate::precompile::{ConstraintError, PrecompileChip, PrecompileSet};

/// What a verifier builds from the statement itself: the program table (its code) and the io
/// table (the input and the public output), whose traces are preprocessed and so part of the
/// verifying key, and the root of the memory the ELF loads (the first segment's start root).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementTables {
    /// The program's instructions.
    pub program: ProgramChip,
    /// The input and the public output.
    pub io: IoTableChip,
    /// The memory commitment of the ELF's initial image.
    pub image_root: Digest,
    /// The enabled precompiles (the executor runs them; each has a chip).
    pub precompiles: Arc<PrecompileSet>,
    /// The chip of each enabled precompile, by call number.
    pub precompile_chips: Vec<PrecompileChip>,
}

impl StatementTables {
    /// The tables for running `program` on `input`, producing the public output `output`.
    pub fn new(program: &Program, input: &[u8], output: &[u8]) -> Result<Self, ProgramError> {
        Ok(StatementTables {
            program: ProgramChip::new(program)?,
            io: IoTableChip::new(input, output),
            image_root: super::continuation::image_tree(program).root(),
            precompiles: Arc::default(),
            precompile_chips: Vec::new(),
        })
    }

    /// The same tables with `precompiles` enabled: each precompile's chip joins the machine
    /// (its constraints checked).
    pub fn with_precompiles(mut self, precompiles: Arc<PrecompileSet>) -> Result<Self, ConstraintError> {
        self.precompile_chips = precompiles
            .iter()
            .map(|enabled| PrecompileChip::new(enabled.number, Arc::clone(&enabled.precompile)))
            .collect::<Result<_, _>>()?;
        self.precompiles = precompiles;
        Ok(self)
    }
}

/// Index of the CPU's table in [`MachineAir::chips`] (its public values: pcs and exit code).
pub const CPU_TABLE: usize = 1;
/// Index of the ecall chip's table (its public values: the input length).
pub const ECALL_TABLE: usize = 9;
/// Index of the RAM boundary's table.
pub const RAM_TABLE: usize = 13;
/// Index of the memory Merkle chip's table (its public values: the memory roots).
pub const MERKLE_TABLE: usize = 14;
/// Index of the register boundary's table (its public values: registers and stream positions).
pub const REGISTER_TABLE: usize = 15;

/// One chip of the machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MachineAir {
    /// The program table (preprocessed: the program).
    Program(ProgramChip),
    /// The CPU.
    Cpu(CpuChip),
    /// add, sub, xor, or, and and their immediate forms.
    Alu(AluChip),
    /// Comparisons and conditional branches.
    Branch(BranchChip),
    /// jal, jalr, lui, auipc.
    Jump(JumpChip),
    /// mul, mulh, mulhsu, mulhu.
    Mul(MulChip),
    /// div, divu, rem, remu.
    DivRem(DivRemChip),
    /// sll, srl, sra and their immediate forms.
    Shift(ShiftChip),
    /// Loads and stores.
    LoadStore(LoadStoreChip),
    /// Machine calls.
    Ecall(EcallChip),
    /// Byte operations table.
    ByteTable(ByteTableChip),
    /// 16-bit range table.
    Range16(Range16Chip),
    /// The input and public output (preprocessed).
    IoTable(IoTableChip),
    /// Initial and final RAM states.
    RamBoundary(RamBoundaryChip),
    /// The memory commitment before and after the segment.
    MemoryMerkle(MemoryMerkleChip),
    /// Initial and final register states.
    RegisterBoundary(RegisterBoundaryChip),
    /// An enabled precompile.
    Precompile(PrecompileChip),
}

impl MachineAir {
    /// The chips of a segment proof of the statement whose tables are `tables`, in proof order.
    pub fn chips(tables: &StatementTables) -> Vec<MachineAir> {
        let mut chips = vec![
            MachineAir::Program(tables.program.clone()),
            MachineAir::Cpu(CpuChip),
            MachineAir::Alu(AluChip),
            MachineAir::Branch(BranchChip),
            MachineAir::Jump(JumpChip),
            MachineAir::Mul(MulChip),
            MachineAir::DivRem(DivRemChip),
            MachineAir::Shift(ShiftChip),
            MachineAir::LoadStore(LoadStoreChip),
            MachineAir::Ecall(EcallChip),
            MachineAir::ByteTable(ByteTableChip),
            MachineAir::Range16(Range16Chip),
            MachineAir::IoTable(tables.io.clone()),
            MachineAir::RamBoundary(RamBoundaryChip),
            MachineAir::MemoryMerkle(MemoryMerkleChip),
            MachineAir::RegisterBoundary(RegisterBoundaryChip),
        ];
        chips.extend(tables.precompile_chips.iter().cloned().map(MachineAir::Precompile));
        chips
    }

    /// The chip's name, used in reports and inventories.
    pub fn name(&self) -> &str {
        match self {
            MachineAir::Program(_) => "program",
            MachineAir::Cpu(_) => "cpu",
            MachineAir::Alu(_) => "alu",
            MachineAir::Branch(_) => "branch",
            MachineAir::Jump(_) => "jump",
            MachineAir::Mul(_) => "mul",
            MachineAir::DivRem(_) => "divrem",
            MachineAir::Shift(_) => "shift",
            MachineAir::LoadStore(_) => "load_store",
            MachineAir::Ecall(_) => "ecall",
            MachineAir::ByteTable(_) => "byte_table",
            MachineAir::Range16(_) => "range16",
            MachineAir::IoTable(_) => "io_table",
            MachineAir::RamBoundary(_) => "ram_boundary",
            MachineAir::MemoryMerkle(_) => "memory_merkle",
            MachineAir::RegisterBoundary(_) => "register_boundary",
            MachineAir::Precompile(chip) => chip.name(),
        }
    }
}

impl LookupPacking for MachineAir {
    /// The register boundary is one row whatever the segment, so raising its quotient chunks
    /// costs the prover nothing while its 68 messages take 18 running-sum columns instead of
    /// 69. Every other chip keeps its own degree: their rows grow with the cycles proven, and
    /// more chunks would mean evaluating their constraints at twice the points (measured with
    /// every chip at its narrowest: 4.5 % more proving time on the loop guest for segment proofs
    /// 9 % smaller, most of which the register boundary alone gives).
    fn packing_goal(&self) -> PackingGoal {
        match self {
            MachineAir::RegisterBoundary(_) => PackingGoal::Narrowest,
            _ => PackingGoal::OwnDegree,
        }
    }
}

/// Calls `$body` with `$chip` bound to the inner chip of `$air`.
macro_rules! dispatch {
    ($air:expr, $chip:ident => $body:expr) => {
        match $air {
            MachineAir::Program($chip) => $body,
            MachineAir::Cpu($chip) => $body,
            MachineAir::Alu($chip) => $body,
            MachineAir::Branch($chip) => $body,
            MachineAir::Jump($chip) => $body,
            MachineAir::Mul($chip) => $body,
            MachineAir::DivRem($chip) => $body,
            MachineAir::Shift($chip) => $body,
            MachineAir::LoadStore($chip) => $body,
            MachineAir::Ecall($chip) => $body,
            MachineAir::ByteTable($chip) => $body,
            MachineAir::Range16($chip) => $body,
            MachineAir::IoTable($chip) => $body,
            MachineAir::RamBoundary($chip) => $body,
            MachineAir::MemoryMerkle($chip) => $body,
            MachineAir::RegisterBoundary($chip) => $body,
            MachineAir::Precompile($chip) => $body,
        }
    };
}

impl<F: Field> BaseAir<F> for MachineAir {
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

    /// The chip's own list: the cpu, memory-Merkle, register-boundary and precompile chips
    /// read the next row; the others do not, and their proofs open them at one point.
    fn main_next_row_columns(&self) -> Vec<usize> {
        dispatch!(self, chip => BaseAir::<F>::main_next_row_columns(chip))
    }

    /// The chip's own list (no chip reads the next row's preprocessed cells).
    fn preprocessed_next_row_columns(&self) -> Vec<usize> {
        dispatch!(self, chip => BaseAir::<F>::preprocessed_next_row_columns(chip))
    }
}

impl<AB: InteractionBuilder> Air<AB> for MachineAir
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        dispatch!(self, chip => chip.eval(builder))
    }
}
