//! Constraints of the CPU chip.

use p3_air::{Air, AirBuilder, BaseAir, WindowAccess};
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::InteractionBuilder;
use zkvm_bus::columns::{Columns, borrow};
use zkvm_bus::{ByteMessage, ExecuteMessage, ProgramMessage, send};
use zkvm_memory::{REGISTER_SPACE, eval_access, slot};

use super::CpuColumns;
use crate::isa::Opcode;

/// Public values of the CPU chip: initial pc, final pc (the pc after the segment's last
/// instruction; the pc of the halting `ecall` when it halts), the exit code as four bytes, and
/// `halted` (1 if the segment ends with HALT, 0 if execution continues in the next segment).
pub const NUM_CPU_PUBLIC_VALUES: usize = 7;

/// The CPU chip.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpuChip;

impl<F: Field> BaseAir<F> for CpuChip {
    fn width(&self) -> usize {
        CpuColumns::<F>::WIDTH
    }

    fn num_public_values(&self) -> usize {
        NUM_CPU_PUBLIC_VALUES
    }
}

fn bytes<AB: AirBuilder>(values: [AB::Var; 4]) -> [AB::Expr; 4] {
    values.map(Into::into)
}

/// Constraint (C5): the row selected by `last` has the public final pc as its next pc and, if
/// the segment `halted`, is a HALT (an ecall with t0 = 0) whose a0 is the public exit code.
fn assert_last_row<B: AirBuilder>(
    builder: &mut B,
    local: &CpuColumns<B::Var>,
    final_pc: &B::Expr,
    exit_code: &[B::Expr; 4],
    halted: &B::Expr,
    last: B::Expr,
) {
    let ecall = B::Expr::from_usize(Opcode::Ecall.index());
    builder.assert_zero(last.clone() * (local.next_pc.into() - final_pc.clone()));
    let halts = last * halted.clone();
    builder.assert_zero(halts.clone() * (local.opcode.into() - ecall));
    for b in 0..4 {
        builder.assert_zero(halts.clone() * local.rs1_value[b].into());
        builder.assert_zero(halts.clone() * (local.rs2_value[b].into() - exit_code[b].clone()));
    }
}

impl<AB: InteractionBuilder> Air<AB> for CpuChip
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let local: &CpuColumns<AB::Var> = borrow(main.current_slice());
        let next: &CpuColumns<AB::Var> = borrow(main.next_slice());
        let public: Vec<AB::Expr> = builder.public_values().iter().map(|&v| v.into()).collect();
        let (initial_pc, final_pc) = (public[0].clone(), public[1].clone());
        let exit_code = [2, 3, 4, 5].map(|i| public[i].clone());
        let halted = public[6].clone();
        let is_real: AB::Expr = local.is_real.into();

        // (C1) is_real is boolean; (C2) no real row follows a padding row.
        builder.assert_bool(local.is_real);
        builder.when_transition().assert_zero(next.is_real * (AB::Expr::ONE - is_real.clone()));
        // (C3) The first row is real, at cycle 0, at the public initial pc.
        builder.when_first_row().assert_one(local.is_real);
        builder.when_first_row().assert_zero(local.clk);
        builder.when_first_row().assert_eq(local.pc, initial_pc);
        // (C4) Each real row continues the previous one: its pc is the previous next_pc and its
        // cycle index is one more.
        builder.when_transition().assert_zero(next.is_real * (next.pc - local.next_pc));
        builder.when_transition().assert_zero(next.is_real * (next.clk - local.clk - AB::Expr::ONE));
        // (C5) The last real row ends at the public final pc, and halts when the segment claims
        // to (see `assert_last_row`); `last_on_transition` is 1 exactly on a real row followed
        // by padding, and the trace's last row is checked on its own. (C6) `halted` is boolean.
        let last_on_transition = is_real.clone() * (AB::Expr::ONE - next.is_real.into());
        let mut transition = builder.when_transition();
        assert_last_row(&mut transition, local, &final_pc, &exit_code, &halted, last_on_transition);
        assert_last_row(&mut builder.when_last_row(), local, &final_pc, &exit_code, &halted, is_real.clone());
        builder.assert_bool(halted);

        // (I1) Fetch the instruction at pc from the program table.
        let fetch = ProgramMessage {
            pc: local.pc.into(),
            opcode: local.opcode.into(),
            rd: local.rd.into(),
            rs1: local.rs1.into(),
            rs2: local.rs2.into(),
            imm: bytes::<AB>(local.imm),
            rd_nonzero: local.rd_nonzero.into(),
        };
        send(builder, fetch, is_real.clone());

        // (I2) Read rs1 and (I3) rs2: each access leaves the value it found.
        let clk8 = local.clk.into() * AB::Expr::from_u32(8);
        let space = AB::Expr::from_u32(REGISTER_SPACE);
        for (register, value, access, slot) in [
            (local.rs1, local.rs1_value, &local.rs1_access, slot::RS1),
            (local.rs2, local.rs2_value, &local.rs2_access, slot::RS2),
        ] {
            let timestamp = clk8.clone() + AB::Expr::from_u32(slot);
            let value = bytes::<AB>(value);
            eval_access(
                builder,
                space.clone(),
                register.into(),
                value.clone(),
                value,
                timestamp,
                access,
                is_real.clone(),
            );
        }
        // (I4) Write rd, unless it is x0 (which is never written and so stays 0).
        let writes = is_real.clone() * local.rd_nonzero.into();
        let timestamp = clk8 + AB::Expr::from_u32(slot::RD);
        let (previous, written) = (bytes::<AB>(local.rd_prev_value), bytes::<AB>(local.rd_value));
        eval_access(
            builder,
            space,
            local.rd.into(),
            previous,
            written,
            timestamp,
            &local.rd_access,
            writes.clone(),
        );
        // (I5) The written value is four bytes (every register always holds bytes).
        for [a, b] in [[0, 1], [2, 3]] {
            let message = ByteMessage::range(local.rd_value[a].into(), local.rd_value[b].into());
            send(builder, message, writes.clone());
        }

        // (I6) Hand the instruction to its family chip, which checks result and next pc.
        let execute = ExecuteMessage {
            clk: local.clk.into(),
            opcode: local.opcode.into(),
            pc: local.pc.into(),
            next_pc: local.next_pc.into(),
            rs1: bytes::<AB>(local.rs1_value),
            rs2: bytes::<AB>(local.rs2_value),
            imm: bytes::<AB>(local.imm),
            rd: bytes::<AB>(local.rd_value),
        };
        send(builder, execute, is_real);
    }
}
