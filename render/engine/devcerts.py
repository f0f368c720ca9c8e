"""A development C2PA certificate chain: root CA -> intermediate CA -> ES256 signing certificate.

For development and tests only; production signing certificates come from a CA on the C2PA trust list.
The end-entity profile is what c2pa-rs 0.91 enforces (provenance.md §1.2): X.509 v3, KeyUsage digitalSignature
(critical), an EKU that is not anyExtendedKeyUsage (emailProtection + documentSigning here), SKI + AKI,
basicConstraints CA:false, issued by an intermediate (not self-signed). Chain file = signer + intermediate; the root
is the trust anchor and stays out of the chain.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")


@dataclass(frozen=True)
class DevelopmentChain:
    root_cert: Path  # trust anchor (PEM)
    intermediate_cert: Path
    signing_cert: Path
    signing_key: Path  # PKCS#8 PEM, mode 0600
    chain: Path  # signing cert + intermediate (PEM), what the signer presents


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Veracast Development"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _certificate(
    *,
    subject: x509.Name,
    issuer: x509.Name,
    public_key: ec.EllipticCurvePublicKey,
    issuer_key: ec.EllipticCurvePrivateKey,
    ca: bool,
    path_length: int | None,
    days: int,
    eku: list[ObjectIdentifier] | None = None,
) -> x509.Certificate:
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), critical=True)
        .add_extension(_key_usage(ca=ca), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    )
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def make_development_chain(directory: str | os.PathLike[str], *, days: int = 365) -> DevelopmentChain:
    """Create root, intermediate and signing certificates (ECDSA P-256) under `directory`; returns their paths.
    CA private keys are not written: nothing else should ever be issued from a development chain."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    root_key = ec.generate_private_key(ec.SECP256R1())
    inter_key = ec.generate_private_key(ec.SECP256R1())
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    root_name, inter_name = _name("Veracast Dev Root CA"), _name("Veracast Dev Intermediate CA")
    root = _certificate(
        subject=root_name,
        issuer=root_name,
        public_key=root_key.public_key(),
        issuer_key=root_key,
        ca=True,
        path_length=1,
        days=days * 10,
    )
    inter = _certificate(
        subject=inter_name,
        issuer=root_name,
        public_key=inter_key.public_key(),
        issuer_key=root_key,
        ca=True,
        path_length=0,
        days=days * 5,
    )
    leaf = _certificate(
        subject=_name("Veracast Dev Render Signer"),
        issuer=inter_name,
        public_key=leaf_key.public_key(),
        issuer_key=inter_key,
        ca=False,
        path_length=None,
        days=days,
        eku=[ExtendedKeyUsageOID.EMAIL_PROTECTION, DOCUMENT_SIGNING],
    )
    chain = DevelopmentChain(
        root_cert=out / "root-ca.pem",
        intermediate_cert=out / "intermediate-ca.pem",
        signing_cert=out / "signer.pem",
        signing_key=out / "signer.key",
        chain=out / "chain.pem",
    )
    chain.root_cert.write_bytes(_pem(root))
    chain.intermediate_cert.write_bytes(_pem(inter))
    chain.signing_cert.write_bytes(_pem(leaf))
    chain.chain.write_bytes(_pem(leaf) + _pem(inter))
    key_pem = leaf_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(chain.signing_key, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key_pem)
    return chain
