"""crypto.py: round trips, and proof that every wrong input fails."""

from __future__ import annotations

import pytest

from reporting import crypto

KEY = bytes(range(32))
PRIVATE = bytes(range(32, 64))
CTX = crypto.field_context("r-1", "narrative")
FAST = crypto.KdfParams(1, 64, 1)


def test_seal_round_trip():
    """Does a sealed field open with the same key and context?"""
    assert crypto.unseal(KEY, crypto.seal(KEY, b"what happened", CTX), CTX) == b"what happened"


def test_seal_is_randomised():
    """Does sealing the same text twice give different ciphertexts (fresh nonces)?"""
    assert crypto.seal(KEY, b"x", CTX) != crypto.seal(KEY, b"x", CTX)


@pytest.mark.parametrize("context", [
    crypto.field_context("r-2", "narrative"),   # another report
    crypto.field_context("r-1", "identity"),    # another field
])
def test_seal_refuses_other_context(context):
    """Can a ciphertext be moved to another report or field? It must not open there."""
    with pytest.raises(crypto.CryptoError):
        crypto.unseal(KEY, crypto.seal(KEY, b"secret", CTX), context)


def test_seal_refuses_wrong_key():
    """Does another key fail to open a field?"""
    with pytest.raises(crypto.CryptoError):
        crypto.unseal(crypto.random_key(), crypto.seal(KEY, b"secret", CTX), CTX)


@pytest.mark.parametrize("position", [0, 1, 5, -1])
def test_seal_refuses_tampering(position):
    """Does flipping any byte (header, nonce, body, tag) make opening fail?"""
    blob = bytearray(crypto.seal(KEY, b"secret", CTX))
    blob[position] ^= 0x01
    with pytest.raises(crypto.CryptoError):
        crypto.unseal(KEY, bytes(blob), CTX)


def test_seal_refuses_truncated_blob():
    """Is a truncated blob refused cleanly, not with a crash?"""
    with pytest.raises(crypto.CryptoError):
        crypto.unseal(KEY, b"\x01\x01short", CTX)


def test_wrap_opens_only_for_its_holder():
    """Does a wrapped data key open with the recipient's private key and no other?"""
    private, public = crypto.generate_keypair()
    other_private, _ = crypto.generate_keypair()
    blob = crypto.wrap_key(public, KEY, b"ctx")
    assert crypto.unwrap_key(private, blob, b"ctx") == KEY
    with pytest.raises(crypto.CryptoError):
        crypto.unwrap_key(other_private, blob, b"ctx")
    with pytest.raises(crypto.CryptoError):
        crypto.unwrap_key(private, blob, b"another report")


def test_wrapped_key_is_not_a_sealed_field():
    """Can a wrapped key be fed to unseal (algorithm confusion)? The header forbids it."""
    _, public = crypto.generate_keypair()
    with pytest.raises(crypto.CryptoError):
        crypto.unseal(KEY, crypto.wrap_key(public, KEY, CTX), CTX)


def test_derive_keys_splits_verifier_from_key():
    """Are the stored verifier and the never-stored key different, and salt-dependent?"""
    one = crypto.derive_keys("receipt", b"salt-one-16bytes", FAST)
    assert one.verifier != one.key
    assert crypto.derive_keys("receipt", b"salt-two-16bytes", FAST).verifier != one.verifier
    assert crypto.derive_keys("receipt", b"salt-one-16bytes", FAST) == one


def test_kdf_params_round_trip_and_refuse_garbage():
    """Do stored KDF parameters parse back, and do unknown ones fail clearly?"""
    params = crypto.KdfParams(3, 65536, 1)
    assert crypto.KdfParams.decode(params.encode()) == params
    for bad in ("scrypt$n=1", "argon2id$m=1", "nonsense"):
        with pytest.raises(crypto.CryptoError):
            crypto.KdfParams.decode(bad)


# Fixed vectors: if these change, stored data from earlier versions would no longer open.
VECTOR_VERIFIER = "c55cd2b1a75c459ca94f4c762b3e1bf95d478ff74885b5bbbc98ac9adf7c9b97"
VECTOR_KEY = "abe6e5a1047b70a22a9efae9b64189365889931e1250b32a5e93da38942d4f48"
VECTOR_FIELD = ("01012971ee8ca3d4e598325c8780b20cd01f55e3998d875e4507c2674e8d69fac10dd1b71f9f8"
                "c192aa708")
VECTOR_WRAPPED = ("01028416256ceccbc0c3c03038b9f45c892c9421d7629d5d83ac8333420473464740e5d1720478"
                  "227afc5bf5c6552e1463cb301337d80b5e3ab45e7a2850a55da811ad788b834fe9022e26dac288"
                  "f2841d8cd54bd3a416b50982beb50258")


def test_fixed_vectors_still_open():
    """Do blobs written by format version 1 still derive and open the same way?"""
    derived = crypto.derive_keys("K7QF9XM2P4TDW8HN3RCV", b"belong-test-salt", FAST)
    assert (derived.verifier.hex(), derived.key.hex()) == (VECTOR_VERIFIER, VECTOR_KEY)
    assert crypto.unseal(KEY, bytes.fromhex(VECTOR_FIELD), CTX) == b"the narrative"
    assert crypto.unwrap_key(PRIVATE, bytes.fromhex(VECTOR_WRAPPED),
                             b"belong/data-key/r-1") == KEY


def test_keyed_digest_hides_value_and_depends_on_key():
    """Is an IP pseudonym stable per key, different across keys, and not the IP itself?"""
    one = crypto.keyed_digest("key-one", "203.0.113.9")
    assert one == crypto.keyed_digest("key-one", "203.0.113.9")
    assert one != crypto.keyed_digest("key-two", "203.0.113.9")
    assert "203.0.113.9" not in one
