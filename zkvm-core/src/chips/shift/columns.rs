//! Columns of the shift chip.

use zkvm_bus::columns::{Columns, array_names};

use super::air::SHIFT_OPCODES;

/// One row per shift, then padding rows (all selectors 0).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ShiftColumns<T> {
    /// Cycle index of the instruction.
    pub clk: T,
    /// Address of the instruction.
    pub pc: T,
    /// The value shifted (rs1), bytes.
    pub rs1: [T; 4],
    /// rs2 (the register forms' shift amount), bytes.
    pub rs2: [T; 4],
    /// The immediate (the immediate forms' shift amount), bytes.
    pub imm: [T; 4],
    /// The result, bytes.
    pub rd: [T; 4],
    /// The shift amount's five bits.
    pub amount_bit: [T; 5],
    /// The amount operand's low byte, divided by 32 (its bits 5..8).
    pub amount_rest: T,
    /// `2^(bit0 + 2 bit1)`.
    pub pow_low_partial: T,
    /// `2^(amount mod 8)`.
    pub pow_low: T,
    /// `2^amount`, bytes (one of them is `pow_low`, the others 0).
    pub pow: [T; 4],
    /// Right shifts: the quotient `q = b' / 2^amount`, bytes.
    pub quotient: [T; 4],
    /// Right shifts: the remainder `r = b' mod 2^amount`, bytes.
    pub remainder: [T; 4],
    /// Right shifts: `2^amount - 1 - r`, bytes (its existence proves `r < 2^amount`).
    pub slack: [T; 4],
    /// Carries of the byte-wise product (each below 2^16).
    pub product_carry: [T; 8],
    /// Carries of `r + slack + 1 = 2^amount`.
    pub slack_carry: [T; 4],
    /// Top bit of rs1.
    pub msb: T,
    /// 1 on an arithmetic right shift of a negative value: input and output are complemented.
    pub negate: T,
    /// `selector[k]` is 1 if the row executes `SHIFT_OPCODES[k]`.
    pub selector: [T; SHIFT_OPCODES.len()],
}

// SAFETY: repr(C), fields of type T and arrays of T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for ShiftColumns<T> {
    fn names() -> Vec<String> {
        let mut names = vec!["clk".to_string(), "pc".to_string()];
        for array in ["rs1", "rs2", "imm", "rd"] {
            names.extend(array_names(array, 4));
        }
        names.extend(array_names("amount_bit", 5));
        names.extend(["amount_rest", "pow_low_partial", "pow_low"].map(String::from));
        for array in ["pow", "quotient", "remainder", "slack"] {
            names.extend(array_names(array, 4));
        }
        names.extend(array_names("product_carry", 8));
        names.extend(array_names("slack_carry", 4));
        names.extend(["msb", "negate"].map(String::from));
        names.extend(crate::chips::selector_names(&SHIFT_OPCODES));
        names
    }
}
