use super::{BLOCK, Cipher, CipherError, Encoding, KeyError, unpad};

const KEY: &str = "0123456789abcdef";
const SECRET: &str = "fedcba9876543210-and-the-rest";

#[test]
fn zero_padding_is_stripped_up_to_a_block() {
    assert_eq!(unpad(b"{}\0\0\0"), Ok(2));
    let mut full = b"0123456789abcdef".to_vec();
    full.extend([0; BLOCK]);
    assert_eq!(
        unpad(&full),
        Ok(16),
        "a whole block of padding after aligned data"
    );
    let mut too_much = b"{}".to_vec();
    too_much.extend([0; BLOCK + 1]);
    assert_eq!(unpad(&too_much), Err(CipherError::Padding));
    assert_eq!(
        unpad(&[0; BLOCK]),
        Err(CipherError::Padding),
        "no data at all"
    );
}

#[test]
fn pkcs7_is_accepted_and_other_control_bytes_are_not() {
    assert_eq!(unpad(b"{}\x03\x03\x03"), Ok(2));
    assert_eq!(unpad(b"{}\x02\x03\x03"), Err(CipherError::Padding));
    assert_eq!(unpad(b"{}\x05"), Err(CipherError::Padding));
    assert_eq!(
        unpad(b"{}\n"),
        Ok(3),
        "a newline ends JSON text, it is not padding"
    );
    assert_eq!(unpad(b"{}"), Ok(2));
    assert_eq!(unpad(b""), Err(CipherError::Padding));
}

#[test]
fn round_trips_in_both_encodings() {
    for encoding in [Encoding::Hex, Encoding::Base64] {
        let cipher = Cipher::new(KEY, SECRET).unwrap().with_encoding(encoding);
        for text in ["{}", r#"{"id":1,"name":"一年级"}"#, "0123456789abcdef"] {
            let sealed = cipher.encrypt(text.as_bytes()).unwrap();
            assert_eq!(
                cipher.decrypt(&sealed).unwrap(),
                text.as_bytes(),
                "{encoding:?}"
            );
        }
    }
}

#[test]
fn aligned_plaintext_gets_no_extra_block_and_empty_gets_one() {
    let cipher = Cipher::new(KEY, SECRET).unwrap();
    assert_eq!(cipher.encrypt(b"0123456789abcdef").unwrap().len(), 32);
    assert_eq!(cipher.encrypt(b"0123456789abcdefg").unwrap().len(), 64);
    assert_eq!(cipher.encrypt(b"").unwrap().len(), 32);
}

#[test]
fn trailing_nul_is_refused() {
    let cipher = Cipher::new(KEY, SECRET).unwrap();
    assert_eq!(cipher.encrypt(b"{}\0"), Err(CipherError::TrailingNul));
}

#[test]
fn keys_and_secrets_of_the_wrong_size_are_typed_errors() {
    assert_eq!(
        Cipher::new("short", SECRET).unwrap_err(),
        KeyError::KeyLength { len: 5 }
    );
    assert_eq!(
        Cipher::new(KEY, "tiny").unwrap_err(),
        KeyError::SecretTooShort { chars: 4 }
    );
    assert_eq!(
        Cipher::new(KEY, "密钥密钥密钥密钥密钥密钥密钥密钥").unwrap_err(),
        KeyError::IvLength { len: 48 }
    );
    let message = Cipher::new("short", SECRET).unwrap_err().to_string();
    assert!(!message.contains("short") && !message.contains(SECRET));
}

#[test]
fn debug_shows_no_key_material() {
    let cipher = Cipher::new(KEY, SECRET).unwrap();
    let shown = format!("{cipher:?}");
    assert!(!shown.contains("48"), "no key bytes: {shown}");
    assert!(!shown.contains(KEY) && !shown.contains("fedcba"));
}
