//! Wallet addresses in the original (case-preserved) post.
//!
//! Candidates are maximal runs of ASCII letters, digits and `_`, so an address is only found
//! when it is not glued to a longer token. Each run is classified by shape and then validated:
//! base58check for BTC P2PKH/P2SH and TRON, the bech32/bech32m checksum for `bc1` segwit
//! addresses. Random IDs that merely look like addresses fail the checksum. ETH addresses are
//! accepted by shape (`0x` + 40 hex) because EIP-55 validation needs Keccak, which is not a
//! dependency, and all-lowercase addresses carry no checksum anyway.

use super::{Detection, Detector, Sink};

/// True for the bytes of a word run: ASCII letters, digits and `_`.
const WORD_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_';
        b += 1;
    }
    table
};

/// Maximal runs of ASCII letters, digits and `_` at least `min_len` bytes long (`min_len` ≥ 1),
/// as byte ranges. Every non-ASCII byte ends a run, so a run ends at Chinese text and always
/// lies on char boundaries.
///
/// The scan keeps a running length (reset by a table look-up and a multiply, not a branch) and
/// stops only where a run reaches `min_len`: posts are mostly short words, and a branch per word
/// end would mispredict on every one.
fn long_word_runs(bytes: &[u8], min_len: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let mut run = 0usize;
        while run < min_len {
            let &b = bytes.get(at)?;
            run = (run + 1) * usize::from(WORD_BYTE[usize::from(b)]);
            at += 1;
        }
        let start = at - run;
        at += bytes[at..]
            .iter()
            .take_while(|&&b| WORD_BYTE[usize::from(b)])
            .count();
        Some((start, at))
    })
}

/// Longest address any branch accepts (bech32 segwit addresses are at most 90 chars).
const MAX_ADDRESS_LEN: usize = 90;
/// Shortest address any branch accepts (a BTC base58 address is at least 26 chars).
const MIN_ADDRESS_LEN: usize = 26;

/// The wallet detector (stateless: candidates are found by a byte scan, not a regex).
#[derive(Debug, Clone, Default)]
pub(crate) struct WalletDetector;

impl WalletDetector {
    /// A wallet detector.
    pub(crate) fn new() -> WalletDetector {
        WalletDetector
    }

    /// Appends every valid address in `original` to `out`.
    pub(crate) fn detect(&self, original: &str, out: &mut Vec<Detection>) {
        let mut sink = Sink::new(out, Detector::Wallet);
        for (start, end) in long_word_runs(original.as_bytes(), MIN_ADDRESS_LEN) {
            if sink.full() {
                break;
            }
            if end - start <= MAX_ADDRESS_LEN && is_address(&original[start..end]) {
                sink.push(start, end);
            }
        }
    }
}

/// True if `s` (a whole word run) is a valid address of a supported chain.
pub(crate) fn is_address(s: &str) -> bool {
    if !(MIN_ADDRESS_LEN..=MAX_ADDRESS_LEN).contains(&s.len()) {
        return false;
    }
    match s.as_bytes()[0] {
        b'1' | b'3' => is_btc_base58(s),
        b'T' => is_tron(s),
        b'0' => is_eth(s),
        b'b' | b'B' => is_bech32_btc(s),
        _ => false,
    }
}

/// Decodes base58check, returning the payload (version byte included, checksum removed).
fn base58check(s: &str) -> Option<Vec<u8>> {
    bs58::decode(s).with_check(None).into_vec().ok()
}

/// BTC P2PKH (version 0x00, leading `1`) or P2SH (version 0x05, leading `3`): 26–35 chars,
/// 21-byte payload.
fn is_btc_base58(s: &str) -> bool {
    if s.len() > 35 {
        return false;
    }
    let expected = if s.starts_with('1') { 0x00 } else { 0x05 };
    base58check(s).is_some_and(|p| p.len() == 21 && p[0] == expected)
}

/// TRON: 34 chars, base58check payload of 21 bytes starting with 0x41.
fn is_tron(s: &str) -> bool {
    s.len() == 34 && base58check(s).is_some_and(|p| p.len() == 21 && p[0] == 0x41)
}

/// ETH: `0x` followed by exactly 40 hex digits (the run boundary gives "exactly").
fn is_eth(s: &str) -> bool {
    s.len() == 42
        && (s.starts_with("0x") || s.starts_with("0X"))
        && s[2..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Mainnet segwit (`bc1…`, bech32 for v0, bech32m for v1+), checksum and program validated.
fn is_bech32_btc(s: &str) -> bool {
    if !s.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("bc1")) {
        return false;
    }
    bech32::segwit::decode(s).is_ok_and(|(hrp, _, _)| hrp == bech32::hrp::BC)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GENESIS: &str = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";
    const P2SH: &str = "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy";
    const BECH32_V0: &str = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
    const ETH: &str = "0x52908400098527886E0F7030069857D2E4169EE7";

    fn found(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        WalletDetector::new().detect(text, &mut out);
        out.iter().map(|d| &text[d.start..d.end]).collect()
    }

    /// A TRON address built here: 0x41 + 20 bytes, base58check-encoded.
    fn tron_address() -> String {
        let mut payload = vec![0x41u8];
        payload.extend((1..=20u8).map(|b| b.wrapping_mul(7)));
        bs58::encode(payload).with_check().into_string()
    }

    /// A bech32m (witness v1, taproot) address built here.
    fn taproot_address() -> String {
        let program = [0x5au8; 32];
        bech32::segwit::encode_v1(bech32::hrp::BC, &program).unwrap_or_default()
    }

    #[test]
    fn word_runs_are_maximal_ascii_runs() {
        let text = "付款 addr_1:ab-CD9 和x";
        let runs = |min| -> Vec<&str> {
            long_word_runs(text.as_bytes(), min)
                .map(|(s, e)| &text[s..e])
                .collect()
        };
        assert_eq!(runs(1), ["addr_1", "ab", "CD9", "x"]);
        assert_eq!(runs(3), ["addr_1", "CD9"]);
        assert_eq!(runs(6), ["addr_1"]);
        assert!(runs(7).is_empty());
        assert_eq!(long_word_runs(b"", 1).count(), 0);
        assert_eq!(long_word_runs("。。".as_bytes(), 1).count(), 0);
        assert_eq!(long_word_runs(b"abc", 3).collect::<Vec<_>>(), [(0, 3)]);
    }

    proptest::proptest! {
        /// The runs are the maximal word runs of at least `min_len` bytes, as splitting the text
        /// at every other byte finds them.
        #[test]
        fn long_word_runs_are_the_long_maximal_runs(
            text in "[a-c0-9_ .:和]{0,60}", min_len in 1usize..8
        ) {
            let bytes = text.as_bytes();
            let mut expected = Vec::new();
            let mut start = 0;
            for (i, &b) in bytes.iter().chain([&b' ']).enumerate() {
                if !(b.is_ascii_alphanumeric() || b == b'_') {
                    if i - start >= min_len {
                        expected.push((start, i));
                    }
                    start = i + 1;
                }
            }
            let runs: Vec<_> = long_word_runs(bytes, min_len).collect();
            proptest::prop_assert_eq!(runs, expected);
        }
    }

    #[test]
    fn valid_addresses() {
        let tron = tron_address();
        assert!(tron.starts_with('T') && tron.len() == 34, "{tron}");
        let taproot = taproot_address();
        assert!(taproot.starts_with("bc1p"), "{taproot}");
        for addr in [
            GENESIS,
            P2SH,
            BECH32_V0,
            ETH,
            tron.as_str(),
            taproot.as_str(),
        ] {
            assert_eq!(found(&format!("打款到{addr}，谢谢")), [addr], "{addr}");
            assert_eq!(found(&format!("send to: {addr}.")), [addr], "{addr}");
        }
        let upper = BECH32_V0.to_uppercase();
        assert_eq!(
            found(&upper),
            [upper.as_str()],
            "bech32 may be all upper case"
        );
    }

    #[test]
    fn bad_checksums_and_shapes() {
        // One character changed in each valid address.
        assert!(found("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb").is_empty());
        assert!(found("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdp").is_empty());
        let mut tron = tron_address();
        let last = if tron.ends_with('a') { "b" } else { "a" };
        tron.replace_range(33.., last);
        assert!(found(&tron).is_empty(), "{tron}");
        // Base58-looking random IDs and order numbers.
        assert!(found("1QwErTyUiOpAsDfGhJkLzXcVbNm12345").is_empty());
        assert!(found("TXyZabcdefghijkmnopqrstuvwxyz12345").is_empty());
        assert!(found("3333333333333333333333333333").is_empty());
        // Mixed-case bech32 is invalid.
        assert!(found("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdQ").is_empty());
        // Hex that is not exactly 40 digits, or not hex.
        assert!(found("0x52908400098527886E0F7030069857D2E4169E").is_empty());
        assert!(found("0x52908400098527886E0F7030069857D2E4169EE7AB").is_empty());
        assert!(found("0x52908400098527886E0F7030069857D2E4169EZ7").is_empty());
        assert!(found("0xdeadbeef").is_empty());
    }

    #[test]
    fn glued_addresses_are_not_found() {
        assert!(found(&format!("x{GENESIS}")).is_empty());
        assert!(found(&format!("{GENESIS}9")).is_empty());
        assert!(found(&format!("{ETH}_tag")).is_empty());
        assert_eq!(found(&format!("{GENESIS} {ETH}")), [GENESIS, ETH]);
    }

    #[test]
    fn testnet_bech32_is_not_mainnet() {
        let tb = bech32::segwit::encode_v0(bech32::hrp::TB, &[1u8; 20]).unwrap_or_default();
        assert!(tb.starts_with("tb1"));
        assert!(found(&tb).is_empty());
    }
}
