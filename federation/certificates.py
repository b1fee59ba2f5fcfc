"""A demo certificate authority and one certificate per center (`make certs`).

Each linked center proves who it is with a certificate whose common name and DNS
name are its link name (`hq`, `branch`, ...), signed by a CA both sides trust; the
link reads the peer's name from the certificate, never from what the peer says.
In production each company brings its own CA (or one shared by the partners): the
link only needs the PEM files.

    python -m federation.certificates var/certs hq branch partner
"""

from __future__ import annotations

import datetime
import ipaddress
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_NAME = "kefu demo link CA"
VALID_DAYS = 3650


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    path.chmod(0o600)


def _load_ca(folder: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    cert = x509.load_pem_x509_certificate((folder / "ca.pem").read_bytes())
    key = serialization.load_pem_private_key((folder / "ca-key.pem").read_bytes(), None)
    return cert, key  # type: ignore[return-value]


def make_ca(folder: Path, name: str = CA_NAME) -> None:
    """A new CA in `folder` (ca.pem, ca-key.pem) unless one is there."""
    folder.mkdir(parents=True, exist_ok=True)
    if (folder / "ca.pem").exists():
        return
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    _write_key(folder / "ca-key.pem", key)
    (folder / "ca.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def make_center_certificate(folder: Path, center: str) -> tuple[Path, Path]:
    """`center`.pem and `center`-key.pem signed by the folder's CA: for both ends of
    a link (server and client auth), named `center` (and valid for localhost)."""
    ca_cert, ca_key = _load_ca(folder)
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    names = [x509.DNSName(center), x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, center)]))
            .issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH,
                                                  ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    cert_path, key_path = folder / f"{center}.pem", folder / f"{center}-key.pem"
    _write_key(key_path, key)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


def main(argv: list[str]) -> None:
    if len(argv) < 2:
        raise SystemExit("usage: python -m federation.certificates FOLDER CENTER [CENTER ...]")
    folder = Path(argv[0])
    make_ca(folder)
    for center in argv[1:]:
        cert, _ = make_center_certificate(folder, center)
        print(cert)


if __name__ == "__main__":
    main(sys.argv[1:])
