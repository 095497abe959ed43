//! Checkpoints: each segment re-executed and proven alone from its checkpoint gives the record
//! the streamed prover gives, and the records join into a valid bundle; a checkpoint whose memory
//! does not open its root, that lacks a touched leaf, names another program, or is malformed
//! is refused; one with a changed register proves a state the bundle verifier rejects.

use std::sync::Arc;

use super::continuation::{INPUT, SEGMENT_CYCLES, file_of, segment_records};
use super::memory::memory_program;
use super::*;
use crate::executor::DEFAULT_MAX_CYCLES;
use zkvm_memory::merkle::leaf_digest;

fn checkpoints(program: &crate::Program, input: &[u8]) -> Vec<Checkpoint> {
    checkpoints_of(program, input, SEGMENT_CYCLES)
}

fn checkpoints_of(program: &crate::Program, input: &[u8], segment_cycles: u64) -> Vec<Checkpoint> {
    let mut list = Vec::new();
    let count = make_checkpoints(
        Arc::new(program.clone()),
        input.to_vec(),
        &Arc::default(),
        segment_cycles,
        DEFAULT_MAX_CYCLES,
        |c| {
            list.push(c);
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(count, list.len());
    list
}

fn bytes_of(checkpoint: &Checkpoint) -> Vec<u8> {
    let mut bytes = Vec::new();
    checkpoint.write_to(&mut bytes).unwrap();
    bytes
}

fn prove(program: &crate::Program, checkpoint: &Checkpoint) -> Result<SegmentRecord, CheckpointError> {
    prove_checkpoint(&Arc::new(program.clone()), &Arc::default(), checkpoint, &ProofParameters::TESTING)
}

fn record_bytes(record: &SegmentRecord) -> Vec<u8> {
    postcard::to_allocvec(record).unwrap()
}

#[test]
fn segments_proven_alone_from_checkpoints_join_into_a_valid_bundle() {
    let program = memory_program();
    let list = checkpoints(&program, INPUT);
    assert!(list.len() >= 4, "{} segments", list.len());
    let (_, streamed) = segment_records(&program, INPUT, None);
    assert_eq!(list.len(), streamed.len());
    // Proven out of order, each from its file's bytes alone.
    let mut records: Vec<Option<SegmentRecord>> = (0..list.len()).map(|_| None).collect();
    for checkpoint in list.iter().rev() {
        let read = Checkpoint::read_from(&bytes_of(checkpoint)[..]).unwrap();
        assert_eq!(&read, checkpoint);
        let record = prove(&program, &read).unwrap();
        // The segment file carries the record and its index unchanged.
        let mut file = Vec::new();
        write_segment_file(&mut file, &ProofParameters::TESTING, read.segment, &record).unwrap();
        let (index, record) = read_segment_file(&file[..], &ProofParameters::TESTING).unwrap();
        assert_eq!(index, read.segment);
        records[index as usize] = Some(record);
    }
    let records: Vec<SegmentRecord> = records.into_iter().map(Option::unwrap).collect();
    for (k, (alone, in_stream)) in records.iter().zip(&streamed).enumerate() {
        assert_eq!(record_bytes(alone), record_bytes(in_stream), "segment {k}");
    }
    // A checkpoint holds only the memory its segment touches, not the image.
    assert!(
        list.iter().all(|c| c.leaves.len() < 8),
        "{:?}",
        list.iter().map(|c| c.leaves.len()).collect::<Vec<_>>()
    );
    let joined = file_of(INPUT, INPUT, &records.iter().collect::<Vec<_>>());
    let verified = super::verify_bytes(&program, &joined).unwrap();
    assert_eq!(verified.segments, list.len());
}

#[test]
fn a_segment_that_touches_no_memory_proves_from_its_checkpoint() {
    let program = alu_program();
    let list = checkpoints_of(&program, &[], 8);
    assert!(list.iter().all(|c| c.leaves.is_empty()));
    let records: Vec<SegmentRecord> = list.iter().map(|c| prove(&program, c).unwrap()).collect();
    let joined = file_of(&[], &[], &records.iter().collect::<Vec<_>>());
    assert_eq!(super::verify_bytes(&program, &joined).unwrap().segments, list.len());
}

#[test]
fn a_checkpoint_that_does_not_open_its_root_is_refused() {
    let program = memory_program();
    let list = checkpoints(&program, INPUT);
    let (k, checkpoint) = list.iter().enumerate().find(|(_, c)| c.leaves.len() >= 2).unwrap();

    let mut changed_word = checkpoint.clone();
    changed_word.leaves[0].words[3] ^= 1;
    assert!(matches!(prove(&program, &changed_word), Err(CheckpointError::Opening)), "segment {k}");

    let mut changed_sibling = checkpoint.clone();
    changed_sibling.siblings[5].digest[0] ^= 1;
    assert!(matches!(prove(&program, &changed_sibling), Err(CheckpointError::Opening)));

    let mut changed_root = checkpoint.clone();
    changed_root.memory_root[7] ^= 1;
    assert!(matches!(prove(&program, &changed_root), Err(CheckpointError::Opening)));

    // A touched leaf given only by its digest still opens the root, but the segment needs its
    // words: refused, not proven from zeros.
    let mut hidden_leaf = checkpoint.clone();
    let leaf = hidden_leaf.leaves.remove(1);
    let digest = leaf_digest(&leaf.words).map(|v| p3_field::PrimeField32::as_canonical_u32(&v));
    hidden_leaf.siblings.push(CheckpointSibling { level: 0, index: leaf.index, digest });
    let verdict = prove(&program, &hidden_leaf);
    assert!(matches!(verdict, Err(CheckpointError::OutsideOpening(_))), "{:?}", verdict.err());

    let mut bad_sibling = checkpoint.clone();
    bad_sibling.siblings[0].level = 40;
    assert!(matches!(prove(&program, &bad_sibling), Err(CheckpointError::Memory { .. })));
    let mut not_canonical = checkpoint.clone();
    not_canonical.siblings[0].digest[0] = u32::MAX;
    assert!(matches!(prove(&program, &not_canonical), Err(CheckpointError::Malformed(_))));
}

#[test]
fn a_checkpoint_of_another_program_or_state_is_refused_or_rejected() {
    let program = memory_program();
    let list = checkpoints(&program, INPUT);
    let verdict = prove(&alu_program(), &list[1]);
    assert!(matches!(verdict, Err(CheckpointError::OtherProgram)), "{:?}", verdict.err());

    let mut past_end = list[1].clone();
    past_end.output_position = past_end.statement.output.len() as u32 + 1;
    assert!(matches!(prove(&program, &past_end), Err(CheckpointError::Malformed(_))));

    // The last segment halts before a longer budget is used up.
    let mut longer = list.last().unwrap().clone();
    longer.cycles += 1;
    let verdict = prove(&program, &longer);
    assert!(matches!(verdict, Err(CheckpointError::Diverged { .. })), "{:?}", verdict.err());

    // A changed register is proven as the state it is, and the bundle breaks at that segment.
    let mut records: Vec<SegmentRecord> = list.iter().map(|c| prove(&program, c).unwrap()).collect();
    let mut changed = list[2].clone();
    changed.registers[10] ^= 4;
    records[2] = prove(&program, &changed).unwrap();
    let joined = file_of(INPUT, INPUT, &records.iter().collect::<Vec<_>>());
    let verdict = super::verify_bytes(&program, &joined);
    assert!(matches!(verdict, Err(BundleError::Chain { index: 2, .. })), "{verdict:?}");
}

#[test]
fn checkpoint_and_segment_files_are_read_strictly() {
    let program = memory_program();
    let list = checkpoints(&program, INPUT);
    let bytes = bytes_of(&list[0]);
    for cut in 0..bytes.len() {
        assert!(Checkpoint::read_from(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    let mut trailing = bytes.clone();
    trailing.push(0);
    assert!(matches!(
        Checkpoint::read_from(&trailing[..]),
        Err(CheckpointError::File(ProofFileError::Trailing))
    ));
    let mut version = bytes.clone();
    version[8] = 9;
    assert!(matches!(Checkpoint::read_from(&version[..]), Err(CheckpointError::Version { found: 9 })));
    assert!(matches!(Checkpoint::read_from(&b"ZKVMPROF"[..]), Err(CheckpointError::BadMagic)));
    for position in (12..bytes.len()).step_by(7) {
        let mut flipped = bytes.clone();
        flipped[position] ^= 0x55;
        // Either unreadable or a different checkpoint: never a panic.
        if let Ok(read) = Checkpoint::read_from(&flipped[..]) {
            assert_ne!(read, list[0]);
        }
    }

    let record = prove(&program, &list[0]).unwrap();
    let mut file = Vec::new();
    write_segment_file(&mut file, &ProofParameters::TESTING, 0, &record).unwrap();
    for cut in 0..file.len() {
        assert!(read_segment_file(&file[..cut], &ProofParameters::TESTING).is_err(), "cut at {cut}");
    }
    let mut trailing = file.clone();
    trailing.push(1);
    assert!(matches!(
        read_segment_file(&trailing[..], &ProofParameters::TESTING),
        Err(ProofFileError::Trailing)
    ));
    let verdict = read_segment_file(&file[..], &ProofParameters::DEFAULT);
    assert!(matches!(verdict, Err(ProofFileError::Parameters { .. })));
    // A bundle is not a segment file.
    let bundle = file_of(INPUT, INPUT, &[&record]);
    assert!(matches!(
        read_segment_file(&bundle[..], &ProofParameters::TESTING),
        Err(ProofFileError::BadMagic)
    ));
}
