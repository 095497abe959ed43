//! The division chip: every division and remainder on edge cases proves; tampering is rejected.

use super::*;

/// div, divu, rem, remu on signed/unsigned edge cases, division by zero and the signed
/// overflow; the exit code folds the results.
pub(super) fn divrem_program() -> crate::Program {
    let mut asm = Assembler::new(0x10000);
    let values = [0u32, 1, 0xffff_ffff, 0x8000_0000, 0x7fff_ffff, 7, 0xffff_fff9, 0x1234_5678];
    for (n, &v) in values.iter().enumerate() {
        asm.li(11 + n as u8, v);
    }
    let pairs = [(18, 16), (17, 16), (18, 17), (14, 13), (14, 12), (15, 16), (16, 11), (12, 12), (13, 18)];
    for op in [Opcode::Div, Opcode::Divu, Opcode::Rem, Opcode::Remu] {
        for (a, b) in pairs {
            asm.r(op, 20, a, b).r(Opcode::Xor, 21, 21, 20).r(Opcode::Add, 21, 21, 21);
        }
    }
    asm.r(Opcode::Add, reg::A0, 21, 0).halt();
    asm.program()
}

#[test]
fn a_division_program_proves_and_verifies() {
    assert_proves_and_verifies(&divrem_program(), &[]);
}

#[test]
fn tampering_with_the_division_chip_is_rejected() {
    use crate::chips::divrem::DivRemColumns;
    use zkvm_bus::columns::Columns;
    // Rows: per operation (div, divu, rem, remu) the nine pairs; pair 1 is -7 / 7, pair 4 is
    // -2^31 / -1, pair 6 divides by zero, pair 8 is -1 / 0x12345678 (a negative remainder).
    let cases = [
        (0, "q[0]"),
        (1, "r[0]"),
        (1, "negative_b"),
        (1, "quotient_negative"),
        (2, "carry[4]"),
        (4, "q[3]"),
        (6, "c_zero"),
        (6, "slack[0]"),
        (6, "quotient_negative"),
        (7, "c_sum_inverse"),
        (10, "is_divu"),
        (19, "r_abs[0]"),
        (19, "slack[0]"),
        (20, "c_abs[0]"),
        (21, "slack_carry[0]"),
        (19, "r_abs_carry[0]"),
        (26, "r_abs_carry[1]"),
        (26, "r_abs[2]"),
        (26, "negative_r"),
        (28, "sign_c"),
    ];
    assert_tampers_rejected(&divrem_program(), "divrem", &DivRemColumns::<Val>::names(), &cases);
}
