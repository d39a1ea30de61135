//! Wallet addresses in the original (case-preserved) post.
//!
//! Candidates are maximal runs of ASCII letters, digits and `_`, so an address is only found
//! when it is not glued to a longer token. Each run is classified by shape and then validated:
//! base58check for BTC P2PKH/P2SH and TRON, the bech32/bech32m checksum for `bc1` segwit
//! addresses. Random IDs that merely look like addresses fail the checksum. ETH addresses are
//! accepted by shape (`0x` + 40 hex) because EIP-55 validation needs Keccak, which is not a
//! dependency, and all-lowercase addresses carry no checksum anyway.

use super::{Detection, Detector, Sink};

/// Maximal runs of ASCII letters, digits and `_` as byte ranges. Every non-ASCII byte ends a
/// run, so a run ends at Chinese text and always lies on char boundaries.
fn word_runs(bytes: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let is_word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = at + bytes.get(at..)?.iter().position(is_word)?;
        let len = bytes[start..].iter().take_while(|b| is_word(b)).count();
        at = start + len;
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
        for (start, end) in word_runs(original.as_bytes()) {
            if sink.full() {
                break;
            }
            let long_enough = (MIN_ADDRESS_LEN..=MAX_ADDRESS_LEN).contains(&(end - start));
            if long_enough && is_address(&original[start..end]) {
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
        let runs: Vec<&str> = word_runs(text.as_bytes())
            .map(|(s, e)| &text[s..e])
            .collect();
        assert_eq!(runs, ["addr_1", "ab", "CD9", "x"]);
        assert_eq!(word_runs(b"").count(), 0);
        assert_eq!(word_runs("。。".as_bytes()).count(), 0);
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
