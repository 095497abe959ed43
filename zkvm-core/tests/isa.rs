//! Decoder and encoder: strictness and round trips.

use rand::{Rng, SeedableRng, rngs::StdRng};
use zkvm_core::isa::{DecodeError, Instruction, Opcode, UNIMP_WORD, decode, encode};

#[test]
fn every_decodable_word_round_trips_through_the_encoder() {
    let mut rng = StdRng::seed_from_u64(1);
    let mut decoded = 0;
    for _ in 0..200_000 {
        // Random words with a random valid major opcode, so that most of them decode.
        let majors = [0x03, 0x0f, 0x13, 0x17, 0x23, 0x33, 0x37, 0x63, 0x67, 0x6f, 0x73];
        let word = (rng.r#gen::<u32>() & !0x7f) | majors[rng.gen_range(0..majors.len())];
        if let Ok(instruction) = decode(word) {
            decoded += 1;
            assert_eq!(decode(encode(&instruction)), Ok(instruction), "word {word:#010x}");
        }
    }
    assert!(decoded > 50_000, "only {decoded} words decoded");
}

#[test]
fn every_opcode_is_reachable_by_decoding() {
    let mut seen = [false; Opcode::COUNT];
    seen[Opcode::Invalid.index()] = true;
    let mut rng = StdRng::seed_from_u64(2);
    for _ in 0..500_000 {
        if let Ok(i) = decode(rng.r#gen()) {
            seen[i.opcode.index()] = true;
        }
    }
    for op in [Opcode::Ecall, Opcode::Ebreak, Opcode::Fence] {
        seen[decode(encode(&Instruction::new(op, 0, 0, 0, 0))).unwrap().opcode.index()] = true;
    }
    let missing: Vec<_> = Opcode::ALL.iter().filter(|op| !seen[op.index()]).collect();
    assert!(missing.is_empty(), "never decoded: {missing:?}");
}

#[test]
fn immediates_decode_sign_extended() {
    // addi x1, x2, -1
    assert_eq!(decode(0xfff1_0093), Ok(Instruction::new(Opcode::Addi, 1, 2, 0, u32::MAX)));
    // sw x3, -4(x2)
    assert_eq!(decode(0xfe31_2e23), Ok(Instruction::new(Opcode::Sw, 0, 2, 3, (-4i32) as u32)));
    // beq x0, x0, -4096 (the most negative branch)
    assert_eq!(decode(0x8000_0063), Ok(Instruction::new(Opcode::Beq, 0, 0, 0, (-4096i32) as u32)));
    // jal x0, -1 MiB
    assert_eq!(decode(0x8000_006f), Ok(Instruction::new(Opcode::Jal, 0, 0, 0, (-(1i32 << 20)) as u32)));
    // lui x5, 0xfffff
    assert_eq!(decode(0xffff_f2b7), Ok(Instruction::new(Opcode::Lui, 5, 0, 0, 0xffff_f000)));
    // srai x1, x1, 31
    assert_eq!(decode(0x41f0_d093), Ok(Instruction::new(Opcode::Srai, 1, 1, 0, 31)));
}

#[test]
fn non_rv32im_words_are_rejected_with_the_right_reason() {
    assert_eq!(decode(UNIMP_WORD), Err(DecodeError::Unimp));
    assert_eq!(decode(0xc000_2573), Err(DecodeError::Csr(0xc000_2573))); // rdcycle a0
    assert_eq!(decode(0x3000_2073), Err(DecodeError::Csr(0x3000_2073))); // csrrs x0, mstatus, x0
    assert_eq!(decode(0x3020_0073), Err(DecodeError::Illegal(0x3020_0073))); // mret
    assert_eq!(decode(0x0000_100f), Err(DecodeError::Illegal(0x0000_100f))); // fence.i
    assert_eq!(decode(0x0200_9093), Err(DecodeError::Illegal(0x0200_9093))); // slli with shamt bit 5
    assert_eq!(decode(0x0000_0000), Err(DecodeError::Illegal(0)));
    assert_eq!(decode(0xffff_ffff), Err(DecodeError::Illegal(0xffff_ffff)));
    assert_eq!(decode(0x0000_4501), Err(DecodeError::Illegal(0x4501))); // c.li a0, 0 (compressed)
    assert_eq!(decode(0x0020_f0d3), Err(DecodeError::Illegal(0x0020_f0d3))); // fadd.s (F extension)
    assert_eq!(decode(0x0000_3003), Err(DecodeError::Illegal(0x3003))); // ld (RV64)
    assert_eq!(decode(0x0400_0033), Err(DecodeError::Illegal(0x0400_0033))); // reserved funct7
    assert_eq!(decode(0x0000_2063), Err(DecodeError::Illegal(0x2063))); // branch funct3 = 2
}

#[test]
fn display_names_operands() {
    assert_eq!(decode(0xfff1_0093).unwrap().to_string(), "addi x1, x2, -1");
    assert_eq!(decode(0xfe31_2e23).unwrap().to_string(), "sw x3, -4(x2)");
}
