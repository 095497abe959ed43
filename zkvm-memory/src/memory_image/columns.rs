//! Columns of the memory image table.

use zkvm_bus::columns::{Columns, array_names};

/// Main columns.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct MemoryImageColumns<T> {
    /// How many times the row's word is sent: 1 on word rows, 0 on padding rows (constrained to
    /// equal the preprocessed `is_word`).
    pub multiplicity: T,
}

// SAFETY: repr(C), one field of type T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for MemoryImageColumns<T> {
    fn names() -> Vec<String> {
        vec!["multiplicity".into()]
    }
}

/// Preprocessed columns: the image, fixed by the verifying key.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct MemoryImagePreprocessed<T> {
    /// Word address (byte address / 4).
    pub address: T,
    /// The word's initial value, least significant byte first.
    pub value: [T; 4],
    /// 1 on rows holding a word, 0 on padding rows.
    pub is_word: T,
}

// SAFETY: repr(C), fields of type T and an array of T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for MemoryImagePreprocessed<T> {
    fn names() -> Vec<String> {
        let mut names = vec!["address".to_string()];
        names.extend(array_names("value", 4));
        names.push("is_word".into());
        names
    }
}
