//! Where the guest's input comes from and where its output goes.

use std::io::Write;

/// Destination of one of the guest's output file descriptors.
pub enum Sink {
    /// Keep the bytes in memory (the default), readable afterwards.
    Capture(Vec<u8>),
    /// Pass the bytes on as they are written.
    Stream(Box<dyn Write + Send>),
}

impl Default for Sink {
    fn default() -> Self {
        Sink::Capture(Vec::new())
    }
}

impl std::fmt::Debug for Sink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Sink::Capture(bytes) => write!(f, "Capture({} bytes)", bytes.len()),
            Sink::Stream(_) => f.write_str("Stream"),
        }
    }
}

impl Sink {
    pub(crate) fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match self {
            Sink::Capture(buffer) => {
                if buffer.len() + bytes.len() > crate::abi::MAX_CAPTURED_BYTES {
                    return Err(std::io::Error::other(format!(
                        "the guest wrote more than {} bytes to a captured stream",
                        crate::abi::MAX_CAPTURED_BYTES
                    )));
                }
                buffer.extend_from_slice(bytes);
                Ok(())
            }
            Sink::Stream(writer) => writer.write_all(bytes).and_then(|()| writer.flush()),
        }
    }

    /// The captured bytes (empty for a stream).
    pub fn captured(&self) -> &[u8] {
        match self {
            Sink::Capture(bytes) => bytes,
            Sink::Stream(_) => &[],
        }
    }
}

/// The guest's I/O: the input stream (visible to the verifier), stdout, stderr, and the public output.
#[derive(Debug, Default)]
pub struct GuestIo {
    /// The input, read by the `READ_WORD` call.
    pub input: Vec<u8>,
    /// How many input bytes have been read (a multiple of 4).
    pub input_position: usize,
    /// fd 1.
    pub stdout: Sink,
    /// fd 2.
    pub stderr: Sink,
    /// Every byte committed by `COMMIT`, in order. The proof attests it.
    pub public_output: Vec<u8>,
}
