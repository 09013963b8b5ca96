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

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** A DNS-1123 label (namespaces): problem text, or undefined when valid. */
export function dns1123LabelProblem(value: string): string | undefined {
  if (value.length > 63) return 'must be at most 63 characters';
  if (!DNS_1123_LABEL.test(value)) {
    return "must consist of lowercase letters, digits and '-', and start and end with a letter or digit";
  }
  return undefined;
}

/** A DNS-1123 subdomain (object names, which the operator reuses for the Secret). */
export function dns1123SubdomainProblem(value: string): string | undefined {
  if (value.length > 253) return 'must be at most 253 characters';
  const invalid = value.split('.').some(part => !DNS_1123_LABEL.test(part));
  if (invalid) {
    return "must consist of lowercase letters, digits, '-' and '.', and start and end with a letter or digit";
  }
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return 'must be at most 63 characters';
  if (!LABEL_VALUE.test(value)) {
    return "must consist of letters, digits, '-', '_' and '.', and start and end with a letter or digit";
  }
  return undefined;
}

/** A label key: an optional DNS-1123 subdomain prefix and a name of at most 63 characters. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && dns1123SubdomainProblem(prefix)) {
    return 'has an invalid prefix (must be a DNS-1123 subdomain)';
  }
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) {
    return "must have a name of 1 to 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
  }
  return undefined;
}
