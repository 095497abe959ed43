//! Constraints of the ecall chip.

use p3_air::{Air, BaseAir, WindowAccess};
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::InteractionBuilder;
use zkvm_bus::columns::{Columns, borrow};
use zkvm_bus::{ExecuteMessage, receive};

use super::EcallColumns;
use crate::isa::Opcode;

/// The ecall chip.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EcallChip;

impl<F: Field> BaseAir<F> for EcallChip {
    fn width(&self) -> usize {
        EcallColumns::<F>::WIDTH
    }
}

impl<AB: InteractionBuilder> Air<AB> for EcallChip
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let local: &EcallColumns<AB::Var> = borrow(main.current_slice());

        // (C1) is_halt is boolean.
        builder.assert_bool(local.is_halt);

        // (I1) Receive a HALT from the CPU: the call number (rs1 = t0) is 0, the machine stays
        // at the ecall (next pc = pc), and a0 (rs2, written back as rd) is unchanged.
        let zero = || [AB::Expr::ZERO, AB::Expr::ZERO, AB::Expr::ZERO, AB::Expr::ZERO];
        let message = ExecuteMessage {
            clk: local.clk.into(),
            opcode: AB::Expr::from_usize(Opcode::Ecall.index()),
            pc: local.pc.into(),
            next_pc: local.pc.into(),
            rs1: zero(),
            rs2: local.a0.map(Into::into),
            imm: zero(),
            rd: local.a0.map(Into::into),
        };
        receive(builder, message, local.is_halt);
    }
}
