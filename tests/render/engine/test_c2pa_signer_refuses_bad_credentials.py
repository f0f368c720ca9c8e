from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from render.engine.c2pa_sign import SegmentSigner, SigningError
from render.engine.devcerts import make_development_chain


@pytest.fixture
def chain(tmp_path):
    return make_development_chain(tmp_path / "pki")


def test_it_names_a_missing_key_file(chain, tmp_path):
    with pytest.raises(SigningError, match=r"signing key file not found: .*absent\.key"):
        SegmentSigner(chain_path=chain.chain, key_path=tmp_path / "absent.key")


def test_it_names_a_missing_certificate_chain(chain, tmp_path):
    with pytest.raises(SigningError, match="certificate chain file not found"):
        SegmentSigner(chain_path=tmp_path / "absent.pem", key_path=chain.signing_key)


def test_it_refuses_a_key_that_does_not_match_the_certificate(chain, tmp_path):
    other = tmp_path / "other.key"
    other.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    with pytest.raises(SigningError, match="does not match the certificate"):
        SegmentSigner(chain_path=chain.chain, key_path=other)


def test_it_refuses_a_chain_without_the_intermediate(chain):
    with pytest.raises(SigningError, match="append the intermediate"):
        SegmentSigner(chain_path=chain.signing_cert, key_path=chain.signing_key)


def test_it_refuses_a_server_auth_only_certificate(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "tls only")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    (tmp_path / "c.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM) * 2)
    (tmp_path / "k.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    with pytest.raises(SigningError, match="EKU"):
        SegmentSigner(chain_path=tmp_path / "c.pem", key_path=tmp_path / "k.pem")


def test_the_development_signing_certificate_has_the_c2pa_profile(chain):
    leaf = x509.load_pem_x509_certificate(chain.signing_cert.read_bytes())
    usage = leaf.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical
    assert usage.value.digital_signature
    assert not usage.value.key_cert_sign
    ekus = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.EMAIL_PROTECTION in ekus
    assert leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    assert leaf.issuer != leaf.subject
    assert oct(chain.signing_key.stat().st_mode & 0o777) == "0o600"
