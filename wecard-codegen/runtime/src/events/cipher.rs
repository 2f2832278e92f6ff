//! AES-128-CBC with zero padding over `raw_data`, hex or base64 on the wire.
//!
//! Zero padding cannot tell padding from data that ends in NUL bytes. The payload is JSON, which
//! never ends in NUL, so decryption strips trailing NULs and encryption refuses a plaintext that
//! ends in one ([`CipherError::TrailingNul`]) rather than send something that would not come back
//! the same. Encryption pads to the next multiple of 16 and adds nothing to a plaintext that is
//! already one; decryption also accepts a whole block of padding, and PKCS#7 padding (which one
//! public client strips), since neither can be confused with the end of a JSON text.

use std::fmt;

use aes::cipher::block_padding::NoPadding;
use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::Engine as _;

type Encryptor = cbc::Encryptor<aes::Aes128>;
type Decryptor = cbc::Decryptor<aes::Aes128>;

const BLOCK: usize = 16;

/// How ciphertext is written as text in `raw_data`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Encoding {
    /// Lowercase hexadecimal, as the public Go client reads it (the default).
    #[default]
    Hex,
    /// Standard base64 with padding, as WeCard's door-access notifications use.
    Base64,
}

/// Why a [`Cipher`] cannot be made from an app key and secret. Says how long things are, never
/// what they contain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    /// The app key, which is the AES-128 key, is not 16 bytes long.
    KeyLength {
        /// Its length in bytes.
        len: usize,
    },
    /// The app secret has fewer than 16 characters, so it cannot give the 16-character IV.
    SecretTooShort {
        /// How many characters it has.
        chars: usize,
    },
    /// The first 16 characters of the app secret are not 16 bytes (they are not all ASCII).
    IvLength {
        /// Their length in bytes.
        len: usize,
    },
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::KeyLength { len } => write!(
                f,
                "the app key is {len} bytes long, but push events are encrypted with AES-128, \
                 whose key (the app key) must be exactly 16 bytes"
            ),
            KeyError::SecretTooShort { chars } => write!(
                f,
                "the app secret has {chars} characters, but the IV is its first 16 characters: \
                 use the app secret WeCard issued"
            ),
            KeyError::IvLength { len } => write!(
                f,
                "the first 16 characters of the app secret are {len} bytes, but the IV must be \
                 16 bytes (the secret should be ASCII)"
            ),
        }
    }
}

impl std::error::Error for KeyError {}

/// Why `raw_data` could not be decrypted, or a plaintext encrypted. Never shows the key, the
/// secret or the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CipherError {
    /// The text is neither hexadecimal nor base64.
    Encoding,
    /// The ciphertext is empty or not a whole number of 16-byte blocks.
    Length {
        /// Its length in bytes, once decoded.
        len: usize,
    },
    /// The decrypted bytes do not end in a padding this scheme produces (the usual sign of a
    /// wrong key or secret, or of a truncated or altered ciphertext).
    Padding,
    /// A plaintext to encrypt ends in a NUL byte, which zero padding would lose.
    TrailingNul,
}

impl fmt::Display for CipherError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CipherError::Encoding => f.write_str("raw_data is neither hexadecimal nor base64"),
            CipherError::Length { len } => write!(
                f,
                "raw_data decodes to {len} bytes, which is not a whole number of 16-byte AES \
                 blocks: it is truncated or not a ciphertext"
            ),
            CipherError::Padding => f.write_str(
                "raw_data does not decrypt to zero-padded data: check the app key and the app \
                 secret (its first 16 characters are the IV)",
            ),
            CipherError::TrailingNul => {
                f.write_str("the plaintext ends in a NUL byte, which zero padding cannot carry")
            }
        }
    }
}

impl std::error::Error for CipherError {}

/// AES-128-CBC with zero padding, keyed by an app key and secret. `Debug` shows neither.
#[derive(Clone)]
pub struct Cipher {
    key: [u8; BLOCK],
    iv: [u8; BLOCK],
    encoding: Encoding,
}

impl fmt::Debug for Cipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cipher")
            .field("key", &"<redacted>")
            .field("iv", &"<redacted>")
            .field("encoding", &self.encoding)
            .finish()
    }
}

impl Cipher {
    /// The cipher for an app: key = the app key's bytes, IV = the first 16 characters of the
    /// app secret. Writes hex until told otherwise ([`Cipher::with_encoding`]).
    ///
    /// # Errors
    ///
    /// When the app key is not 16 bytes, or the secret does not start with 16 ASCII characters.
    pub fn new(app_key: &str, app_secret: &str) -> Result<Self, KeyError> {
        let key: [u8; BLOCK] = app_key
            .as_bytes()
            .try_into()
            .map_err(|_| KeyError::KeyLength { len: app_key.len() })?;
        let chars = app_secret.chars().count();
        if chars < BLOCK {
            return Err(KeyError::SecretTooShort { chars });
        }
        let end = app_secret
            .char_indices()
            .nth(BLOCK)
            .map_or(app_secret.len(), |(at, _)| at);
        let iv: [u8; BLOCK] = app_secret.as_bytes()[..end]
            .try_into()
            .map_err(|_| KeyError::IvLength { len: end })?;
        Ok(Self {
            key,
            iv,
            encoding: Encoding::default(),
        })
    }

    /// The same cipher, writing ciphertext in `encoding`. Reading accepts both encodings.
    pub fn with_encoding(mut self, encoding: Encoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// The encoding [`Cipher::encrypt`] writes.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Encrypts `plaintext`, zero-padded to a multiple of 16 bytes, and writes it in this
    /// cipher's encoding.
    ///
    /// # Errors
    ///
    /// [`CipherError::TrailingNul`] when `plaintext` ends in a NUL byte.
    pub fn encrypt(&self, plaintext: &[u8]) -> Result<String, CipherError> {
        if plaintext.last() == Some(&0) {
            return Err(CipherError::TrailingNul);
        }
        let padded_len = plaintext.len().div_ceil(BLOCK).max(1) * BLOCK;
        let mut buffer = plaintext.to_vec();
        buffer.resize(padded_len, 0);
        let sealed = Encryptor::new(&self.key.into(), &self.iv.into())
            .encrypt_padded_mut::<NoPadding>(&mut buffer, padded_len)
            .map_err(|_| CipherError::Length { len: padded_len })?;
        Ok(match self.encoding {
            Encoding::Hex => hex::encode(sealed),
            Encoding::Base64 => base64::engine::general_purpose::STANDARD.encode(sealed),
        })
    }

    /// Decodes `text` (hex or base64, whichever it is), decrypts it and removes the padding.
    ///
    /// Text made only of hexadecimal digits, of even length, is read as hex; anything else as
    /// base64 (standard alphabet, padding optional). Surrounding whitespace is ignored.
    ///
    /// # Errors
    ///
    /// When the text is in neither encoding, is not whole blocks, or does not decrypt to padded
    /// data.
    pub fn decrypt(&self, text: &str) -> Result<Vec<u8>, CipherError> {
        let mut buffer = decode(text.trim())?;
        if buffer.is_empty() || !buffer.len().is_multiple_of(BLOCK) {
            return Err(CipherError::Length { len: buffer.len() });
        }
        let len = Decryptor::new(&self.key.into(), &self.iv.into())
            .decrypt_padded_mut::<NoPadding>(&mut buffer)
            .map_err(|_| CipherError::Padding)?
            .len();
        buffer.truncate(len);
        let kept = unpad(&buffer)?;
        buffer.truncate(kept);
        Ok(buffer)
    }
}

fn decode(text: &str) -> Result<Vec<u8>, CipherError> {
    let is_hex = text.len().is_multiple_of(2) && text.bytes().all(|b| b.is_ascii_hexdigit());
    if is_hex {
        return hex::decode(text).map_err(|_| CipherError::Encoding);
    }
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    engine.decode(text).map_err(|_| CipherError::Encoding)
}

/// How many bytes of `plain` are data: trailing NULs (at most a block) are zero padding; a
/// final run of `n` bytes equal to `n` (1 to 16) is PKCS#7 padding; any other control byte at
/// the end, or more than a block of NULs, is no padding this scheme makes.
fn unpad(plain: &[u8]) -> Result<usize, CipherError> {
    let Some(&last) = plain.last() else {
        return Err(CipherError::Padding);
    };
    if last == 0 {
        let data = plain.iter().rposition(|&b| b != 0).map_or(0, |at| at + 1);
        if plain.len() - data > BLOCK || data == 0 {
            return Err(CipherError::Padding);
        }
        return Ok(data);
    }
    let n = usize::from(last);
    if n <= BLOCK && !matches!(last, b'\t' | b'\n' | b'\r') {
        let pkcs7 = plain.len() >= n && plain[plain.len() - n..].iter().all(|&b| b == last);
        if pkcs7 && plain.len() > n {
            return Ok(plain.len() - n);
        }
        return Err(CipherError::Padding);
    }
    Ok(plain.len())
}

#[cfg(test)]
mod cipher_tests;
