//! The precompile chip: the host's frame constraints and the plugin's constraints, in one AIR.

use std::fmt;
use std::sync::Arc;

use p3_air::{Air, AirBuilder, BaseAir, WindowAccess};
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::InteractionBuilder;
use zkvm_bus::{ByteMessage, ExecuteMessage, receive, send};
use zkvm_memory::{AccessColumns, RAM_SPACE, eval_access, slot};

use super::{ConstraintError, ConstraintSystem, FrameLayout, MAX_PRECOMPILE_DEGREE, Precompile};
use crate::isa::Opcode;

/// The chip of one enabled precompile.
#[derive(Clone)]
pub struct PrecompileChip {
    /// The call number it answers.
    pub number: u32,
    /// The plugin's precompile.
    pub precompile: Arc<dyn Precompile>,
    /// Its frame.
    pub layout: FrameLayout,
    /// The plugin's constraints, checked.
    pub constraints: Arc<ConstraintSystem>,
}

impl fmt::Debug for PrecompileChip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrecompileChip({}, ecall {})", self.precompile.name(), self.number)
    }
}

impl PartialEq for PrecompileChip {
    fn eq(&self, other: &Self) -> bool {
        self.number == other.number
            && self.precompile.name() == other.precompile.name()
            && self.constraints == other.constraints
    }
}

impl Eq for PrecompileChip {}

impl PrecompileChip {
    /// The chip of `precompile` under call `number`; its constraints must be well formed, read
    /// only the row's columns, and stay within degree [`MAX_PRECOMPILE_DEGREE`].
    pub fn new(number: u32, precompile: Arc<dyn Precompile>) -> Result<Self, ConstraintError> {
        let (words, compute_width, rows) =
            (precompile.words(), precompile.compute_width(), precompile.rows_per_call());
        if !zkvm_plugin_api::constraints::shape_within_limits(words, compute_width, rows) {
            return Err(ConstraintError::Shape { words, compute_width, rows });
        }
        let layout = FrameLayout { words };
        let constraints = precompile.constraints(&layout);
        let width = layout.width() + precompile.compute_width();
        let rows = precompile.rows_per_call();
        let flags_in_range = match precompile.block_flags() {
            Some((start, end)) => start < precompile.compute_width() && end < precompile.compute_width(),
            None => rows == 1,
        };
        if rows == 0 || !flags_in_range {
            return Err(ConstraintError::Blocks { rows, width: precompile.compute_width() });
        }
        if constraints.width != width {
            return Err(ConstraintError::Column { node: 0, column: constraints.width as u32, width });
        }
        constraints.check(MAX_PRECOMPILE_DEGREE)?;
        Ok(PrecompileChip { number, precompile, layout, constraints: Arc::new(constraints) })
    }

    /// The chip's name.
    pub fn name(&self) -> &str {
        self.precompile.name()
    }

    /// Names of all columns: the frame's, then the compute columns.
    pub fn column_names(&self) -> Vec<String> {
        let mut names = self.layout.column_names();
        names.extend(self.precompile.compute_column_names());
        names
    }
}

impl<F: Field> BaseAir<F> for PrecompileChip {
    fn width(&self) -> usize {
        self.layout.width() + self.precompile.compute_width()
    }

    /// The columns whose next row the chip reads: `in_call` and the block-start flag when a
    /// call spans a block of rows (F10), and every column the plugin's constraints read at the
    /// next row. A one-row precompile whose constraints read no next row lists none, and its
    /// proofs open it at the out-of-domain point only.
    fn main_next_row_columns(&self) -> Vec<usize> {
        let mut columns: Vec<usize> = self.constraints.next_row_columns().collect();
        if let Some((start, _)) = self.precompile.block_flags() {
            columns.extend([FrameLayout::IN_CALL, self.layout.width() + start]);
        }
        columns.sort_unstable();
        columns.dedup();
        columns
    }
}

impl<AB: InteractionBuilder> Air<AB> for PrecompileChip
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let local = main.current_slice();
        let column = |index: usize| -> AB::Expr { local[index].into() };
        let is_real = column(FrameLayout::IS_REAL);
        let pointer: [AB::Expr; 4] = std::array::from_fn(|b| column(FrameLayout::POINTER + b));
        let quarter = column(FrameLayout::POINTER_QUARTER);

        // (F1) is_real is boolean.
        builder.assert_bool(is_real.clone());
        // (F2) The pointer is word-aligned: its low byte is 4 * pointer_quarter.
        builder.assert_zero(pointer[0].clone() - quarter.clone() * AB::Expr::from_u32(4));
        // (F3) pointer_quarter and 4 * pointer_quarter are bytes, so pointer_quarter < 64.
        send(
            builder,
            ByteMessage::range(quarter.clone(), quarter.clone() * AB::Expr::from_u32(4)),
            is_real.clone(),
        );

        // (F4) Each word is one access at 8 clk + 5 to RAM word (pointer / 4 + i): it finds the
        // input word there and leaves the output word (memory argument: range checks A2, A3,
        // bus messages A4, A5).
        let base = quarter
            + pointer[1].clone() * AB::Expr::from_u32(1 << 6)
            + pointer[2].clone() * AB::Expr::from_u32(1 << 14)
            + pointer[3].clone() * AB::Expr::from_u32(1 << 22);
        let timestamp = column(FrameLayout::CLK) * AB::Expr::from_u32(8) + AB::Expr::from_u32(slot::RAM);
        for word in 0..self.layout.words {
            let input: [AB::Expr; 4] = std::array::from_fn(|b| column(self.layout.input(word, b)));
            let output: [AB::Expr; 4] = std::array::from_fn(|b| column(self.layout.output(word, b)));
            let at = self.layout.access(word);
            let aux =
                AccessColumns { prev_timestamp: local[at], diff_lo: local[at + 1], diff_hi: local[at + 2] };
            let address = base.clone() + AB::Expr::from_usize(word);
            eval_access(
                builder,
                AB::Expr::from_u32(RAM_SPACE),
                address,
                input,
                output.clone(),
                timestamp.clone(),
                &aux,
                is_real.clone(),
            );
            // (F5) The output bytes are bytes.
            let [b0, b1, b2, b3] = output;
            send(builder, ByteMessage::range(b0, b1), is_real.clone());
            send(builder, ByteMessage::range(b2, b3), is_real.clone());
        }

        // (F6) Receive the call from the CPU: `ecall` with t0 = this chip's number, a0 = the
        // pointer, which it leaves unchanged; the next instruction follows.
        let number = self.number.to_le_bytes().map(AB::Expr::from_u8);
        let zero = || AB::Expr::ZERO;
        let pc = column(FrameLayout::PC);
        let message = ExecuteMessage {
            clk: column(FrameLayout::CLK),
            opcode: AB::Expr::from_usize(Opcode::Ecall.index()),
            pc: pc.clone(),
            next_pc: pc + AB::Expr::from_u32(4),
            rs1: number,
            rs2: pointer.clone(),
            imm: [zero(), zero(), zero(), zero()],
            rd: pointer,
        };
        receive(builder, message, is_real.clone());

        let in_call = column(FrameLayout::IN_CALL);
        // (F7) in_call is boolean.
        builder.assert_bool(in_call.clone());
        match self.precompile.block_flags() {
            // (F9) With one row per call every row is a block's first and last: in_call says
            // whether a call is made there. F8, F10 and F11 hold trivially (their flags would
            // be the constant 1), so they are not emitted, and nothing reads the next row.
            None => builder.assert_zero(in_call - is_real),
            Some((start, end)) => {
                let at = self.layout.width();
                let (start_flag, end_flag) = (column(at + start), column(at + end));
                // (F8) A call starts only on a block's first row.
                builder.assert_zero(is_real.clone() * (AB::Expr::ONE - start_flag.clone()));
                // (F9) On a block's first row, in_call says whether a call starts there.
                builder.assert_zero(start_flag * (in_call.clone() - is_real));
                // (F10) in_call is constant within a block: a transition into a row that does
                // not start a block keeps it.
                let next = main.next_slice();
                let start_next: AB::Expr = next[at + start].into();
                let next_in_call: AB::Expr = next[FrameLayout::IN_CALL].into();
                builder
                    .when_transition()
                    .assert_zero((AB::Expr::ONE - start_next) * (next_in_call - in_call.clone()));
                // (F11) The trace does not end inside a call's block: every call's block is whole.
                builder.when_last_row().assert_zero(in_call * (AB::Expr::ONE - end_flag));
            }
        }

        // (P) The plugin's constraints: the output words are f of the input words.
        super::eval_constraints(&self.constraints, builder, 0);
    }
}
