/*
 * Copyright 2026 The Backstage Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/**
 * The sandbox's certificate authority: created once per directory and reused,
 * so that a kubeconfig written earlier keeps trusting new servers.
 */

import {
  generateKeyPairSync,
  randomBytes,
  sign as signWithNode,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

/** A certificate and its private key, PEM-encoded. */
export interface CertificateAuthority {
  certPem: string;
  keyPem: string;
}

const CA_FILE = 'ca.pem';
const CA_KEY_FILE = 'ca-key.pem';

/**
 * Keys come from Node's crypto and signatures are made by it: forge's pure-JS
 * RSA takes seconds, and its re-encoded keys are occasionally refused by OpenSSL.
 * forge only assembles the certificates.
 */
interface KeyPair {
  /** PKCS#8 PEM. */
  pem: string;
  publicKey: forge.pki.rsa.PublicKey;
}

function generateKeys(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return {
    pem: privateKey,
    publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey,
  };
}

/** What `certificate.sign(key, sha256)` does, with the signature from Node. */
function sign(certificate: forge.pki.Certificate, signerKeyPem: string) {
  const oid = forge.pki.oids.sha256WithRSAEncryption;
  certificate.signatureOid = oid;
  certificate.siginfo.algorithmOid = oid;
  // Part of forge's API, missing from @types/node-forge.
  const { getTBSCertificate } = forge.pki as unknown as {
    getTBSCertificate(certificate: forge.pki.Certificate): forge.asn1.Asn1;
  };
  const tbs = getTBSCertificate(certificate);
  (
    certificate as forge.pki.Certificate & { tbsCertificate: forge.asn1.Asn1 }
  ).tbsCertificate = tbs;
  const der = Buffer.from(forge.asn1.toDer(tbs).getBytes(), 'binary');
  certificate.signature = signWithNode('sha256', der, signerKeyPem).toString(
    'binary',
  );
}

let serverKeys: KeyPair | undefined;

/** One key pair for every server of the process: generating RSA keys is the slow part of a start. */
function serverKeyPair(): KeyPair {
  serverKeys ??= generateKeys();
  return serverKeys;
}

/**
 * A positive DER INTEGER without a redundant leading byte: OpenSSL refuses
 * certificates whose serial starts with 0x00 followed by a byte below 0x80.
 */
export function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0] & 0x7f || 0x01;
  return bytes.toString('hex');
}

function validity(certificate: forge.pki.Certificate, years: number) {
  const now = new Date();
  certificate.validity.notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  certificate.validity.notAfter = new Date(now.getTime());
  certificate.validity.notAfter.setFullYear(now.getFullYear() + years);
}

/** Creates a self-signed CA valid for ten years. */
export function createCa(): CertificateAuthority {
  const keys = generateKeys();
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = keys.publicKey;
  certificate.serialNumber = serialNumber();
  validity(certificate, 10);
  const subject = [{ name: 'commonName', value: 'onepassword-sandbox-ca' }];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    {
      name: 'keyUsage',
      keyCertSign: true,
      cRLSign: true,
      digitalSignature: true,
      critical: true,
    },
    { name: 'subjectKeyIdentifier' },
  ]);
  sign(certificate, keys.pem);
  return { certPem: forge.pki.certificateToPem(certificate), keyPem: keys.pem };
}

/** Reads `ca.pem`/`ca-key.pem` from `dir`, creating them (and `dir`) on first use. */
export function loadOrCreateCa(dir: string): CertificateAuthority {
  const certFile = join(dir, CA_FILE);
  const keyFile = join(dir, CA_KEY_FILE);
  if (existsSync(certFile) && existsSync(keyFile)) {
    return {
      certPem: readFileSync(certFile, 'utf8'),
      keyPem: readFileSync(keyFile, 'utf8'),
    };
  }
  mkdirSync(dir, { recursive: true });
  const ca = createCa();
  writeFileSync(keyFile, ca.keyPem, { mode: 0o600 });
  writeFileSync(certFile, ca.certPem);
  return ca;
}

/** A server certificate for `127.0.0.1` and `localhost`, signed by `ca`. */
export function issueServerCertificate(
  ca: CertificateAuthority,
  commonName: string,
): CertificateAuthority {
  const caCertificate = forge.pki.certificateFromPem(ca.certPem);
  const keys = serverKeyPair();
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = keys.publicKey;
  certificate.serialNumber = serialNumber();
  validity(certificate, 2);
  certificate.setSubject([{ name: 'commonName', value: commonName }]);
  certificate.setIssuer(caCertificate.subject.attributes);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false },
    {
      name: 'keyUsage',
      digitalSignature: true,
      keyEncipherment: true,
      critical: true,
    },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
      ],
    },
  ]);
  sign(certificate, ca.keyPem);
  return { certPem: forge.pki.certificateToPem(certificate), keyPem: keys.pem };
}
