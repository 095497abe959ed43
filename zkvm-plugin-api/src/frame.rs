//! The host's columns of a precompile chip row.

/// Where the frame's columns are in a precompile chip's row (`words` words per call). The
/// plugin's compute columns follow the frame, from [`FrameLayout::width`] on.
///
/// | columns | meaning |
/// |---|---|
/// | `is_real` | 1 on the first row of a call's block, 0 elsewhere |
/// | `in_call` | 1 on every row of a call's block, 0 on padding blocks |
/// | `clk`, `pc` | cycle and address of the `ecall` |
/// | `pointer[0..4]` | `a0`, the input's byte address, as bytes |
/// | `pointer_quarter` | `pointer[0] / 4` (the pointer is word-aligned) |
/// | per word `i`: `input[i][0..4]`, `output[i][0..4]` | the word before and after, as bytes |
/// | per word `i`: `access[i].{prev_timestamp, diff_lo, diff_hi}` | its memory-argument columns |
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameLayout {
    /// Words read and written per call.
    pub words: usize,
}

/// Columns before the per-word groups.
const HEADER: usize = 9;
/// Columns per word: input, output, access.
const PER_WORD: usize = 11;

impl FrameLayout {
    /// `is_real`.
    pub const IS_REAL: usize = 0;
    /// `clk`.
    pub const CLK: usize = 1;
    /// `pc`.
    pub const PC: usize = 2;
    /// First of the four pointer bytes.
    pub const POINTER: usize = 3;
    /// `pointer_quarter`.
    pub const POINTER_QUARTER: usize = 7;
    /// `in_call`.
    pub const IN_CALL: usize = 8;

    /// Byte `byte` of input word `word`.
    pub fn input(&self, word: usize, byte: usize) -> usize {
        HEADER + PER_WORD * word + byte
    }

    /// Byte `byte` of output word `word`.
    pub fn output(&self, word: usize, byte: usize) -> usize {
        HEADER + PER_WORD * word + 4 + byte
    }

    /// First of the three access columns of word `word`.
    pub fn access(&self, word: usize) -> usize {
        HEADER + PER_WORD * word + 8
    }

    /// Number of frame columns (the first compute column).
    pub fn width(&self) -> usize {
        HEADER + PER_WORD * self.words
    }

    /// The frame's column names, in order.
    pub fn column_names(&self) -> Vec<String> {
        let mut names: Vec<String> = ["is_real", "clk", "pc"].map(String::from).to_vec();
        names.extend((0..4).map(|b| format!("pointer[{b}]")));
        names.push("pointer_quarter".into());
        names.push("in_call".into());
        for word in 0..self.words {
            names.extend((0..4).map(|b| format!("input[{word}][{b}]")));
            names.extend((0..4).map(|b| format!("output[{word}][{b}]")));
            names.extend(["prev_timestamp", "diff_lo", "diff_hi"].map(|n| format!("access[{word}].{n}")));
        }
        names
    }
}
