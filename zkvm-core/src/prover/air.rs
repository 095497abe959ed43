//! The machine's AIR: every chip of a segment proof, as one type (all tables of a
//! `p3-batch-stark` proof share one AIR type).

use p3_air::{Air, BaseAir};
use p3_field::Field;
use p3_lookup::InteractionBuilder;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_memory::register_boundary::RegisterBoundaryChip;

use crate::chips::alu::AluChip;
use crate::chips::branch::BranchChip;
use crate::chips::byte_table::ByteTableChip;
use crate::chips::cpu::CpuChip;
use crate::chips::ecall::EcallChip;
use crate::chips::jump::JumpChip;
use crate::chips::mul::MulChip;
use crate::chips::program::ProgramChip;
use crate::chips::range16::Range16Chip;
use crate::chips::shift::ShiftChip;

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
    /// sll, srl, sra and their immediate forms.
    Shift(ShiftChip),
    /// Machine calls.
    Ecall(EcallChip),
    /// Byte operations table.
    ByteTable(ByteTableChip),
    /// 16-bit range table.
    Range16(Range16Chip),
    /// Initial and final register states.
    RegisterBoundary(RegisterBoundaryChip),
}

impl MachineAir {
    /// The chips of a segment proof of the program whose table is `program`, in proof order.
    pub fn chips(program: ProgramChip) -> Vec<MachineAir> {
        vec![
            MachineAir::Program(program),
            MachineAir::Cpu(CpuChip),
            MachineAir::Alu(AluChip),
            MachineAir::Branch(BranchChip),
            MachineAir::Jump(JumpChip),
            MachineAir::Mul(MulChip),
            MachineAir::Shift(ShiftChip),
            MachineAir::Ecall(EcallChip),
            MachineAir::ByteTable(ByteTableChip),
            MachineAir::Range16(Range16Chip),
            MachineAir::RegisterBoundary(RegisterBoundaryChip),
        ]
    }

    /// The chip's name, used in reports and inventories.
    pub fn name(&self) -> &'static str {
        match self {
            MachineAir::Program(_) => "program",
            MachineAir::Cpu(_) => "cpu",
            MachineAir::Alu(_) => "alu",
            MachineAir::Branch(_) => "branch",
            MachineAir::Jump(_) => "jump",
            MachineAir::Mul(_) => "mul",
            MachineAir::Shift(_) => "shift",
            MachineAir::Ecall(_) => "ecall",
            MachineAir::ByteTable(_) => "byte_table",
            MachineAir::Range16(_) => "range16",
            MachineAir::RegisterBoundary(_) => "register_boundary",
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
            MachineAir::Shift($chip) => $body,
            MachineAir::Ecall($chip) => $body,
            MachineAir::ByteTable($chip) => $body,
            MachineAir::Range16($chip) => $body,
            MachineAir::RegisterBoundary($chip) => $body,
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
}

impl<AB: InteractionBuilder> Air<AB> for MachineAir
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        dispatch!(self, chip => chip.eval(builder))
    }
}
